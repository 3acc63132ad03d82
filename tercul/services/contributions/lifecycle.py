"""The states of a contribution and its moves between them.

Names and labels of kinds, statuses and actions; the row lock taken before a change;
the checks every change makes (own contribution, expected status and revision); the
:class:`ReviewEvent` recorded for each move; who may see a contribution and what they
may do with it now.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import Contribution, ReviewEvent, User, Work
from ...models._base import utcnow
from ...texts.model import Text
from ..accounts import can_review, is_admin
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..revisions import load_text
from .navigation import forget_navigation_counts

KINDS = ("new_translation", "edit_translation", "new_work")
OPEN_STATUSES = ("draft", "pending", "changes_requested")
# statuses in which an identical text counts as "already submitted"
SUBMITTED_STATUSES = ("pending", "changes_requested", "approved", "rejected")
TRANSLATORS = ("self", "historical")

KIND_LABELS = {"new_translation": "New translation", "edit_translation": "Edit of a translation",
               "new_work": "New work"}
STATUS_LABELS = {"draft": "Draft", "pending": "Waiting for review", "changes_requested": "Changes requested",
                 "approved": "Approved", "rejected": "Not accepted", "withdrawn": "Withdrawn"}
ACTION_LABELS = {"created": "saved a draft", "submitted": "submitted it", "revised": "sent a new revision",
                 "updated": "updated it", "withdrawn": "withdrew it", "approved": "approved it",
                 "rejected": "did not accept it", "changes_requested": "asked for changes"}

COMMENT_MAX = 5000
BLOCK_UNITS = {"poetry": "stanza", "prose": "chapter", "drama": "scene"}


def clean_comment(value: str | None, field: str = "comment", *, required: str | None = None) -> str | None:
    """A comment or note, stripped; ``required`` is the message when it must be given."""
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid(field, required)
        return None
    if len(value) > COMMENT_MAX:
        raise Invalid(field, f"Use at most {COMMENT_MAX:,} characters.")
    return value


def lock_contribution(session: Session, contribution_id: int) -> Contribution:
    """The contribution, its row locked until the transaction ends (PostgreSQL; SQLite
    has one writer at a time anyway), and re-read so that its state is current."""
    try:
        contribution_id = int(contribution_id)
    except (TypeError, ValueError):
        raise NotFound("There is no such contribution.") from None
    c = session.get(Contribution, contribution_id, with_for_update=True, populate_existing=True)
    if c is None:
        raise NotFound("There is no such contribution.")
    return c


def require_own(c: Contribution, actor: User) -> None:
    """Only the contributor changes a contribution (others are told it is not theirs, or that it does not exist)."""
    if c.contributor_id != actor.id:
        if can_review(actor) or is_admin(actor):
            raise Forbidden("Only the contributor can change this contribution.")
        raise NotFound("There is no such contribution.")


def check_expected(c: Contribution, expected_status: str | None, expected_revision: int | None) -> None:
    """``Conflict`` when the contribution moved on since the page the actor acted on."""
    if expected_status and c.status != expected_status:
        raise Conflict(f"This contribution changed while you were looking at it: it is now "
                       f"“{STATUS_LABELS[c.status]}” (it was “{STATUS_LABELS.get(expected_status, expected_status)}”). "
                       "Nothing was saved; reload the page to see what happened.")
    if expected_revision is not None and c.revision_number != int(expected_revision):
        raise Conflict(f"Revision {c.revision_number} was sent after you opened this page (you saw revision "
                       f"{expected_revision}). Nothing was saved; reload the page to see the latest revision.")


def record_event(session: Session, c: Contribution, actor: User, action: str, from_status: str | None,
                 to_status: str, comment: str | None) -> ReviewEvent:
    """Move ``c`` to ``to_status`` and record who did it, when and why."""
    event = ReviewEvent(actor_id=actor.id, action=action, from_status=from_status, to_status=to_status,
                        comment=comment, revision_number=c.revision_number, created_at=utcnow())
    c.events.append(event)
    c.status = to_status
    forget_navigation_counts()
    return event


def require_work(session: Session, work_id: int | None) -> Work:
    """The work, or ``NotFound``."""
    work = session.get(Work, work_id) if work_id is not None else None
    if work is None:
        raise NotFound("There is no such work.")
    return work


def can_see(actor: User | None, c: Contribution) -> bool:
    """The contributor, reviewers and admins see a contribution; everyone sees approved ones."""
    return (c.status == "approved" or (actor is not None and getattr(actor, "id", None) == c.contributor_id)
            or can_review(actor) or is_admin(actor))


def get_contribution(session: Session, actor: User | None, contribution_id: int) -> Contribution:
    """A contribution with its revisions and history, if ``actor`` may see it."""
    c = session.scalar(select(Contribution).where(Contribution.id == contribution_id).options(
        selectinload(Contribution.revisions), selectinload(Contribution.events).joinedload(ReviewEvent.actor)))
    if c is None or not can_see(actor, c):
        raise NotFound("There is no such contribution.")
    return c


def allowed_actions(actor: User | None, c: Contribution) -> set[str]:
    """What ``actor`` may do with ``c`` now (pages hide the rest; the services decide)."""
    actions: set[str] = set()
    own = actor is not None and getattr(actor, "id", None) == c.contributor_id
    if own and c.status in OPEN_STATUSES:
        actions |= {"revise", "withdraw"}
        if c.status == "draft":
            actions.add("submit")
    if not own and can_review(actor):
        if c.status == "pending":
            actions |= {"approve", "request_changes", "reject"}
        elif c.status == "changes_requested":
            actions.add("reject")
    return actions


def submission_model(session: Session, c: Contribution) -> tuple[str, Text | None]:
    """The form of the contribution's text and the text its revisions are shaped after
    (the published translation for an edit, the original for a translation)."""
    work = session.get(Work, c.work_id) if c.work_id else None
    form = work.form if work is not None else (c.details or {}).get("form", "poetry")
    if c.kind == "new_work":
        return form, None
    if c.kind == "edit_translation":
        return form, load_text(session, c.base_revision_id)
    return form, load_text(session, c.original_revision_id or (work.current_revision_id if work else None))
