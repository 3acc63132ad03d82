"""Discussions: the comment thread of a work, a translation or a collection.

The thread is a page of its own (``/comments/work/12``) and the fragment that the work,
translation and collection pages load in place with htmx; every form posts to a URL
that answers htmx with the refreshed thread and a browser without JavaScript with a
redirect back to the thread.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import cache, db
from ..security import acting_user
from ..services.errors import DomainError, Invalid
from ..services.reading import parse_page
from ..services.social import comments
from ..services.social.markdown import render_markdown
from .htmx import render_page, templates_version, wants_fragment
from .responses import fail

bp = Blueprint("comments", __name__)

# a thread's HTML for readers not signed in is kept under its version, so a change shows at once
THREAD_HTML_TTL = 300


def _target(kind: str, target_id: int):
    try:
        return comments.resolve_target(db.session, acting_user(), kind, target_id)
    except DomainError as error:
        return fail(error)


def _where() -> tuple[str | None, int]:
    """The line filter and page the reader was looking at (query string, or the form's copy)."""
    values = request.form if request.method == "POST" else request.args
    return (values.get("line") or "").strip()[:100] or None, parse_page(values.get("page"))


def _render_thread(target, *, errors: dict | None = None, values: dict | None = None, status: int = 200,
                   line: str | None = None, page: int | None = None):
    if line is None and page is None:
        line, page = _where()
    if not errors and wants_fragment() and not current_user.is_authenticated:
        return _cached_fragment(target, line, page or 1)
    try:
        thread = comments.thread(db.session, acting_user(), target, line=line, page=page or 1)
    except DomainError as error:
        return fail(error)
    if errors and wants_fragment():
        status = 200  # htmx swaps only successful answers: the form comes back with its messages
    return render_page("comments/thread.html", "comments/_comments.html", status=status, thread=thread,
                       errors=errors or {}, values=values or {})


def _cached_fragment(target, line: str | None, page: int):
    """The thread as htmx loads it under every work page, for readers who are not signed in:
    the same HTML for all of them (no buttons), kept under the thread's version."""
    try:
        version = comments.thread_version(db.session, target)
    except DomainError as error:
        return fail(error)
    key = "comments:" + hashlib.sha256(repr((templates_version(), target.kind, target.id, line, page,
                                                version)).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        try:
            thread = comments.thread(db.session, None, target, line=line, page=page)
        except DomainError as error:
            return fail(error)
        html = render_template("comments/_comments.html", thread=thread, errors={}, values={})
        cache.set(key, html, timeout=THREAD_HTML_TTL)
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


def _back(target, anchor: str | None = None, line: str | None = None):
    """After a change: the refreshed thread for htmx, a redirect (303) to it otherwise."""
    if wants_fragment():
        return _render_thread(target, line=line, page=1)
    url = url_for("comments.thread", kind=target.kind, target_id=target.id, line=line or None)
    return redirect(url + (f"#{anchor}" if anchor else ""), code=303)


@bp.get("/comments/<kind>/<int:target_id>")
def thread(kind: str, target_id: int):
    """A thread: the comments of one work, translation or collection (``?line=`` for one line)."""
    target = _target(kind, target_id)
    return _render_thread(target)


@bp.post("/comments/<kind>/<int:target_id>")
@login_required
def post(kind: str, target_id: int):
    """Post a comment, or a reply (``parent_id``)."""
    target = _target(kind, target_id)
    form = request.form
    parent = _int(form.get("parent_id"))
    line = (form.get("line_key") or "").strip() or None
    try:
        comment = comments.post_comment(db.session, acting_user(), target, form.get("body", ""), line_key=line,
                                        parent_id=parent)
    except Invalid as error:
        db.session.rollback()
        key = f"reply-{parent}" if parent else "new"
        return _render_thread(target, errors={key: error.message}, values={key: form.get("body", "")}, status=422)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    line_shown, _page = _where()
    return _back(target, f"comment-{comment.parent_id or comment.id}", line_shown)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    """Edit one's own comment (the form in place with htmx, a page without)."""
    try:
        comment, target = comments.editable_comment(db.session, acting_user(), comment_id)
        view = comments.view_of(db.session, acting_user(), comment, target)
    except DomainError as error:
        return fail(error)
    error_message, body = None, comment.body
    if request.method == "POST":
        body = request.form.get("body", "")
        try:
            comments.edit_comment(db.session, acting_user(), comment_id, body)
        except Invalid as error:
            db.session.rollback()
            error_message = error.message
        except DomainError as error:
            return fail(error)
        else:
            db.session.commit()
            line, _page = _where()
            return _back(target, f"comment-{comment.parent_id or comment.id}", line)
    status = 422 if error_message and not wants_fragment() else 200
    return render_page("comments/edit.html", "comments/_edit.html", status=status, view=view, target=target,
                       body=body, error=error_message)


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id: int):
    """Delete one's own comment."""
    try:
        comment = comments.delete_comment(db.session, acting_user(), comment_id)
        target = comments.target_of(db.session, acting_user(), comment)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    line, _page = _where()
    return _back(target, f"comment-{comment.parent_id}" if comment.parent_id else None, line)


@bp.post("/comments/<int:comment_id>/hide")
@login_required
def hide(comment_id: int):
    """Hide a comment, with a reason (reviewers and admins); ``unhide=1`` shows it again."""
    unhide = request.form.get("unhide") == "1"
    try:
        comment, target = comments.get_comment(db.session, acting_user(), comment_id)
        if unhide:
            comments.unhide_comment(db.session, acting_user(), comment_id)
        else:
            comments.hide_comment(db.session, acting_user(), comment_id, request.form.get("reason", ""))
    except Invalid as error:
        db.session.rollback()
        return _render_thread(target, errors={f"hide-{comment_id}": error.message}, status=422)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    line, _page = _where()
    return _back(target, f"comment-{comment.parent_id or comment.id}", line)


@bp.app_template_global()
def comment_markdown(text: str):
    """A comment's body as safe HTML (the Markdown subset)."""
    return render_markdown(text)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        abort(400, "That is not a comment of this page.")
