"""Contributing: propose translations, edits and works; drafts, revisions, "my contributions".

Views only translate: they read the form, call one function of
:mod:`tercul.services.contributions`, and render or redirect. A domain error rolls the
transaction back (nothing is half-saved) and is shown next to the field it names.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_login import login_required

from ..extensions import db, login_manager
from ..security import acting_user
from ..services import accounts, contributions, notifications
from ..services.errors import Conflict, DomainError, Invalid, NotFound
from ..services.reading import lookups
from ..texts.validation import decode_upload
from .contribution_forms import (FORMS_BY_KIND, SUGGESTED_LANGUAGES, ActionForm, ContributionForm, LineCommentForm,
                                 read_language)
from . import line_editor
from .htmx import wants_fragment
from .responses import fail, require_valid, see_other

if TYPE_CHECKING:
    from ..models import Contribution

bp = Blueprint("contribute", __name__)


@bp.record_once
def _register_navigation(state) -> None:
    # the header's "Contribute" and "Review (N)" links (components/_nav_contribute.html)
    state.app.context_processor(_navigation_helpers)


def _navigation_helpers() -> dict:
    return {"contribution_nav": lambda: contributions.navigation_counts(db.session, acting_user())}


@bp.app_template_filter("contribution_status")
def contribution_status(status: str) -> str:
    return contributions.STATUS_LABELS.get(status, status)


@bp.app_template_filter("contribution_kind")
def contribution_kind(kind: str) -> str:
    return contributions.KIND_LABELS.get(kind, kind)


@bp.app_template_filter("contribution_action")
def contribution_action(action: str) -> str:
    return contributions.ACTION_LABELS.get(action, action)


# --- helpers -----------------------------------------------------------------------------------

def _require_contributor():
    try:
        accounts.require_contributor(acting_user())
    except DomainError as error:
        return fail(error)
    return None


def _typed_text(form) -> str:
    """The text typed into the form, or the uploaded file's (which then fills the box)."""
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        limit = contributions.text_limit()
        if not upload.filename.lower().endswith(".txt") and upload.mimetype not in ("text/plain", ""):
            raise Invalid("file", "Upload a plain text file (.txt).")
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            raise Invalid("file", f"The file is larger than the limit of {limit:,} bytes.")
        form.text.data = decode_upload(data, "file")
    return form.text.data or ""


def _action() -> str:
    action = request.form.get("action", "submit")
    return action if action in ("preview", "draft", "submit") else "submit"


def _confirmed() -> bool:
    """The contributor saw the text's structure warnings and submits it anyway."""
    return request.form.get("action") == "submit_anyway"


def _form_page(kind: str, form, *, work=None, translation=None, contribution=None, preview=None, status=200,
               confirm=False):
    original_view = None
    if preview is None and (form.text.data or "").strip():
        try:  # what is in the box already (an edit, a revision, a form sent back) is previewed at once
            preview = contributions.preview(
                db.session, acting_user(), kind=kind, text=form.text.data, work_id=work.id if work else None,
                translation_id=translation.id if translation else None,
                form=form.form.data if kind == "new_work" else None,
                language=form.language.data if "language" in form._fields else None)
        except DomainError:
            db.session.rollback()
    if preview is None and kind != "new_work" and work is not None:
        original_view = contributions.original_alone(db.session, work)
    return render_template(
        "contribute/form.html", kind=kind, form=form, work=work, translation=translation,
        contribution=contribution, preview=preview, original_view=original_view, languages=SUGGESTED_LANGUAGES,
        text_limit=contributions.text_limit(), confirm=confirm), status


def handle_proposal(form, kind: str, propose, *, work=None, translation=None, contribution=None, page=None,
            text_of=None):
    """The common flow of the proposal forms: preview, save a draft, or submit.

    A text with structure warnings is submitted only once confirmed: the page comes back
    with the warnings and a "Submit anyway" button (``action=submit_anyway``). ``page(preview,
    status, confirm)`` renders another page than the paste form (the line-by-line
    editor), ``text_of(form)`` reads its text."""
    preview, confirm = None, False
    if form.validate_on_submit():
        action = _action()
        try:
            text = (text_of or _typed_text)(form)
            if action == "preview" or (action == "submit" and not _confirmed()):
                preview = contributions.preview(
                    db.session, acting_user(), kind=kind, text=text, work_id=work.id if work else None,
                    translation_id=translation.id if translation else None,
                    form=form.form.data if kind == "new_work" else None,
                    language=form.language.data if "language" in form._fields else None)
                confirm = action == "submit" and bool(preview.warnings)
            if action != "preview" and not confirm:
                result = propose(text, submit=action == "submit")
                db.session.commit()
                if action == "draft":
                    flash("Your draft is saved. Submit it for review when it is ready.", "success")
                else:
                    flash("Thank you: your contribution is with the reviewers. You will hear from them here "
                          "and by mail.", "success")
                return see_other("contribute.detail", contribution_id=result.id)
        except Invalid as error:
            db.session.rollback()
            form.show_error(error)
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        except DomainError as error:
            return fail(error)
    elif request.method == "POST" and not form.errors:
        form.form_errors.append("The form could not be read. Reload the page and try again.")
    status = 422 if form.errors or form.form_errors else 200
    if page is not None:
        return page(preview, status, confirm)
    return _form_page(kind, form, work=work, translation=translation, contribution=contribution, preview=preview,
                      status=status, confirm=confirm)


