"""Trending works, the administrators' statistics, and counting the views of pages.

Pages that count their views call :func:`count_request_view` with a kind and an id
(``"work"``, ``"translation"`` or ``"collection"``) once they know the object exists;
it costs the request no database write (see :mod:`tercul.services.stats.buffer`).
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import login_required

from ..extensions import cache, db
from ..security import acting_user
from ..services import reading, stats
from ..services.errors import DomainError
from .htmx import render_cached
from .responses import fail

bp = Blueprint("stats", __name__)

TRENDING_HTML_SECONDS = 300  # rendered trending pages are kept under their stamp, at most this long
STRIP_SECONDS = 60  # the home page's trending strip is kept this long (the lists change every 10 minutes)


def count_request_view(kind: str, target_id: int) -> bool:
    """Count this request as a view of (``kind``, ``target_id``): once per visitor and day,
    robots and DNT/Sec-GPC excluded, buffered (no database write). True when counted."""
    if request.method != "GET" or request.headers.get("HX-Request") == "true":
        return False  # a page counts once, not each htmx fragment of it
    app = current_app._get_current_object()
    if app.config.get("JOBS_IN_PROCESS") and app.config.get("JOBS_MODE") != "broker":
        from ..tasks.schedule import start_in_process

        start_in_process(app)  # embedded: the flush runs in this process
    visit = stats.Visit(address=request.remote_addr or "", user_agent=request.headers.get("User-Agent", ""),
                        do_not_track=request.headers.get("DNT"),
                        global_privacy_control=request.headers.get("Sec-GPC"))
    return stats.count_view(stats.buffer_for(app), kind, target_id, visit)


def count_request_search(query: str, found: int) -> None:
    """Count a search (its words only, nothing about who searched) for the statistics."""
    stats.count_search(stats.buffer_for(current_app._get_current_object()), query, found)


@bp.get("/trending")
def trending():
    """Trending works by period and language, and the most and recently translated."""
    period, language = request.args.get("period"), request.args.get("lang")
    number = reading.parse_page(request.args.get("page"))

    def build():
        return {"page": stats.trending_page(db.session, period=period, language=language, page=number, per_page=20),
                "labels": stats.PERIOD_LABELS}

    # the lists change when the trending job runs (the stamp says when it last did)
    key = ("trending", period, language, number, stats.trending_stamp(db.session, period, language))
    return render_cached("stats/trending.html", "stats/_trending.html", "stats/_trending.html", key, build,
                         TRENDING_HTML_SECONDS)


@bp.get("/admin/stats")
@login_required
def admin():
    """Daily figures for administrators, with plots."""
    try:
        figures = stats.admin_stats(db.session, acting_user(), days=stats.clean_days(request.args.get("days")))
    except DomainError as error:
        return fail(error)
    return render_template("stats/admin.html", stats=figures, series=stats.SERIES)


@bp.get("/admin/stats.csv")
@login_required
def admin_csv():
    """The daily figures as CSV, one line per day."""
    try:
        figures = stats.admin_stats(db.session, acting_user(), days=stats.clean_days(request.args.get("days")))
    except DomainError as error:
        return fail(error)
    return Response(stats.stats_csv(figures), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=tercul-stats.csv"})


# ---- partials included by other areas' templates

@bp.app_template_global()
def trending_strip() -> list[stats.TrendingItem]:
    """This week's trending works for the home page (cached for a minute)."""
    items = cache.get("stats:strip")
    if items is None:
        items = stats.trending_strip(db.session)
        cache.set("stats:strip", items, timeout=STRIP_SECONDS)
    return items


@bp.app_template_global()
def work_counts(work_id: int) -> stats.WorkCounts:
    """A work's view and translation counts, for its page."""
    return stats.work_counts(db.session, work_id)


@bp.app_template_global()
def translator_reads(user_id: int) -> stats.TranslatorReads:
    """How often a translator's translations were read, for their profile."""
    return stats.translator_reads(db.session, user_id)
