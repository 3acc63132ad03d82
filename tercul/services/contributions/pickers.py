"""What a contributor picks from: works to translate, authors, published translations."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...models import Author, Translation, Work, WorkAuthor
from ..errors import NotFound


def find_authors(session: Session, query: str, *, limit: int = 10) -> list[Author]:
    """Authors whose name or URL name contains ``query`` (for pickers), best first."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    pattern = f"%{query.lower().replace('%', '').replace('_', '')}%"
    return list(session.scalars(
        select(Author).where(or_(func.lower(Author.name).like(pattern), Author.slug.like(pattern)))
        .order_by(func.lower(Author.name) != query.lower(), Author.sort_name).limit(limit)))


@dataclass
class WorkChoice:
    slug: str
    title: str
    language: str
    form: str
    authors: str
    translations: int


def find_works(session: Session, query: str, *, limit: int = 20) -> list[WorkChoice]:
    """Works with a text whose title contains ``query`` (for "what to translate")."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    pattern = f"%{query.lower().replace('%', '').replace('_', '')}%"
    rows = session.execute(
        select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.translation_count)
        .where(func.lower(Work.title).like(pattern), Work.current_revision_id.is_not(None))
        .order_by(func.lower(Work.title) != query.lower(), Work.sort_title).limit(limit)).all()
    names: dict[int, list[str]] = {}
    if rows:
        for work_id, name in session.execute(
                select(WorkAuthor.work_id, Author.name).join(Author, Author.id == WorkAuthor.author_id)
                .where(WorkAuthor.work_id.in_([r.id for r in rows])).order_by(WorkAuthor.position)):
            names.setdefault(work_id, []).append(name)
    return [WorkChoice(r.slug, r.title, r.language, r.form, ", ".join(names.get(r.id, [])), r.translation_count)
            for r in rows]


def work_by_slug(session: Session, slug: str) -> Work:
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound("There is no such work in the library.")
    return work


def translation_by_key(session: Session, slug: str, key: str) -> Translation:
    translation = session.scalar(select(Translation).join(Work, Work.id == Translation.work_id).where(
        Work.slug == slug, Translation.key == (key or "").lower(), Translation.status == "published"))
    if translation is None:
        raise NotFound("There is no such published translation.")
    return translation
