"""Contributions and review: the same service functions as /contribute and /review."""
from __future__ import annotations

import graphene

from ...services import contributions as service
from ...services.reading import lookups
from .. import loaders
from ..core import bad_input, enum_value, int_id, service_mutation, user_errors_field
from ..pagination import connection, connection_args, paginate_pages
from .accounts import UserType
from .catalog import TranslationType, WorkType


class ContributionKind(graphene.Enum):
    """What a contribution proposes."""

    NEW_TRANSLATION = "new_translation"
    EDIT_TRANSLATION = "edit_translation"
    NEW_WORK = "new_work"

    @property
    def description(self):
        return {"NEW_TRANSLATION": "A new translation of a work.",
                "EDIT_TRANSLATION": "A new revision of a published translation.",
                "NEW_WORK": "A new work with its original text."}[self.name]


class ContributionStatus(graphene.Enum):
    """Where a contribution is in review."""

    DRAFT = "draft"
    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def description(self):
        return {"DRAFT": "Saved, not yet sent to reviewers.", "PENDING": "Waiting for a reviewer.",
                "CHANGES_REQUESTED": "A reviewer asked the contributor for changes.",
                "APPROVED": "Approved and published.", "REJECTED": "Not accepted.",
                "WITHDRAWN": "Taken back by the contributor."}[self.name]


class TranslatorChoice(graphene.Enum):
    """Who made a proposed translation."""

    SELF = "self"
    HISTORICAL = "historical"

    @property
    def description(self):
        return {"SELF": "The contributor translated it.",
                "HISTORICAL": "A named translator (give source and licence; public-domain texts)."}[self.name]


class ContributionRevisionType(graphene.ObjectType):
    """One version of a contribution's text, exactly as submitted."""

    class Meta:
        name = "ContributionRevision"

    number = graphene.Int(required=True, description="1 for the first version.")
    body = graphene.String(required=True, description="The text as given (plain text, blank lines between blocks).")
    created_at = graphene.DateTime(required=True, description="When this version was saved.")


class ReviewEventType(graphene.ObjectType):
    """A change of state: who, when, from, to and why."""

    class Meta:
        name = "ReviewEvent"

    action = graphene.String(required=True, description="submitted, revised, approved, rejected, changes_requested...")
    from_status = graphene.Field(ContributionStatus, description="State before.")
    to_status = graphene.Field(ContributionStatus, required=True, description="State after.")
    comment = graphene.String(description="What the person said.")
    actor = graphene.Field(UserType, description="Who did it (null for a deleted account).")
    revision_number = graphene.Int(description="The revision concerned.")
    created_at = graphene.DateTime(required=True, description="When.")

    def resolve_from_status(event, info):
        return event.from_status

    def resolve_to_status(event, info):
        return event.to_status


class StructureWarningType(graphene.ObjectType):
    """Where the text's shape differs from the original's."""

    class Meta:
        name = "StructureWarning"

    key = graphene.String(description="The division concerned, null for the whole text.")
    message = graphene.String(required=True, description="The difference, in words.")


class LineCommentType(graphene.ObjectType):
    """A comment on one line of a submission."""

    class Meta:
        name = "LineComment"

    id = graphene.ID(required=True, description="Database id.")
    body = graphene.String(required=True, description="What was said (plain text).")
    author = graphene.Field(UserType, description="Who said it (null for a deleted account).")
    revision_number = graphene.Int(required=True, description="The revision it was written on.")
    created_at = graphene.DateTime(required=True, description="When.")


class LineCommentThreadType(graphene.ObjectType):
    """A thread on one line: the first comment and the replies, oldest first."""

    class Meta:
        name = "LineCommentThread"

    id = graphene.ID(required=True, description="The thread's id (its first comment's); reply with `threadId`.")
    line_key = graphene.String(required=True, description="The key of the line discussed, like `1.3`.")
    resolved = graphene.Boolean(required=True, description="Marked resolved by the contributor or a reviewer.")
    resolved_by = graphene.Field(UserType, description="Who resolved it.")
    comments = graphene.List(graphene.NonNull(LineCommentType), required=True, description="Oldest first.")

    def resolve_resolved_by(thread, info):
        return thread.first.resolved_by

    def resolve_comments(thread, info):
        return thread.comments


