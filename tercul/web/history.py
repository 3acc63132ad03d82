"""Revision histories of texts (a work's original, a translation) and comparisons of two revisions."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..extensions import db
from ..services import history
from ..services.errors import DomainError
from .htmx import render_page
from .responses import fail

bp = Blueprint("history", __name__)


def _number(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


@bp.get("/works/<slug>/history")
@bp.get("/works/<slug>/translations/<key>/history")
def text(slug: str, key: str | None = None):
    """Every revision of the original or of a translation, with who made it and how it was reviewed."""
    try:
        result = history.text_history(db.session, slug, key)
    except DomainError as error:
        return fail(error)
    return render_template("history/text.html", history=result, work=result.work, translation=result.translation)


@bp.get("/works/<slug>/compare")
@bp.get("/works/<slug>/translations/<key>/compare")
def compare(slug: str, key: str | None = None):
    """Two revisions compared line by line and word by word (``?from=1&to=2``)."""
    try:
        comparison = history.compare_revisions(db.session, slug, key, _number("from"), _number("to"),
                                               context=None if request.args.get("all") else 2)
    except DomainError as error:
        return fail(error)
    return render_page("history/compare.html", "history/_compare.html", comparison=comparison,
                       work=comparison.work, translation=comparison.translation, show_all=bool(request.args.get("all")))
