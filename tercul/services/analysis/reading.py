"""Stored analyses as pages and the API read them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import TextAnalysis, Translation, Work
from ..errors import NotFound
from .subjects import analyser_version


@dataclass
class StoredAnalysis:
    """An analysis as pages and the API show it."""

    revision_id: int
    version: str
    current: bool  # made by the analyser version running now
    summary: dict[str, Any]
    lines: dict[str, Any]
    facets: list[str] = field(default_factory=list)

    @property
    def result(self) -> dict[str, Any]:
        return dict(self.summary, lines=self.lines)


def _view(row: TextAnalysis, version: str) -> StoredAnalysis:
    return StoredAnalysis(revision_id=row.revision_id, version=row.analyzer_version,
                          current=row.analyzer_version == version, summary=row.summary or {},
                          lines=row.lines or {}, facets=(row.facets or "").split())


def analyses_for_revisions(session: Session, revision_ids: Iterable[int]) -> dict[int, StoredAnalysis]:
    """Stored analyses of these revisions in one query (the current version first, else the latest)."""
    ids = list({r for r in revision_ids if r is not None})
    if not ids:
        return {}
    version = analyser_version()
    found: dict[int, StoredAnalysis] = {}
    for row in session.scalars(select(TextAnalysis).where(TextAnalysis.revision_id.in_(ids))
                               .order_by(TextAnalysis.revision_id, TextAnalysis.id)):
        if row.revision_id not in found or row.analyzer_version == version:
            found[row.revision_id] = _view(row, version)
    return found


def analysis_for_revision(session: Session, revision_id: int | None) -> StoredAnalysis | None:
    return analyses_for_revisions(session, [revision_id]).get(revision_id) if revision_id else None


@dataclass
class TextAnalysisPage:
    """The analysis of one published text and what it belongs to."""

    work: Work
    translation: Translation | None
    language: str
    analysis: StoredAnalysis | None  # None: not analysed yet

    @property
    def revision_id(self) -> int | None:
        return (self.translation or self.work).current_revision_id


def find_text(session: Session, slug: str, key: str | None = None) -> tuple[Work, Translation | None]:
    """A work by slug and, with ``key``, one of its published translations; NotFound otherwise."""
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound(f"There is no work “{slug[:80]}” in the library.")
    if key is None:
        return work, None
    translation = session.scalar(select(Translation).where(Translation.work_id == work.id, Translation.key == key,
                                                           Translation.status == "published"))
    if translation is None:
        raise NotFound(f"“{work.title}” has no translation “{key[:40]}”.")
    return work, translation


def analysis_for_text(session: Session, slug: str, key: str | None = None) -> TextAnalysisPage:
    """The stored analysis of a work's original (or, with ``key``, of a translation)."""
    work, translation = find_text(session, slug, key)
    owner = translation or work
    return TextAnalysisPage(work=work, translation=translation, language=owner.language,
                            analysis=analysis_for_revision(session, owner.current_revision_id))
