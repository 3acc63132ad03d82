"""Reviewing: the queue, the review page, decisions and bulk approval."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for

from ..extensions import db
from ..security import acting_user
from ..services import accounts, contributions
from ..services.errors import Conflict, DomainError, Invalid
from .contribution_forms import ActionForm, BulkApproveForm, DecisionForm, LineCommentForm
from .htmx import render_page
from .responses import fail, require_valid, see_other

bp = Blueprint("review", __name__)

DECISION_MESSAGES = {
    "approve": "Approved: “{title}” is published.",
    "request_changes": "Sent back to the contributor with your comment.",
    "reject": "Declined. The contributor has your comment.",
}


# contribution id -> the revision number this reviewer opened on its review page (bulk
# approval approves only those, unless confirmed), kept in the session, latest last
_OPENED, _OPENED_MAX = "review_opened", 200


def _remember_opened(contribution_id: int, revision_number: int) -> None:
    opened = {k: v for k, v in session.get(_OPENED, {}).items() if k != str(contribution_id)}
    opened[str(contribution_id)] = revision_number
    session[_OPENED] = dict(list(opened.items())[-_OPENED_MAX:])


def _opened() -> dict[int, int]:
    return {int(k): v for k, v in session.get(_OPENED, {}).items() if k.isdigit() and isinstance(v, int)}


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.get("/review")
def queue():
    """Contributions waiting for review, oldest first, with filters held in the URL."""
    filters, notices = contributions.clean_queue_filters(request.args)
    try:
        result = contributions.review_queue(db.session, acting_user(), filters, page=_page(),
                                            per_page=current_app.config.get("PAGE_SIZE", 50))
    except DomainError as error:
        return fail(error)
    result.notices = notices
    return render_page("review/queue.html", "review/_queue.html", queue=result, bulk_form=BulkApproveForm(),
                       kinds=contributions.KIND_LABELS, ages=contributions.AGES, opened=_opened())


@bp.get("/review/<int:contribution_id>")
def detail(contribution_id: int):
    """The review page: the submission beside its original, what changed, its history."""
    return _review_page(contribution_id, DecisionForm())


def _review_page(contribution_id: int, form: DecisionForm, status: int = 200):
    try:
        accounts.require_reviewer(acting_user())
        view = contributions.contribution_view(db.session, acting_user(), contribution_id)
    except DomainError as error:
        return fail(error)
    c = view.contribution
    if request.method == "GET" and "approve" in view.actions:
        _remember_opened(c.id, c.revision_number)
    if request.method == "GET" or not form.expected_status.data:
        form.expected_status.data = c.status
        form.expected_revision.data = str(c.revision_number)
    return render_template("review/detail.html", view=view, c=c, form=form, comment_form=LineCommentForm(),
                           action_form=ActionForm()), status


@bp.post("/review/<int:contribution_id>")
def decide(contribution_id: int):
    """Approve, request changes or decline, with a comment (the button says which)."""
    form = DecisionForm()
    require_valid(form)
    decision = request.form.get("decision", "")
    try:
        c = contributions.decide(db.session, acting_user(), contribution_id, decision, comment=form.comment.data,
                                 **form.expected())
    except Invalid as error:
        db.session.rollback()
        form.show_error(error)
        return _review_page(contribution_id, form, 422)
    except Conflict as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        # the page shows the contribution as it is now; the comment typed is kept
        form.expected_status.data = ""
        return _review_page(contribution_id, form, 409)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash(DECISION_MESSAGES[decision].format(title=c.title), "success")
    return see_other("review.queue")


@bp.post("/review/approve")
def bulk_approve():
    """Approve the selected contributions, each checked on its own; say what happened to each."""
    form = BulkApproveForm()
    require_valid(form)
    items = []
    for raw in request.form.getlist("ids"):
        if raw.isdigit():
            revision = request.form.get(f"revision-{raw}", "")
            items.append((int(raw), int(revision) if revision.isdigit() else None))
    try:
        outcomes = contributions.bulk_approve(db.session, acting_user(), items, comment=form.comment.data,
                                              opened=_opened(),
                                              unopened_confirmed=request.form.get("unopened_confirmed") == "1")
    except Invalid as error:
        db.session.rollback()
        flash(error.message, "error")
        return see_other("review.queue", **request.args)
    except DomainError as error:
        return fail(error)
    db.session.commit()
    for outcome in outcomes:
        if outcome.approved:
            flash(f"Approved: “{outcome.title}” is published.", "success")
        else:
            flash(f"Not approved: “{outcome.title or '#' + str(outcome.contribution_id)}”. {outcome.message}",
                  "error")
    return see_other("review.queue", **request.args)


# --- comments on single lines (the review page and the contributor's page) --------------------

def _back_to(contribution_id: int, anchor: str):
    """Back to the page the comment was written on: the review page or the contributor's."""
    endpoint = "review.detail" if request.form.get("back") == "review" else "contribute.detail"
    return redirect(url_for(endpoint, contribution_id=contribution_id) + f"#{anchor}", code=303)


@bp.post("/contributions/<int:contribution_id>/line-comments")
def comment_line(contribution_id: int):
    """Open a thread on one line, or reply in a thread (``thread``)."""
    form = LineCommentForm()
    require_valid(form)
    thread = request.form.get("thread", "")
    try:
        comment = contributions.comment_on_line(
            db.session, acting_user(), contribution_id, line_key=form.line_key.data, body=form.body.data,
            thread_id=int(thread) if thread.isdigit() else None)
    except (Invalid, Conflict) as error:
        db.session.rollback()
        flash(f"Your comment was not saved: {error.message}", "error")
        return _back_to(contribution_id, "line-comment" if not thread.isdigit() else f"thread-{thread}")
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash(f"Your comment on line {comment.line_key} is saved.", "success")
    return _back_to(contribution_id, f"thread-{comment.thread_id or comment.id}")


@bp.post("/contributions/<int:contribution_id>/line-comments/<int:thread_id>/resolve")
def resolve_thread(contribution_id: int, thread_id: int):
    """Mark a thread resolved, or open it again (``reopen``)."""
    require_valid(ActionForm())
    reopen = request.form.get("reopen") == "1"
    try:
        contributions.resolve_thread(db.session, acting_user(), contribution_id, thread_id, resolved=not reopen)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back_to(contribution_id, f"thread-{thread_id}")
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash("The thread is open again." if reopen else "The thread is resolved.", "success")
    return _back_to(contribution_id, f"thread-{thread_id}")
