"""The home page: what is in the library, and the works and translations added last."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Translation, User, Work
from .browse import Facets, browse_facets
from .cards import WorkCard, work_cards


@dataclass
class RecentTranslation:
    work_slug: str
    work_title: str
    key: str
    language: str
    title: str
    translator: str | None
    published_at: Any


@dataclass
class HomePage:
    facets: Facets
    recent_works: list[WorkCard]
    recent_translations: list[RecentTranslation]

    @property
    def languages(self) -> list[tuple[str, int, int]]:
        """(language, works written in it, works readable in it in translation), most first."""
        originals = dict(self.facets.languages)
        translated = dict(self.facets.translated_into)
        codes = set(originals) | set(translated)
        rows = [(c, originals.get(c, 0), translated.get(c, 0)) for c in codes]
        return sorted(rows, key=lambda r: (-(r[1] + r[2]), r[0]))


def home_page(session: Session, *, recent: int = 8) -> HomePage:
    """What is in the library (cached counts), and the works and translations added last."""
    facets = browse_facets(session)
    rows = session.execute(
        select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.period, Work.date_from,
               Work.date_to, Work.translation_count, Work.current_revision_id)
        .where(Work.parent_id.is_(None)).order_by(Work.created_at.desc(), Work.id.desc()).limit(recent)).all()
    return HomePage(facets=facets, recent_works=work_cards(session, rows),
                    recent_translations=recent_translations(session, limit=recent))


def recent_translations(session: Session, *, limit: int = 8, language: str | None = None) -> list[RecentTranslation]:
    """The translations published last (in ``language`` when given), newest first; one query."""
    query = (select(Work.slug, Work.title.label("work_title"), Translation.key, Translation.language,
                    Translation.title, Translation.translator_name, User.display_name, Translation.published_at)
             .join(Work, Work.id == Translation.work_id).outerjoin(User, User.id == Translation.translator_id)
             .where(Translation.status == "published", Translation.published_at.is_not(None))
             .order_by(Translation.published_at.desc(), Translation.id.desc()).limit(limit))
    if language:
        query = query.where(Translation.language == language)
    return [RecentTranslation(work_slug=r.slug, work_title=r.work_title, key=r.key, language=r.language,
                              title=r.title, translator=r.display_name or r.translator_name,
                              published_at=r.published_at)
            for r in session.execute(query)]
