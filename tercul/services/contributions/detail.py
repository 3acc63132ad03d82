"""One contribution as its page shows it: the text beside the original, and comparisons."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ...models import Author, Contribution, ContributionRevision, Translation, User, Work
from ...texts.diff import SegmentDiff, diff_by_segment
from ...texts.model import Text, leaf_divisions
from ...texts.parsing import parse_submission
from ...texts.side_by_side import AlignedText, align_with_original
from ...texts.structure import StructureWarning, compare_structure
from ..errors import Invalid, NotFound
from ..revisions import load_alignment, load_text
from .lifecycle import BLOCK_UNITS, OPEN_STATUSES, allowed_actions, get_contribution, submission_model
from .line_comments import LineThread, may_discuss, threads_of


@dataclass
class ContributionView:
    """A contribution with what its pages show: the latest text beside the original,
    structure warnings, and, for an edit, its differences from the published text."""

    contribution: Contribution
    work: Work | None
    translation: Translation | None
    revision: ContributionRevision
    form: str
    aligned: AlignedText | None
    warnings: list[StructureWarning]
    edit_diff: SegmentDiff | None  # an edit against the published revision it is based on
    since_review: SegmentDiff | None  # the latest revision against the one reviewers last saw
    since_review_number: int | None
    original_changed: bool  # the work's original has a newer revision than the one translated
    base_changed: bool  # (edits) another revision of the translation was published meanwhile
    parse_error: str | None
    actions: set[str]
    line_count: int = 0
    block_count: int = 0
    author: Author | None = None
    threads: list[LineThread] = field(default_factory=list)  # comments on single lines
    can_discuss: bool = False  # the actor may comment on lines now
    line_keys: set[str] = field(default_factory=set)  # the keys of the latest revision's lines

    @property
    def orphan_threads(self) -> list[LineThread]:
        """Threads on lines the latest revision no longer has."""
        return [t for t in self.threads if t.line_key not in self.line_keys]

    @property
    def threads_by_line(self) -> dict[str, list[LineThread]]:
        """The line comment threads by the key of their line."""
        by_line: dict[str, list[LineThread]] = {}
        for thread in self.threads:
            by_line.setdefault(thread.line_key, []).append(thread)
        return by_line

    @property
    def unit(self) -> str:
        """What a block of the text is called."""
        return BLOCK_UNITS.get(self.form, "stanza")


def contribution_view(session: Session, actor: User | None, contribution_id: int) -> ContributionView:
    """Everything the contribution and review pages show."""
    c = get_contribution(session, actor, contribution_id)
    work = session.get(Work, c.work_id) if c.work_id is not None else None
    translation = session.get(Translation, c.translation_id) if c.translation_id is not None else None
    revision = c.revisions[-1]
    form = work.form if work is not None else (c.details or {}).get("form", "poetry")
    original = load_text(session, c.original_revision_id or (work.current_revision_id if work else None)) \
        if c.kind != "new_work" else None
    base = load_text(session, c.base_revision_id) if c.kind == "edit_translation" else None
    model = base if c.kind == "edit_translation" else original
    aligned, warnings, edit_diff, parse_error = None, [], None, None
    lines = blocks = 0
    keys: set[str] = set()
    try:
        text = parse_submission(revision.body, form, model)
    except Invalid as error:
        text, parse_error = None, error.message
    if text is not None:
        keys = {line.key for line in text.iter_lines()}
        lines, blocks = len(keys), len(leaf_divisions(text))
        if original is not None:
            warnings = compare_structure(original, text, form)
        links = load_alignment(session, c.base_revision_id) if c.kind == "edit_translation" and c.base_revision_id \
            else None
        aligned = align_with_original(original, text, links=links, warnings=warnings)
        if base is not None:
            edit_diff = diff_by_segment(base, text)
    since, since_number = _since_review(c, form, model)
    return ContributionView(
        contribution=c, work=work, translation=translation, revision=revision, form=form, aligned=aligned,
        warnings=warnings, edit_diff=edit_diff, since_review=since, since_review_number=since_number,
        original_changed=bool(work and c.kind != "new_work" and c.original_revision_id
                              and work.current_revision_id != c.original_revision_id and c.status != "approved"),
        base_changed=bool(translation and c.kind == "edit_translation" and c.status in OPEN_STATUSES
                          and translation.current_revision_id != c.base_revision_id),
        parse_error=parse_error, actions=allowed_actions(actor, c), line_count=lines, block_count=blocks,
        author=session.get(Author, c.details["author_id"]) if c.kind == "new_work" and c.details.get("author_id")
        else None, threads=threads_of(session, c), can_discuss=may_discuss(actor, c), line_keys=keys)


def _since_review(c: Contribution, form: str, model: Text | None) -> tuple[SegmentDiff | None, int | None]:
    """The latest revision against the one a reviewer last asked changes on."""
    asked = [e.revision_number for e in c.events if e.to_status == "changes_requested" and e.revision_number]
    if not asked or asked[-1] >= c.revision_number:
        return None, None
    before = next((r for r in c.revisions if r.number == asked[-1]), None)
    if before is None:
        return None, None
    try:
        return diff_by_segment(parse_submission(before.body, form, model),
                               parse_submission(c.revisions[-1].body, form, model)), before.number
    except Invalid:
        return None, None


@dataclass
class RevisionComparison:
    contribution: Contribution
    old: ContributionRevision
    new: ContributionRevision
    diff: SegmentDiff


def compare_contribution_revisions(session: Session, actor: User | None, contribution_id: int,
                                   old_number: int | None = None,
                                   new_number: int | None = None) -> RevisionComparison:
    """Two revisions of a contribution compared (by default the last two)."""
    c = get_contribution(session, actor, contribution_id)
    by_number = {r.number: r for r in c.revisions}
    new_number = new_number or c.revision_number
    old_number = old_number or max(new_number - 1, 1)
    if old_number not in by_number or new_number not in by_number:
        raise NotFound(f"This contribution has revisions 1 to {c.revision_number}.")
    form, model = submission_model(session, c)
    try:
        old = parse_submission(by_number[old_number].body, form, model)
        new = parse_submission(by_number[new_number].body, form, model)
    except Invalid as error:
        raise Invalid("text", f"A revision cannot be read: {error.message}") from None
    return RevisionComparison(c, by_number[old_number], by_number[new_number], diff_by_segment(old, new, context=None))

