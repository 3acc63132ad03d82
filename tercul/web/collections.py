"""Collections: public lists, one collection's page, and its owner's changes.

Every change is a form POST that works without JavaScript (303 back to the page);
htmx sends the same forms and gets the fragment to swap in. Who may see or change
what is decided in tercul/services/social/collections.py.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..extensions import db
from ..security import acting_user
from ..services.errors import DomainError, Forbidden, Invalid, NotFound
from ..services.reading import parse_page
from ..services.social import actions, collection_page, collections
from .collection_forms import CollectionForm, NoteForm
from .forms import SubmitForm
from .htmx import render_cached, render_page, wants_fragment
from .stats import count_request_view
from .responses import fail, require_valid

bp = Blueprint("collections", __name__)


def form_int(name: str) -> int | None:
    """A whole number from the posted form, or None when absent or not a number."""
    raw = (request.form.get(name) or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def safe_next(default: str) -> str:
    """The page a no-JavaScript form goes back to: a path on this site, else ``default``."""
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


def form_done(form, action) -> bool:
    """For a valid form, run ``action`` (service calls) and commit: True when it did.
    An ``Invalid`` is shown on the form; other domain errors end the request with their
    status (these views need a login, so never "log in first")."""
    if not form.validate_on_submit():
        return False
    try:
        action()
    except Invalid as error:
        db.session.rollback()
        form.show_error(error)
        return False
    except DomainError as error:
        fail(error)
        raise
    db.session.commit()
    return True


def attempt(action):
    """Run a change and commit: (its result, None); a problem the page can show (a stale
    page, an item already there) gives (None, its message) with nothing changed. Not
    found and not allowed end the request with their status."""
    try:
        result = action()
    except (NotFound, Forbidden) as error:
        fail(error)
        raise
    except DomainError as error:
        db.session.rollback()
        return None, error.message
    db.session.commit()
    return result, None


@bp.get("/collections")
def index():
    """Public collections: newest or most liked, or searched by title."""
    sort, query, page = request.args.get("sort", "new"), request.args.get("q", ""), parse_page(request.args.get("page"))

    def build():
        return {"result": collections.public_collections(db.session, sort=sort, query=query, page=page),
                "sorts": collections.SORTS}

    # the list is the same for everyone: kept as HTML until a collection changes
    key = ("collections", collections.lists_version(), sort, " ".join(query.split())[:100], page)
    return render_cached("collections/index.html", "collections/_list.html", "collections/_list.html", key, build,
                         collections.LISTS_TTL)


@bp.route("/collections/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a collection; from a work's page, with that work (or translation) in it."""
    form = CollectionForm()
    if request.method == "GET":
        form.work_id.data, form.translation_id.data = request.args.get("work_id"), request.args.get("translation_id")
    work_id, translation_id = form_int("work_id"), form_int("translation_id")
    created = []

    def create():
        user = acting_user()
        created.append(collections.create_collection(db.session, user, title=form.title.data,
                                                     description=form.description.data,
                                                     is_public=bool(form.is_public.data)))
        if work_id or translation_id:
            collections.add_item(db.session, user, created[0].id, work_id=work_id, translation_id=translation_id)

    if form_done(form, create):
        if wants_fragment() and (work_id or translation_id):
            return _panel_for(work_id, translation_id, f"Added to your new collection “{created[0].title}”.")
        flash(f"Your collection “{created[0].title}” was created.", "success")
        return redirect(url_for("collections.show", ident=f"{created[0].id}-{created[0].slug}"), code=303)
    return render_template("collections/form.html", form=form, collection=None)


@bp.get("/collections/<ident>")
def show(ident: str):
    """One collection: its items in order, with their languages and links to read them."""
    try:
        view = collection_page.collection_page(db.session, acting_user(), ident,
                                               page=parse_page(request.args.get("page")))
    except NotFound as error:
        abort(404, error.message)
    count_request_view("collection", view.collection.id)
    return render_page("collections/show.html", "collections/_items.html", view=view, form=SubmitForm(),
                       note_form=NoteForm())


@bp.route("/collections/<ident>/edit", methods=["GET", "POST"])
@login_required
def edit(ident: str):
    """Change one's collection: title, description, public or private."""
    try:
        collection = collections.get_collection(db.session, acting_user(), ident)
    except NotFound as error:
        abort(404, error.message)
    form = CollectionForm(obj=collection)
    if form_done(form, lambda: collections.update_collection(
            db.session, acting_user(), ident, title=form.title.data, description=form.description.data,
            is_public=bool(form.is_public.data))):
        flash("Your collection was saved.", "success")
        return redirect(url_for("collections.show", ident=f"{collection.id}-{collection.slug}"), code=303)
    return render_template("collections/form.html", form=form, collection=collection, delete_form=SubmitForm())


