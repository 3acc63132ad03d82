"""Analysis pages: the panel beside a text, the margin, the form comparison (also for reviewers)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, make_response, render_template, request, url_for

from ..extensions import db
from ..security import acting_user
from ..services import analysis
from ..services.errors import DomainError, NotFound
from .htmx import render_page

bp = Blueprint("analysis", __name__)

# readers see a new analysis within this long (it changes only when a worker runs)
MAX_AGE = 60


def _cacheable(response, seconds: int = MAX_AGE):
    response.cache_control.public = True
    response.cache_control.max_age = seconds
    return response


def _panel(slug: str, key: str | None):
    try:
        page = analysis.analysis_for_text(db.session, slug, key)
    except NotFound as exc:
        abort(404, exc.message)
    return render_page("analysis/panel.html", "analysis/_panel.html", page=page, slug=slug, key=key)


@bp.get("/works/<slug>/analysis")
def work_panel(slug: str):
    """The analysis of a work's original: counts, readability, meter, rhyme scheme."""
    return _panel(slug, None)


@bp.get("/works/<slug>/translations/<key>/analysis")
def translation_panel(slug: str, key: str):
    """The analysis of one translation."""
    return _panel(slug, key)


def _margin(slug: str, key: str | None):
    try:
        page = analysis.analysis_for_text(db.session, slug, key)
    except NotFound as exc:
        abort(404, exc.message)
    from ..texts.alignment import line_anchor

    rules = []
    lines = page.analysis.lines if page.analysis else {}
    for line_key, found in lines.items():
        label = margin_label(found)
        if label:
            rules.append(f'.ln[id="{line_anchor(line_key)}"]::after{{content:"{label}"}}')
    css = (".reader .ln[id]::after{float:right;margin-inline-start:1em;font-size:.72em;line-height:2;"
           "color:#5f5f5f;font-variant-numeric:tabular-nums;white-space:pre;font-style:normal}\n"
           + "\n".join(rules) + "\n")
    response = make_response(css)
    response.mimetype = "text/css"
    return _cacheable(response)


def margin_label(found: dict[str, Any]) -> str:
    """What the margin shows for a line: its rhyme letter and syllable count (``A  10``)."""
    rhyme = found.get("rhyme") or ""
    syllables = found.get("syllables")
    parts = [p for p in (str(rhyme)[:3], str(syllables) if syllables else "") if p]
    label = "\u2002".join(parts)
    return "".join(ch for ch in label if ch.isalnum() or ch == "\u2002")


@bp.get("/works/<slug>/margin.css")
def work_margin(slug: str):
    """Rhyme letters and syllable counts of a work's lines, as generated content (no script needed)."""
    return _margin(slug, None)


@bp.get("/works/<slug>/translations/<key>/margin.css")
def translation_margin(slug: str, key: str):
    return _margin(slug, key)


@bp.get("/works/<slug>/translations/<key>/form")
def compare(slug: str, key: str):
    """A translation's form beside its original's, stanza by stanza."""
    try:
        view = analysis.compare_form_by_slug(db.session, slug, key)
    except NotFound as exc:
        abort(404, exc.message)
    return render_page("analysis/compare.html", "analysis/_compare.html", view=view, slug=slug, key=key)


@bp.get("/review/<int:contribution_id>/form")
def review_form(contribution_id: int):
    """A submission's form beside its original's, for its reviewers, before approval."""
    from .contribute import fail

    try:
        result = analysis.compare_contribution(db.session, acting_user(), contribution_id)
    except DomainError as error:
        return fail(error)
    return render_page("analysis/review.html", "analysis/_review.html", result=result, view=result.view)


# ---- template helpers

@bp.app_template_global()
def margin_toggle_url() -> str:
    """This page's URL with the margin (rhyme letters, syllables) switched on or off."""
    args = request.args.to_dict(flat=False)
    if margin_on():
        args.pop("margin", None)
    else:
        args["margin"] = ["1"]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@bp.app_template_global()
def margin_on() -> bool:
    return (request.args.get("margin") or "") in ("1", "on", "true", "yes")


@bp.app_template_filter("percent")
def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"
