"""The analysers on small made-up and public-domain texts (no demo sources needed)."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tercul.analysis import ANALYSER_VERSION, TextAnalysisResult, analyse, compare_form
from tercul.texts.model import Division, Line, Text


def poem(*stanzas: list[str], speakers: list[str] | None = None) -> Text:
    return Text([Division(str(s + 1), "stanza", lines=[Line(f"{s + 1}.{i + 1}", text) for i, text in enumerate(lines)])
                 for s, lines in enumerate(stanzas)])


SONNET_18 = [
    "Shall I compare thee to a summer's day?", "Thou art more lovely and more temperate:",
    "Rough winds do shake the darling buds of May,", "And summer's lease hath all too short a date:",
    "Sometime too hot the eye of heaven shines,", "And often is his gold complexion dimm'd,",
    "And every fair from fair sometime declines,", "By chance, or nature's changing course untrimm'd:",
    "But thy eternal summer shall not fade,", "Nor lose possession of that fair thou ow'st,",
    "Nor shall death brag thou wander'st in his shade,", "When in eternal lines to time thou grow'st,",
    "So long as men can breathe, or eyes can see,", "So long lives this, and this gives life to thee.",
]


def test_sonnet_18_form_and_round_trip():
    result = analyse(poem(SONNET_18), language="en", form="poetry")
    assert result.analyser_version == ANALYSER_VERSION
    assert result.rhyme_scheme == "ABAB CDCD EFEF GG"
    assert result.stanzas[0].rhyme_scheme == "ABAB CDCD EFEF GG"
    assert result.meter["name"] == "iambic pentameter" and result.meter["confidence"] >= 0.7
    assert {"sonnet", "rhymed", "iambic"} <= set(result.facets)
    assert result.counts["lines"] == 14 and result.counts["stanzas"] == 1 and result.counts["words"] == 114
    assert result.lines["1.1"].syllables == 10 and result.lines["1.1"].rhyme == "A"
    assert result.lines["1.14"].rhyme == "G" and result.lines["1.3"].stress == "0101010101"
    assert result.language_detected == "en" and not result.language_mismatch and result.language_supported
    assert result.lemmas_available and 0 < result.type_token_ratio < 1
    assert "summer" in result.keywords
    assert result.readability["formula"] == "Flesch reading ease"
    data = json.loads(json.dumps(result.to_dict()))
    assert TextAnalysisResult.from_dict(data) == result
    data["added_by_a_later_version"] = 1
    assert TextAnalysisResult.from_dict(data).rhyme_scheme == result.rhyme_scheme


@pytest.mark.parametrize("language, lines, scheme", [
    ("de", ["Wer reitet so spät durch Nacht und Wind?", "Es ist der Vater mit seinem Kind;",
            "Er hat den Knaben wohl in dem Arm,", "Er faßt ihn sicher, er hält ihn warm."], "AA BB"),
    ("fr", ["Souvent, pour s'amuser, les hommes d'équipage", "Prennent des albatros, vastes oiseaux des mers,",
            "Qui suivent, indolents compagnons de voyage,", "Le navire glissant sur les gouffres amers."], "ABAB"),
    ("es", ["La luna brilla en el camino,", "el viento canta su canción,", "y sigue el viejo peregrino",
            "con esperanza el corazón."], "ABAB"),
    ("it", ["Nel mezzo del cammin di nostra vita", "mi ritrovai per una selva oscura,",
            "ché la diritta via era smarrita.", "Ahi quanto a dir qual era è cosa dura"], "ABAB"),
    ("ru", ["Я помню чудное мгновенье:", "Передо мной явилась ты,", "Как мимолетное виденье,",
            "Как гений чистой красоты."], "ABAB"),
])
def test_rhyme_schemes_in_other_languages(language, lines, scheme):
    result = analyse(poem(lines), language=language, form="poetry")
    assert result.rhyme_scheme == scheme
    assert result.language_detected == language and not result.language_mismatch
    assert all(n > 0 for n in result.stanzas[0].syllables)
    if language in ("fr", "ru"):
        assert not result.rhyme_certain
        assert any("uncertain" in note for note in result.notes)
    assert result.meter is None and any("English only" in note for note in result.notes)


def test_stanzas_letter_on_across_the_poem():
    result = analyse(poem(["The cat sat on the mat", "The dog lay in the sun", "A rat ran from the cat",
                           "And all the day was done"],
                          ["I saw a ship at sea", "Upon the morning tide", "It sailed away from me",
                           "Across the ocean wide"]), language="en", form="poetry")
    assert [s.rhyme_scheme for s in result.stanzas] == ["ABAB", "ABAB"]
    assert result.rhyme_scheme == "ABAB CDCD"
    assert result.lines["2.1"].rhyme == "A"  # letters in lines are per stanza


def test_language_mismatch_and_unsupported_languages():
    english = ["All human beings are born free and equal in dignity and rights.",
               "They are endowed with reason and conscience."]
    declared_german = analyse(poem(english), language="de", form="prose")
    assert declared_german.language_detected == "en" and declared_german.language_mismatch
    tifinagh = analyse(poem(["ⴰⵔ ⵜⵜⵍⴰⵍⴰⵏ ⵎⴰⵕⵕⴰ ⵉⵡⴷⴰⵏ ⴳ ⵜⵍⴻⵍⵍⵉⵜ ⴷ ⵜⴳⴰⴷⴰ ⴳ ⵡⴰⴷⴷⵓⵔ ⴷ ⵢⵉⵣⵔⴼⴰⵏ"]),
                       language="tzm-Tfng", form="prose")
    assert not tifinagh.language_supported and not tifinagh.language_mismatch
    assert tifinagh.readability is None and tifinagh.counts["words"] > 0
    assert any("does not know" in note for note in tifinagh.notes)
    assert any("syllables are not counted" in note for note in tifinagh.notes)
    cyrillic_azerbaijani = analyse(poem(["Бүтүн инсанлар ләјагәт вә һүгугларына ҝөрә азад вә бәрабәр доғулурлар."]),
                                   language="az-Cyrl", form="prose")
    assert not cyrillic_azerbaijani.language_supported and not cyrillic_azerbaijani.language_mismatch


def test_lemmas_readability_and_rare_words():
    latin = analyse(poem(["Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae."]),
                    language="la", form="prose")
    assert latin.lemmas_available and latin.language_detected == "la"
    assert latin.readability is None  # no formula for Latin
    german = analyse(poem(["Alle Menschen sind frei und gleich an Würde und Rechten geboren. "
                           "Sie sind mit Vernunft und Gewissen begabt."]), language="de", form="prose")
    assert german.readability["formula"] == "Flesch-Amstad" and german.counts["sentences"] == 2
    easy = analyse(poem(["The cat sat. The dog ran. We had fun. It was a good day."]), language="en", form="prose")
    assert easy.readability["band"] == "very easy" and easy.counts["paragraphs"] == 1
    rare = analyse(poem(["Her audit answered must be, and her quietus is to render thee."]), language="en",
                   form="poetry")
    assert "quietus" in rare.rare_words and "thee" not in rare.rare_words


def test_drama_speakers_and_their_share():
    text = Text([Division("1", "scene", lines=[
        Line("1.1", "Who's there?", speaker="BERNARDO"), Line("1.2", "Nay, answer me: stand, and unfold yourself.",
                                                               speaker="FRANCISCO"),
        Line("1.3", "Long live the king!", speaker="BERNARDO"), Line("1.4", "Enter HORATIO", kind="stage"),
        Line("1.5", "Bernardo?", speaker="FRANCISCO"), Line("1.6", "He.", speaker="BERNARDO")])])
    result = analyse(text, language="en", form="drama")
    assert [(s.name, s.lines, s.share) for s in result.speakers] == [("BERNARDO", 3, 0.6), ("FRANCISCO", 2, 0.4)]
    assert result.counts["lines"] == 5  # the stage direction is not a spoken line
    assert result.rhyme_scheme is None


@pytest.mark.parametrize("text", [Text(), poem([]), poem(["", "   "]), poem(["...!?"]), None])
def test_empty_texts_give_a_note(text):
    result = analyse(text, language="en", form="poetry")
    assert result.counts.get("words", 0) == 0 and result.rhyme_scheme is None and result.meter is None
    assert result.notes


def test_very_long_lines_and_texts_give_partial_results_quickly():
    long_line = analyse(poem(["word " * 20000, "a short line"]), language="en", form="poetry")
    assert any("longer than" in note for note in long_line.notes)
    assert long_line.lines["1.1"].syllables == 0 and long_line.lines["1.2"].syllables == 3
    lines = [SONNET_18[i % 14] for i in range(30000)]
    started = time.perf_counter()
    many = analyse(poem(lines), language="en", form="poetry")
    assert time.perf_counter() - started < 60
    assert many.counts["lines"] == 30000 and len(many.lines) == 12000
    assert any("first 12,000 lines" in note for note in many.notes)
    assert many.meter["name"] == "iambic pentameter"


def test_compare_form_pairs_stanzas_through_the_alignment():
    original = analyse(poem(["The cat sat on the mat", "The dog lay in the sun", "A rat ran from the cat",
                             "And all the day was done"]), language="en", form="poetry")
    german_text = Text([Division("a", "stanza", lines=[
        Line("a.1", "Die Katze saß auf ihrem Platz"), Line("a.2", "Und fing im Garten einen Spatz"),
        Line("a.3", "Der Hund lag in der Sonne hier"), Line("a.4", "Und schlief bis morgen früh um vier")])])
    german = analyse(german_text, language="de", form="poetry")
    comparison = compare_form(original, german, alignment={"a.1": "1.1", "a.2": "1.2", "a.3": "1.3", "a.4": "1.4"})
    [pair] = comparison.stanzas
    assert pair.original.key == "1" and pair.translation.key == "a"
    assert pair.original.rhyme_scheme == "ABAB" and pair.translation.rhyme_scheme == "AA BB"
    assert pair.lines_kept and pair.rhyme_kept is False and pair.syllables_kept is False  # 6 against 8
    assert comparison.kept["lines"] and comparison.kept["rhyme_scheme"] is False
    assert comparison.totals["original"]["lines"] == comparison.totals["translation"]["lines"] == 4
    json.dumps(comparison.to_dict())
    unaligned = compare_form(original, german)  # no shared keys: the German stanza stands alone
    assert [(p.original is None, p.translation is None) for p in unaligned.stanzas] == [(False, True), (True, False)]
    same = compare_form(original, original)
    assert same.kept == {"stanzas": True, "lines": True, "rhyme_scheme": True, "syllables": True, "meter": True}
    assert original.meter["name"] == "iambic trimeter"


def test_nothing_is_downloaded():
    """The analysers load every model and list from their installed packages: with
    sockets refused, a fresh interpreter analyses English, German and Latin."""
    code = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network use during analysis")
socket.socket.connect = refuse
socket.create_connection = refuse
from tercul.analysis import analyse
from tercul.texts.model import Division, Line, Text
for language, line in [("en", "Shall I compare thee to a summer's day?"),
                       ("de", "Wer reitet so spät durch Nacht und Wind?"),
                       ("la", "Gallia est omnis divisa in partes tres.")]:
    r = analyse(Text([Division("1", "stanza", lines=[Line("1.1", line)])]), language=language, form="poetry")
    assert r.language_detected == language and r.lemmas_available, r
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("language, line", [
    ("zh-Hans", "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。"),
    ("ja", "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。"),
    ("ko", "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다."),
    ("ar", "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق."),
    ("hi", "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता प्राप्त है।"),
])
def test_scripts_without_spaces_or_syllable_rules_give_partial_results(language, line):
    result = analyse(poem([line, line]), language=language, form="poetry")
    assert result.language_supported and not result.language_mismatch
    assert result.counts["words"] > 0 and result.counts["lines"] == 2
    assert result.notes
