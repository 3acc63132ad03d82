"""Contributions: proposing translations, edits and works; reviewing and publishing them.

This package is the only place these rules live. The contribute and review pages and
the GraphQL mutations call the same functions; every function is told who acts
(``actor``) and never reads the request. Errors are the domain ones: ``Invalid(field,
message)`` for input the contributor can correct, ``Conflict`` for a duplicate or for
an action on a contribution that changed meanwhile, ``Forbidden`` / ``NotFound`` /
``Unauthenticated`` for who may do what. A caller that gets an error rolls back:
nothing is ever half-saved.

The life of a contribution::

    draft ──submit──▶ pending ──approve──▶ approved   (published)
                       │   ▲  ╲─reject──▶ rejected
         request changes   │ revise
                       ▼   │
                changes_requested ──reject──▶ rejected
    draft, pending, changes_requested ──withdraw──▶ withdrawn

- Verified contributors propose; only the contributor revises, submits or withdraws.
- Reviewers decide, never on their own contribution (four eyes), whatever the form.
- Every state change is a :class:`ReviewEvent`: who, when, from, to, comment, revision.
- A decision may name the status and revision number the reviewer saw; if the
  contribution moved on meanwhile it is refused with a ``Conflict``. The row is locked
  while it changes, so two reviewers cannot both act on the same state.
- Texts are stored exactly as typed (:class:`ContributionRevision.body`) and parsed
  into keyed trees shaped after the original (new translations) or after the published
  translation (edits), so that equal keys align.
- Refused: an empty text, one over ``TEXT_MAX_BYTES``, a language that is not ISO 639,
  a text the contributor already submitted for the same work and language, a text
  identical to the published one.
- Approving publishes in the same transaction (:mod:`tercul.services.publishing`).

Modules, by use case: :mod:`.submitting` (propose, revise, submit, withdraw), checked
by :mod:`.validation`; :mod:`.decisions` (approve, reject, request changes, bulk);
:mod:`.lifecycle` (statuses, labels, locks, events, who may see and do what);
:mod:`.line_comments` (threads on single lines, for reviewers and the contributor);
:mod:`.detail` (one contribution's page, revisions compared); :mod:`.review_queue`,
:mod:`.my_contributions` (lists, rows from :mod:`.listing`); :mod:`.navigation`
(cached counts); :mod:`.preview` (while typing); :mod:`.line_editor` (translating line by
line); :mod:`.pickers` (works, authors).
Callers use the names re-exported here.
"""
from __future__ import annotations

from ..revisions import load_text
from .decisions import (DECISIONS, BulkOutcome, approve_contribution, bulk_approve, decide, reject_contribution,
                        request_changes)
from .detail import ContributionView, RevisionComparison, compare_contribution_revisions, contribution_view
from .lifecycle import (ACTION_LABELS, BLOCK_UNITS, KIND_LABELS, KINDS, OPEN_STATUSES, STATUS_LABELS, allowed_actions,
                        can_see, get_contribution)
from .line_comments import (DISCUSSED_STATUSES, LineThread, comment_on_line, line_threads, may_discuss,
                            resolve_thread)
from .line_editor import (LINE_EDITOR_MAX_LINES, LineEditor, check_translated_line, line_editor, own_draft,
                          typed_body)
from .listing import ContributionItem
from .my_contributions import MyContributions, my_contributions
from .navigation import NavigationCounts, forget_navigation_counts, navigation_counts
from .pickers import WorkChoice, find_authors, find_works, translation_by_key, work_by_slug
from .preview import Preview, editable_text, original_alone, preview
from .review_queue import AGES, QUEUE_STATUSES, QueueFilters, ReviewQueue, clean_queue_filters, review_queue
from .submitting import (current_fields, propose_edit, propose_translation, propose_work, revise_contribution,
                         submit_contribution, withdraw_contribution)
from .validation import FIELDS, text_limit

__all__ = [
    "ACTION_LABELS", "AGES", "BLOCK_UNITS", "DECISIONS", "FIELDS", "KIND_LABELS", "KINDS", "OPEN_STATUSES",
    "QUEUE_STATUSES", "STATUS_LABELS", "allowed_actions", "approve_contribution", "bulk_approve", "BulkOutcome",
    "can_see", "clean_queue_filters", "comment_on_line", "DISCUSSED_STATUSES", "line_threads", "LineThread",
    "may_discuss", "resolve_thread", "LINE_EDITOR_MAX_LINES", "LineEditor", "check_translated_line", "line_editor",
    "own_draft", "typed_body", "compare_contribution_revisions", "contribution_view", "ContributionItem",
    "ContributionView", "current_fields", "decide", "editable_text", "find_authors", "find_works",
    "forget_navigation_counts", "get_contribution", "load_text", "my_contributions", "MyContributions",
    "navigation_counts", "NavigationCounts", "original_alone", "Preview", "preview", "propose_edit",
    "propose_translation", "propose_work", "QueueFilters", "reject_contribution", "request_changes", "review_queue",
    "ReviewQueue", "revise_contribution", "RevisionComparison", "submit_contribution", "text_limit",
    "translation_by_key", "withdraw_contribution", "work_by_slug", "WorkChoice",
]