class ContributionType(graphene.ObjectType):
    """A proposed translation, edit or work, and its review."""

    class Meta:
        name = "Contribution"

    id = graphene.ID(required=True, description="Database id.")
    kind = graphene.Field(ContributionKind, required=True, description="What it proposes.")
    status = graphene.Field(ContributionStatus, required=True, description="Where it is in review.")
    title = graphene.String(required=True, description="Title of the proposed text.")
    language = graphene.String(required=True, description="Language of the proposed text (ISO 639).")
    revision_number = graphene.Int(required=True, description="Number of its latest revision.")
    submitted_at = graphene.DateTime(description="When it was first sent for review.")
    updated_at = graphene.DateTime(required=True, description="Last change.")
    contributor = graphene.Field(UserType, description="Who proposed it (null for a deleted account).")
    work = graphene.Field(WorkType, description="The work (null for a proposed new work until approved).")
    translation = graphene.Field(TranslationType, description="The translation an edit changes.")
    revisions = graphene.List(graphene.NonNull(ContributionRevisionType), required=True,
                              description="Every version, oldest first.")
    history = graphene.List(graphene.NonNull(ReviewEventType), required=True,
                            description="Every change of state, oldest first.")
    structure_warnings = graphene.List(graphene.NonNull(StructureWarningType), required=True,
                                       description="Where the latest text's shape differs from the original's.")
    original_changed = graphene.Boolean(required=True,
                                        description="The original has changed since the text was shaped after it.")
    allowed_actions = graphene.List(graphene.NonNull(graphene.String), required=True,
                                    description="What the caller may do now: revise, withdraw, submit, approve...")
    line_comments = graphene.List(graphene.NonNull(LineCommentThreadType), required=True,
                                  description="Comment threads on single lines, in the order they were opened.")

    def resolve_kind(c, info):
        return c.kind

    def resolve_status(c, info):
        return c.status

    def resolve_revision_number(c, info):
        return c.revisions[-1].number if c.revisions else 0

    def resolve_contributor(c, info):
        return c.contributor

    def resolve_work(c, info):
        return loaders.work_by_id(info.context).load(c.work_id) if c.work_id else None

    def resolve_translation(c, info):
        return lookups.translation(info.context.session, c.translation_id) if c.translation_id else None

    def resolve_revisions(c, info):
        return c.revisions

    def resolve_history(c, info):
        return c.events

    def resolve_structure_warnings(c, info):
        view = _view(info, c)
        return [StructureWarningType(key=w.key, message=w.message) for w in view.warnings]

    def resolve_original_changed(c, info):
        return _view(info, c).original_changed

    def resolve_allowed_actions(c, info):
        return sorted(service.allowed_actions(info.context.user, c))

    def resolve_line_comments(c, info):
        return service.line_threads(info.context.session, info.context.user, c.id)


def _view(info, c):
    cache = info.context.extras.setdefault("contribution_views", {})
    if c.id not in cache:
        cache[c.id] = service.contribution_view(info.context.session, info.context.user, c.id)
    return cache[c.id]


