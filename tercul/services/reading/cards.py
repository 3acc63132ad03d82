"""Work cards: the works of a list (browse, home, an author's page) in three queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, literal_column, select, union_all
from sqlalchemy.orm import Session

from ...models import Author, TextLine, Translation, Work, WorkAuthor
from ..languages import language_name
from .display import format_dates, incipit


@dataclass
class WorkCard:
    """One work in a list: enough to choose it, nothing that needs its text."""

    id: int
    slug: str
    title: str
    language: str
    form: str
    period: str | None
    date_from: int | None
    date_to: int | None
    translation_count: int
    has_text: bool
    authors: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    translation_languages: list[str] = field(default_factory=list)
    parts: int = 0
    incipit: str | None = None  # first line of the text

    @property
    def dates(self) -> str | None:
        return format_dates(self.date_from, self.date_to)


def work_cards(session: Session, rows) -> list[WorkCard]:
    """Cards for work rows, with authors, translation languages, parts and first lines.

    Three queries for any number of works.
    """
    cards = {r.id: WorkCard(id=r.id, slug=r.slug, title=r.title, language=r.language, form=r.form,
                            period=r.period, date_from=r.date_from, date_to=r.date_to,
                            translation_count=r.translation_count, has_text=r.current_revision_id is not None)
             for r in rows}
    if not cards:
        return []
    ids = list(cards)
    for work_id, slug, name in session.execute(
            select(WorkAuthor.work_id, Author.slug, Author.name).join(Author, Author.id == WorkAuthor.author_id)
            .where(WorkAuthor.work_id.in_(ids)).order_by(WorkAuthor.work_id, WorkAuthor.position)):
        cards[work_id].authors.append((slug, name))
    # languages of the translations of each work, or of its parts for a collection
    # (two indexed lookups joined by UNION: an OR across them would scan)
    # only works without a text of their own (collections) have parts
    containers = [r.id for r in rows if r.current_revision_id is None]
    published = Translation.status == "published"
    direct = select(Translation.work_id.label("owner"), Translation.language).where(
        Translation.work_id.in_(ids), published)
    if containers:
        via_parts = select(Work.parent_id.label("owner"), Translation.language).join(
            Translation, Translation.work_id == Work.id).where(Work.parent_id.in_(containers), published)
        both = union_all(direct, via_parts).subquery()
    else:
        both = direct.subquery()
    for owner_id, lang in session.execute(select(both.c.owner, both.c.language).distinct()
                                          .order_by(both.c.owner, both.c.language)):
        if owner_id in cards:
            cards[owner_id].translation_languages.append(lang)
    for card in cards.values():  # by name, as readers look for them
        card.translation_languages.sort(key=language_name)
    # parts counts (collections) and first lines (works with a text), in one query
    revisions = {r.current_revision_id: r.id for r in rows if r.current_revision_id is not None}
    queries = []
    if containers:
        queries.append(select(literal_column("'p'").label("kind"), Work.parent_id.label("id"),
                              func.count().label("n"), literal_column("NULL").label("text"))
                       .where(Work.parent_id.in_(containers)).group_by(Work.parent_id))
    if revisions:
        queries.append(select(literal_column("'l'").label("kind"), TextLine.revision_id.label("id"),
                              literal_column("0").label("n"), TextLine.text.label("text"))
                       .where(TextLine.revision_id.in_(list(revisions)), TextLine.position == 0))
    for kind, row_id, n, text in (session.execute(union_all(*queries) if len(queries) > 1 else queries[0])
                                  if queries else ()):
        if kind == "p":
            cards[row_id].parts = n
        elif row_id in revisions:
            cards[revisions[row_id]].incipit = incipit(text)
    return [cards[r.id] for r in rows]
