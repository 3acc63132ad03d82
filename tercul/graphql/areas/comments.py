"""Comments: the same service functions as the threads under works, translations and collections."""
from __future__ import annotations

import graphene

from ...services.social import comments as service
from ...services.social.markdown import render_markdown
from ..core import enum_value, int_id, service_mutation, user_errors_field
from ..pagination import connection, connection_args, paginate_pages
from .accounts import UserType


class CommentTarget(graphene.Enum):
    """What a comment is about."""

    WORK = "work"
    TRANSLATION = "translation"
    COLLECTION = "collection"

    @property
    def description(self):
        return {"WORK": "A work (its original text).", "TRANSLATION": "One translation of a work.",
                "COLLECTION": "A collection (public, or your own)."}[self.name]


class CommentState(graphene.Enum):
    """Whether a comment is shown."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    DELETED = "deleted"

    @property
    def description(self):
        return {"VISIBLE": "Shown to everyone.",
                "HIDDEN": "Hidden by the moderators: only its author and the moderators read it.",
                "DELETED": "Deleted by its author; kept while it has replies."}[self.name]


def _of_comment(name: str):
    """A resolver reading the comment's own column ``name``."""
    return lambda view, info: getattr(view.comment, name)


def _shown(read):
    """A resolver giving ``read(comment)`` only where the caller may read the body."""
    return lambda view, info: read(view.comment) if view.visible_body else None


def _of_view(name: str):
    return lambda view, info: getattr(view, name)


class CommentType(graphene.ObjectType):
    """A comment, or a reply (one level deep), as the caller may see it."""

    class Meta:
        name = "Comment"

    # resolved from a service.CommentView (the comment, its author, what the caller may do)
    id = graphene.ID(required=True, description="Database id.", resolver=_of_comment("id"))
    target = graphene.Field(CommentTarget, required=True, description="What it is about.",
                            resolver=lambda view, info: _kind(view.comment))
    target_id = graphene.ID(required=True, description="The id of the work, translation or collection.",
                            resolver=lambda view, info: (view.comment.collection_id or view.comment.translation_id
                                                         or view.comment.work_id))
    parent_id = graphene.ID(description="For a reply: the comment it answers.", resolver=_of_comment("parent_id"))
    line_key = graphene.String(description="The line it is anchored to (a key such as `1.2.7`), if any.",
                               resolver=_of_comment("line_key"))
    state = graphene.Field(CommentState, required=True, description="Shown, hidden or deleted.",
                           resolver=_of_view("state"))
    body = graphene.String(description="The text (Markdown subset); null when deleted, or hidden from you.",
                           resolver=_shown(lambda c: c.body))
    body_html = graphene.String(description="The text as safe HTML; null when `body` is.",
                                resolver=_shown(lambda c: str(render_markdown(c.body))))
    hidden_reason = graphene.String(description="Why the moderators hid it (its author and the moderators only).",
                                    resolver=_shown(lambda c: c.hidden_reason))
    author = graphene.Field(UserType, description="Who wrote it (null for a deleted account).",
                            resolver=_of_view("author"))
    created_at = graphene.DateTime(required=True, description="When it was posted.",
                                   resolver=_of_comment("created_at"))
    edited_at = graphene.DateTime(description="When its author last changed it (shown as “edited”).",
                                  resolver=_of_comment("edited_at"))
    reply_count = graphene.Int(required=True, description="How many replies it has (not deleted).",
                               resolver=_of_comment("reply_count"))
    replies = graphene.List(graphene.NonNull(lambda: CommentType), required=True,
                            description="The replies, oldest first (hidden ones as for `body`).",
                            resolver=_of_view("replies"))
    viewer_can_edit = graphene.Boolean(required=True, description="You may edit it.", resolver=_of_view("can_edit"))
    viewer_can_delete = graphene.Boolean(required=True, description="You may delete it.",
                                         resolver=_of_view("can_delete"))
    viewer_can_hide = graphene.Boolean(required=True, description="You may hide it (reviewers and admins).",
                                       resolver=_of_view("can_hide"))
    viewer_can_reply = graphene.Boolean(required=True, description="You may reply to it.",
                                        resolver=_of_view("can_reply"))


def _kind(comment) -> str:
    if comment.collection_id is not None:
        return "collection"
    return "translation" if comment.translation_id is not None else "work"


class LineComments(graphene.ObjectType):
    """How many comments one line has (the markers of the reading view)."""

    line_key = graphene.String(required=True, description="The line's key.")
    count = graphene.Int(required=True, description="Comments and replies shown on it.")