class ContributionSummary(graphene.ObjectType):
    """A contribution as listed in queues and "my contributions"."""

    id = graphene.ID(required=True, description="Database id; fetch the whole with `contribution(id:)`.")
    kind = graphene.Field(ContributionKind, required=True, description="What it proposes.")
    status = graphene.Field(ContributionStatus, required=True, description="Where it is in review.")
    title = graphene.String(required=True, description="Title of the proposed text.")
    language = graphene.String(required=True, description="Language (ISO 639).")
    revision_number = graphene.Int(required=True, description="Latest revision.")
    submitted_at = graphene.DateTime(description="When it was first sent for review.")
    updated_at = graphene.DateTime(required=True, description="Last change.")
    work_slug = graphene.String(description="The work's URL name.")
    work_title = graphene.String(description="The work's title.")
    translation_key = graphene.String(description="For an edit: the translation's key.")
    contributor = graphene.String(description="Contributor's display name.")
    original_changed = graphene.Boolean(required=True, description="The original changed since (may be out of date).")
    waiting_days = graphene.Int(description="Days since submission.")
    last_action = graphene.String(description="The latest event's action.")
    last_comment = graphene.String(description="The latest event's comment.")

    def resolve_kind(item, info):
        return item.kind

    def resolve_status(item, info):
        return item.status


ContributionSummaryConnection = connection(ContributionSummary, "ContributionSummary", "A page of contributions.")


class QueueFilter(graphene.InputObjectType):
    """Narrow the review queue."""

    language = graphene.String(description="Only this language (ISO 639).")
    work_slug = graphene.String(description="Only contributions to this work.")
    kind = graphene.Field(ContributionKind, description="Only this kind.")
    older_than_days = graphene.Int(description="Only those waiting at least this many days (1, 7 or 30).")


class Query(graphene.ObjectType):
    contribution = graphene.Field(
        ContributionType, description="One contribution (yours, or any if you review; approved ones are public).",
        id=graphene.ID(required=True, description="The contribution's id."))
    contributions = graphene.Field(
        ContributionSummaryConnection, required=True, description="Your own contributions, latest change first.",
        status=graphene.Argument(ContributionStatus, description="Only this status."), **connection_args())
    review_queue = graphene.Field(
        ContributionSummaryConnection, required=True,
        description="Contributions waiting for a reviewer, oldest first, without your own (reviewers only).",
        filter=graphene.Argument(QueueFilter, description="Narrow the queue."), **connection_args())

    def resolve_contribution(root, info, id):
        return service.get_contribution(info.context.session, info.context.user, int_id(id))

    def resolve_contributions(root, info, status=None, **args):
        ctx = info.context

        def fetch(page, per_page):
            result = service.my_contributions(ctx.session, ctx.user, status=enum_value(status), page=page,
                                              per_page=per_page)
            return result.items, result.pagination.total

        return paginate_pages(ContributionSummaryConnection, args, fetch)

    def resolve_review_queue(root, info, filter=None, **args):
        ctx = info.context
        raw = {}
        if filter:
            age = filter.get("older_than_days")
            raw = {"language": filter.get("language"), "work": filter.get("work_slug"),
                   "kind": enum_value(filter.get("kind")),
                   "age": str(age) if age is not None else None}
        filters, notices = service.clean_queue_filters({k: v for k, v in raw.items() if v is not None})
        if notices:
            raise bad_input(" ".join(notices), "filter")

        def fetch(page, per_page):
            queue = service.review_queue(ctx.session, ctx.user, filters, page=page, per_page=per_page)
            return queue.items, queue.pagination.total

        return paginate_pages(ContributionSummaryConnection, args, fetch)


_ERRORS = user_errors_field()


class ContributionPayload(graphene.ObjectType):
    """The contribution after the change."""

    contribution = graphene.Field(ContributionType, description="The contribution.")
    errors = _ERRORS


class SubmitContributionInput(graphene.InputObjectType):
    """A new translation, an edit of a published translation, or a new work."""

    kind = graphene.Field(ContributionKind, required=True, description="What is proposed.")
    text = graphene.String(required=True, description="Plain text; blank lines between stanzas or paragraphs.")
    title = graphene.String(description="Title (required for a new translation or work).")
    language = graphene.String(description="ISO 639 code (new translation or work).")
    work_slug = graphene.String(description="The work translated (new translation).")
    translation_id = graphene.ID(description="The translation edited (edit).")
    translator = graphene.Field(TranslatorChoice, description="Who made the translation (default SELF).")
    translator_name = graphene.String(description="The historical translator's name.")
    source = graphene.String(description="Where the text comes from (historical translations, new works).")
    licence = graphene.String(description="Licence or copyright status.")
    form = graphene.String(description="poetry, prose or drama (new work).")
    author_slug = graphene.String(description="An author in the library (new work).")
    author_name = graphene.String(description="A proposed author's name, when not in the library (new work).")
    date_from = graphene.Int(description="Composition began (new work).")
    date_to = graphene.Int(description="Composition ended (new work).")
    note = graphene.String(description="A note for the reviewers.")
    draft = graphene.Boolean(description="Save as a draft instead of submitting (default false).")


