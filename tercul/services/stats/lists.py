"""What readers see of the statistics: trending lists, most and recently translated, counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import PERIODS, Translation, TrendingEntry, ViewDaily, Work
from ..reading.cards import WorkCard, work_cards
from ..reading.home import RecentTranslation, recent_translations
from ..reading.page_cache import library_version
from ..reading.pagination import Pagination

DEFAULT_PERIOD = "week"
PERIOD_LABELS = {"day": "Today", "week": "This week", "month": "This month"}
_CARD_COLUMNS = (Work.id, Work.slug, Work.title, Work.language, Work.form, Work.period, Work.date_from,
                 Work.date_to, Work.translation_count, Work.current_revision_id)


@dataclass
class TrendingItem:
    rank: int
    score: float
    card: WorkCard


@dataclass
class TrendingPage:
    period: str
    language: str  # "" for every language
    items: list[TrendingItem]
    pagination: Pagination
    languages: list[str]  # languages that have a list for this period
    computed_at: datetime | None
    notices: list[str] = field(default_factory=list)
    most_translated: list[WorkCard] = field(default_factory=list)
    recently_translated: list[RecentTranslation] = field(default_factory=list)


def clean_period(raw: str | None, notices: list[str] | None = None) -> str:
    """``day``, ``week`` or ``month``; anything else is the default, with a notice."""
    value = (raw or "").strip().lower()
    if value in PERIODS:
        return value
    if value and notices is not None:
        notices.append(f"There is no period “{value[:20]}”: showing {PERIOD_LABELS[DEFAULT_PERIOD].lower()}.")
    return DEFAULT_PERIOD


def clean_language(raw: str | None) -> str:
    value = (raw or "").strip()
    return value if len(value) <= 16 and value.replace("-", "").isalnum() else ""


def trending_ranks(session: Session, period: str, language: str, *, offset: int, limit: int
                   ) -> list[tuple[int, float, int]]:
    """(rank, score, work id) of a page of one trending list (one indexed query)."""
    return [tuple(r) for r in session.execute(
        select(TrendingEntry.rank, TrendingEntry.score, TrendingEntry.work_id)
        .where(TrendingEntry.period == period, TrendingEntry.language == language)
        .order_by(TrendingEntry.rank).offset(offset).limit(limit))]


def trending_count(session: Session, period: str, language: str) -> int:
    """How many works one trending list holds."""
    return session.scalar(select(func.count()).select_from(TrendingEntry).where(
        TrendingEntry.period == period, TrendingEntry.language == language)) or 0


def trending_entries(session: Session, period: str, language: str, *, offset: int, limit: int
                     ) -> tuple[list[TrendingItem], int]:
    """A page of one trending list with work cards, and the list's length (five queries)."""
    total = trending_count(session, period, language)
    entries = trending_ranks(session, period, language, offset=offset, limit=limit)
    if not entries:
        return [], total
    rows = session.execute(select(*_CARD_COLUMNS).where(Work.id.in_([work_id for _r, _s, work_id in entries]))).all()
    cards = {c.id: c for c in work_cards(session, rows)}
    return [TrendingItem(rank=rank, score=score, card=cards[work_id]) for rank, score, work_id in entries
            if work_id in cards], total


def trending_stamp(session: Session, period: str | None, language: str | None) -> str:
    """What a trending page's HTML depends on: when its list was computed, and the library's
    additions (for the translation lists). Two indexed look-ups; a cache key."""
    computed = session.scalar(select(TrendingEntry.computed_at).where(
        TrendingEntry.period == clean_period(period), TrendingEntry.language == clean_language(language),
        TrendingEntry.rank == 1))
    return f"{computed}:{library_version(session)}"


