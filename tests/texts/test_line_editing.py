"""Translating line by line: inputs to plain text and back, and the per-line check (no database)."""
from tercul.texts.line_editing import body_from_lines, check_line, lines_from_body
from tercul.texts.parsing import parse_plain_text

ORIGINAL = parse_plain_text("one grey stone\n  two grey stones\nthree\n\nfour\nfive", "poetry")


def test_typed_lines_become_the_pasted_text_and_back():
    values = {"1.1": "ein grauer Stein", "1.2": "  zwei graue\nSteine", "1.3": "drei", "2.1": "vier", "2.2": "fünf"}
    body = body_from_lines(ORIGINAL, "poetry", values)
    assert body == "ein grauer Stein\n  zwei graue Steine\ndrei\n\nvier\nfünf"
    assert lines_from_body(body, "poetry", ORIGINAL) == {**values, "1.2": "  zwei graue Steine"}


def test_empty_lines_and_blocks_are_left_out():
    assert body_from_lines(ORIGINAL, "poetry", {"1.1": "eins", "1.3": "  ", "2.2": "fünf", "9.9": "x"}) == \
        "eins\n\nfünf"
    assert body_from_lines(ORIGINAL, "poetry", {}) == ""
    prose = parse_plain_text("First paragraph.\n\nSecond one.", "prose")
    assert body_from_lines(prose, "prose", {"1.1": " Erster. ", "1.2": "Zweiter."}) == "Erster.\n\nZweiter."
    assert lines_from_body("", "poetry", ORIGINAL) == {}


def test_check_line():
    assert check_line("one grey stone on the hill", "ein grauer Stein am Hügel") == []
    assert check_line("one grey stone", " ")[0].startswith("Empty")
    assert "control characters" in check_line("one", "ein\x07")[0]
    assert check_line("one", "ein  ") == ["Ends with spaces (they are not kept)."]
    assert "more than one line" in check_line("one grey stone", "x" * 60)[0]
    assert "part of the line missing" in check_line("one grey stone on the hill, alone", "ein")[0]
    assert check_line("O!", "Oh, wie lange schon und immer wieder!") == []  # short originals vary