def _submit(ctx, input):
    submit = not input.get("draft")
    kind = enum_value(input["kind"])
    if kind == "new_translation":
        if not input.get("work_slug"):
            raise bad_input("Give `workSlug`.", "workSlug")
        work = service.work_by_slug(ctx.session, input["work_slug"])
        c = service.propose_translation(
            ctx.session, ctx.user, work.id, language=input.get("language") or "", title=input.get("title") or "",
            text=input["text"], translator=enum_value(input.get("translator")) or "self",
            translator_name=input.get("translator_name"), source=input.get("source"), licence=input.get("licence"),
            note=input.get("note"), submit=submit)
    elif kind == "edit_translation":
        if not input.get("translation_id"):
            raise bad_input("Give `translationId`.", "translationId")
        c = service.propose_edit(ctx.session, ctx.user, int_id(input["translation_id"], "translationId"),
                                 text=input["text"], title=input.get("title"), note=input.get("note"), submit=submit)
    else:
        c = service.propose_work(
            ctx.session, ctx.user, title=input.get("title") or "", language=input.get("language") or "",
            form=input.get("form") or "", text=input["text"], author=input.get("author_slug"),
            author_name=input.get("author_name"), date_from=input.get("date_from"), date_to=input.get("date_to"),
            source=input.get("source"), licence=input.get("licence"), note=input.get("note"), submit=submit)
    return {"contribution": c}


SubmitContribution = service_mutation(
    "SubmitContribution", "Propose a new translation, an edit, or a new work (verified contributors).",
    ContributionPayload, {"input": SubmitContributionInput(required=True, description="The proposal.")}, _submit)


def _expected(kwargs) -> dict:
    return {"expected_status": enum_value(kwargs.get("expected_status")),
            "expected_revision": kwargs.get("expected_revision")}


def _id_and_expected(**more) -> dict:
    """The arguments of a change to one contribution: its id, ``more``, and what the caller saw."""
    return {"id": graphene.ID(required=True, description="The contribution."), **more,
            "expected_status": graphene.Argument(ContributionStatus,
                                                 description="The status you saw; refused if it changed."),
            "expected_revision": graphene.Int(
                description="The revision number you saw; refused if a newer one exists.")}


def _revise(ctx, id, text=None, title=None, comment=None, draft=False, **kwargs):
    changes = {"title": title} if title is not None else {}
    return {"contribution": service.revise_contribution(
        ctx.session, ctx.user, int_id(id), text=text, comment=comment, submit=not draft, **_expected(kwargs),
        **changes)}


ReviseContribution = service_mutation(
    "ReviseContribution", "Send a new revision of your contribution (after changes were requested, or while waiting).",
    ContributionPayload, _id_and_expected(
        text=graphene.String(description="The new text (omit to keep it)."),
        title=graphene.String(description="A new title."),
        comment=graphene.String(description="What changed, for the reviewers."),
        draft=graphene.Boolean(description="Keep a draft as a draft (default false).")), _revise)


def _acting_on_one(name: str, doc: str, act, comment: graphene.String):
    """A mutation that calls ``act(session, actor, id, comment=..., expected...)``."""
    return service_mutation(name, doc, ContributionPayload, _id_and_expected(comment=comment),
                            lambda ctx, id, comment=None, **kwargs: {"contribution": act(
                                ctx.session, ctx.user, int_id(id), comment=comment, **_expected(kwargs))})