def trending_page(session: Session, *, period: str | None, language: str | None, page: int = 1,
                  per_page: int = 20, with_lists: bool = True) -> TrendingPage:
    """The ``/trending`` page: one list (period, language), paged, and the translation lists."""
    notices: list[str] = []
    period, language = clean_period(period, notices), clean_language(language)
    pagination = Pagination(page=page, per_page=per_page, total=0)
    items, pagination.total = trending_entries(session, period, language, offset=pagination.offset, limit=per_page)
    languages = sorted(session.scalars(select(TrendingEntry.language).where(
        TrendingEntry.period == period, TrendingEntry.rank == 1, TrendingEntry.language != "")).all())
    computed_at = session.scalar(select(func.max(TrendingEntry.computed_at)))
    result = TrendingPage(period=period, language=language, items=items, pagination=pagination,
                          languages=languages, computed_at=computed_at, notices=notices)
    if with_lists:
        result.most_translated = most_translated(session)
        result.recently_translated = recent_translations(session, limit=10, language=language or None)
    return result


def trending_strip(session: Session, *, limit: int = 6) -> list[TrendingItem]:
    """The home page's strip: this week's top works over every language."""
    return trending_entries(session, DEFAULT_PERIOD, "", offset=0, limit=limit)[0]


def most_translated(session: Session, *, limit: int = 10) -> list[WorkCard]:
    """The works with the most translations (an indexed column), most first."""
    rows = session.execute(select(*_CARD_COLUMNS).where(Work.translation_count > 0)
                           .order_by(Work.translation_count.desc(), Work.id).limit(limit)).all()
    return work_cards(session, rows)


@dataclass
class WorkCounts:
    views: int  # of the work's page
    translation_views: int  # of its translations' own pages
    translations: int


def view_totals(session: Session, kind: str, ids: list[int]) -> dict[int, int]:
    """All-time views of each of ``ids`` of ``kind`` (one query; ids never viewed are 0)."""
    totals = dict.fromkeys(ids, 0)
    if ids:
        totals.update(session.execute(select(ViewDaily.target_id, func.sum(ViewDaily.views))
                                      .where(ViewDaily.kind == kind, ViewDaily.target_id.in_(ids))
                                      .group_by(ViewDaily.target_id)).all())
    return {k: int(v) for k, v in totals.items()}


def work_counts(session: Session, work_id: int) -> WorkCounts:
    """A work's views, its translations' views and its translation count (one query)."""
    own = select(func.coalesce(func.sum(ViewDaily.views), 0)).where(
        ViewDaily.kind == "work", ViewDaily.target_id == work_id)
    of_translations = (select(func.coalesce(func.sum(ViewDaily.views), 0))
                       .join(Translation, (ViewDaily.kind == "translation") & (ViewDaily.target_id == Translation.id))
                       .where(Translation.work_id == work_id))
    count = select(Work.translation_count).where(Work.id == work_id)
    views, translation_views, translations = session.execute(
        select(own.scalar_subquery(), of_translations.scalar_subquery(), count.scalar_subquery())).one()
    return WorkCounts(views=int(views or 0), translation_views=int(translation_views or 0),
                      translations=int(translations or 0))


@dataclass
class TranslatorReads:
    total: int
    translations: list[tuple[str, str, str, str, int]]  # (work slug, title, language, key, views)


def translator_reads(session: Session, user_id: int, *, limit: int = 10) -> TranslatorReads:
    """How often a translator's translations were read: in all, and their most read (one query)."""
    views = func.coalesce(func.sum(ViewDaily.views), 0)
    rows = session.execute(
        select(Work.slug, Translation.title, Translation.language, Translation.key, views.label("views"))
        .join(Work, Work.id == Translation.work_id)
        .outerjoin(ViewDaily, (ViewDaily.kind == "translation") & (ViewDaily.target_id == Translation.id))
        .where(Translation.translator_id == user_id, Translation.status == "published")
        .group_by(Translation.id, Work.slug, Translation.title, Translation.language, Translation.key)
        .order_by(views.desc(), Translation.id)).all()
    return TranslatorReads(total=sum(int(r.views) for r in rows),
                           translations=[(r.slug, r.title, r.language, r.key, int(r.views)) for r in rows[:limit]])


def view_totals_in_order(session: Session, kind: str, ids: list[int]) -> list[int]:
    """:func:`view_totals` as a list in the order of ``ids`` (a DataLoader's batch)."""
    totals = view_totals(session, kind, list(ids))
    return [totals[i] for i in ids]
