"""Human addresses of lines ("Act 3, scene 1, line 56"), not keys."""
from __future__ import annotations

from tercul.texts.addresses import format_address, line_addresses
from tercul.texts.alignment import DivisionRow, LineRow


def _div(position, key, parent, kind, first, end):
    return DivisionRow(position, key, parent, key.count("."), kind, None, first, end)


PLAY = {d.key: d for d in [
    _div(0, "3", None, "act", 0, 6), _div(1, "3.1", "3", "scene", 0, 6),
    _div(2, "3.1.18", "3.1", "speech", 0, 3), _div(3, "3.1.19", "3.1", "speech", 3, 6)]}
LINES = [LineRow(0, "3.1.0", "3.1", "stage", None, 0, "Enter Hamlet."),
         LineRow(1, "3.1.18.1", "3.1.18", "line", "HAMLET", 0, "a"),
         LineRow(2, "3.1.18.2", "3.1.18", "line", "HAMLET", 0, "b"),
         LineRow(3, "3.1.19.1", "3.1.19", "line", "OPHELIA", 0, "c"),
         LineRow(4, "3.1.19.2", "3.1.19", "stage", None, 0, "Exit."),
         LineRow(5, "3.1.19.3", "3.1.19", "line", "HAMLET", 0, "d")]


def test_lines_are_numbered_in_their_scene_through_speeches_and_without_stage_directions():
    out = line_addresses(LINES, PLAY, "drama")
    assert out["3.1.19.3"] == "Act 3, scene 1, line 4"
    assert out["3.1.18.1"] == "Act 3, scene 1, line 1"
    assert out["3.1.0"] == "Act 3, scene 1"


def test_a_part_that_starts_inside_a_scene_counts_the_lines_before_it():
    out = line_addresses(LINES[3:], PLAY, "drama", offsets={"3.1": 52})
    assert out["3.1.19.3"] == "Act 3, scene 1, line 54"


def test_a_poem_of_stanzas_is_numbered_through_and_prose_counts_paragraphs():
    divisions = {"1": _div(0, "1", None, "stanza", 0, 2), "2": _div(1, "2", None, "stanza", 2, 4)}
    lines = [LineRow(i, f"{i // 2 + 1}.{i % 2 + 1}", str(i // 2 + 1), "line", None, 0, "x") for i in range(4)]
    assert line_addresses(lines, divisions, "poetry")["2.2"] == "Line 4"
    assert line_addresses(lines, divisions, "prose")["2.1"] == "Paragraph 3"


def test_natural_keys_and_unnumbered_divisions():
    assert format_address([_div(0, "art.1", None, "article", 0, 1)], 2) == "Article 1, line 2"
    assert format_address([_div(0, "prologue", None, "prologue", 0, 1)], 3) == "Prologue, line 3"
