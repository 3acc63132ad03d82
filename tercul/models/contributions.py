"""Contributions: proposed translations, edits and works, their revisions and review."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import Timestamped, utcnow

CONTRIBUTION_KINDS = ("new_translation", "edit_translation", "new_work")
CONTRIBUTION_STATUSES = ("draft", "pending", "changes_requested", "approved", "rejected", "withdrawn")


class Contribution(Timestamped, db.Model):
    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint("kind IN ('new_translation','edit_translation','new_work')", name="kind"),
        CheckConstraint(
            "status IN ('draft','pending','changes_requested','approved','rejected','withdrawn')",
            name="status"),
        Index("ix_contributions_status_submitted", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(500))
    # metadata of the proposal: translator name, source, licence, work fields...
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the published text revision an approval produced
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_revisions.id", ondelete="SET NULL"), index=True)
    # the published revision an edit was based on (to diff against, and detect conflicts)
    base_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_revisions.id", ondelete="SET NULL"), index=True)
    # the revision of the work's original the text was shaped after: when the work's
    # current revision differs, the contribution "may be out of date"
    original_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_revisions.id", ondelete="SET NULL"), index=True)
    # the latest revision's number, kept by the services: the queue and the stale-action
    # checks read it without loading any text
    revision_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    revisions: Mapped[list[ContributionRevision]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan", order_by="ContributionRevision.number")
    events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan", order_by="ReviewEvent.id")
    contributor = relationship("User", foreign_keys=[contributor_id])


class ContributionRevision(db.Model):
    """One version of a contribution's text, stored exactly as given."""

    __tablename__ = "contribution_revisions"
    __table_args__ = (UniqueConstraint("contribution_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="revisions")


class ReviewEvent(db.Model):
    """A state change of a contribution: who, when, from, to, and why."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    revision_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    contribution: Mapped[Contribution] = relationship(back_populates="events")
    actor = relationship("User")


class ReviewComment(db.Model):
    """A comment on one line of a submission, or a reply in its thread.

    Anchored by the line's key (not a row id), so a thread stays on its line across
    revisions where the line survives. A thread is its first comment and the replies
    to it (``thread_id``); resolving marks the first comment."""

    __tablename__ = "review_comments"
    __table_args__ = (Index("ix_review_comments_contribution_line", "contribution_id", "line_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    # the first comment of the thread; None for a first comment
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("review_comments.id", ondelete="CASCADE"), index=True)
    line_key: Mapped[str] = mapped_column(String(100))
    revision_number: Mapped[int] = mapped_column(Integer)  # the revision the comment was written on
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    author = relationship("User", foreign_keys=[author_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