def _changed(change, done: str | None, ident: str):
    """Run an owner's change (a service call) and answer: the items fragment for htmx, else
    a redirect to the page with ``done`` or the problem flashed."""
    require_valid(SubmitForm())
    _result, problem = attempt(change)
    message, category = (problem, "error") if problem else (done, "success")
    if wants_fragment():
        view = collection_page.collection_page(db.session, acting_user(), ident)
        return render_template("collections/_items.html", view=view, form=SubmitForm(), note_form=NoteForm(),
                               message=message, message_category=category)
    if message:
        flash(message, category)
    return redirect(safe_next(url_for("collections.show", ident=ident)), code=303)


@bp.post("/collections/<ident>/items/<int:item_id>/move")
@login_required
def move(ident: str, item_id: int):
    """Move an item up or down one place (the keyboard-friendly buttons)."""
    offset = -1 if request.form.get("direction") == "up" else 1
    return _changed(lambda: collections.move_item(db.session, acting_user(), ident, item_id, offset=offset,
                                                  expected_index=form_int("index")), None, ident)


@bp.post("/collections/<ident>/order")
@login_required
def order(ident: str):
    """Put the items in a new order (after dragging): every item's id, comma-separated."""
    raw = [part for part in (request.form.get("items") or "").split(",") if part.strip()]
    ids = [int(part) for part in raw if part.strip().isdigit() and len(part.strip()) < 10]
    return _changed(lambda: collections.reorder_items(db.session, acting_user(), ident, ids), None, ident)


@bp.post("/collections/<ident>/items/<int:item_id>/remove")
@login_required
def remove(ident: str, item_id: int):
    """Take an item out of the collection."""
    return _changed(lambda: collections.remove_item(db.session, acting_user(), ident, item_id),
                    "The item was removed.", ident)


@bp.post("/collections/<ident>/items/<int:item_id>/note")
@login_required
def note(ident: str, item_id: int):
    """Write (or clear) an item's note."""
    return _changed(lambda: collections.set_item_note(db.session, acting_user(), ident, item_id,
                                                      request.form.get("note")), "The note was saved.", ident)


@bp.post("/collections/<ident>/delete")
@login_required
def delete(ident: str):
    """Delete one's collection."""
    require_valid(SubmitForm())
    try:
        collections.delete_collection(db.session, acting_user(), ident)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash("Your collection was deleted.", "success")
    return redirect(url_for("account.me"), code=303)


@bp.post("/collections/<ident>/featured")
@login_required
def feature(ident: str):
    """Admins: show the collection on the home page, or stop showing it."""
    require_valid(SubmitForm())
    featured = request.form.get("featured") == "1"
    try:
        collections.set_featured(db.session, acting_user(), ident, featured)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash("It is now on the home page." if featured else "It is no longer on the home page.", "success")
    return redirect(url_for("collections.show", ident=ident), code=303)


@bp.post("/collections/<ident>/items")
@login_required
def add(ident: str):
    """Add a work or a translation from its page (the picker); htmx gets the panel back."""
    require_valid(SubmitForm())
    work_id, translation_id = form_int("work_id"), form_int("translation_id")
    _item, problem = attempt(lambda: collections.add_item(db.session, acting_user(), ident, work_id=work_id,
                                                          translation_id=translation_id,
                                                          note=request.form.get("note")))
    if problem:
        message, category = problem, "error"
    else:
        message, category = f"Added to “{collections.get_collection(db.session, acting_user(), ident).title}”.", \
            "success"
    if wants_fragment():
        return _panel_for(work_id, translation_id, message, category)
    flash(message, category)
    return redirect(safe_next(url_for("collections.show", ident=ident)), code=303)


def _panel_for(work_id: int | None, translation_id: int | None, message: str, category: str = "success"):
    try:
        panel = actions.item_actions_by_id(db.session, acting_user(), work_id=work_id, translation_id=translation_id)
    except NotFound as error:
        return fail(error)
    return render_template("collections/_actions.html", actions=panel, form=SubmitForm(), message=message,
                           message_category=category)
