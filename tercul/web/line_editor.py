"""Translating line by line: the original's lines, an input beside each, autosaved drafts.

The editor is another page for the same proposals as the paste form
(``/contribute/works/<slug>/translate?editor=lines``, ``/contribute/<id>/revise?editor=lines``):
:mod:`.contribute` hands it the request (:func:`handle`), the text typed line by line
becomes plain text through :func:`tercul.services.contributions.typed_body`, and the
same flow previews, saves a draft or submits. Its script autosaves drafts (``action=
autosave``, answered in JSON) and checks each line while it is typed (:func:`check`).
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required

from ..extensions import db
from ..security import acting_user
from ..services import contributions
from ..services.errors import Conflict, DomainError, Invalid
from .responses import fail

bp = Blueprint("lines", __name__)


def requested() -> bool:
    """The line-by-line editor was asked for (``?editor=lines``)."""
    return request.args.get("editor") == "lines"


def _typed_values() -> dict[str, str]:
    return {name[5:]: value for name, value in request.form.items() if name.startswith("line-")}


def handle(form, propose, *, work, contribution=None, languages=()):
    """The line-by-line editor's page for a new translation of ``work`` (or a revision
    of ``contribution``): show it, autosave a draft, or go through the proposal flow."""
    from .contribute import handle_proposal  # the flow of every proposal form

    user = acting_user()
    posted = request.method == "POST"
    try:
        editor = contributions.line_editor(
            db.session, user, work, values=_typed_values() if posted else None,
            body=contribution.revisions[-1].body if contribution is not None and not posted else None)
    except Invalid as error:  # too long for one page of inputs
        flash(error.message, "info")
        target = (url_for("contribute.revise", contribution_id=contribution.id) if contribution is not None
                  else url_for("contribute.translate", slug=work.slug))
        return redirect(target, code=303)
    except DomainError as error:
        return fail(error)
    if posted and request.form.get("action") == "autosave":
        return _autosave(form, propose, editor, contribution)

    def text_of(_form) -> str:
        return contributions.typed_body(db.session, user, work, editor.values)

    def page(preview, status: int, confirm: bool):
        draft = contributions.own_draft(db.session, user, work) if contribution is None else None
        return render_template("contribute/lines.html", form=form, work=work, editor=editor, preview=preview,
                               confirm=confirm, contribution=contribution, draft_found=draft,
                               languages=languages), status

    return handle_proposal(form, "new_translation", propose, work=work, contribution=contribution, page=page,
                           text_of=text_of)


def _autosave(form, propose, editor, contribution):
    """Save what is typed as a draft (created on the first save); JSON for the page's script."""
    if not form.validate_on_submit():
        if form.language.errors and not form.csrf_token.errors:  # a language the picker does not know
            return jsonify(saved=False, field="language", message=f"Not saved yet: {form.language.errors[0]}"), 422
        return jsonify(saved=False, message="Not saved: the page expired. Reload it (what you typed stays here)."), 400
    if contribution is not None and contribution.status != "draft":
        return jsonify(saved=False, message="Not saved automatically: this contribution is under review. "
                                            "Send the revision when it is ready."), 409
    try:
        text = contributions.typed_body(db.session, acting_user(), editor.work, editor.values)
        result = propose(text, submit=False)
        db.session.commit()
    except (Invalid, Conflict) as error:
        db.session.rollback()
        return jsonify(saved=False, field=getattr(error, "field", None),
                       message=f"Not saved yet: {error.message}"), 422
    except DomainError as error:
        db.session.rollback()
        return jsonify(saved=False, message=error.message), 403
    return jsonify(saved=True, message=f"Draft saved at {result.updated_at:%H:%M:%S} UTC.",
                   url=url_for("contribute.revise", contribution_id=result.id, editor="lines"),
                   revision=result.revision_number)


@bp.post("/contribute/works/<slug>/lines/check")
@login_required
def check(slug: str):
    """The check of one line while it is typed (htmx): what is worth a look, or nothing."""
    key = request.form.get("key", "")
    try:
        work = contributions.work_by_slug(db.session, slug)
        notes = contributions.check_translated_line(db.session, acting_user(), work, key,
                                                    request.form.get(f"line-{key}", ""))
    except DomainError as error:
        return fail(error)
    return render_template("contribute/_line_check.html", notes=notes)