def _for_contributor(required: bool) -> graphene.String:
    return graphene.String(required=required,
                           description="For the contributor" + (" (required)." if required else "."))


WithdrawContribution = _acting_on_one(
    "WithdrawContribution", "Take back your contribution; it stays in the history.", service.withdraw_contribution,
    graphene.String(description="Why, for the reviewers."))
ApproveContribution = _acting_on_one(
    "ApproveContribution", "Approve and publish a pending contribution (reviewers; not your own).",
    service.approve_contribution, _for_contributor(False))
RejectContribution = _acting_on_one(
    "RejectContribution", "Decline a contribution for good, saying why (reviewers).", service.reject_contribution,
    _for_contributor(True))
RequestChanges = _acting_on_one(
    "RequestChangesContribution", "Send a contribution back with what to change (reviewers).",
    service.request_changes, _for_contributor(True))


class LineCommentPayload(graphene.ObjectType):
    """The comment written, and its thread as it is now."""

    comment = graphene.Field(LineCommentType, description="The new comment.")
    thread = graphene.Field(LineCommentThreadType, description="Its thread.")
    errors = _ERRORS


def _thread_payload(ctx, contribution_id: int, thread_id: int, comment=None) -> dict:
    thread = next(t for t in service.line_threads(ctx.session, ctx.user, contribution_id) if t.id == thread_id)
    return {"comment": comment, "thread": thread}


def _comment_on_line(ctx, contribution_id, body, line_key=None, thread_id=None):
    c_id = int_id(contribution_id, "contributionId")
    comment = service.comment_on_line(ctx.session, ctx.user, c_id, line_key=line_key, body=body,
                                      thread_id=int_id(thread_id, "threadId") if thread_id is not None else None)
    return _thread_payload(ctx, c_id, comment.thread_id or comment.id, comment)


def _resolve_line_comments(ctx, contribution_id, thread_id, resolved=True):
    c_id, t_id = int_id(contribution_id, "contributionId"), int_id(thread_id, "threadId")
    service.resolve_thread(ctx.session, ctx.user, c_id, t_id, resolved=resolved)
    return _thread_payload(ctx, c_id, t_id)


CommentOnLine = service_mutation(
    "CommentOnLine", "Comment on one line of a contribution under review, or reply in a thread "
    "(the contributor and reviewers).", LineCommentPayload, {
        "contribution_id": graphene.ID(required=True, description="The contribution."),
        "body": graphene.String(required=True, description="The comment (plain text, at most 5,000 characters)."),
        "line_key": graphene.String(description="The line's key in the latest revision (a new thread)."),
        "thread_id": graphene.ID(description="The thread to reply in (instead of `lineKey`).")}, _comment_on_line)
ResolveLineComments = service_mutation(
    "ResolveLineComments", "Mark a line's comment thread resolved, or open it again (the contributor and reviewers).",
    LineCommentPayload, {
        "contribution_id": graphene.ID(required=True, description="The contribution."),
        "thread_id": graphene.ID(required=True, description="The thread."),
        "resolved": graphene.Boolean(description="False to open it again (default true).")}, _resolve_line_comments)


class Mutation(graphene.ObjectType):
    submit_contribution = SubmitContribution.Field(description=SubmitContribution.__doc__)
    revise_contribution = ReviseContribution.Field(description=ReviseContribution.__doc__)
    withdraw_contribution = WithdrawContribution.Field(description=WithdrawContribution.__doc__)
    approve_contribution = ApproveContribution.Field(description=ApproveContribution.__doc__)
    reject_contribution = RejectContribution.Field(description=RejectContribution.__doc__)
    request_changes = RequestChanges.Field(description=RequestChanges.__doc__)
    comment_on_line = CommentOnLine.Field(description=CommentOnLine.__doc__)
    resolve_line_comments = ResolveLineComments.Field(description=ResolveLineComments.__doc__)
