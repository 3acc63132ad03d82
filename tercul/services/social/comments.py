"""Comments on works, translations and collections, optionally anchored to a line.

Anyone may read the comments of what they may see; a signed-in, verified reader posts,
edits and deletes their own; replies are one level deep; reviewers and admins hide a
comment with a reason, which its author sees. The pages and the GraphQL API call these
functions, so the rules live only here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.orm import Session

from ...models import Collection, Comment, TextLine, Translation, User, Work
from ...models._base import utcnow
from .. import notifications
from ..accounts.permissions import can_review, require_reviewer, require_user
from ..errors import DomainError, Forbidden, Invalid, NotFound
from ..reading.page_cache import invalidate_work
from ..reading.pagination import Pagination

TARGET_KINDS = ("work", "translation", "collection")
MAX_BODY = 5000
MAX_REASON = 500
# posting limits per user: (how many, within how long)
POST_LIMITS = ((5, timedelta(minutes=1)), (60, timedelta(days=1)))
THREAD_PAGE_SIZE = 50


@dataclass(frozen=True)
class Target:
    """What a thread hangs off: a work, one of its translations, or a collection."""

    kind: str
    id: int
    title: str
    owner_id: int | None
    work_id: int | None = None
    translation_id: int | None = None
    collection_id: int | None = None
    work_slug: str | None = None
    translation_key: str | None = None
    revision_id: int | None = None  # the published text whose line keys anchor comments

    def filter(self):
        """The SQL condition selecting this target's comments."""
        if self.kind == "collection":
            return Comment.collection_id == self.id
        if self.kind == "translation":
            return Comment.translation_id == self.id
        return and_(Comment.work_id == self.id, Comment.translation_id.is_(None))


@dataclass
class CommentView:
    """One comment as a given viewer may see it."""

    comment: Comment
    author: User | None
    visible_body: bool  # the body is shown (not deleted, and not hidden from this viewer)
    can_edit: bool
    can_delete: bool
    can_hide: bool
    can_reply: bool
    replies: list[CommentView] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.comment.id

    @property
    def state(self) -> str:
        """``visible``, ``hidden`` or ``deleted``."""
        if self.comment.deleted_at is not None:
            return "deleted"
        return "hidden" if self.comment.hidden_at is not None else "visible"


@dataclass
class Thread:
    target: Target
    comments: list[CommentView]
    pagination: Pagination
    line: str | None
    can_post: bool
    markers: dict[str, int]


# ---- targets

def resolve_target(session: Session, viewer: User | None, kind: str, target_id: int) -> Target:
    """The target ``kind``/``target_id`` if ``viewer`` may see it, else :class:`NotFound`.

    A private collection is found only by its owner; an unpublished translation by nobody.
    """
    kind = (kind or "").strip().lower()
    if kind not in TARGET_KINDS:
        raise NotFound(f"Comments are on works, translations or collections, not “{kind[:40]}”.")
    if kind == "work":
        work = session.get(Work, target_id)
        if work is None:
            raise NotFound("There is no such work.")
        return Target("work", work.id, work.title, work.created_by_id, work_id=work.id, work_slug=work.slug,
                      revision_id=work.current_revision_id)
    if kind == "translation":
        row = session.execute(select(Translation, Work.slug, Work.title).join(Work, Work.id == Translation.work_id)
                              .where(Translation.id == target_id)).first()
        if row is None or row[0].status != "published":
            raise NotFound("There is no such translation.")
        t = row[0]
        return Target("translation", t.id, f"{t.title} ({row[2]})", t.translator_id, work_id=t.work_id,
                      translation_id=t.id, work_slug=row[1], translation_key=t.key,
                      revision_id=t.current_revision_id)
    collection = session.get(Collection, target_id)
    if collection is None or not (collection.is_public or (viewer is not None and viewer.id == collection.owner_id)):
        raise NotFound("There is no such collection.")
    return Target("collection", collection.id, collection.title, collection.owner_id, collection_id=collection.id)


