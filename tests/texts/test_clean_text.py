"""No control characters in stored lines: importers strip them, the text check refuses them."""
from __future__ import annotations

import pytest

from tercul.services.errors import Invalid
from tercul.texts.cleaning import clean_text, strip_control
from tercul.texts.model import Division, Line, Text
from tercul.texts.validation import check_body, check_text


def _text(*lines: str, title: str | None = "Book 10") -> Text:
    return Text(divisions=[Division(key="10", kind="book", title=title, lines=[
        Line(key=f"10.{i}", text=t) for i, t in enumerate(lines, 1)])])


def test_strip_control_keeps_tabs_and_letters():
    assert strip_control("a\x1ab\x0c\x7fc\td é") == "abc\td é"


def test_clean_text_drops_a_line_of_control_characters_only_and_keeps_the_other_keys():
    text = clean_text(_text("First line", "Sec\x07ond line", " \x1a", "Last line"))
    lines = list(text.iter_lines())
    assert [(line.key, line.text) for line in lines] == [("10.1", "First line"), ("10.2", "Second line"),
                                                          ("10.4", "Last line")]


def test_clean_text_cleans_speakers_and_titles():
    text = _text("A line", title="Act\x0c 3")
    text.divisions[0].lines[0].speaker = "\x1bHAMLET"
    clean_text(text)
    assert text.divisions[0].title == "Act 3"
    assert text.divisions[0].lines[0].speaker == "HAMLET"


@pytest.mark.parametrize("bad", ["\x1a", "word\x00word", "\x0b"])
def test_the_text_check_refuses_control_characters_in_a_line(bad):
    with pytest.raises(Invalid) as exc:
        check_text(_text("Fine", bad))
    assert "control characters" in exc.value.message and "10.2" in exc.value.message


def test_the_text_check_refuses_control_characters_in_a_title():
    with pytest.raises(Invalid, match="control characters"):
        check_text(_text("Fine", title="Book\x1a"))


def test_the_text_check_accepts_a_clean_text():
    check_text(_text("Fine", "\tIndented with a tab"))


def test_typed_text_with_control_characters_is_refused_with_a_clear_message():
    with pytest.raises(Invalid, match="control characters"):
        check_body("one line\n\x1a\n", 10_000)
