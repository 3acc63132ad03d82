"""Collections, comments, likes, bookmarks, view statistics and saved searches."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import Timestamped, utcnow


LIKE_KINDS = ("work", "translation", "collection", "comment")


class Collection(Timestamped, db.Model):
    """A user's list of works and translations, public or private."""

    __tablename__ = "collections"
    __table_args__ = (UniqueConstraint("owner_id", "slug"),
                      # /collections: public ones newest first, or most liked
                      Index("ix_collections_public_created", "is_public", "created_at"),
                      Index("ix_collections_public_likes", "is_public", "like_count"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # kept by the services, so that lists never count rows
    item_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # set by an admin: shown on the home page, newest first
    featured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    owner = relationship("User")
    items: Mapped[list[CollectionItem]] = relationship(
        cascade="all, delete-orphan", order_by="CollectionItem.position")


class CollectionItem(db.Model):
    """A work, or one translation of it, in a collection; ``position`` orders the items."""

    __tablename__ = "collection_items"
    __table_args__ = (Index("ix_collection_items_collection_position", "collection_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"),
                                                       index=True)
    note: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Comment(Timestamped, db.Model):
    """A comment on a work, a translation (``translation_id`` with its ``work_id``) or a
    collection, optionally anchored to a line key of the text commented on.

    Replies are one level deep (``parent_id`` names a top-level comment). A deleted
    comment keeps its row (``deleted_at``, body emptied) while replies hang from it; a
    hidden one keeps its body for its author and the moderators, with the reason.
    """

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_work_created", "work_id", "created_at"),
        Index("ix_comments_collection_created", "collection_id", "created_at"),
        CheckConstraint("work_id IS NOT NULL OR collection_id IS NOT NULL", name="target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"),
                                                       index=True)
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    line_key: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # kept by the like service
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # replies not deleted, kept by the service so that a thread never counts rows per comment
    reply_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Like(db.Model):
    """A user likes a work, a translation, a collection or a comment (``target_kind``, ``target_id``).

    ``work_id`` is set for likes of works, so that trending counts likes per work by time.
    """

    __tablename__ = "likes"
    __table_args__ = (UniqueConstraint("user_id", "target_kind", "target_id"),
                      CheckConstraint("target_kind IN ('work','translation','collection','comment')",
                                      name="target_kind"),
                      Index("ix_likes_target", "target_kind", "target_id"),
                      Index("ix_likes_user_created", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Bookmark(db.Model):
    """"Continue reading": where a user is in a work (translation and line key)."""

    __tablename__ = "bookmarks"
    __table_args__ = (Index("ix_bookmarks_user_updated", "user_id", "updated_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("translations.id", ondelete="SET NULL"),
                                                       index=True)
    line_key: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class WorkViewDaily(db.Model):
    """Views of a work per day; trending is computed from recent days."""

    __tablename__ = "work_views_daily"

    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    views: Mapped[int] = mapped_column(Integer, default=0)


class SavedSearch(db.Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query_string: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User")