def translation_target(session: Session, viewer: User | None, work_id: int, key: str) -> Target:
    """The target of a work's translation named by its key (``de``), as the reading pages know it."""
    found = session.scalar(select(Translation.id).where(Translation.work_id == work_id, Translation.key == key))
    if found is None:
        raise NotFound("There is no such translation.")
    return resolve_target(session, viewer, "translation", found)


def target_of(session: Session, viewer: User | None, comment: Comment) -> Target:
    if comment.collection_id is not None:
        return resolve_target(session, viewer, "collection", comment.collection_id)
    if comment.translation_id is not None:
        return resolve_target(session, viewer, "translation", comment.translation_id)
    return resolve_target(session, viewer, "work", comment.work_id)


# ---- reading

def thread(session: Session, viewer: User | None, target: Target, *, line: str | None = None, page: int = 1,
           per_page: int = THREAD_PAGE_SIZE, with_markers: bool = True) -> Thread:
    """A page of the target's top-level comments, newest first, each with its replies (oldest first).

    With ``line``, only the comments anchored to that line. Four statements whatever
    the number of comments: the count, the page (with authors), the replies (with
    authors) and (``with_markers``) the line markers.
    """
    line = _clean_line(line)
    where = [target.filter(), Comment.parent_id.is_(None), _shown_to_anyone()]
    if line:
        where.append(Comment.line_key == line)
    total = session.scalar(select(func.count(Comment.id)).where(*where)) or 0
    pagination = Pagination(page, per_page, total)
    rows = session.execute(select(Comment, User).outerjoin(User, User.id == Comment.user_id).where(*where)
                           .order_by(Comment.created_at.desc(), Comment.id.desc())
                           .offset(pagination.offset).limit(per_page)).all()
    views = [_view(viewer, c, u, target) for c, u in rows]
    by_parent = replies_for(session, viewer, target, [v.id for v in views])
    for v in views:
        v.replies = by_parent.get(v.id, [])
    markers = line_markers(session, target) if with_markers else {}
    return Thread(target, views, pagination, line, _may_post(viewer), markers)


def replies_for(session: Session, viewer: User | None, target: Target,
                parent_ids: list[int]) -> dict[int, list[CommentView]]:
    """The replies to the comments ``parent_ids``, oldest first, in one statement."""
    if not parent_ids:
        return {}
    out: dict[int, list[CommentView]] = {}
    for c, u in session.execute(select(Comment, User).outerjoin(User, User.id == Comment.user_id)
                                .where(Comment.parent_id.in_(parent_ids), Comment.deleted_at.is_(None))
                                .order_by(Comment.created_at, Comment.id)):
        out.setdefault(c.parent_id, []).append(_view(viewer, c, u, target))
    return out


def line_markers(session: Session, target: Target) -> dict[str, int]:
    """How many visible comments each line of the target's text has (for the reading view)."""
    if target.kind == "collection":
        return {}
    rows = session.execute(select(Comment.line_key, func.count(Comment.id))
                           .where(target.filter(), Comment.line_key.is_not(None), Comment.deleted_at.is_(None),
                                  Comment.hidden_at.is_(None))
                           .group_by(Comment.line_key))
    return {key: n for key, n in rows}


def thread_version(session: Session, target: Target) -> str:
    """Changes whenever a comment on the target is posted, edited, deleted or hidden (one
    indexed read): what a thread rendered for readers who are not signed in is kept under."""
    count, latest = session.execute(select(func.count(Comment.id), func.max(Comment.updated_at))
                                    .where(target.filter())).one()
    return f"{count}:{latest.isoformat() if latest else ''}"


