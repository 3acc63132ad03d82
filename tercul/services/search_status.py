"""How complete search is: the keyword index, the embeddings behind meaning search, and
the background embedding that fills them.

After a bulk load (``tercul demo``) the keyword index is built at once, in the command,
and the embeddings follow in the background: a chain of ``embed`` outbox rows, each
embedding :data:`tercul.search.indexer.EMBED_STEP` passages and writing the next row
with how far it got. That row is what the search page, the API and ``tercul search
status`` read ("meaning search: 40% of passages indexed"), whichever process runs the
jobs. Fresh work (``index`` rows from a publication) is claimed before the chain's rows
(see :func:`tercul.tasks.jobs.claim_due`): a new translation is searchable at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..extensions import cache
from ..models import OutboxEntry
from ..models._base import utcnow
from ..search import SearchBackend, indexer
from .outbox import enqueue

EMBED_TOPIC = "embed"
PROGRESS_TTL = 5  # seconds the page may show an older percentage
PROGRESS_KEY = "search:embedding-progress"


@dataclass(frozen=True)
class EmbeddingProgress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        if not self.total or self.done >= self.total:
            return 100
        return min(99, int(100 * self.done / self.total))  # never 100 while something is left

    @property
    def label(self) -> str:
        return f"meaning search: {self.percent}% of passages indexed"


def _pending_chain():
    return (OutboxEntry.topic == EMBED_TOPIC, OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))


def start_background_embedding(session: Session, missing: int, total: int) -> OutboxEntry | None:
    """Ask the workers to embed every passage that has none (``missing`` of ``total``),
    replacing a chain already under way; None when there is nothing to embed. Flushes."""
    session.execute(update(OutboxEntry).where(*_pending_chain()).values(processed_at=utcnow())
                    .execution_options(synchronize_session=False))
    cache.delete(PROGRESS_KEY)
    if not missing:
        session.flush()
        return None
    entry = enqueue(session, EMBED_TOPIC, "library", 0, None, work=0, done=total - missing, total=total)
    session.flush()
    return entry


def continue_embedding(session: Session, backend: SearchBackend, entry: OutboxEntry) -> int:
    """One step of the chain (the ``embed`` job): embed some passages, then write the next
    row with the progress, unless the library is done. Returns the passages embedded."""
    payload = dict(entry.payload or {})
    following, embedded = indexer.embed_step(session, backend, int(payload.get("work") or 0))
    if following is not None:
        total = int(payload.get("total") or 0)
        done = min(total, int(payload.get("done") or 0) + embedded)
        enqueue(session, EMBED_TOPIC, "library", 0, None, work=following, done=done, total=total)
    cache.delete(PROGRESS_KEY)
    return embedded


def embedding_progress(session: Session) -> EmbeddingProgress | None:
    """How far the background embedding is; None when none is under way (cached briefly)."""
    key = PROGRESS_KEY
    cached = cache.get(key)
    if cached is None:
        payload = session.scalar(select(OutboxEntry.payload).where(*_pending_chain())
                                 .order_by(OutboxEntry.id.desc()).limit(1))
        cached = (int(payload.get("done") or 0), int(payload.get("total") or 0)) if payload else ()
        cache.set(key, cached, timeout=PROGRESS_TTL)
    return EmbeddingProgress(*cached) if cached else None


@dataclass
class IndexStatus:
    """What ``tercul search status`` prints."""

    backend: str
    texts_expected: int
    texts_indexed: int
    passages: int
    embedded: int
    differences: int
    pending: dict[str, int]
    progress: EmbeddingProgress | None

    @property
    def keyword_ready(self) -> bool:
        return self.texts_expected == self.texts_indexed

    @property
    def meaning_percent(self) -> int:
        return EmbeddingProgress(self.embedded, self.passages).percent if self.passages else 100


def index_status(session: Session, backend: SearchBackend) -> IndexStatus:
    """Compare the library with the index (texts, passages, embeddings) and count the jobs
    still to run; exact, so it reads the whole index (seconds on a large library)."""
    want_texts, _authors, want_passages = indexer.expected_state(session)
    have = backend.state()
    uids = [u for key in want_texts if key in have.texts for u in want_passages[key]]
    pending = dict(session.execute(select(OutboxEntry.topic, func.count()).where(
        OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None)).group_by(OutboxEntry.topic)).all())
    differences = sum(1 for key, fp in want_texts.items() if have.texts.get(key) != fp)
    return IndexStatus(backend=backend.name, texts_expected=len(want_texts),
                       texts_indexed=len(want_texts.keys() & have.texts.keys()), passages=len(uids),
                       embedded=sum(1 for u in uids if u in have.vectors), differences=differences,
                       pending=pending, progress=embedding_progress(session))
