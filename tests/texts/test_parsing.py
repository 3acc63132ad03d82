"""Plain text from contributors becomes a keyed text aligned with its original (no database)."""
import pytest

from samples import sample_bundle
from tercul.services.errors import Invalid
from tercul.texts.checksums import content_checksum, text_checksum
from tercul.texts.model import Division, Line, Text, unique_key
from tercul.texts.parsing import parse_plain_text, parse_submission
from tercul.texts.rendering import plain_text_for_editing
from tercul.texts.structure import compare_structure
from tercul.texts.validation import check_body, check_text, decode_upload


def original_poem():
    return sample_bundle().works[1].text  # stanzas "1" (2 lines, one indented) and "2" (1 line)


def test_blocks_take_the_original_keys_and_keep_indentation():
    text = parse_plain_text("Graue Steine\r\n    und ein Tor\n \nDer Garten schweigt\n", "poetry", original_poem())
    assert [d.key for d in text.divisions] == ["1", "2"]
    assert [(ln.key, ln.text, ln.indent) for ln in text.iter_lines()] == [
        ("1.1", "Graue Steine", 0), ("1.2", "und ein Tor", 4), ("2.1", "Der Garten schweigt", 0)]
    assert compare_structure(original_poem(), text, "poetry") == []


def test_structure_warnings_say_where_the_shapes_differ():
    text = parse_plain_text("eins\nzwei\ndrei\n\nvier\n\nfünf", "poetry", original_poem())
    messages = [w.message for w in compare_structure(original_poem(), text, "poetry")]
    assert messages == [
        "The original has 2 stanzas; this text has 3.",
        "Stanza 1 has 3 lines; the original has 2.",
        "Stanza 3 has no counterpart in the original.",
    ]
    keys = [ln.key for ln in text.iter_lines()]
    assert len(keys) == len(set(keys)) and keys[:3] == ["1.1", "1.2", "1.3"]


def test_speeches_keep_their_speakers():
    play = sample_bundle().works[2].text
    text = parse_plain_text("Eintritt.\nIst das der Weg?\nEr war es.", "drama", play)
    assert [(ln.key, ln.speaker) for ln in text.iter_lines()] == [
        ("1.1.1", None), ("1.1.2", "FIRST"), ("1.1.3", "SECOND")]


def test_prose_paragraphs_map_to_the_original_lines():
    original = parse_plain_text("One para.\n\nTwo para\ncontinued.", "prose")
    assert [ln.text for ln in original.iter_lines()] == ["One para.", "Two para continued."]
    translation = parse_plain_text("Ein Absatz.\n\nZwei.\n\nDrei.", "prose", original)
    assert [ln.key for ln in translation.iter_lines()] == ["1.1", "1.2", "1.3"]
    assert [w.message for w in compare_structure(original, translation, "prose")] == [
        "The original has 2 paragraphs; this text has 3."]


def test_round_trip_to_plain_text():
    body = "a\n  b\n\nc"
    assert plain_text_for_editing(parse_plain_text(body, "poetry"), "poetry") == body


@pytest.mark.parametrize("body, message", [
    ("   \n\n ", "empty"), ("x" * 2000, "limit is 1,000"), ("bell\x07", "control characters")])
def test_bad_bodies_are_refused(body, message):
    with pytest.raises(Invalid, match=message):
        check_body(body, max_bytes=1000)


def test_upload_must_be_utf8():
    assert decode_upload("\ufeffÄ".encode("utf-8")) == "Ä"
    with pytest.raises(Invalid, match="UTF-8"):
        decode_upload("Ä".encode("latin-1"))


def test_a_translated_play_keeps_its_acts_and_scenes():
    play = Text(divisions=[Division("1", "act", "Act I", divisions=[
        Division("1.1", "scene", "Scene 1", lines=[Line("1.1.1", "Who's there?", "BERNARDO"),
                                                   Line("1.1.2", "Nay, answer me.", "FRANCISCO")]),
        Division("1.2", "scene", "Scene 2", lines=[Line("1.2.1", "Though yet...", "KING")])])])
    text = parse_submission("Wer da?\nNein, antwortet mir.\n\nObwohl...\n\nEine Zugabe", "drama", play)
    act = text.divisions[0]
    assert (act.key, act.title) == ("1", "Act I")
    assert [d.key for d in act.divisions] == ["1.1", "1.2", "3"]
    assert [(ln.key, ln.speaker) for ln in act.divisions[0].lines] == [("1.1.1", "BERNARDO"),
                                                                        ("1.1.2", "FRANCISCO")]


def test_generated_keys_never_collide_with_enclosing_divisions():
    model = Text(divisions=[Division("2", "book", divisions=[Division("1", "poem", lines=[Line("l1", "a")])])])
    text = parse_submission("x\n\ny", "poetry", model)
    keys = [d.key for d in text.divisions[0].divisions] + [ln.key for ln in text.iter_lines()]
    assert "2" not in keys and len(keys) == len(set(keys))


def test_prose_round_trips_through_the_edit_box():
    text = parse_submission("One para.\n\nTwo para\ncontinued.", "prose")
    plain = plain_text_for_editing(text, "prose")
    assert plain == "One para.\n\nTwo para continued."
    assert content_checksum(parse_submission(plain, "prose"), "prose") == content_checksum(text, "prose")


def test_checksums_tell_what_changed():
    text = parse_plain_text("a\n  b\n\nc", "poetry")
    rekeyed = parse_plain_text("a\n  b\n\nc", "poetry")
    rekeyed.divisions[1].key = "x"
    assert content_checksum(rekeyed, "poetry") == content_checksum(text, "poetry")  # keys do not count
    assert text_checksum(rekeyed) != text_checksum(text)  # the exact tree does
    reindented = parse_plain_text("a\nb\n\nc", "poetry")
    assert content_checksum(reindented, "poetry") != content_checksum(text, "poetry")


@pytest.mark.parametrize("text, where, message", [
    (Text(), "text", "empty"),
    (Text([Division("1", "stanza")]), "text", "no lines"),
    (Text([Division("1", "stanza", lines=[Line("1", "a")])]), "text.divisions[0].lines[0]", "used twice"),
    (Text([Division("", "stanza", lines=[Line("1.1", "a")])]), "text.divisions[0]", "no key"),
])
def test_check_text_names_the_bad_node(text, where, message):
    with pytest.raises(Invalid, match=message) as err:
        check_text(text)
    assert err.value.field == where


def test_unique_keys_get_a_suffix():
    taken = {"1"}
    assert [unique_key("1", taken), unique_key("1", taken), unique_key("2", taken)] == ["1-2", "1-3", "2"]