# --- my contributions ------------------------------------------------------------------------

@bp.get("/contribute")
@login_required
def index():
    """"My contributions": drafts, what is under review, what was decided; notices; how to start."""
    user = acting_user()
    status = request.args.get("status") or None
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    mine = contributions.my_contributions(db.session, user, status=status, page=page,
                                          per_page=current_app.config.get("PAGE_SIZE", 50))
    query = (request.args.get("q") or "").strip()
    works = contributions.find_works(db.session, query) if query else []
    return render_template("contribute/index.html", mine=mine, query=query, works=works,
                           notices=notifications.recent(db.session, user.id, limit=10),
                           can_contribute=accounts.can_contribute(user), read_form=ActionForm())


@bp.post("/contribute/notifications/read")
@login_required
def notifications_read():
    """Mark every notice read."""
    require_valid(ActionForm())
    notifications.mark_read(db.session, acting_user().id)
    db.session.commit()
    return see_other("contribute.index")


# --- proposing ---------------------------------------------------------------------------------

@bp.route("/contribute/works/<slug>/translate", methods=["GET", "POST"])
@login_required
def translate(slug: str):
    """Translate a work: the original beside the box, a live preview aligned with it."""
    refused = _require_contributor()
    if refused is not None:
        return refused
    try:
        work = contributions.work_by_slug(db.session, slug)
    except NotFound as error:
        return fail(error)
    form = FORMS_BY_KIND["new_translation"]()

    def propose(text: str, submit: bool) -> Contribution:
        return contributions.propose_translation(
            db.session, acting_user(), work.id, language=form.language.data, title=form.title.data, text=text,
            translator=form.translator.data, translator_name=form.translator_name.data, source=form.source.data,
            licence=form.licence.data, note=form.note.data, submit=submit)

    if line_editor.requested():
        return line_editor.handle(form, propose, work=work, languages=SUGGESTED_LANGUAGES)
    return handle_proposal(form, "new_translation", propose, work=work)


@bp.route("/contribute/works/<slug>/translations/<key>/edit", methods=["GET", "POST"])
@login_required
def edit_translation(slug: str, key: str):
    """Propose corrections to a published translation (a new revision, once reviewed)."""
    refused = _require_contributor()
    if refused is not None:
        return refused
    try:
        translation = contributions.translation_by_key(db.session, slug, key)
    except NotFound as error:
        return fail(error)
    form = FORMS_BY_KIND["edit_translation"]()
    if request.method == "GET":
        form.title.data = translation.title
        form.text.data = contributions.editable_text(db.session, translation)

    def propose(text: str, submit: bool) -> Contribution:
        return contributions.propose_edit(db.session, acting_user(), translation.id, text=text,
                                          title=form.title.data, note=form.note.data, submit=submit)

    return handle_proposal(form, "edit_translation", propose, work=translation.work, translation=translation)


@bp.route("/contribute/works/new", methods=["GET", "POST"])
@login_required
def new_work():
    """Propose a work that is not in the library: its original text and its facts."""
    refused = _require_contributor()
    if refused is not None:
        return refused
    form = FORMS_BY_KIND["new_work"]()

    def propose(text: str, submit: bool) -> Contribution:
        return contributions.propose_work(
            db.session, acting_user(), title=form.title.data, language=form.language.data, form=form.form.data,
            text=text, author=form.author.data, author_name=form.author_name.data,
            author_birth_year=form.author_birth_year.data, author_death_year=form.author_death_year.data,
            date_from=form.date_from.data, date_to=form.date_to.data, source=form.source.data,
            licence=form.licence.data, note=form.note.data, submit=submit)

    return handle_proposal(form, "new_work", propose)


@bp.get("/contribute/authors")
@login_required
def author_suggestions():
    """Authors matching what is typed, as <option>s for the author field (htmx)."""
    authors = contributions.find_authors(db.session, request.args.get("author", ""), limit=10)
    return render_template("contribute/_author_options.html", authors=authors)


@bp.post("/contribute/preview")
@login_required
def preview():
    """The live preview while typing (htmx): aligned with the original, with warnings."""
    kind = request.form.get("kind", "")
    try:
        result = contributions.preview(
            db.session, acting_user(), kind=kind, text=request.form.get("text", ""),
            work_id=_int(request.form.get("work_id")), translation_id=_int(request.form.get("translation_id")),
            form=request.form.get("form"), language=read_language(request.form.get("language")))
    except Invalid as error:
        return render_template("contribute/_preview.html", preview=None, error=error.message, kind=kind), 422
    except DomainError as error:
        db.session.rollback()
        status = 404 if isinstance(error, NotFound) else 403
        return render_template("contribute/_preview.html", preview=None, error=error.message, kind=kind), status
    return render_template("contribute/_preview.html", preview=result, kind=kind)


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


