"""Analysing a revision and storing the result (copied from a revision with the same text hash)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import TextAnalysis, Translation, Work
from ..revisions import load_revision, rebuild_text
from .features import facets_of
from .subjects import RevisionSubject, _subjects, analyser_version, text_hash

log = logging.getLogger("tercul.analysis")


def run_analysers(text, *, language: str, form: str) -> dict[str, Any]:
    """The analysers' result as a dict; a partial result with a note when they fail on this text."""
    from ...analysis import analyse

    try:
        return analyse(text, language=language, form=form).to_dict()
    except Exception as exc:  # noqa: BLE001 - the analysers are pure: a failure is the text's, not transient
        log.warning("analysis failed on a text (%s, %s): %s", language, form, exc)
        return partial_result(text, language=language, form=form, note=f"The analysis stopped on this text ({type(exc).__name__}: "
                                                                 f"{str(exc)[:200]}); only simple counts are shown.")


def partial_result(text, *, language: str, form: str = "prose", note: str) -> dict[str, Any]:
    """Counts that need no analyser, for a text the analysers could not handle."""
    lines = [ln for ln in text.iter_lines() if ln.kind == "line"]
    words = sum(len(ln.text.split()) for ln in lines)
    return {"analyser_version": analyser_version(), "form": form, "language_detected": None,
            "language_declared": language, "language_supported": False,
            "language_mismatch": False, "counts": {"lines": len(lines), "words": words},
            "type_token_ratio": None, "rare_words": [], "keywords": [], "readability": None, "meter": None,
            "stanzas": [], "rhyme_scheme": None, "speakers": [], "lines": {}, "notes": [note], "partial": True}


def _store(session: Session, subject: RevisionSubject, version: str, digest: str, result: dict[str, Any]
           ) -> TextAnalysis:
    summary = {k: v for k, v in result.items() if k != "lines"}
    facets = facets_of(result, subject.form)
    row = TextAnalysis(revision_id=subject.revision_id, analyzer_version=version,
                       language=result.get("language_detected"), summary=summary, lines=result.get("lines") or {},
                       text_hash=digest, facets=(" " + " ".join(facets) + " ")[:200] if facets else None)
    try:
        # a savepoint: two workers may analyse the same revision at once (duplicate requests)
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        stored = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == subject.revision_id,
                                                           TextAnalysis.analyzer_version == version))
        if stored is None:
            raise
        return stored
    # results of other analyser versions for this revision are stale now
    session.execute(delete(TextAnalysis).where(TextAnalysis.revision_id == subject.revision_id,
                                               TextAnalysis.analyzer_version != version))
    return row


@dataclass
class PendingAnalysis:
    """A text to run the analysers on (outside the database), then to store with :func:`store_analysis`."""

    subject: RevisionSubject
    version: str
    digest: str
    text: Any  # tercul.texts.model.Text

    @property
    def arguments(self) -> tuple[Any, str, str]:
        return self.text, self.subject.language, self.subject.form


def plan_analysis(session: Session, revision_id: int) -> TextAnalysis | PendingAnalysis | None:
    """What analysing a revision takes: nothing (stored, or copied from the same text), or a run.

    Returns the stored analysis when there is one under the current version (copying
    that of another revision with the same text hash, if any), a
    :class:`PendingAnalysis` when the analysers must run, None when the revision is gone.
    """
    version = analyser_version()
    stored = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == revision_id,
                                                       TextAnalysis.analyzer_version == version))
    if stored is not None:
        return stored
    subject = _subjects(session, [revision_id]).get(revision_id)
    if subject is None:
        return None
    digest = text_hash(subject.checksum, subject.language, subject.form)
    twin = session.scalar(select(TextAnalysis).where(TextAnalysis.text_hash == digest,
                                                     TextAnalysis.analyzer_version == version).limit(1))
    if twin is not None:
        return _store(session, subject, version, digest, dict(twin.summary, lines=twin.lines))
    divisions, lines = load_revision(session, revision_id)
    return PendingAnalysis(subject, version, digest, rebuild_text(divisions, lines))


def run_pending(arguments: tuple[Any, str, str]) -> dict[str, Any]:
    """The analysers on one planned text (pure: may run in another process)."""
    text, language, form = arguments
    return run_analysers(text, language=language, form=form)


def store_analysis(session: Session, pending: PendingAnalysis, result: dict[str, Any]) -> TextAnalysis:
    """Store what the analysers found for a planned text (replacing older versions' results)."""
    existing = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == pending.subject.revision_id,
                                                         TextAnalysis.analyzer_version == pending.version))
    if existing is not None:  # stored meanwhile by a worker
        return existing
    return _store(session, pending.subject, pending.version, pending.digest, result)


def analyse_revision(session: Session, revision_id: int, *,
                     before_running: Callable[[], None] | None = None) -> TextAnalysis | None:
    """Analyse one text revision under the current analyser version, unless that is done.

    Idempotent: a stored result for the revision is returned as it is; one for the same
    text (same hash, same version) under another revision is copied. Returns None when
    the revision no longer exists. Flushes; the caller commits. ``before_running`` is
    called once the text is read and before the analysers run (the job commits there, so
    that no transaction stays open while they work).
    """
    planned = plan_analysis(session, revision_id)
    if isinstance(planned, PendingAnalysis):
        if before_running is not None:
            before_running()
        return store_analysis(session, planned, run_pending(planned.arguments))
    return planned


def analyse_entity(session: Session, entity: str, entity_id: int, *,
                   before_running: Callable[[], None] | None = None) -> dict[tuple[str, int], int]:
    """Analyse the published text of a work or translation (the ``analyse`` job).

    Returns what it covered, ``{(entity, id): revision_id}``, so that pending requests
    about that revision or older ones are done too; nothing when there is no text.
    ``before_running``: as for :func:`analyse_revision`.
    """
    model = Work if entity == "work" else Translation if entity == "translation" else None
    if model is None:
        return {}
    revision_id = session.scalar(select(model.current_revision_id).where(model.id == entity_id))
    if revision_id is None:
        return {}
    analyse_revision(session, revision_id, before_running=before_running)
    return {(entity, entity_id): revision_id}
