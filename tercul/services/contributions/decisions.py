"""Reviewers' decisions: approve (and publish), request changes, reject; several at once.

Reviewers decide, never on their own contribution (four eyes). A decision may name
the status and revision number the reviewer saw; if the contribution moved on
meanwhile it is refused with a ``Conflict``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Contribution, User
from ...models._base import utcnow
from .. import notifications
from ..accounts import require_reviewer
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..publishing import publish_contribution
from .lifecycle import STATUS_LABELS, check_expected, clean_comment, lock_contribution, record_event


def approve_contribution(session: Session, actor: User | None, contribution_id: int, *, comment: str | None = None,
                         expected_status: str | None = None,
                         expected_revision: int | None = None) -> Contribution:
    """Approve a pending contribution: its latest revision is published at once, in
    this transaction (see :func:`tercul.services.publishing.publish_contribution`)."""
    reviewer, c = _for_decision(session, actor, contribution_id, expected_status, expected_revision, ("pending",))
    comment = clean_comment(comment)
    publish_contribution(session, c)
    c.decided_at = utcnow()
    return _decided(session, c, reviewer, "approved", comment)


def reject_contribution(session: Session, actor: User | None, contribution_id: int, *, comment: str,
                        expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """Decline a contribution for good, saying why."""
    reviewer, c = _for_decision(session, actor, contribution_id, expected_status, expected_revision,
                                ("pending", "changes_requested"))
    comment = clean_comment(comment, required="Say why it is not accepted: the contributor will read it.")
    c.decided_at = utcnow()
    return _decided(session, c, reviewer, "rejected", comment)


def request_changes(session: Session, actor: User | None, contribution_id: int, *, comment: str,
                    expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """Send a contribution back to its contributor with what to change."""
    reviewer, c = _for_decision(session, actor, contribution_id, expected_status, expected_revision, ("pending",))
    comment = clean_comment(comment, required="Say what should change: the contributor will read it.")
    return _decided(session, c, reviewer, "changes_requested", comment)


DECISIONS = {"approve": approve_contribution, "reject": reject_contribution, "request_changes": request_changes}


def decide(session: Session, actor: User | None, contribution_id: int, decision: str, *, comment: str | None = None,
           expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """One of :data:`DECISIONS` by name (the review form's buttons)."""
    if decision not in DECISIONS:
        raise Invalid("decision", "Choose approve, request changes or reject.")
    return DECISIONS[decision](session, actor, contribution_id, comment=comment, expected_status=expected_status,
                               expected_revision=expected_revision)


@dataclass
class BulkOutcome:
    contribution_id: int
    approved: bool
    message: str
    title: str | None = None


def bulk_approve(session: Session, actor: User | None, items: Sequence[tuple[int, int | None]], *,
                 comment: str | None = None, opened: Mapping[int, int] | None = None,
                 unopened_confirmed: bool = False) -> list[BulkOutcome]:
    """Approve several contributions, each checked on its own: ``items`` are
    (contribution id, revision number seen). One refused item leaves the others
    approved; each gets its outcome.

    Approving is publishing: with ``opened`` (contribution id -> the revision number the
    reviewer opened on its review page) a contribution whose latest revision the reviewer
    has not opened is left waiting, unless ``unopened_confirmed``."""
    reviewer = require_reviewer(actor)
    if not items:
        raise Invalid("ids", "Select the contributions to approve.")
    outcomes: list[BulkOutcome] = []
    for contribution_id, revision in dict(items).items():
        title, contributor_id = session.execute(select(Contribution.title, Contribution.contributor_id).where(
            Contribution.id == contribution_id)).first() or (None, None)
        own = contributor_id is not None and contributor_id == reviewer.id  # refused below, saying why
        if opened is not None and not unopened_confirmed and not own and (
                revision is None or opened.get(contribution_id) != revision):
            outcomes.append(BulkOutcome(contribution_id, False, "You have not opened its latest revision: open it "
                                        "first, or confirm that you approve it unread.", title))
            continue
        try:
            with session.begin_nested():
                approve_contribution(session, reviewer, contribution_id, comment=comment,
                                     expected_status="pending", expected_revision=revision)
        except (Conflict, Forbidden, Invalid, NotFound) as error:
            outcomes.append(BulkOutcome(contribution_id, False, error.message, title))
        else:
            outcomes.append(BulkOutcome(contribution_id, True, "Approved and published.", title))
    return outcomes


def _decided(session: Session, c: Contribution, reviewer: User, status: str, comment: str | None) -> Contribution:
    """Record the decision (the event's action is the new status) and tell the contributor."""
    event = record_event(session, c, reviewer, status, c.status, status, comment)
    session.flush()
    notifications.contribution_reviewed(session, c, event, reviewer)
    return c


def _for_decision(session: Session, actor: User | None, contribution_id: int, expected_status: str | None,
                  expected_revision: int | None, allowed: tuple[str, ...]) -> tuple[User, Contribution]:
    reviewer = require_reviewer(actor)
    c = lock_contribution(session, contribution_id)
    if c.contributor_id == reviewer.id:
        raise Forbidden("You cannot review your own contribution: another reviewer has to.")
    check_expected(c, expected_status, expected_revision)
    if c.status not in allowed:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: "
                       "there is nothing to decide on it now.")
    return reviewer, c
