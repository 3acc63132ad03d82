"""The search page, saved searches, and the administrators' jobs page."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import tasks
from ..extensions import cache, db
from ..services import search as search_service
from ..services import languages, search_links, search_status
from ..services.errors import DomainError, Forbidden, NotFound
from ..tasks import admin as jobs_admin
from .htmx import render_cached
from .stats import count_request_search

bp = Blueprint("search", __name__)


@bp.record_once
def _start_relay(state) -> None:
    tasks.init_app(state.app)


@bp.before_app_request
def _catch_up_jobs() -> None:
    relay = current_app.extensions.get("tercul.relay")
    if relay is not None:
        relay.catch_up()


@bp.get("/search")
def search():
    """Search works, translations and authors; with no query, browse with filters."""
    params = search_service.parse_search_args(request.args)
    # the results part holds nothing personal: kept as rendered HTML while the index is unchanged
    key = search_service.results_key(db.session, params)
    query_string = urlencode(params.to_args(page=None), doseq=True)

    total_key = f"stats:search-total:{key}"

    def build():
        page = search_service.search(db.session, params)
        cache.set(total_key, page.total, timeout=current_app.config["CACHE_DEFAULT_TIMEOUT"])
        return {"page": page, "params": params, "sorts": search_service.SORT_LABELS,
                "modes": search_service.MODE_LABELS, "query_string": query_string}

    progress = search_status.embedding_progress(db.session)
    response = render_cached("search/index.html", "search/_results.html", "search/_results.html", (key,), build,
                             current_app.config["CACHE_DEFAULT_TIMEOUT"], params=params,
                             indexing=progress.label if progress else None,
                             language_codes=search_service.library_languages(db.session))
    if params.page == 1 and not params.is_browse:
        total = cache.get(total_key)  # None: the results came from a cache entry older than it
        count_request_search(params.q, 1 if total is None else total)  # the words only: no user data
    return response


@bp.post("/search/save")
@login_required
def save():
    """Keep the current search under a name."""
    raw = request.form.get("query_string", "")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        # a line break here would end up in the redirect's Location header
        abort(400, "The search to save is not a valid query string.")
    # stored and redirected to in one canonical, percent-encoded form
    query_string = urlencode(parse_qsl(raw.lstrip("?"), keep_blank_values=True))
    try:
        search_service.save_search(db.session, current_user, request.form.get("name", ""), query_string)
        db.session.commit()
        flash("Search saved. Find it under “Saved searches”.", "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("search.search") + ("?" + query_string if query_string else ""))


@bp.get("/me/searches")
@login_required
def saved():
    """The searches this user saved, to run again."""
    return render_template("search/saved.html", saved=search_service.saved_searches(db.session, current_user))


@bp.post("/me/searches/<int:saved_id>/delete")
@login_required
def delete_saved(saved_id: int):
    """Forget a saved search."""
    try:
        search_service.delete_saved_search(db.session, current_user, saved_id)
        db.session.commit()
    except NotFound as exc:
        abort(404, exc.message)
    except Forbidden as exc:
        abort(403, exc.message)
    flash("Saved search deleted.", "success")
    return redirect(url_for("search.saved"))


@bp.get("/admin/jobs")
@login_required
def jobs():
    """Dead-letter jobs and pending work (administrators)."""
    try:
        overview = jobs_admin.jobs_overview(db.session, current_user)
    except Forbidden as exc:
        abort(403, exc.message)
    return render_template("admin/jobs.html", overview=overview)


@bp.post("/admin/jobs/<int:entry_id>/retry")
@login_required
def retry_job(entry_id: int):
    """Send one dead job back to the queue."""
    try:
        jobs_admin.retry_job(db.session, current_user, entry_id)
        db.session.commit()
    except Forbidden as exc:
        abort(403, exc.message)
    except NotFound as exc:
        abort(404, exc.message)
    _kick()
    flash(f"Job {entry_id} will run again.", "success")
    return redirect(url_for("search.jobs"))


@bp.post("/admin/jobs/retry-all")
@login_required
def retry_all_jobs():
    """Send every dead job back to the queue."""
    try:
        count = jobs_admin.retry_all_dead(db.session, current_user)
        db.session.commit()
    except Forbidden as exc:
        abort(403, exc.message)
    _kick()
    flash(f"{count} job(s) will run again.", "success")
    return redirect(url_for("search.jobs"))


def _kick() -> None:
    relay = current_app.extensions.get("tercul.relay")
    if relay is not None and relay.enabled:
        relay.kick()


@bp.app_template_global()
def language_choice(code: str) -> str:
    """``German · Deutsch``: a language as pickers and filters offer it (one helper everywhere)."""
    return languages.language_choice(code)


@bp.app_template_global()
def search_hit_url(item, line_key: str | None = None) -> str:
    """The reading view at the line of a hit (a translation beside its original)."""
    return search_links.hit_url(item, line_key)
