"""Human addresses of lines: "Act 3, scene 1, line 56" rather than the key ``3.1.19.3``.

Keys name a line for machines (links, alignment, comments); readers cite a line by the
divisions an edition numbers (book, act, scene, chapter, canto...) and its line number
in the innermost of them, counting spoken or written lines only (stage directions and
headings are not numbered). Divisions that only group lines (stanzas, speeches,
paragraphs) are left out of the address. Pure: the reading view and search hits both
use it over the rows they have (:func:`line_addresses`), and the reading service counts
the lines before a part that starts inside a numbered division (``offsets``).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .alignment import DivisionRow, LineRow

# divisions that group lines without being cited: their lines are numbered through
GROUPING_KINDS = frozenset({"stanza", "speech", "paragraph", "verse"})
_NUMBER = re.compile(r"(\d+)$")
_SEPARATOR = re.compile(r"[._\-\s]+")


def unit_name(form: str) -> str:
    """What a numbered line is called in a text of ``form``."""
    return "paragraph" if form == "prose" else "line"


def division_label(d: DivisionRow) -> str:
    """``act 3`` for an act keyed ``3``; ``article 1`` for ``art.1``; ``prologue`` alone."""
    tail = _SEPARATOR.split(d.key)[-1] if d.key else ""
    match = _NUMBER.search(tail)
    if d.kind in ("prologue", "epilogue", "preamble") or not tail:
        return d.kind
    return f"{d.kind} {match.group(1) if match else tail}"


def citable_chain(divisions: Mapping[str, DivisionRow], division_key: str) -> list[DivisionRow]:
    """The numbered divisions holding a line of division ``division_key``, outermost first."""
    chain: list[DivisionRow] = []
    key: str | None = division_key
    while key is not None and key in divisions and len(chain) < 64:
        d = divisions[key]
        if d.kind not in GROUPING_KINDS:
            chain.append(d)
        key = d.parent_key
    return list(reversed(chain))


def format_address(chain: Sequence[DivisionRow], number: int | None, unit: str = "line") -> str:
    """``Act 3, scene 1, line 56``: the chain's labels, then the line's number."""
    parts = [division_label(d) for d in chain]
    if number is not None:
        parts.append(f"{unit} {number}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def line_addresses(lines: Sequence[LineRow], divisions: Mapping[str, DivisionRow], form: str,
                   offsets: Mapping[str | None, int] | None = None) -> dict[str, str]:
    """The address of each line of ``lines`` (in reading order), by key.

    Lines are numbered within their innermost numbered division (or the whole text);
    ``offsets`` gives, for a division that starts before the first of ``lines``, how
    many numbered lines it holds before them. Stage directions and headings get the
    address of their division alone.
    """
    counts: dict[str | None, int] = dict(offsets or {})
    unit = unit_name(form)
    out: dict[str, str] = {}
    for line in lines:
        chain = citable_chain(divisions, line.division_key)
        where = chain[-1].key if chain else None
        if line.kind == "line":
            counts[where] = counts.get(where, 0) + 1
            out[line.key] = format_address(chain, counts[where], unit)
        else:
            out[line.key] = format_address(chain, None) if chain else ""
    return out
