"""Comments on single lines of a submission: threads a reviewer opens and the contributor answers.

A thread is anchored on a line's key in the submission (``1.3``), so it stays on its
line when a later revision keeps the line. Reviewers (not on their own contribution)
and the contributor write in threads while the contribution is under review; either
may resolve a thread or open it again. A notice tells the contributor of a reviewer's
comment or reply, and a thread's first author of the contributor's answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Contribution, ReviewComment, User
from ...models._base import utcnow
from ...texts.parsing import parse_submission
from .. import notifications
from ..accounts import can_review, is_admin, require_user
from ..errors import Conflict, Forbidden, Invalid, NotFound
from .lifecycle import STATUS_LABELS, clean_comment, get_contribution, submission_model

# statuses in which lines can be discussed
DISCUSSED_STATUSES = ("pending", "changes_requested")
LINE_KEY_MAX = 100


@dataclass
class LineThread:
    """The first comment on a line and the replies to it, oldest first."""

    first: ReviewComment
    replies: list[ReviewComment] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.first.id

    @property
    def line_key(self) -> str:
        return self.first.line_key

    @property
    def resolved(self) -> bool:
        return self.first.resolved_at is not None

    @property
    def comments(self) -> list[ReviewComment]:
        return [self.first, *self.replies]


def may_discuss(actor: User | None, c: Contribution) -> bool:
    """The contributor, and reviewers or admins other than the contributor, while under review."""
    if actor is None or c.status not in DISCUSSED_STATUSES:
        return False
    own = getattr(actor, "id", None) == c.contributor_id
    return own or can_review(actor) or is_admin(actor)


def line_threads(session: Session, actor: User | None, contribution_id: int) -> list[LineThread]:
    """Every thread on the contribution's lines, in the order they were opened (two queries)."""
    c = get_contribution(session, actor, contribution_id)
    return threads_of(session, c)


def threads_of(session: Session, c: Contribution) -> list[LineThread]:
    """The threads of a contribution the caller may already see."""
    comments = session.scalars(
        select(ReviewComment).where(ReviewComment.contribution_id == c.id)
        .options(joinedload(ReviewComment.author), joinedload(ReviewComment.resolved_by))
        .order_by(ReviewComment.id)).all()
    threads: dict[int, LineThread] = {}
    for comment in comments:
        if comment.thread_id is None:
            threads[comment.id] = LineThread(comment)
        elif comment.thread_id in threads:
            threads[comment.thread_id].replies.append(comment)
    return list(threads.values())


def comment_on_line(session: Session, actor: User | None, contribution_id: int, *, line_key: str | None = None,
                    body: str | None, thread_id: int | None = None) -> ReviewComment:
    """Open a thread on the line ``line_key`` of the latest revision, or reply in ``thread_id``."""
    actor = require_user(actor)
    c = get_contribution(session, actor, contribution_id)
    _require_discussion(actor, c)
    body = clean_comment(body, "body", required="Write the comment.")
    if thread_id is not None:
        first = _thread(session, c, thread_id)
        line_key = first.line_key
    else:
        line_key = (line_key or "").strip()
        if not line_key:
            raise Invalid("line_key", "Choose the line the comment is about.")
        if len(line_key) > LINE_KEY_MAX or line_key not in _line_keys(session, c):
            raise Invalid("line_key", f"Revision {c.revision_number} has no line {line_key[:LINE_KEY_MAX]}.")
    comment = ReviewComment(contribution_id=c.id, thread_id=thread_id, line_key=line_key,
                            revision_number=c.revision_number, author_id=actor.id, body=body, created_at=utcnow())
    session.add(comment)
    session.flush()
    if thread_id is None:
        notifications.line_commented(session, c, actor, line_key, comment.id)
    else:
        notifications.line_commented(session, c, actor, line_key, thread_id, thread_author_id=first.author_id)
    return comment


def resolve_thread(session: Session, actor: User | None, contribution_id: int, thread_id: int, *,
                   resolved: bool = True) -> ReviewComment:
    """Mark a thread resolved (or open it again); returns its first comment."""
    actor = require_user(actor)
    c = get_contribution(session, actor, contribution_id)
    _require_discussion(actor, c)
    first = _thread(session, c, thread_id)
    if resolved and first.resolved_at is None:
        first.resolved_at, first.resolved_by_id = utcnow(), actor.id
    elif not resolved:
        first.resolved_at = first.resolved_by_id = None
    session.flush()
    return first


def _require_discussion(actor: User, c: Contribution) -> None:
    if c.status not in DISCUSSED_STATUSES:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: its lines are no longer discussed.")
    if not may_discuss(actor, c):
        raise Forbidden("Only the contributor and the reviewers comment on its lines.")


def _thread(session: Session, c: Contribution, thread_id: int) -> ReviewComment:
    first = session.get(ReviewComment, thread_id)
    if first is None or first.contribution_id != c.id or first.thread_id is not None:
        raise NotFound("There is no such comment thread on this contribution.")
    return first


def _line_keys(session: Session, c: Contribution) -> set[str]:
    form, model = submission_model(session, c)
    try:
        text = parse_submission(c.revisions[-1].body, form, model)
    except Invalid:
        return set()
    return {line.key for line in text.iter_lines()}
