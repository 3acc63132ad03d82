"""Reading statistics: trending lists, view counts, and the administrators' figures."""
from __future__ import annotations

import graphene

from ...services import stats
from ...services.errors import Invalid
from ..core import bad_input, enum_value, int_id
from ..loaders import work_by_id
from ..pagination import MAX_PAGE, connection, connection_args, paginate
from .catalog import WorkType


class TrendingPeriod(graphene.Enum):
    """The time a trending list looks back over (a decayed score: recent events count most)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def description(self):
        return {"DAY": "Today: a decay of one day.", "WEEK": "This week: a decay of seven days.",
                "MONTH": "This month: a decay of thirty days."}[self.name]


class ViewKind(graphene.Enum):
    """What a view count is about."""

    WORK = "work"
    TRANSLATION = "translation"
    COLLECTION = "collection"

    @property
    def description(self):
        return {"WORK": "A work's page.", "TRANSLATION": "A translation's own page.",
                "COLLECTION": "A collection's page."}[self.name]


class TrendingWork(graphene.ObjectType):
    """One place of a trending list."""

    rank = graphene.Int(required=True, description="1 for the first place.")
    score = graphene.Float(required=True, description="The decayed score (views 1, likes 5, comments 4, "
                                                      "bookmarks 3, new translations 10, each times exp(-age/decay)).")
    work = graphene.Field(WorkType, required=True, description="The work.")

    def resolve_work(entry, info):
        return work_by_id(info.context).load(entry.work_id)


class ViewCount(graphene.ObjectType):
    """All-time views of one object (each reader counted once a day; written every minute)."""

    id = graphene.ID(required=True, description="The object's database id.")
    views = graphene.Int(required=True, description="Views counted.")


class DayFigures(graphene.ObjectType):
    """One day's figures (UTC)."""

    day = graphene.Date(required=True, description="The day.")
    views = graphene.Int(required=True, description="Views of works, translations and collections.")
    new_accounts = graphene.Int(required=True, description="Accounts created.")
    contributions_submitted = graphene.Int(required=True, description="Contributions sent to review.")
    contributions_approved = graphene.Int(required=True, description="Contributions approved.")
    searches = graphene.Int(required=True, description="Searches made (first pages).")
    empty_searches = graphene.Int(required=True, description="Searches that found nothing.")

    def resolve_new_accounts(row, info):
        return row.accounts

    def resolve_contributions_submitted(row, info):
        return row.submitted

    def resolve_contributions_approved(row, info):
        return row.approved


class QueryCount(graphene.ObjectType):
    """A search and how often it was made (no user data is kept)."""

    query = graphene.String(required=True, description="The search, lower case.")
    count = graphene.Int(required=True, description="How many times.")


class AdminStatistics(graphene.ObjectType):
    """Figures for administrators over the last days."""

    days = graphene.List(graphene.NonNull(DayFigures), required=True, description="One entry per day, oldest first.")
    review_hours_median = graphene.Float(description="Median hours from submission to decision (null: none).")
    review_hours_p90 = graphene.Float(description="90th percentile of the same (null: none).")
    reviews = graphene.Int(required=True, description="Decisions taken in the period.")
    top_queries = graphene.List(graphene.NonNull(QueryCount), required=True, description="The most made searches.")
    empty_queries = graphene.List(graphene.NonNull(QueryCount), required=True,
                                  description="The searches that most often found nothing.")

    def resolve_top_queries(figures, info):
        return [QueryCount(query=q, count=n) for q, n in figures.top_queries]

    def resolve_empty_queries(figures, info):
        return [QueryCount(query=q, count=n) for q, n in figures.empty_queries]


TrendingConnection = connection(TrendingWork, "TrendingWork", "A page of a trending list.")


class _Entry:
    def __init__(self, rank: int, score: float, work_id: int):
        self.rank, self.score, self.work_id = rank, score, work_id


class Query(graphene.ObjectType):
    trending = graphene.Field(
        TrendingConnection, required=True,
        description="Trending works, recomputed every few minutes, over every language or one.",
        period=TrendingPeriod(default_value="week", description="How far back (default WEEK)."),
        language=graphene.String(description="Only events in this language: a translation's language, or the "
                                             "work's original language for views of the work (ISO 639)."),
        **connection_args())
    view_counts = graphene.List(
        graphene.NonNull(ViewCount), required=True,
        description=f"All-time views of works, translations or collections, by id (at most {MAX_PAGE}).",
        kind=ViewKind(required=True, description="What the ids are."),
        ids=graphene.List(graphene.NonNull(graphene.ID), required=True, description="Database ids."))
    admin_statistics = graphene.Field(
        AdminStatistics, required=True, description="Daily figures, review times and search usage (administrators).",
        days=graphene.Int(description="How many days, today included (1 to 366; default 30)."))

    def resolve_trending(root, info, period="week", language=None, **args):
        session = info.context.session
        period = enum_value(period) or stats.DEFAULT_PERIOD
        code = stats.clean_language(language)
        if language and not code:
            raise bad_input("`language` is not a language code.", "language")
        return paginate(TrendingConnection, args, lambda: stats.trending_count(session, period, code),
                        lambda offset, limit: [_Entry(*e) for e in stats.trending_ranks(
                            session, period, code, offset=offset, limit=limit)])

    def resolve_view_counts(root, info, kind, ids):
        if len(ids) > MAX_PAGE:
            raise bad_input(f"Ask for at most {MAX_PAGE} ids at once.", "ids")
        numbers = [int_id(i, "ids") for i in ids]
        totals = stats.view_totals(info.context.session, enum_value(kind), numbers)
        return [ViewCount(id=n, views=totals[n]) for n in numbers]

    def resolve_admin_statistics(root, info, days=None):
        try:
            count = stats.clean_days(days)
        except Invalid as exc:
            raise bad_input(exc.message, "days") from None
        return stats.admin_stats(info.context.session, info.context.user, days=count)


class Mutation(graphene.ObjectType):
    pass
