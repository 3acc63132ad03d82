"""Keeping the index equal to the database: index jobs, full rebuilds, verification.

Every operation here is idempotent: indexing a work writes all its texts again
(replacing what the index had for their keys) and embeds only the passages that have
no vector yet, so running a job twice, or after a crash half-way, ends in the same
index. A work is the unit because its texts share facets: publishing a translation
changes "available in" for the original and every other translation.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy.orm import Session

from . import documents
from .embedding import embed_passages
from .interface import SearchBackend, TextDocument, text_key

log = logging.getLogger("tercul.search")
EMBED_BATCH = 256
EMBED_STEP = 128  # passages a background embedding job computes: under a second on a free core (175/s)
STEP_WORKS = 50


@dataclass
class Difference:
    kind: str  # missing | stale | extra | vectors
    key: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind:8} {self.key} {self.detail}".rstrip()


def embed_missing(backend: SearchBackend, texts: Iterable[TextDocument],
                  progress: Callable[[int], None] | None = None) -> int:
    """Compute and store embeddings for the passages of ``texts`` that have none."""
    passages = [p for t in texts for p in t.passages]
    missing = backend.missing_vectors(p.uid for p in passages)
    todo = [p for p in passages if p.uid in missing]
    for start in range(0, len(todo), EMBED_BATCH):
        chunk = todo[start:start + EMBED_BATCH]
        vectors = embed_passages([p.text for p in chunk])
        backend.add_vectors({p.uid: v for p, v in zip(chunk, vectors)})
        if progress:
            progress(len(chunk))
    return len(todo)


def embed_step(session: Session, backend: SearchBackend, start_work: int, budget: int | None = None
               ) -> tuple[int | None, int]:
    """Embed up to ``budget`` passages that have no vector, in works from ``start_work`` on
    (by id): one step of the background embedding. Returns the work to go on from (None
    when the library is done) and how many passages were embedded."""
    budget = budget or EMBED_STEP
    work_ids = documents.work_ids_with_texts(session, start=start_work, limit=STEP_WORKS)
    done = 0
    for work_id in work_ids:
        texts = documents.load_texts(session, [work_id])
        passages = [p for t in texts for p in t.passages]
        missing = backend.missing_vectors(p.uid for p in passages)
        todo = [p for p in passages if p.uid in missing]
        take = todo[:budget - done]
        for start in range(0, len(take), EMBED_BATCH):
            chunk = take[start:start + EMBED_BATCH]
            backend.add_vectors(dict(zip((p.uid for p in chunk), embed_passages([p.text for p in chunk]))))
        done += len(take)
        if len(take) < len(todo):
            return work_id, done
        if done >= budget:
            return work_id + 1, done
    return (work_ids[-1] + 1 if len(work_ids) == STEP_WORKS else None), done


def index_entity(session: Session, backend: SearchBackend, entity: str, entity_id: int, *,
                 embed: bool = True) -> dict[tuple[str, int], int]:
    """Bring the index up to date for a work, a translation (its work) or an author.

    Returns what was indexed: (entity, id) -> the revision read, for every text of the
    work, so that pending requests about older revisions of them can be skipped. Texts
    that left the library (deleted or unpublished) are removed from the index.
    """
    if entity == "author":
        authors = documents.load_authors(session, [entity_id])
        backend.replace_authors(authors, delete=[] if authors else [f"a:{entity_id}"])
        return {}
    work_id = documents.work_id_of(session, entity, entity_id)
    texts = documents.load_texts(session, [work_id]) if work_id is not None else []
    present = {t.key for t in texts}
    gone = {text_key(entity, entity_id)}
    if work_id is not None:
        gone |= {text_key("translation", tid) for tid in documents.translation_ids_of(session, work_id)}
    backend.replace_texts(texts, delete=sorted(gone - present))
    if work_id is not None:
        backend.replace_authors(documents.load_authors(session, documents.author_ids_of_works(session, [work_id])))
    if embed:
        embed_missing(backend, texts)
    return {(t.entity, t.entity_id): t.revision_id for t in texts}


def reindex(session: Session, backend: SearchBackend, *, embed: bool = True, clear: bool = True,
            progress: Callable[[int], None] | None = None, embed_progress: Callable[[int], None] | None = None,
            work_ids: list[int] | None = None) -> dict[str, int]:
    """Rebuild the index from the database: texts and authors first, then embeddings."""
    work_ids = work_ids if work_ids is not None else documents.work_ids_with_texts(session)
    if clear:
        backend.clear(keep_vectors=True)  # still-current passages keep their embeddings
    counts = {"works": 0, "texts": 0, "passages": 0, "authors": 0, "embedded": 0, "unembedded": 0}
    bulk = getattr(backend, "bulk", None)
    context = bulk() if bulk else _nullcontext()
    with context:
        for batch in documents.iter_text_batches(session, work_ids):
            backend.replace_texts(batch)
            commit = getattr(backend, "commit_bulk", None)
            if commit:
                commit()
            counts["works"] += len({t.work_id for t in batch})
            counts["texts"] += len(batch)
            counts["passages"] += sum(len(t.passages) for t in batch)
            if not embed:  # what the background embedding will have to do
                counts["unembedded"] += len(backend.missing_vectors(p.uid for t in batch for p in t.passages))
            if progress:
                progress(len({t.work_id for t in batch}))
        authors = documents.load_authors(session)
        backend.replace_authors(authors)
        counts["authors"] = len(authors)
    if embed:
        for batch in documents.iter_text_batches(session, work_ids):
            counts["embedded"] += embed_missing(backend, batch, embed_progress)
    compact = getattr(backend, "compact_vectors", None)
    if compact and embed:
        compact()
    return counts


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def expected_state(session: Session) -> tuple[dict[str, str], dict[str, str], dict[str, list[int]]]:
    """What the index should hold: text fingerprints, author fingerprints, passage uids."""
    texts: dict[str, str] = {}
    passages: dict[str, list[int]] = {}
    for batch in documents.iter_text_batches(session, documents.work_ids_with_texts(session)):
        for t in batch:
            texts[t.key] = t.fingerprint
            passages[t.key] = [p.uid for p in t.passages]
    authors = {a.key: a.fingerprint for a in documents.load_authors(session)}
    return texts, authors, passages


def verify(session: Session, backend: SearchBackend, *, vectors: bool = True) -> list[Difference]:
    """Every difference between the database and the index (empty when they agree)."""
    want_texts, want_authors, want_passages = expected_state(session)
    have = backend.state()
    out: list[Difference] = []
    for kind_label, want, got in (("text", want_texts, have.texts), ("author", want_authors, have.authors)):
        for key in sorted(want.keys() - got.keys()):
            out.append(Difference("missing", key, f"{kind_label} not in the index"))
        for key in sorted(got.keys() - want.keys()):
            out.append(Difference("extra", key, f"{kind_label} in the index but not in the library"))
        for key in sorted(want.keys() & got.keys()):
            if want[key] != got[key]:
                out.append(Difference("stale", key, f"{kind_label} indexed from an older state"))
    for key in sorted(want_texts.keys() & have.texts.keys()):
        if want_passages[key] != have.passages.get(key):
            out.append(Difference("stale", key, "passages differ"))
    if vectors:
        for key in sorted(want_passages):
            uids = want_passages[key]
            if key in have.texts and uids:
                lacking = sum(1 for u in uids if u not in have.vectors)
                if lacking:
                    out.append(Difference("vectors", key, f"{lacking} of {len(uids)} passages have no embedding"))
    return out


def repair(session: Session, backend: SearchBackend, differences: list[Difference]) -> int:
    """Index again what :func:`verify` found different; returns the works touched."""
    works: set[int] = set()
    for d in differences:
        kind, _, ident = d.key.partition(":")
        if not ident.isdigit():
            continue
        if kind == "a":
            index_entity(session, backend, "author", int(ident))
        elif d.kind == "extra":
            backend.replace_texts([], delete=[d.key])
        else:
            work_id = documents.work_id_of(session, "work" if kind == "w" else "translation", int(ident))
            if work_id is not None:
                works.add(work_id)
    for work_id in sorted(works):
        index_entity(session, backend, "work", work_id)
    return len(works)
