"""Front and back matter of a Project Gutenberg e-book: the licence header and footer
(and the header fields they carry), "Produced by" credits, the title and "by Author"
lines, a table of contents, "THE END". What remains is the body the form parsers
read, as (line number, text) pairs so that errors can name the line."""
from __future__ import annotations

import re
from collections.abc import Callable

from ..bundle_model import BundleError
from ...texts.cleaning import strip_control
from .common import norm_cmp


_START_RE = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE |THIS )?PROJECT GUTENBERG", re.I)
_END_RE = re.compile(
    r"^\s*\*{3}\s*END OF (?:THE |THIS )?PROJECT GUTENBERG", re.I)
_SMALL_PRINT_END_RE = re.compile(r"^\s*\*\s*END\s*\*\s*THE SMALL PRINT", re.I)
_OLD_END_RE = re.compile(
    r"^\s*(?:\*+\s*)?End of (?:the |this )?Project Gutenberg", re.I)
_OLD_HEADER_RE = re.compile(
    r"^\s*\**\s*(?:The )?Project Gutenberg(?:'s)? (?:E-?text|E-?book)", re.I)
_PRODUCED_RE = re.compile(
    r"^\s*(?:Produced|Prepared|E-?text prepared|Transcribed|This e-?text was)\b",
    re.I)
_HEADER_FIELD_RE = re.compile(r"^(Title|Author|Language|Translator)\s*:\s*(.*)$", re.I)
_BY_RE = re.compile(
    r"^\s*(?i:by)\s+((?:[A-Z][\w.'\-]*|de|da|van|von|der|du|la|le)"
    r"(?:[\s,]+(?:[A-Z][\w.'\-]*|de|da|van|von|der|du|la|le|of|the|and)){0,6})\s*$")
_END_LINE_RE = re.compile(
    r"^\s*(?:THE\s+END(?:\s+OF\s+THE\s+[A-Z]+\s+(?:BOOK|PART|CANTO|ACT))?|FINIS)\.?\s*$")
_END_LINE_MIXED_RE = re.compile(r"^\s*(?:The End|Finis)\.?\s*$")


