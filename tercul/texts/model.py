"""A text in memory: a tree of divisions that end in lines, every node with a key.

A :class:`Division` (book, act, scene, poem, stanza, chapter, paragraph, speech,
article...) holds either sub-divisions or lines. Every node has a *key* that is part of
the text's meaning (``1.2.7``, ``art.1``, ``19.23.1``), unique within its text, and
stable across re-imports and edits (see ``DESIGN.md``).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

DIVISION_KINDS = (
    "book", "part", "act", "scene", "chapter", "poem", "canto", "stanza",
    "paragraph", "speech", "article", "psalm", "section", "verse", "prologue",
    "epilogue", "preamble",
)
FORMS = ("poetry", "prose", "drama")


@dataclass
class Line:
    key: str
    text: str
    speaker: str | None = None
    indent: int = 0  # leading indentation kept for verse, in spaces
    kind: str = "line"  # line | stage (stage direction) | heading


@dataclass
class Division:
    key: str
    kind: str
    title: str | None = None
    divisions: list[Division] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


@dataclass
class Text:
    divisions: list[Division] = field(default_factory=list)

    def iter_lines(self) -> Iterator[Line]:
        """Yield every line in reading order."""
        stack = list(reversed(self.divisions))
        while stack:
            d = stack.pop()
            yield from d.lines
            stack.extend(reversed(d.divisions))


def leaf_divisions(text: Text) -> list[Division]:
    """Divisions that hold lines, in reading order."""
    out: list[Division] = []

    def walk(divisions: list[Division]) -> None:
        for d in divisions:
            if d.lines:
                out.append(d)
            walk(d.divisions)

    walk(text.divisions)
    return out


def unique_key(key: str, taken: set[str]) -> str:
    """``key``, or ``key-2``, ``key-3``... whichever is not in ``taken`` (then taken)."""
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate
