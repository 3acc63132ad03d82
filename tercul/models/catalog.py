"""Authors, works, translations and how works are classified."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String,
                        Table, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..texts.model import FORMS  # noqa: F401 - re-exported: the forms a work may take
from ._base import Timestamped

TRANSLATION_STATUSES = ("published", "unpublished")

work_genres = Table(
    "work_genres", db.metadata,
    Column("work_id", ForeignKey("works.id", ondelete="CASCADE"), primary_key=True),
    Column("genre_id", ForeignKey("genres.id", ondelete="CASCADE"), primary_key=True, index=True),
)
work_tags = Table(
    "work_tags", db.metadata,
    Column("work_id", ForeignKey("works.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Author(Timestamped, db.Model):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(200), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, index=True)
    death_year: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(100), index=True)
    biography: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[AuthorName]] = relationship(
        back_populates="author", cascade="all, delete-orphan", order_by="AuthorName.language")

    def __repr__(self) -> str:
        return f"<Author {self.slug}>"


class AuthorName(db.Model):
    """An author's name in one language (``Шекспир`` for ``ru``)."""

    __tablename__ = "author_names"
    __table_args__ = (UniqueConstraint("author_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), index=True)

    author: Mapped[Author] = relationship(back_populates="names")


class WorkAuthor(db.Model):
    __tablename__ = "work_authors"

    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(40), default="author")

    author: Mapped[Author] = relationship()


class Genre(db.Model):
    __tablename__ = "genres"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Work(Timestamped, db.Model):
    """A literary work in its original language. Its text lives in text revisions."""

    __tablename__ = "works"
    __table_args__ = (
        CheckConstraint("form IN ('poetry','prose','drama')", name="form"),
        CheckConstraint("date_to IS NULL OR date_from IS NULL OR date_to >= date_from", name="date_range"),
        Index("ix_works_parent_position", "parent_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    sort_title: Mapped[str] = mapped_column(String(500), index=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    form: Mapped[str] = mapped_column(String(10), index=True)
    period: Mapped[str | None] = mapped_column(String(100), index=True)
    date_from: Mapped[int | None] = mapped_column(Integer, index=True)
    date_to: Mapped[int | None] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="SET NULL"))
    position: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(1000))
    licence: Mapped[str | None] = mapped_column(String(1000))
    # the published revision of the original text (None for a pure container)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_revisions.id", use_alter=True, ondelete="SET NULL"), index=True)
    # kept by the translation services so "most translated" sorts on an index
    translation_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    # kept by the like and bookmark services (tercul/services/social/), never counted per row
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bookmark_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # first author's sort name, kept by the services so "by author" sorts on an index
    author_sort: Mapped[str | None] = mapped_column(String(200), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    work_authors: Mapped[list[WorkAuthor]] = relationship(
        cascade="all, delete-orphan", order_by="WorkAuthor.position")
    genres: Mapped[list[Genre]] = relationship(secondary=work_genres, order_by="Genre.name")
    tags: Mapped[list[Tag]] = relationship(secondary=work_tags, order_by="Tag.name")
    parent: Mapped[Work | None] = relationship(remote_side=[id], back_populates="parts")
    parts: Mapped[list[Work]] = relationship(back_populates="parent", order_by="Work.position")
    translations: Mapped[list[Translation]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="Translation.language")

    @property
    def authors(self) -> list[Author]:
        return [wa.author for wa in self.work_authors]

    def __repr__(self) -> str:
        return f"<Work {self.slug}>"


class Translation(Timestamped, db.Model):
    """A translation of a work into one language, by a user or a named translator."""

    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint("work_id", "key"),
        CheckConstraint("status IN ('published','unpublished')", name="status"),
        Index("ix_translations_work_language", "work_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    # identifies the translation within its work in URLs: "de", "de-2"
    key: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(500))
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    translator_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="published", index=True)
    source: Mapped[str | None] = mapped_column(String(1000))
    licence: Mapped[str | None] = mapped_column(String(1000))
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_revisions.id", use_alter=True, ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # kept by the like service

    work: Mapped[Work] = relationship(back_populates="translations")
    translator = relationship("User")

    @property
    def translator_display(self) -> str | None:
        if self.translator is not None:
            return self.translator.display_name
        return self.translator_name

    def __repr__(self) -> str:
        return f"<Translation {self.work_id}:{self.key}>"
