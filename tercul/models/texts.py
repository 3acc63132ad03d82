"""Texts as revisions of keyed trees: divisions that end in lines (see DESIGN.md).

A text revision belongs to either a work (the original) or a translation. Divisions
and lines are stored flat, in reading order (``position``), each with its stable
``key``; a division records the range of line positions it covers, so one division
(an act, a chapter) can be read without loading the rest of a long text.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow


class TextRevision(db.Model):
    __tablename__ = "text_revisions"
    __table_args__ = (
        CheckConstraint("(work_id IS NULL) <> (translation_id IS NULL)", name="one_owner"),
        UniqueConstraint("work_id", "number"),
        UniqueConstraint("translation_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    # for a translation: the revision of the original it was made from
    original_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_revisions.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    note: Mapped[str | None] = mapped_column(String(1000))
    checksum: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the canonical text
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    division_count: Mapped[int] = mapped_column(Integer, default=0)

    divisions: Mapped[list[TextDivision]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="TextDivision.position")
    lines: Mapped[list[TextLine]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="TextLine.position")


class TextDivision(db.Model):
    __tablename__ = "text_divisions"
    __table_args__ = (
        UniqueConstraint("revision_id", "key"),
        UniqueConstraint("revision_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("text_revisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    parent_key: Mapped[str | None] = mapped_column(String(100))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(500))
    # line positions [first_line, end_line) covered by this division and its children
    first_line: Mapped[int] = mapped_column(Integer, default=0)
    end_line: Mapped[int] = mapped_column(Integer, default=0)


class TextLine(db.Model):
    __tablename__ = "text_lines"
    __table_args__ = (
        UniqueConstraint("revision_id", "position"),
        UniqueConstraint("revision_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("text_revisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    division_key: Mapped[str] = mapped_column(String(100))  # the innermost division
    kind: Mapped[str] = mapped_column(String(10), default="line")  # line | stage | heading
    speaker: Mapped[str | None] = mapped_column(String(200))
    indent: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)


class AlignmentLink(db.Model):
    """Explicit alignment of a translation revision: translation key -> original key.

    One translation key may map to several original keys and vice versa. Where no
    link exists the reading view falls back to equal keys, then to division level.
    """

    __tablename__ = "alignment_links"
    __table_args__ = (
        UniqueConstraint("revision_id", "translation_key", "original_key"),
        Index("ix_alignment_links_revision_original", "revision_id", "original_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("text_revisions.id", ondelete="CASCADE"))
    translation_key: Mapped[str] = mapped_column(String(100))
    original_key: Mapped[str] = mapped_column(String(100))
