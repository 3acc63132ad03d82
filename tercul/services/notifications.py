"""Notifications: in-app notices, and mail for the ones that matter.

A notice is a row for its user; mail goes through :mod:`tercul.services.mail`, so it
leaves only once the transaction that caused it commits. The navigation shows how
many notices are unread (see :func:`tercul.services.contributions.navigation_counts`).
"""
from __future__ import annotations

import logging

from flask import url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from ..models import Contribution, Notification, ReviewEvent, User
from ..models._base import utcnow
from . import mail

log = logging.getLogger(__name__)

_REVIEW_SUBJECTS = {
    "approved": "Your contribution was approved: {title}",
    "rejected": "Your contribution was not accepted: {title}",
    "changes_requested": "Changes requested on your contribution: {title}",
}
_REVIEW_MESSAGES = {
    "approved": "{reviewer} approved “{title}”: it is published.",
    "rejected": "{reviewer} did not accept “{title}”.",
    "changes_requested": "{reviewer} asked for changes to “{title}”.",
}


def notify(session: Session, user_id: int, kind: str, message: str, link: str | None = None) -> Notification:
    """Add an in-app notice for ``user_id``."""
    notice = Notification(user_id=user_id, kind=kind[:40], message=message[:1000], link=(link or None) and link[:500],
                          created_at=utcnow())
    session.add(notice)
    _bump()
    return notice


def contribution_reviewed(session: Session, contribution: Contribution, event: ReviewEvent, reviewer: User) -> None:
    """Tell the contributor what a reviewer decided: a notice, and a mail with the comment."""
    if contribution.contributor_id is None or event.to_status not in _REVIEW_MESSAGES:
        return
    contributor = session.get(User, contribution.contributor_id)
    if contributor is None:
        return
    values = {"reviewer": reviewer.display_name, "title": _short(contribution.title)}
    path = _link("contribute.detail", contribution_id=contribution.id)
    notify(session, contributor.id, f"contribution_{event.to_status}",
           _REVIEW_MESSAGES[event.to_status].format(**values), path)
    if not _reachable(contributor):
        return
    mail.send_after_commit(session, mail.compose(
        contributor.email, _REVIEW_SUBJECTS[event.to_status].format(**values), "contribute/mail/reviewed.txt",
        user=contributor, contribution=contribution, event=event, reviewer=reviewer,
        url=_link("contribute.detail", external=True, contribution_id=contribution.id)))


def revision_submitted(session: Session, contribution: Contribution, event: ReviewEvent) -> None:
    """A revision answers a request for changes: tell the reviewers who asked (in-app)."""
    asked = {e.actor_id for e in contribution.events
             if e.to_status == "changes_requested" and e.actor_id and e.actor_id != contribution.contributor_id}
    if not asked:
        return
    name = contribution.contributor.display_name if contribution.contributor is not None else "The contributor"
    message = (f"{name} sent revision {event.revision_number} of “{_short(contribution.title)}”."
               if event.action == "revised" else f"{name} answered your review of “{_short(contribution.title)}”.")
    path = _link("review.detail", contribution_id=contribution.id)
    for user_id in sorted(asked):
        notify(session, user_id, "contribution_revised", message, path)


def comment_posted(session: Session, comment, actor: User, title: str, recipients: list[User]) -> None:
    """Tell the owner of the commented item and the people in the thread (in-app; mail to
    those who chose it)."""
    if not recipients:
        return
    reply = comment.parent_id is not None
    message = (f"{actor.display_name} replied in the discussion of “{_short(title)}”." if reply
               else f"{actor.display_name} commented on “{_short(title)}”.")
    path = _comment_link(comment)
    for user in recipients:
        notify(session, user.id, "comment_reply" if reply else "comment", message, path)
        if user.comment_mail and _reachable(user):
            mail.send_after_commit(session, mail.compose(
                user.email, message, "comments/mail/comment.txt", user=user, actor=actor, comment=comment,
                title=title, url=_comment_link(comment, external=True)))


def comment_hidden(session: Session, comment, title: str) -> None:
    """Tell the author that the moderators hid their comment, and why (in-app)."""
    notify(session, comment.user_id, "comment_hidden",
           f"The moderators hid your comment on “{_short(title)}”: {comment.hidden_reason}", _comment_link(comment))


def _comment_link(comment, external: bool = False) -> str | None:
    if comment.collection_id is not None:
        kind, target_id = "collection", comment.collection_id
    elif comment.translation_id is not None:
        kind, target_id = "translation", comment.translation_id
    else:
        kind, target_id = "work", comment.work_id
    link = _link("comments.thread", external=external, kind=kind, target_id=target_id)
    return f"{link}#comment-{comment.parent_id or comment.id}" if link else None


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def recent(session: Session, user_id: int, *, limit: int = 10, unread_only: bool = False) -> list[Notification]:
    """The user's latest notices, newest first."""
    q = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        q = q.where(Notification.read_at.is_(None))
    return list(session.scalars(q.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(session: Session, user_id: int, *, ids: list[int] | None = None, link: str | None = None) -> int:
    """Mark the user's notices read: the given ones, those pointing at ``link``, or all."""
    q = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        q = q.where(Notification.id.in_(ids))
    if link is not None:
        q = q.where(Notification.link == link)
    count = session.execute(q.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if count:
        _bump()
    return count


def _reachable(user: User) -> bool:
    from .accounts import is_placeholder

    return bool(user.email) and user.disabled_at is None and user.deleted_at is None and not is_placeholder(user)


def _short(title: str, limit: int = 120) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"


def line_commented(session: Session, contribution: Contribution, author: User, line_key: str, thread_id: int,
                   *, thread_author_id: int | None = None) -> None:
    """A notice for who should answer a comment on a line: the contributor, for a
    reviewer's comment or reply; the thread's first author, for the contributor's reply."""
    own = author.id == contribution.contributor_id
    recipient = thread_author_id if own else contribution.contributor_id
    if recipient is None or recipient == author.id:
        return
    link = _link("review.detail" if own else "contribute.detail", contribution_id=contribution.id)
    what = "answered on line" if thread_author_id is not None else "commented on line"
    notify(session, recipient, "line_comment",
           f"{author.display_name} {what} {line_key} of “{_short(contribution.title)}”.",
           f"{link}#thread-{thread_id}" if link else None)


def _link(endpoint: str, external: bool = False, **values) -> str | None:
    """A URL for a notice or a mail; None where no URL can be built (a CLI without SERVER_NAME)."""
    try:
        if external:  # for mail: the configured host, never the request's
            from .mail import external_url

            return external_url(endpoint, **values)
        return url_for(endpoint, _external=external, **values)
    except (RuntimeError, BuildError):
        log.debug("no URL for %s outside a request", endpoint)
        return None


def _bump() -> None:
    # the navigation's counts are cached per generation (see contributions.navigation_counts)
    from .contributions import forget_navigation_counts

    forget_navigation_counts()
