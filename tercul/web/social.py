"""Likes, bookmarks and reading positions: one-click toggles on the work, translation and
collection pages (htmx swaps the toggle; without JavaScript, a 303 back), and the
personal panel that the cached work pages load apart."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import login_required
from markupsafe import Markup

from ..extensions import db
from ..security import acting_user
from ..services.errors import DomainError, NotFound
from ..services.social import actions, bookmarks, collections, likes
from ..services.social.markdown import render_markdown
from ..texts.alignment import anchor_key, line_anchor
from .collections import safe_next
from .forms import SubmitForm
from .htmx import render_page, wants_fragment
from .responses import fail, require_valid

bp = Blueprint("social", __name__)

HOME_CONTINUE = 5  # "continue reading" entries on the home page
HOME_FEATURED = 6  # featured collections on the home page


@bp.get("/works/<slug>/actions")
@bp.get("/works/<slug>/translations/<key>/actions")
def item_actions(slug: str, key: str | None = None):
    """Like, bookmark, add to a collection: the work (or translation) page's personal panel."""
    try:
        panel = actions.item_actions(db.session, acting_user(), slug, key)
    except NotFound as error:
        abort(404, error.message)
    response = render_page("collections/actions.html", "collections/_actions.html", actions=panel,
                           form=SubmitForm())
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _answer(template: str, back: str, message: str | None = None, **context):
    if wants_fragment():
        return render_template(template, form=SubmitForm(), **context)
    if message:
        flash(message, "success")
    return redirect(safe_next(back), code=303)


@bp.post("/likes/<kind>/<int:target_id>")
@login_required
def like(kind: str, target_id: int):
    """Like (``liked=1``) or unlike (``liked=0``); sending the same twice changes nothing."""
    require_valid(SubmitForm())
    try:
        state = likes.set_like(db.session, acting_user(), kind, target_id, request.form.get("liked") == "1")
    except DomainError as error:
        return fail(error)
    db.session.commit()
    return _answer("collections/_like.html", "/", "You like it." if state.liked else "You no longer like it.",
                   like=state)


@bp.post("/bookmarks/<int:work_id>")
@login_required
def bookmark(work_id: int):
    """Put a work on one's reading list (``bookmarked=1``) or take it off (``0``)."""
    require_valid(SubmitForm())
    try:
        state = bookmarks.set_bookmark(db.session, acting_user(), work_id, request.form.get("bookmarked") == "1")
    except DomainError as error:
        return fail(error)
    db.session.commit()
    return _answer("collections/_bookmark.html", "/", "It is on your reading list." if state.bookmarked
                   else "It is no longer on your reading list.", bookmark=state)


@bp.post("/bookmarks/<int:work_id>/position")
@login_required
def position(work_id: int):
    """Remember the line reached in a bookmarked work (sent by the reading view's script)."""
    require_valid(SubmitForm())
    anchor = request.form.get("line") or ""
    line_key = anchor_key(anchor) if anchor.startswith("l-") else anchor
    try:
        saved = bookmarks.save_position(db.session, acting_user(), work_id,
                                        translation_key=request.form.get("translation") or None, line_key=line_key)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    return ("", 204) if saved is not None else ("", 202)


@bp.app_template_global()
def social_home() -> dict:
    """The home page's "continue reading" (signed-in readers) and featured collections."""
    user = acting_user()
    return {"continue_reading": bookmarks.continue_reading(db.session, user, limit=HOME_CONTINUE),
            "featured": collections.featured_collections(db.session, limit=HOME_FEATURED)}


@bp.app_template_filter("line_anchor")
def line_anchor_filter(key: str) -> str:
    """The element id of a line in the reading view, for links that continue reading there."""
    return line_anchor(key)


@bp.app_template_filter("collection_markdown")
def collection_markdown(text: str | None) -> Markup:
    """A collection's description, in the comments' safe Markdown subset."""
    return render_markdown(text or "")


@bp.app_template_global()
def collection_ident(card) -> str:
    """The URL segment of a collection: ``12-sonnets-i-love``."""
    return f"{card.id}-{card.slug}"

