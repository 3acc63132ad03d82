"""Plain text from contributors becomes a keyed text aligned with its original."""
import pytest

from samples import sample_bundle
from tercul.services.diff import diff_texts, word_pieces
from tercul.services.errors import Invalid
from tercul.services.text_input import check_body, compare_structure, decode_upload, parse_plain_text


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
    from tercul.services.contributions import plain_text_for_editing

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


def test_word_level_diff():
    assert word_pieces("the grey stone", "the red stone") == [
        ("same", "the "), ("removed", "grey"), ("added", "red"), ("same", " stone")]
    old = parse_plain_text("a b\nc\n\nd", "poetry")
    new = parse_plain_text("a x\n\nd\ne", "poetry")
    rows = diff_texts(old, new).rows
    assert [(r.key, r.status) for r in rows] == [("1.1", "changed"), ("1.2", "removed"), ("2.1", "same"),
                                                 ("2.2", "added")]