def get_comment(session: Session, viewer: User | None, comment_id: int) -> tuple[Comment, Target]:
    """A comment and its target, if the viewer may see the target."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        raise NotFound("There is no such comment.")
    return comment, target_of(session, viewer, comment)


def view_of(session: Session, viewer: User | None, comment: Comment, target: Target) -> CommentView:
    author = session.get(User, comment.user_id) if comment.user_id is not None else None
    return _view(viewer, comment, author, target)


# ---- writing

def post_comment(session: Session, actor: User | None, target: Target, body: str, *, line_key: str | None = None,
                 parent_id: int | None = None) -> Comment:
    """Post a comment (or, with ``parent_id``, a reply) on ``target``; tells the people concerned."""
    actor = _require_poster(actor)
    body = _clean_body(body)
    line_key = _clean_line(line_key)
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.deleted_at is not None or not _same_target(parent, target):
            raise Invalid("parent_id", "The comment you replied to is no longer there.")
        if parent.parent_id is not None:  # replies are one level deep: answer the thread
            parent = session.get(Comment, parent.parent_id)
        if parent.hidden_at is not None:
            raise Invalid("parent_id", "That comment was hidden by the moderators: it cannot be answered.")
        line_key = parent.line_key
    elif line_key:
        _check_line(session, target, line_key)
    _check_rate(session, actor)
    comment = Comment(user_id=actor.id, work_id=target.work_id, translation_id=target.translation_id,
                      collection_id=target.collection_id, parent_id=parent.id if parent else None,
                      line_key=line_key or None, body=body, reply_count=0)
    session.add(comment)
    if parent is not None:
        session.execute(update(Comment).where(Comment.id == parent.id)
                        .values(reply_count=Comment.reply_count + 1, updated_at=utcnow())
                        .execution_options(synchronize_session=False))
    session.flush()
    _changed(session, target)
    notifications.comment_posted(session, comment, actor, target.title, _recipients(session, actor, target, parent))
    return comment


def editable_comment(session: Session, actor: User | None, comment_id: int) -> tuple[Comment, Target]:
    """One's own comment and its target, if it may be edited (not hidden by the moderators)."""
    actor = require_user(actor)
    comment, target = get_comment(session, actor, comment_id)
    if comment.user_id != actor.id:
        raise Forbidden("You can only edit your own comments.")
    if comment.hidden_at is not None:
        raise Forbidden("The moderators hid this comment: it cannot be edited.")
    return comment, target


def edit_comment(session: Session, actor: User | None, comment_id: int, body: str) -> Comment:
    """Change one's own comment; it is then shown as edited."""
    comment, target = editable_comment(session, actor, comment_id)
    body = _clean_body(body)
    if body != comment.body:
        comment.body, comment.edited_at = body, utcnow()
    session.flush()
    _changed(session, target)
    return comment


def delete_comment(session: Session, actor: User | None, comment_id: int) -> Comment:
    """Delete one's own comment: its text goes; replies to it stay, under “deleted”."""
    actor = require_user(actor)
    comment, target = get_comment(session, actor, comment_id)
    if comment.user_id != actor.id:
        raise Forbidden("You can only delete your own comments.")
    comment.deleted_at, comment.body = utcnow(), ""
    if comment.parent_id is not None:
        session.execute(update(Comment).where(Comment.id == comment.parent_id, Comment.reply_count > 0)
                        .values(reply_count=Comment.reply_count - 1, updated_at=utcnow())
                        .execution_options(synchronize_session=False))
    session.flush()
    _changed(session, target)
    return comment


def hide_comment(session: Session, actor: User | None, comment_id: int, reason: str) -> Comment:
    """A reviewer or admin hides a comment, saying why; its author is told and sees the reason."""
    actor = require_reviewer(actor)
    comment, target = get_comment(session, actor, comment_id)
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise Invalid("reason", "Say why the comment is hidden: its author will read it.")
    if len(reason) > MAX_REASON:
        raise Invalid("reason", f"Use at most {MAX_REASON} characters.")
    comment.hidden_at, comment.hidden_reason, comment.hidden_by_id = utcnow(), reason, actor.id
    session.flush()
    _changed(session, target)
    if comment.user_id is not None and comment.user_id != actor.id:
        notifications.comment_hidden(session, comment, target.title)
    return comment


def unhide_comment(session: Session, actor: User | None, comment_id: int) -> Comment:
    """Show a hidden comment again."""
    actor = require_reviewer(actor)
    comment, target = get_comment(session, actor, comment_id)
    comment.hidden_at, comment.hidden_reason, comment.hidden_by_id = None, None, None
    session.flush()
    _changed(session, target)
    return comment