# --- one contribution ------------------------------------------------------------------------

@bp.get("/contribute/<int:contribution_id>")
def detail(contribution_id: int):
    """A contribution: its state, its latest text beside the original, its history."""
    user = acting_user()
    try:
        view = contributions.contribution_view(db.session, user, contribution_id)
    except DomainError as error:
        if user is None and isinstance(error, NotFound):
            return login_manager.unauthorized()
        return fail(error)
    if user is not None and user.id == view.contribution.contributor_id:
        if notifications.mark_read(db.session, user.id, link=url_for("contribute.detail",
                                                                      contribution_id=contribution_id)):
            db.session.commit()
    return render_template("contribute/detail.html", view=view, c=view.contribution, action_form=ActionForm(),
                           comment_form=LineCommentForm())


@bp.route("/contribute/<int:contribution_id>/revise", methods=["GET", "POST"])
@login_required
def revise(contribution_id: int):
    """Change one's draft, or send a new revision of a contribution under review."""
    user = acting_user()
    try:
        c = contributions.get_contribution(db.session, user, contribution_id)
    except DomainError as error:
        return fail(error)
    if "revise" not in contributions.allowed_actions(user, c):
        if c.contributor_id != user.id:
            abort(403, "Only the contributor can change this contribution.")
        flash(f"This contribution is {contributions.STATUS_LABELS[c.status].lower()}: it can no longer be changed.",
              "error")
        return see_other("contribute.detail", contribution_id=c.id)
    form_class = FORMS_BY_KIND[c.kind]
    form = form_class()
    work = lookups.work(db.session, id=c.work_id) if c.work_id else None
    translation = lookups.translation(db.session, c.translation_id) if c.translation_id else None
    if request.method == "GET":
        _fill(form, c)

    def propose(text: str, submit: bool) -> Contribution:
        changes = {name: getattr(form, name).data for name in contributions.FIELDS[c.kind] if name in form._fields}
        if c.kind == "new_work":
            changes["author_id"] = None  # the author field (a name or URL name) says who, as when proposing
        return contributions.revise_contribution(
            db.session, user, c.id, text=text, comment=form.note.data, submit=submit or c.status != "draft",
            **form.expected(), **changes)

    if c.kind == "new_translation" and line_editor.requested():
        return line_editor.handle(form, propose, work=work, contribution=c, languages=SUGGESTED_LANGUAGES)
    return handle_proposal(form, c.kind, propose, work=work, translation=translation, contribution=c)


def _fill(form: ContributionForm, c: Contribution) -> None:
    fields = contributions.current_fields(c)
    for name, value in fields.items():
        if name in form._fields and value is not None:
            form._fields[name].data = str(value) if isinstance(value, int) else value
    if c.kind == "new_work" and fields.get("author_id"):
        form.author.data = lookups.author_name(db.session, fields["author_id"]) or ""
    form.text.data = c.revisions[-1].body
    form.note.data = c.details.get("note") if c.status == "draft" else ""
    form.expected_status.data = c.status
    form.expected_revision.data = str(c.revision_number)


def _button(contribution_id: int, act, done: tuple[str, str], shown=(Conflict,)):
    """A button on a contribution's page: ``act(form)`` calls the service, then back to
    the page with ``done`` (message, category); errors of the ``shown`` kinds are flashed there."""
    form = ActionForm()
    require_valid(form)
    try:
        act(form)
    except shown as error:
        db.session.rollback()
        flash(error.message, "error")
        return see_other("contribute.detail", contribution_id=contribution_id)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash(*done)
    return see_other("contribute.detail", contribution_id=contribution_id)


@bp.post("/contribute/<int:contribution_id>/withdraw")
@login_required
def withdraw(contribution_id: int):
    """Withdraw one's contribution."""
    return _button(contribution_id, lambda form: contributions.withdraw_contribution(
        db.session, acting_user(), contribution_id, comment=form.comment.data, **form.expected()),
        ("Your contribution is withdrawn. It stays in your list, with its history.", "info"))


@bp.post("/contribute/<int:contribution_id>/submit")
@login_required
def submit(contribution_id: int):
    """Send a draft to the reviewers."""
    return _button(contribution_id, lambda form: contributions.submit_contribution(
        db.session, acting_user(), contribution_id, **form.expected()),
        ("Thank you: your contribution is with the reviewers.", "success"), shown=(Conflict, Invalid))


@bp.get("/contribute/<int:contribution_id>/compare")
def compare(contribution_id: int):
    """Two revisions of a contribution, compared line by line and word by word."""
    try:
        comparison = contributions.compare_contribution_revisions(
            db.session, acting_user(), contribution_id, _int(request.args.get("from")), _int(request.args.get("to")))
    except DomainError as error:
        if acting_user() is None and isinstance(error, NotFound):
            return login_manager.unauthorized()
        return fail(error)
    if wants_fragment():
        return render_template("contribute/_compare.html", comparison=comparison)
    return render_template("contribute/compare.html", comparison=comparison, c=comparison.contribution)
