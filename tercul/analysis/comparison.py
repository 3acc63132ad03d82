"""An original's and a translation's form side by side, stanza by stanza."""
from __future__ import annotations

from .results import FormComparison, StanzaAnalysis, StanzaPair, StanzaSide, TextAnalysisResult

SYLLABLE_TOLERANCE = 0.15


def _side(stanza: StanzaAnalysis | None) -> StanzaSide | None:
    if stanza is None:
        return None
    return StanzaSide(stanza.key, stanza.lines, list(stanza.syllables), stanza.rhyme_scheme)


def _shape(scheme: str | None) -> str | None:
    """A scheme's pattern with letters renamed from A in each stanza: "CDCD" -> "ABAB"."""
    if not scheme:
        return None
    names: dict[str, str] = {}
    out = []
    for ch in scheme.replace(" ", ""):
        if ch not in names:
            names[ch] = chr(ord("A") + len(names) % 26)
        out.append(names[ch])
    return "".join(out)


def _mean(values: list[int]) -> float | None:
    values = [v for v in values if v]
    return sum(values) / len(values) if values else None


def _syllables_kept(a: list[int], b: list[int]) -> bool | None:
    ma, mb = _mean(a), _mean(b)
    if ma is None or mb is None:
        return None
    return abs(ma - mb) <= SYLLABLE_TOLERANCE * ma


def _pairs(original: list[StanzaAnalysis], translation: list[StanzaAnalysis],
           alignment: dict[str, str | list[str]] | None) -> list[tuple[StanzaAnalysis | None, StanzaAnalysis | None]]:
    by_line = {key: i for i, s in enumerate(original) for key in s.line_keys}
    by_key = {s.key: i for i, s in enumerate(original)}
    matched: dict[int, int] = {}  # original index -> translation index (first match wins)
    unmatched: list[int] = []
    for t_index, stanza in enumerate(translation):
        target = None
        for key in stanza.line_keys:
            mapped = (alignment or {}).get(key, key)
            for candidate in ([mapped] if isinstance(mapped, str) else list(mapped)):
                if candidate in by_line:
                    target = by_line[candidate]
                    break
            if target is not None:
                break
        if target is None:
            target = by_key.get(stanza.key)
        if target is None or target in matched:
            unmatched.append(t_index)
        else:
            matched[target] = t_index
    pairs = [(s, translation[matched[i]] if i in matched else None) for i, s in enumerate(original)]
    pairs.extend((None, translation[t]) for t in unmatched)
    return pairs


def compare_form(original: TextAnalysisResult, translation: TextAnalysisResult,
                 *, alignment: dict[str, str] | None = None) -> FormComparison:
    """Stanza pairs (lines, syllables per line, rhyme schemes), totals and what was kept.

    Stanzas pair through ``alignment`` (translation line key -> original line key(s)),
    then equal line keys, then equal stanza keys."""
    result = FormComparison()
    for o, t in _pairs(original.stanzas, translation.stanzas, alignment):
        lines_kept = o is not None and t is not None and o.lines == t.lines
        o_shape, t_shape = _shape(o.rhyme_scheme if o else None), _shape(t.rhyme_scheme if t else None)
        rhyme_kept = None if o_shape is None and t_shape is None else o_shape == t_shape
        syllables_kept = _syllables_kept(o.syllables, t.syllables) if o and t else None
        result.stanzas.append(StanzaPair(_side(o), _side(t), lines_kept, rhyme_kept, syllables_kept))
    for name, r in (("original", original), ("translation", translation)):
        syllables = [n for s in r.stanzas for n in s.syllables]
        result.totals[name] = {
            "stanzas": len(r.stanzas), "lines": r.counts.get("lines", 0), "words": r.counts.get("words", 0),
            "syllables": sum(syllables), "mean_syllables_per_line": round(_mean(syllables) or 0, 2),
            "rhyme_scheme": r.rhyme_scheme, "meter": (r.meter or {}).get("name"), "language": r.language_declared,
        }
    o_schemes = [_shape(s.rhyme_scheme) for s in original.stanzas]
    t_schemes = [_shape(s.rhyme_scheme) for s in translation.stanzas]
    o_syll = [n for s in original.stanzas for n in s.syllables]
    t_syll = [n for s in translation.stanzas for n in s.syllables]
    result.kept = {
        "stanzas": len(original.stanzas) == len(translation.stanzas),
        "lines": original.counts.get("lines") == translation.counts.get("lines"),
        "rhyme_scheme": None if not any(o_schemes + t_schemes) else o_schemes == t_schemes,
        "syllables": _syllables_kept(o_syll, t_syll),
        "meter": None if not original.meter else (
            translation.meter is not None and translation.meter.get("name") == original.meter.get("name")),
    }
    if not original.stanzas or not translation.stanzas:
        result.notes.append("one of the texts has no lines to compare")
    if translation.meter is None and original.meter and not translation.language_declared.startswith("en"):
        result.notes.append("meter is only detected for English")
    return result
