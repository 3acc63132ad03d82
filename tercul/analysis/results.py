"""What the analysers find, as plain dataclasses that survive a JSON round trip.

A :class:`TextAnalysisResult` is stored per text revision (keyed by the text's hash and
``ANALYSER_VERSION``); ``to_dict()`` gives JSON-safe data and ``from_dict()`` reads it
back, ignoring keys it does not know (a result stored by an older version still loads).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _known(cls, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass
class LineAnalysis:
    """One line: syllables, its rhyme letter within its stanza, and (English) stresses."""

    syllables: int = 0
    rhyme: str | None = None  # letter, e.g. "A"; None for an empty line or prose
    stress: str | None = None  # English verse: the meter's beats over the syllables, "0101010101"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineAnalysis:
        return cls(**_known(cls, data))


@dataclass
class StanzaAnalysis:
    """A division that holds lines (stanza, paragraph, speech...)."""

    key: str
    lines: int
    line_keys: list[str] = field(default_factory=list)
    syllables: list[int] = field(default_factory=list)  # per line, in order
    rhyme_scheme: str | None = None  # e.g. "ABAB CDCD EFEF GG"; None for prose
    certain: bool = False  # False: the rhymes were guessed from spelling, or partly missing

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StanzaAnalysis:
        return cls(**_known(cls, data))


@dataclass
class Speaker:
    name: str
    lines: int
    share: float  # of the text's spoken lines, 0..1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        return cls(**_known(cls, data))


@dataclass
class TextAnalysisResult:
    """Everything found in one text. Fields an analyser could not fill stay empty or
    None, and ``notes`` says why (empty text, unknown script, text too long...)."""

    analyser_version: str
    form: str
    language_declared: str
    language_detected: str | None = None
    language_confidence: float | None = None
    language_supported: bool = False  # the detector knows the declared language
    language_mismatch: bool = False  # supported, detected, and not the declared one
    counts: dict[str, int] = field(default_factory=dict)  # lines, words, sentences, stanzas, paragraphs, characters
    type_token_ratio: float | None = None
    rare_words: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    lemmas_available: bool = False
    readability: dict[str, Any] | None = None  # {formula, score, band}
    meter: dict[str, Any] | None = None  # {name: "iambic pentameter", foot, feet, confidence}
    stanzas: list[StanzaAnalysis] = field(default_factory=list)
    rhyme_scheme: str | None = None  # whole poem, e.g. "ABAB CDCD EFEF GG"
    rhyme_certain: bool = False
    rhymed_share: float | None = None  # verse lines in a full rhyme (not slant), 0..1
    speakers: list[Speaker] = field(default_factory=list)
    lines: dict[str, LineAnalysis] = field(default_factory=dict)  # line key -> line
    facets: list[str] = field(default_factory=list)  # "sonnet", "rhymed", "iambic", "free verse"...
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextAnalysisResult:
        values = _known(cls, data)
        values["stanzas"] = [StanzaAnalysis.from_dict(s) for s in data.get("stanzas", [])]
        values["speakers"] = [Speaker.from_dict(s) for s in data.get("speakers", [])]
        values["lines"] = {k: LineAnalysis.from_dict(v) for k, v in data.get("lines", {}).items()}
        return cls(**values)


@dataclass
class StanzaSide:
    key: str
    lines: int
    syllables: list[int]
    rhyme_scheme: str | None


@dataclass
class StanzaPair:
    """An original stanza and the translation stanza aligned with it (either may be None)."""

    original: StanzaSide | None
    translation: StanzaSide | None
    lines_kept: bool
    rhyme_kept: bool | None  # None when neither side has a rhyme scheme
    syllables_kept: bool | None  # mean syllables per line within 15%; None without lines


@dataclass
class FormComparison:
    """An original's and a translation's form side by side, stanza by stanza."""

    stanzas: list[StanzaPair] = field(default_factory=list)
    totals: dict[str, dict[str, Any]] = field(default_factory=dict)  # "original"/"translation" -> figures
    kept: dict[str, bool | None] = field(default_factory=dict)  # stanzas, lines, rhyme_scheme, syllables, meter
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
