"""Texts typed or uploaded by people: plain text in, a keyed text tree out.

Contributors paste plain text with blank lines between stanzas or paragraphs. For a
translation the blocks are given the keys of the original's divisions in order, and
lines the keys of the original's lines, so the reading view aligns them; where the
shapes differ :func:`compare_structure` says where, before anything is submitted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..texts.model import Division, Line, Text
from .errors import Invalid

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_body(body: str, max_bytes: int, field: str = "text") -> str:
    """The text as given, after checks: not empty, not too large, no control characters."""
    if body is None or not body.strip():
        raise Invalid(field, "the text is empty")
    size = len(body.encode("utf-8"))
    if size > max_bytes:
        raise Invalid(field, f"the text is {size:,} bytes; the limit is {max_bytes:,}")
    if _CONTROL.search(body):
        raise Invalid(field, "the text contains control characters; paste plain text")
    return body


def decode_upload(data: bytes, field: str = "file") -> str:
    """A ``.txt`` upload as text (UTF-8, with or without BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(field, "the file is not UTF-8 plain text") from None


def blocks_of(body: str) -> list[list[tuple[int, str]]]:
    """Blocks separated by blank lines; each line with its leading indentation."""
    normalised = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    blocks = []
    for block in _BLANK.split(normalised):
        lines = []
        for raw in block.split("\n"):
            if not raw.strip():
                continue
            expanded = raw.replace("\t", "    ").rstrip()
            indent = len(expanded) - len(expanded.lstrip(" \u00a0"))
            lines.append((indent, expanded.strip()))
        if lines:
            blocks.append(lines)
    return blocks


def leaf_divisions(text: Text) -> list[Division]:
    """Divisions that hold lines, in reading order."""
    out: list[Division] = []

    def walk(divisions):
        for d in divisions:
            if d.lines:
                out.append(d)
            walk(d.divisions)

    walk(text.divisions)
    return out


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate


def parse_plain_text(body: str, form: str, original: Text | None = None) -> Text:
    """Turn pasted text into a keyed tree, shaped after ``original`` when given.

    Verse and drama: a block is a stanza (or speech); its lines are lines. Prose: a
    block is a paragraph, stored as one line. With an original, block *i* takes the
    key of the original's *i*-th division holding lines (prose: paragraph *i* takes
    the key of the original's *i*-th line), so equal keys align.
    """
    blocks = blocks_of(body)
    if not blocks:
        raise Invalid("text", "the text is empty")
    if form == "prose":
        return _prose(blocks, original)
    return _verse(blocks, original)


def _verse(blocks, original: Text | None) -> Text:
    leaves = leaf_divisions(original) if original else []
    taken: set[str] = set()
    divisions = []
    for i, block in enumerate(blocks):
        model = leaves[i] if i < len(leaves) else None
        key = _unique(model.key if model else str(i + 1), taken)
        lines = []
        for j, (indent, content) in enumerate(block):
            if model is not None and j < len(model.lines):
                line_key = model.lines[j].key
            else:
                line_key = f"{key}.{j + 1}"
            lines.append(Line(key=_unique(line_key, taken), text=content, indent=indent,
                              speaker=model.lines[j].speaker if model and j < len(model.lines) else None))
        divisions.append(Division(key=key, kind=model.kind if model else "stanza",
                                  title=model.title if model else None, lines=lines))
    return Text(divisions=divisions)


def _prose(blocks, original: Text | None) -> Text:
    paragraphs = [" ".join(content for _, content in block) for block in blocks]
    taken: set[str] = set()
    if original is None:
        return Text(divisions=[Division(key="1", kind="chapter", lines=[
            Line(key=f"1.{i + 1}", text=p) for i, p in enumerate(paragraphs)])])
    leaves = leaf_divisions(original)
    slots = [(d, line) for d in leaves for line in d.lines]
    by_division: dict[str, Division] = {}
    order: list[Division] = []
    last = leaves[-1] if leaves else Division(key="1", kind="chapter")
    for i, paragraph in enumerate(paragraphs):
        division, model_line = slots[i] if i < len(slots) else (last, None)
        if division.key not in by_division:
            by_division[division.key] = Division(key=_unique(division.key, taken), kind=division.kind,
                                                 title=division.title)
            order.append(by_division[division.key])
        target = by_division[division.key]
        key = model_line.key if model_line else f"{division.key}.{len(target.lines) + 1}"
        target.lines.append(Line(key=_unique(key, taken), text=paragraph))
    return Text(divisions=order)


@dataclass
class StructureWarning:
    key: str | None  # the division (or line) concerned, None for the whole text
    message: str


def compare_structure(original: Text, translation: Text, form: str) -> list[StructureWarning]:
    """Where a translation's shape differs from its original's, in words a translator reads."""
    warnings: list[StructureWarning] = []
    if form == "prose":
        o_lines = sum(len(d.lines) for d in leaf_divisions(original))
        t_lines = sum(len(d.lines) for d in leaf_divisions(translation))
        if o_lines != t_lines:
            warnings.append(StructureWarning(None, f"The original has {o_lines} paragraphs; this text has {t_lines}."))
        return warnings
    unit = "speech" if any(line.speaker for d in leaf_divisions(original) for line in d.lines) else "stanza"
    o_leaves, t_leaves = leaf_divisions(original), leaf_divisions(translation)
    if len(o_leaves) != len(t_leaves):
        warnings.append(StructureWarning(
            None, f"The original has {len(o_leaves)} {unit}s; this text has {len(t_leaves)}."))
    for i, (o, t) in enumerate(zip(o_leaves, t_leaves), start=1):
        if len(o.lines) != len(t.lines):
            warnings.append(StructureWarning(
                o.key, f"{unit.capitalize()} {i} has {len(t.lines)} lines; the original has {len(o.lines)}."))
    for i, o in enumerate(o_leaves[len(t_leaves):], start=len(t_leaves) + 1):
        warnings.append(StructureWarning(o.key, f"{unit.capitalize()} {i} of the original has no counterpart."))
    for i, t in enumerate(t_leaves[len(o_leaves):], start=len(o_leaves) + 1):
        warnings.append(StructureWarning(t.key, f"{unit.capitalize()} {i} has no counterpart in the original."))
    return warnings
