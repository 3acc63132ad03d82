"""Translating line by line: the original's lines with what was typed beside them.

The line-by-line editor is another way of typing the same text as the paste form: the
page sends one value per original line, :func:`typed_body` turns them into the plain
text that :mod:`.submitting` stores and checks as usual. :func:`line_editor` gives the
page the original's blocks and lines, the values to show (a draft's saved text) and the
check of each; :func:`check_translated_line` checks one line while it is typed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Contribution, TextLine, User, Work
from ...texts.line_editing import body_from_lines, check_line, lines_from_body
from ...texts.model import Line, Text, leaf_divisions
from ...texts.rendering import block_label
from ..accounts import require_contributor
from ..errors import Invalid, NotFound
from ..revisions import load_text

# longer originals are translated with the paste form (one page of inputs stays usable)
LINE_EDITOR_MAX_LINES = 1500


@dataclass
class EditorBlock:
    label: str
    lines: list[Line]


@dataclass
class LineEditor:
    """The original, block by block, and per line key what is typed and its check."""

    work: Work
    form: str
    blocks: list[EditorBlock]
    values: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def line_count(self) -> int:
        return sum(len(block.lines) for block in self.blocks)

    @property
    def translated(self) -> int:
        return sum(1 for value in self.values.values() if value.strip())


def _original(session: Session, work: Work) -> Text:
    text = load_text(session, work.current_revision_id)
    if text is None:
        raise NotFound("This work has no text to translate yet.")
    if sum(1 for _ in text.iter_lines()) > LINE_EDITOR_MAX_LINES:
        raise Invalid("text", f"This work has more than {LINE_EDITOR_MAX_LINES:,} lines: translate it with the "
                              "paste or upload form.")
    return text


def line_editor(session: Session, actor: User | None, work: Work, *, values: dict[str, str] | None = None,
                body: str | None = None) -> LineEditor:
    """The editor for ``work``: with the ``values`` sent back by the page, or a saved ``body``."""
    require_contributor(actor)
    original = _original(session, work)
    if values is None:
        values = lines_from_body(body, work.form, original) if body else {}
    blocks = [EditorBlock(block_label(d, i), d.lines) for i, d in enumerate(leaf_divisions(original), start=1)]
    notes = {line.key: check_line(line.text, values[line.key]) for block in blocks for line in block.lines
             if values.get(line.key, "").strip()}
    return LineEditor(work, work.form, blocks, values, notes)


def typed_body(session: Session, actor: User | None, work: Work, values: dict[str, str]) -> str:
    """The plain text of lines typed beside the original (``values``: line key -> line)."""
    require_contributor(actor)
    return body_from_lines(_original(session, work), work.form, values)


def check_translated_line(session: Session, actor: User | None, work: Work, key: str, typed: str) -> list[str]:
    """The check of one line while it is typed, against the original's line ``key`` (one query)."""
    require_contributor(actor)
    original = session.scalar(select(TextLine.text).where(TextLine.revision_id == work.current_revision_id,
                                                          TextLine.key == (key or "")[:100]))
    if original is None:
        raise NotFound("The original has no such line.")
    return check_line(original, typed or "")


def own_draft(session: Session, actor: User | None, work: Work) -> Contribution | None:
    """The actor's latest draft translation of ``work``, to continue rather than start again."""
    if actor is None or getattr(actor, "id", None) is None:
        return None
    return session.scalar(select(Contribution).where(
        Contribution.contributor_id == actor.id, Contribution.work_id == work.id,
        Contribution.kind == "new_translation", Contribution.status == "draft")
        .order_by(Contribution.updated_at.desc(), Contribution.id.desc()).limit(1))
