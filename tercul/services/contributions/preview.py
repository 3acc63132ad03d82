"""A preview while typing: how a text would be read, saving nothing; texts to start from."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ...models import FORMS, Translation, User, Work
from ...texts.diff import SegmentDiff, diff_by_segment
from ...texts.model import leaf_divisions
from ...texts.parsing import parse_submission
from ...texts.rendering import plain_text_for_editing
from ...texts.side_by_side import AlignedText, align_with_original
from ...texts.structure import StructureWarning, compare_structure
from ...texts.validation import check_body
from ..accounts import require_contributor
from ..errors import Invalid, NotFound
from ..languages import language_name, normalize_language
from ..revisions import load_alignment, load_text
from .lifecycle import BLOCK_UNITS, require_work
from .validation import text_limit


@dataclass
class Preview:
    aligned: AlignedText | None
    warnings: list[StructureWarning]
    edit_diff: SegmentDiff | None
    error: str | None
    line_count: int = 0
    block_count: int = 0
    language: str | None = None  # the typed language's code, when it is one
    language_label: str | None = None
    original_language: str | None = None
    form: str = "poetry"

    @property
    def unit(self) -> str:
        """What a block of the text is called."""
        return BLOCK_UNITS.get(self.form, "stanza")


PREVIEW_MAX_ROWS = 2000


def preview(session: Session, actor: User | None, *, kind: str, text: str, work_id: int | None = None,
            translation_id: int | None = None, form: str | None = None, language: str | None = None) -> Preview:
    """How a text would be read: aligned with the original, with structure warnings,
    and for an edit its differences from the published text. Saves nothing."""
    require_contributor(actor)
    code = label = None
    if language and language.strip():
        try:
            code = normalize_language(language)
            label = language_name(code)
        except Invalid:
            code = None
    work = translation = model = original = None
    if kind == "edit_translation":
        translation = session.get(Translation, translation_id) if translation_id else None
        if translation is None:
            raise NotFound("There is no such translation.")
        work = translation.work
        model = load_text(session, translation.current_revision_id)
        original = load_text(session, work.current_revision_id)
    elif kind == "new_translation":
        work = require_work(session, work_id)
        original = model = load_text(session, work.current_revision_id)
    elif kind != "new_work":
        raise Invalid("kind", "Unknown kind of contribution.")
    shape = work.form if work is not None else (form if form in FORMS else "poetry")
    try:
        check_body(text, text_limit(), "text")
        parsed = parse_submission(text, shape, model)
    except Invalid as error:
        return Preview(None, [], None, error.message, language=code, language_label=label,
                       original_language=work.language if work else None, form=shape)
    warnings = compare_structure(original, parsed, shape) if original is not None else []
    links = load_alignment(session, translation.current_revision_id) if translation is not None else None
    return Preview(
        aligned=align_with_original(original, parsed, links=links, warnings=warnings, max_rows=PREVIEW_MAX_ROWS),
        warnings=warnings, edit_diff=diff_by_segment(model, parsed) if kind == "edit_translation" else None,
        error=None, line_count=sum(1 for _ in parsed.iter_lines()), block_count=len(leaf_divisions(parsed)),
        language=code or (translation.language if translation else None), language_label=label,
        original_language=work.language if work else None, form=shape)


def original_alone(session: Session, work: Work) -> AlignedText | None:
    """The work's original, block by block, for the translator to read before typing."""
    original = load_text(session, work.current_revision_id)
    return align_with_original(None, original, max_rows=PREVIEW_MAX_ROWS) if original is not None else None


def editable_text(session: Session, translation: Translation) -> str:
    """The published text of a translation as plain text, to start an edit from."""
    text = load_text(session, translation.current_revision_id)
    return plain_text_for_editing(text, translation.work.form) if text is not None else ""
