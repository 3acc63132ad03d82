"""The revision history of a text (a work's original, or a translation), and comparisons.

Texts change only through new revisions; the current one is what readers see, and
any two can be compared per line, then per word. Each revision of a translation
names the revision of the original it was made from: when the original has moved on,
the translation is "possibly out of date", and the history says since which revision.
A revision published from a contribution links to it, with its review.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..models import Contribution, ReviewEvent, TextRevision, Translation, User, Work
from ..texts.diff import SegmentDiff, diff_by_segment
from .errors import NotFound
from .revisions import load_text


@dataclass
class ReviewStep:
    action: str
    actor: str | None
    at: datetime
    comment: str | None
    revision_number: int | None


@dataclass
class HistoryEntry:
    id: int
    number: int
    created_at: datetime
    author: str | None
    note: str | None
    line_count: int
    current: bool
    original_number: int | None  # the original's revision it was made from (translations)
    out_of_date: bool
    contribution_id: int | None = None
    contribution_revisions: int = 0
    review: list[ReviewStep] = field(default_factory=list)


@dataclass
class TextHistory:
    work: Work
    translation: Translation | None  # None: the history of the work's original
    entries: list[HistoryEntry]  # newest first
    current_original_number: int | None

    @property
    def numbers(self) -> list[int]:
        return sorted(e.number for e in self.entries)


def _work(session: Session, slug: str) -> Work:
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound(f"There is no work “{slug[:80]}” in the library.")
    return work


def _translation(session: Session, work: Work, key: str) -> Translation:
    translation = session.scalar(select(Translation).where(
        Translation.work_id == work.id, Translation.key == (key or "").strip().lower(),
        Translation.status == "published"))
    if translation is None:
        raise NotFound(f"“{work.title}” has no published translation “{key[:40]}”.")
    return translation


def text_history(session: Session, slug: str, key: str | None = None) -> TextHistory:
    """Every revision of a translation (``key``) or of the work's original, newest
    first, with who made it, from which original, and the review that published it."""
    work = _work(session, slug)
    translation = _translation(session, work, key) if key else None
    original = aliased(TextRevision)
    owner = (TextRevision.translation_id == translation.id) if translation else (TextRevision.work_id == work.id)
    current_id = translation.current_revision_id if translation else work.current_revision_id
    current_original_number = session.scalar(
        select(TextRevision.number).where(TextRevision.id == work.current_revision_id)) \
        if work.current_revision_id else None
    rows = session.execute(
        select(TextRevision.id, TextRevision.number, TextRevision.created_at, TextRevision.note,
               TextRevision.line_count, TextRevision.original_revision_id, User.display_name,
               original.number.label("original_number"))
        .outerjoin(User, User.id == TextRevision.created_by_id)
        .outerjoin(original, original.id == TextRevision.original_revision_id)
        .where(owner).order_by(TextRevision.number.desc())).all()
    entries = [HistoryEntry(
        id=r.id, number=r.number, created_at=r.created_at, author=r.display_name, note=r.note,
        line_count=r.line_count, current=r.id == current_id, original_number=r.original_number,
        out_of_date=bool(translation and r.original_revision_id and work.current_revision_id
                         and r.original_revision_id != work.current_revision_id)) for r in rows]
    _attach_reviews(session, entries)
    return TextHistory(work, translation, entries, current_original_number)


def _attach_reviews(session: Session, entries: list[HistoryEntry]) -> None:
    """The approved contribution behind each revision, with its review (two queries)."""
    by_revision = {e.id: e for e in entries}
    if not by_revision:
        return
    contributions = session.execute(
        select(Contribution.id, Contribution.published_revision_id, Contribution.revision_number)
        .where(Contribution.published_revision_id.in_(by_revision), Contribution.status == "approved")).all()
    by_contribution: dict[int, HistoryEntry] = {}
    for contribution_id, revision_id, revision_count in contributions:
        entry = by_revision[revision_id]
        entry.contribution_id, entry.contribution_revisions = contribution_id, revision_count
        by_contribution[contribution_id] = entry
    if not by_contribution:
        return
    for contribution_id, action, name, at, comment, number in session.execute(
            select(ReviewEvent.contribution_id, ReviewEvent.action, User.display_name, ReviewEvent.created_at,
                   ReviewEvent.comment, ReviewEvent.revision_number)
            .outerjoin(User, User.id == ReviewEvent.actor_id)
            .where(ReviewEvent.contribution_id.in_(by_contribution)).order_by(ReviewEvent.id)):
        by_contribution[contribution_id].review.append(ReviewStep(action, name, at, comment, number))


@dataclass
class TextComparison:
    work: Work
    translation: Translation | None
    old: TextRevision
    new: TextRevision
    diff: SegmentDiff
    numbers: list[int]  # every revision number, for choosing others


def compare_revisions(session: Session, slug: str, key: str | None, old_number: int | None,
                      new_number: int | None, *, context: int | None = 2) -> TextComparison:
    """Two revisions of a translation (or of the original) compared per line and word.

    By default the current revision against the one before it."""
    work = _work(session, slug)
    translation = _translation(session, work, key) if key else None
    owner = (TextRevision.translation_id == translation.id) if translation else (TextRevision.work_id == work.id)
    revisions = {r.number: r for r in session.scalars(select(TextRevision).where(owner))}
    if not revisions:
        raise NotFound("This text has no revisions yet.")
    current_id = translation.current_revision_id if translation else work.current_revision_id
    current = next((n for n, r in revisions.items() if r.id == current_id), max(revisions))
    new_number = new_number or current
    old_number = old_number or max((n for n in revisions if n < new_number), default=new_number)
    missing = [n for n in (old_number, new_number) if n not in revisions]
    if missing:
        raise NotFound(f"There is no revision {missing[0]}: this text has revisions "
                       f"{', '.join(str(n) for n in sorted(revisions))}.")
    old, new = revisions[old_number], revisions[new_number]
    new_text = load_text(session, new.id)
    old_text = load_text(session, old.id) if old.id != new.id else new_text
    if new_text is None:
        raise NotFound("This revision has no text.")
    return TextComparison(work, translation, old, new, diff_by_segment(old_text, new_text, context=context),
                          sorted(revisions))
