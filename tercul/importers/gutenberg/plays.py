"""Plays: acts > scenes > speeches > lines, with speakers and stage directions.

Keys ``1`` (act), ``1.2`` (scene), ``1.2.5`` (speech, one speaker's turn),
``1.2.5.3`` (line). Parts outside the act/scene grid get natural keys: ``persons``
(dramatis personae), ``prologue``, ``induction``, ``epilogue`` at the top level and
``2.prologue`` for a chorus opening act 2."""
from __future__ import annotations

import re

from ...texts.model import Division, Line, Text
from .cleanup import drop_end_lines, skip_contents
from .common import Keys, indent_of, int_to_roman, parse_number, roman_to_int, smart_title, split_blocks


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
    num = parse_number(m.group("num"))
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
    num = parse_number(m.group("num"))
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
    if roman_to_int(core) is not None and core.isupper():
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
        self.keys = Keys()
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
            self.act = self._add(None, "act", f"Act {int_to_roman(num)}", num)
            self.act_num = num
        if scene is not None:
            self.scene_heading(*scene)

    def scene_heading(self, num: int, loc: str) -> None:
        self.started = True
        self._close_leaf()
        parent = self.act
        if parent is None and self.part is not None and self.part.title == "Induction":
            parent = self.part  # The Taming of the Shrew: Induction, Scenes I-II
        title = f"Scene {int_to_roman(num)}" + (f". {loc}" if loc else "")
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
            self._line(self.current_speech(), st, indent=indent_of(raw))
            prev_stage = False
            k += 1

    def finish(self) -> list[Division]:
        self._close_leaf()
        return self.top


def _is_act_or_scene(st: str) -> bool:
    return bool(_match_act(st) or _match_scene(st))


def _is_contents_entry(st: str) -> bool:
    return _is_act_or_scene(st) or _PART_RE.match(st) is not None


def _block_starts_speech_or_heading(block: list[tuple[int, str]] | None) -> bool:
    if block is None:
        return True
    st = block[0][1].strip()
    if _match_act(st) or _match_scene(st):
        return True
    if _PART_RE.match(st) and len(block) == 1:
        return True
    return len(block) > 1 and _match_speaker(st) is not None


def parse_drama(lines: list[tuple[int, str]], origin: str) -> Text:
    b = _DramaBuilder(origin)
    body = skip_contents(lines, heading=_is_act_or_scene, contents_entry=_is_contents_entry)
    blocks = split_blocks(drop_end_lines(body))
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
                    title = smart_title(st.rstrip(".:"))
                    k += 1
                b.persons = b._add(None, "section", title, "persons")
            for n, t in block[k:]:
                b.persons.lines.append(Line(
                    key=f"persons.{len(b.persons.lines) + 1}", text=t.strip(),
                    indent=indent_of(t)))
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


def count_drama_signals(lines: list[tuple[int, str]]) -> tuple[int, int]:
    headings = speakers = 0
    blocks = split_blocks(lines)
    for block in blocks:
        st = block[0][1].strip()
        if _match_act(st) or _match_scene(st):
            headings += 1
        elif len(block) > 1 and _match_speaker(st):
            speakers += 1
    return headings, speakers
