"""Plain text in, a keyed text tree out.

Contributors paste plain text with blank lines between stanzas or paragraphs. For a
translation the blocks are given the keys of the original's divisions in order, and
lines the keys of the original's lines, so the reading view aligns them; where the
shapes differ :func:`tercul.texts.structure.compare_structure` says where.
"""
from __future__ import annotations

import re

from ..services.errors import Invalid
from .model import Division, Line, Text, leaf_divisions, unique_key

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")


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


def parse_plain_text(body: str, form: str, original: Text | None = None) -> Text:
    """Turn pasted text into a keyed tree of blocks, shaped after ``original`` when given.

    Verse and drama: a block is a stanza (or speech); its lines are lines. Prose: a
    block is a paragraph, stored as one line. With an original, block *i* takes the
    key of the original's *i*-th division holding lines (prose: paragraph *i* takes
    the key of the original's *i*-th line), so equal keys align. The blocks are not
    nested in the original's acts or books: :func:`parse_submission` does that.
    """
    blocks = blocks_of(body)
    if not blocks:
        raise Invalid("text", "the text is empty")
    if form == "prose":
        return _prose(blocks, original)
    return _verse(blocks, original)


def parse_submission(body: str, form: str, model: Text | None = None) -> Text:
    """The typed text as a keyed tree, shaped after ``model`` when given.

    ``model`` is the original (a new translation) or the published translation (an
    edit). Blocks take the model's block keys in order, lines its line keys; the
    model's enclosing divisions (acts, scenes, books) are kept around them, so that a
    translated play keeps its acts. Raises :class:`Invalid` for an empty text.
    """
    flat = parse_plain_text(body, form, model)
    return _nest_like(model, flat) if model is not None else flat


def _verse(blocks, original: Text | None) -> Text:
    leaves = leaf_divisions(original) if original else []
    taken: set[str] = set()
    divisions = []
    for i, block in enumerate(blocks):
        model = leaves[i] if i < len(leaves) else None
        key = unique_key(model.key if model else str(i + 1), taken)
        lines = []
        for j, (indent, content) in enumerate(block):
            if model is not None and j < len(model.lines):
                line_key = model.lines[j].key
            else:
                line_key = f"{key}.{j + 1}"
            lines.append(Line(key=unique_key(line_key, taken), text=content, indent=indent,
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
            by_division[division.key] = Division(key=unique_key(division.key, taken), kind=division.kind,
                                                 title=division.title)
            order.append(by_division[division.key])
        target = by_division[division.key]
        key = model_line.key if model_line else f"{division.key}.{len(target.lines) + 1}"
        target.lines.append(Line(key=unique_key(key, taken), text=paragraph))
    return Text(divisions=order)


def _nest_like(model: Text, flat: Text) -> Text:
    chains: dict[str, list[Division]] = {}  # block key -> its enclosing divisions in the model

    def walk(divisions: list[Division], chain: list[Division]) -> None:
        for d in divisions:
            if d.lines:
                chains[d.key] = chain
            walk(d.divisions, chain + [d])

    walk(model.divisions, [])
    if not any(chains.values()):
        return flat
    taken = {a.key for chain in chains.values() for a in chain} - set(chains)
    copies: dict[str, Division] = {}
    roots: list[Division] = []
    container: list[Division] = roots  # where the previous block went
    for block in flat.divisions:
        chain = chains.get(block.key)
        if chain is not None:
            container = roots
            for ancestor in chain:
                node = copies.get(ancestor.key)
                if node is None:
                    node = Division(key=ancestor.key, kind=ancestor.kind, title=ancestor.title)
                    copies[ancestor.key] = node
                    container.append(node)
                container = node.divisions
        # a block of the model keeps its key; a generated one must not take an enclosing division's
        model_block = chain is not None
        if not model_block:
            block.key = unique_key(block.key, taken)
        taken.add(block.key)
        for line in block.lines:
            line.key = unique_key(line.key, taken)
        node = Division(key=block.key, kind=block.kind, title=block.title, lines=block.lines)
        if model_block:
            copies[block.key] = node
        container.append(node)
    return Text(divisions=roots)