CommentConnection = connection(CommentType, "Comment", "A page of comments, newest first, with their replies.")


def _target_args() -> dict:
    return {"target": graphene.Argument(CommentTarget, required=True, description="What the comments are about."),
            "target_id": graphene.ID(required=True, description="Its id.")}


def _resolve(ctx, target, target_id):
    return service.resolve_target(ctx.session, ctx.user, enum_value(target), int_id(target_id, "targetId"))


class Query(graphene.ObjectType):
    comments = graphene.Field(
        CommentConnection, required=True,
        description="The comments on a work, a translation or a collection, newest first, each with its replies.",
        line=graphene.String(description="Only the comments anchored to this line key."),
        **_target_args(), **connection_args())
    comment_lines = graphene.List(
        graphene.NonNull(LineComments), required=True,
        description="The lines of a work's or translation's text that have comments, and how many.",
        **_target_args())

    def resolve_comments(root, info, target, target_id, line=None, **args):
        ctx = info.context
        resolved = _resolve(ctx, target, target_id)

        def fetch(page, per_page):
            thread = service.thread(ctx.session, ctx.user, resolved, line=line, page=page, per_page=per_page,
                                    with_markers=False)
            return thread.comments, thread.pagination.total

        return paginate_pages(CommentConnection, args, fetch)

    def resolve_comment_lines(root, info, target, target_id):
        ctx = info.context
        markers = service.line_markers(ctx.session, _resolve(ctx, target, target_id))
        return [LineComments(line_key=key, count=n) for key, n in sorted(markers.items())]


class CommentPayload(graphene.ObjectType):
    """The comment after the change."""

    comment = graphene.Field(CommentType, description="The comment, as you now see it.")
    errors = user_errors_field()


def _payload(ctx, comment):
    ctx.session.flush()
    target = service.target_of(ctx.session, ctx.user, comment)
    return {"comment": service.view_of(ctx.session, ctx.user, comment, target)}


def _post(ctx, target, target_id, body, line_key=None, parent_id=None):
    resolved = _resolve(ctx, target, target_id)
    parent = int_id(parent_id, "parentId") if parent_id is not None else None
    return _payload(ctx, service.post_comment(ctx.session, ctx.user, resolved, body, line_key=line_key,
                                              parent_id=parent))


PostComment = service_mutation(
    "PostComment", "Comment on a work, a translation or a collection, or reply to a comment (verified users; "
    "a few a minute at most).", CommentPayload,
    {**_target_args(), "body": graphene.String(required=True, description="The text (Markdown subset, no HTML)."),
     "line_key": graphene.String(description="Anchor the comment to this line of the text."),
     "parent_id": graphene.ID(description="Reply to this comment (replies are one level deep).")}, _post)

_ID = {"id": graphene.ID(required=True, description="The comment.")}

EditComment = service_mutation(
    "EditComment", "Change the text of your comment (it is then shown as edited).", CommentPayload,
    {**_ID, "body": graphene.String(required=True, description="The new text.")},
    lambda ctx, id, body: _payload(ctx, service.edit_comment(ctx.session, ctx.user, int_id(id), body)))
DeleteComment = service_mutation(
    "DeleteComment", "Delete your comment (its replies stay).", CommentPayload, _ID,
    lambda ctx, id: _payload(ctx, service.delete_comment(ctx.session, ctx.user, int_id(id))))
HideComment = service_mutation(
    "HideComment", "Hide a comment, saying why; its author is told (reviewers and admins).", CommentPayload,
    {**_ID, "reason": graphene.String(required=True, description="Why (its author reads it).")},
    lambda ctx, id, reason: _payload(ctx, service.hide_comment(ctx.session, ctx.user, int_id(id), reason)))
UnhideComment = service_mutation(
    "UnhideComment", "Show a hidden comment again (reviewers and admins).", CommentPayload, _ID,
    lambda ctx, id: _payload(ctx, service.unhide_comment(ctx.session, ctx.user, int_id(id))))


class Mutation(graphene.ObjectType):
    post_comment = PostComment.Field(description=PostComment.__doc__)
    edit_comment = EditComment.Field(description=EditComment.__doc__)
    delete_comment = DeleteComment.Field(description=DeleteComment.__doc__)
    hide_comment = HideComment.Field(description=HideComment.__doc__)
    unhide_comment = UnhideComment.Field(description=UnhideComment.__doc__)