# ---- rules

def _changed(session: Session, target: Target) -> None:
    # the work page's reading view carries the line markers of the work's comments: its
    # stamp is forgotten now and again at the commit (a page read in between would keep
    # the old stamp for a few seconds)
    if target.kind == "work" and target.work_slug:
        invalidate_work(target.work_slug)
        session.info.setdefault(_STALE_WORKS, set()).add(target.work_slug)


_STALE_WORKS = "tercul.comments.stale_works"


@event.listens_for(Session, "after_commit")
def _forget_stamps(session: Session) -> None:
    for slug in session.info.pop(_STALE_WORKS, ()):
        invalidate_work(slug)


def _may_post(user: User | None) -> bool:
    try:
        _require_poster(user)
    except DomainError:
        return False
    return True


def _require_poster(user: User | None) -> User:
    user = require_user(user)
    if not user.is_verified:
        raise Forbidden("Verify your email address to comment: follow the link we sent you.")
    return user


def _view(viewer: User | None, c: Comment, author: User | None, target: Target) -> CommentView:
    own = viewer is not None and getattr(viewer, "id", None) is not None and viewer.id == c.user_id
    moderator = can_review(viewer)
    alive = c.deleted_at is None
    return CommentView(
        comment=c, author=author,
        visible_body=alive and (c.hidden_at is None or own or moderator),
        can_edit=alive and own and c.hidden_at is None, can_delete=alive and own,
        can_hide=alive and moderator, can_reply=alive and c.parent_id is None and c.hidden_at is None
        and _may_post(viewer))


def _shown_to_anyone():
    # a deleted top-level comment stays (as "deleted") while it has replies
    return or_(Comment.deleted_at.is_(None), Comment.reply_count > 0)


def _same_target(comment: Comment, target: Target) -> bool:
    if target.kind == "collection":
        return comment.collection_id == target.id
    if target.kind == "translation":
        return comment.translation_id == target.id
    return comment.work_id == target.id and comment.translation_id is None


def _clean_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise Invalid("body", "Write something first.")
    if len(body) > MAX_BODY:
        raise Invalid("body", f"Use at most {MAX_BODY} characters (this has {len(body)}).")
    return body


def _clean_line(line: str | None) -> str | None:
    line = (line or "").strip()
    if len(line) > 100:
        raise Invalid("line_key", "That is not a line of this text.")
    return line or None


def _check_line(session: Session, target: Target, line_key: str) -> None:
    if target.revision_id is None:
        raise Invalid("line_key", "Only texts have lines to comment on.")
    found = session.scalar(select(TextLine.id).where(TextLine.revision_id == target.revision_id,
                                                     TextLine.key == line_key).limit(1))
    if found is None:
        raise Invalid("line_key", f"The text has no line “{line_key[:40]}”.")


def _check_rate(session: Session, actor: User) -> None:
    now = utcnow()
    for most, within in POST_LIMITS:
        recent = session.scalar(select(func.count(Comment.id)).where(Comment.user_id == actor.id,
                                                                     Comment.created_at > now - within)) or 0
        if recent >= most:
            when = "in a minute" if within <= timedelta(minutes=1) else "tomorrow"
            raise Invalid("body", f"You have posted {most} comments in a short time: post again {when}.")


def _recipients(session: Session, actor: User, target: Target, parent: Comment | None) -> list[User]:
    """The owner of the item and, for a reply, the people in that thread (not the actor)."""
    ids = {target.owner_id} if target.owner_id else set()
    if parent is not None:
        ids.add(parent.user_id)
        ids.update(session.scalars(select(Comment.user_id).where(Comment.parent_id == parent.id,
                                                                 Comment.deleted_at.is_(None))))
    ids.discard(None)
    ids.discard(actor.id)
    if not ids:
        return []
    return list(session.scalars(select(User).where(User.id.in_(ids), User.deleted_at.is_(None),
                                                   User.disabled_at.is_(None)).order_by(User.id)))