def split_raw(raw: str) -> list[str]:
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    # a DOS end-of-file byte or a form feed is no part of a line (see texts.cleaning)
    return [strip_control(ln.expandtabs(8)).rstrip() for ln in raw.split("\n")]


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def _check_binary(raw: str, origin: str) -> None:
    sample = raw[:200_000]
    bad = len(_CONTROL_RE.findall(sample))
    if "\x00" in sample or bad > max(8, len(sample) // 200):
        m = _CONTROL_RE.search(raw)
        lineno = raw.count("\n", 0, m.start()) + 1 if m else 1
        raise BundleError(f"{origin}:{lineno}",
                          "binary data or control characters: not a plain-text e-book")


def _is_marker_candidate(ln: str) -> bool:
    return "*" in ln[:12] or "utenberg" in ln or "UTENBERG" in ln


def strip_licence(raw: str, origin: str) -> tuple[list[tuple[int, str]], dict]:
    """Return the body lines (numbered) and header fields (title, author...)."""
    _check_binary(raw, origin)
    lines = split_raw(raw)
    start = end = None
    small_print_end = None
    for i, ln in enumerate(lines):
        if not _is_marker_candidate(ln):
            continue
        if start is None and _START_RE.match(ln):
            start = i
        elif _END_RE.match(ln):
            if end is None:
                end = i
        elif small_print_end is None and _SMALL_PRINT_END_RE.match(ln):
            small_print_end = i
    if start is not None and end is None:
        # some editions close with "End of the Project Gutenberg EBook ..." only
        end = next((i for i in range(start + 1, len(lines))
                    if _is_marker_candidate(lines[i]) and _OLD_END_RE.match(lines[i])), None)
    if start is not None and end is None:
        raise BundleError(
            f"{origin}:{start + 1}",
            "'*** START OF' Project Gutenberg marker without an '*** END OF' marker "
            "(truncated file?)")
    if start is not None and end is not None and end < start:
        raise BundleError(f"{origin}:{end + 1}",
                          "'*** END OF' marker before the '*** START OF' marker")

    header_end = 0
    if start is not None:
        header_end = start + 1
    elif small_print_end is not None and small_print_end < len(lines) // 2:
        header_end = small_print_end + 1
    body_end = end if end is not None else len(lines)
    if start is None and small_print_end is not None and small_print_end >= len(lines) // 2:
        body_end = min(body_end, small_print_end)
    # the old footer line "End of the Project Gutenberg EBook of ..." precedes END
    for i in range(header_end, body_end):
        if _is_marker_candidate(lines[i]) and _OLD_END_RE.match(lines[i]):
            body_end = i
            break

    fields: dict[str, str] = {}
    head = lines[:header_end] if header_end else lines[:60]
    for j, ln in enumerate(head):
        m = _HEADER_FIELD_RE.match(ln.strip())
        if m and m.group(2).strip():
            key = m.group(1).lower()
            val = m.group(2).strip()
            # continuation lines of a long title are indented
            k = j + 1
            while k < len(head) and head[k].startswith((" ", "\t")) and head[k].strip():
                val += " " + head[k].strip()
                k += 1
            fields.setdefault(key, val)
    body = [(i + 1, lines[i]) for i in range(header_end, body_end)]
    # an old-style header line "The Project Gutenberg Etext of ..." without START
    if start is None and body and _OLD_HEADER_RE.match(body[0][1]):
        # skip the header paragraph
        k = 0
        while k < len(body) and body[k][1].strip():
            k += 1
        body = body[k:]
    if header_end == 0 and fields:
        # header fields without a START marker: drop the field lines themselves
        body = [(n, t) for (n, t) in body
                if n > 60 or not _HEADER_FIELD_RE.match(t.strip())]
    # "Produced by ..." credits right after the START marker
    k = 0
    while k < len(body) and not body[k][1].strip():
        k += 1
    if k < len(body) and _PRODUCED_RE.match(body[k][1]) and header_end:
        while k < len(body) and body[k][1].strip():
            k += 1
        body = body[k:]
    # '>From' is an mbox escape found in old e-texts
    body = [(n, t[1:] if t.startswith(">From") else t) for (n, t) in body]
    return body, fields


def take_title(body: list[tuple[int, str]], title_hint: str | None
               ) -> tuple[list[tuple[int, str]], str | None, str | None]:
    """Consume the title and 'by Author' lines at the top of the body."""
    idx = [i for i, (_, t) in enumerate(body[:40]) if t.strip()]
    if not idx:
        return body, None, None
    first = idx[0]
    first_text = body[first][1].strip()
    # "TITLE" followed (within three lines) by "by AUTHOR"
    for k in idx[1:4]:
        m = _BY_RE.match(body[k][1])
        if m and len(m.group(1)) < 80:
            title = " ".join(body[i][1].strip() for i in idx if i < k)
            if len(title) <= 150:
                return body[k + 1:], title, m.group(1)
            break
    if title_hint and norm_cmp(first_text) == norm_cmp(title_hint):
        rest = body[first + 1:]
        # an author line may still follow
        nxt = [i for i, (_, t) in enumerate(rest[:6]) if t.strip()]
        if nxt and _BY_RE.match(rest[nxt[0]][1]):
            return rest[nxt[0] + 1:], first_text, _BY_RE.match(rest[nxt[0]][1]).group(1)
        return rest, first_text, None
    return body, None, None


def drop_end_lines(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop "THE END", "THE END OF THE FIRST BOOK.", "FINIS" (and a final "The End")."""
    tail = [i for i, (_, t) in enumerate(body) if t.strip()][-3:]
    return [(n, t) for i, (n, t) in enumerate(body)
            if not _END_LINE_RE.match(t) and not (i in tail and _END_LINE_MIXED_RE.match(t))]


CONTENTS_RE = re.compile(r"^(?:table of )?contents?[.:]?$", re.I)


def skip_contents(lines: list[tuple[int, str]],
                  heading: Callable[[str], bool] | None = None,
                  contents_entry: Callable[[str], bool] | None = None,
                  ) -> list[tuple[int, str]]:
    """Drop a table of contents printed before the text (newer Gutenberg editions).

    For a play, ``heading`` tells an act or scene heading (met before "Contents": there
    is no table) and ``contents_entry`` a line of the table, which is a run of such
    entries after "Contents". Without them (prose) the table ends where its first
    entry appears again as a real heading."""
    for i, (_, t) in enumerate(lines[:400]):
        st = t.strip()
        if heading is not None and heading(st):
            return lines
        if not CONTENTS_RE.match(st):
            continue
        j = i + 1
        if contents_entry is not None:
            while j < len(lines):
                s2 = lines[j][1].strip()
                if not s2 or contents_entry(s2):
                    j += 1
                    continue
                break
            return lines[:i] + lines[j:]
        entries = [k for k in range(i + 1, min(len(lines), i + 400)) if lines[k][1].strip()]
        if not entries:
            return lines
        first = norm_cmp(lines[entries[0]][1])
        for k in range(entries[0] + 1, len(lines)):
            if first and norm_cmp(lines[k][1]) == first:
                # the real heading follows the last contents line
                return lines[:i] + lines[k:]
        return lines
    return lines
