"""Work that must happen after commit (the outbox) and what it produces (analyses)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow


class OutboxEntry(db.Model):
    """A request written in the same transaction as a change, relayed after commit.

    ``topic`` names the job (``index``, ``analyse``...), ``entity``/``entity_id``
    what it is about, ``version`` which revision, so that workers are idempotent.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "processed_at", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "host:pid" of the relay or worker that claimed the row (its lease is available_at),
    # so that a restarted worker can take back at once the rows of a process that died
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dead_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class TextAnalysis(db.Model):
    """Linguistic analysis of one text revision; per-line results are keyed by line key."""

    __tablename__ = "text_analyses"
    __table_args__ = (UniqueConstraint("revision_id", "analyzer_version"),
                      Index("ix_text_analyses_hash_version", "text_hash", "analyzer_version"))

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("text_revisions.id", ondelete="CASCADE"))
    analyzer_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(16))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # counts, readability, meter...
    lines: Mapped[dict] = mapped_column(JSON, default=dict)  # line key -> syllables, stress, rhyme
    # sha256 of the text's checksum, declared language and form: an identical text is never analysed twice
    text_hash: Mapped[str | None] = mapped_column(String(64))
    # form-derived facets, space-separated and framed by spaces (" sonnet rhymed iambic "), for filters
    facets: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
