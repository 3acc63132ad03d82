"""Alignment of a text with its translations, parts of long texts, line anchors (no database)."""
from __future__ import annotations

import pytest

from tercul.texts import alignment
from tercul.texts.alignment import COARSE, DIVISION, EXPLICIT, LINE, DivisionRow, LineRow, align_side, segment_bounds
from tercul.texts.parts import plan_parts


def lines(spec: dict[str, int], start: int = 0) -> tuple[list[LineRow], dict[str, DivisionRow]]:
    """Lines ``d.1..d.n`` for each division ``d`` of ``spec`` (in order), and the divisions."""
    out, divisions, position = [], {}, start
    for i, (key, n) in enumerate(spec.items()):
        first = position
        for k in range(1, n + 1):
            out.append(LineRow(position, f"{key}.{k}", key, "line", None, 0, f"{key} line {k}"))
            position += 1
        divisions[key] = DivisionRow(i, key, None, 0, "stanza", None, first, position)
    return out, divisions


def test_equal_keys_align_line_by_line():
    o, od = lines({"1": 4, "2": 4})
    t, td = lines({"1": 4, "2": 4})
    side = align_side(o, od, t, td, {})
    assert side.level == [LINE] * 8
    assert list(zip(side.lo, side.hi)) == [(i, i) for i in range(8)]
    assert segment_bounds(8, [side]) == [(i, i + 1) for i in range(8)]


def test_a_division_with_other_lines_falls_back_to_division_level():
    o, od = lines({"1": 4, "2": 4})
    t, td = lines({"1": 4, "2": 3})  # the translation's stanza 2 has a line fewer
    side = align_side(o, od, t, td, {})
    assert side.level[:4] == [LINE] * 4
    assert side.level[4:] == [DIVISION] * 3
    assert all((lo, hi) == (4, 7) for lo, hi in zip(side.lo[4:], side.hi[4:]))
    # stanza 2 is one segment; stanza 1 stays line by line
    assert segment_bounds(8, [side]) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 8)]


def test_explicit_links_win_and_can_join_lines():
    o, od = lines({"1": 4})
    t, td = lines({"1": 3})
    links = {"1.1": ["1.1", "1.2"], "1.2": ["1.3"], "1.3": ["1.4"]}
    side = align_side(o, od, t, td, links)
    assert side.level == [EXPLICIT] * 3
    assert side.targets[0] == ("1.1", "1.2")
    assert segment_bounds(4, [side]) == [(0, 2), (2, 3), (3, 4)]


def test_crossing_links_merge_segments_rather_than_reorder_a_text():
    o, od = lines({"1": 4})
    t, td = lines({"1": 4})
    links = {"1.1": ["1.2"], "1.2": ["1.1"], "1.3": ["1.3"], "1.4": ["1.4"]}
    side = align_side(o, od, t, td, links)
    assert segment_bounds(4, [side]) == [(0, 2), (2, 3), (3, 4)]


def test_two_translations_share_the_cuts_both_allow():
    o, od = lines({"1": 4})
    a = align_side(o, od, *lines({"1": 4}), {})
    b = align_side(o, od, *lines({"1": 3}), {"1.1": ["1.1", "1.2"], "1.2": ["1.3"], "1.3": ["1.4"]})
    assert segment_bounds(4, [a, b]) == [(0, 2), (2, 3), (3, 4)]


def test_a_structure_with_no_shared_keys_is_one_passage():
    o, od = lines({"1": 3})
    t, td = lines({"x": 2})
    side = align_side(o, od, t, td, {})
    assert set(side.level) <= COARSE
    assert segment_bounds(3, [side]) == [(0, 3)]


def test_nested_divisions_fall_back_to_the_nearest_shared_ancestor():
    o = [LineRow(i, f"1.{i + 1}", "1", "line", None, 0, "o") for i in range(4)]
    od = {"p": DivisionRow(0, "p", None, 0, "poem", None, 0, 4), "1": DivisionRow(1, "1", "p", 1, "stanza", None, 0, 4)}
    t = [LineRow(i, f"a.{i + 1}", "a", "line", None, 0, "t") for i in range(5)]
    td = {"p": DivisionRow(0, "p", None, 0, "poem", None, 0, 5), "a": DivisionRow(1, "a", "p", 1, "stanza", None, 0, 5)}
    side = align_side(o, od, t, td, {})
    assert side.level == [DIVISION] * 5 and side.lo[0] == 0 and side.hi[0] == 3


def division(position, key, parent, first, end, depth=0, title=None, kind="act"):
    return DivisionRow(position, key, parent, depth, kind, title, first, end)


def test_short_texts_are_one_part_and_long_ones_follow_their_divisions():
    assert [p.key for p in plan_parts([division(0, "1", None, 0, 14)], 14)] == [""]
    acts = [division(0, "1", None, 0, 1000, title="Act 1"), division(1, "1.1", "1", 0, 400, 1, "Scene 1", "scene"),
            division(2, "1.2", "1", 400, 1000, 1, "Scene 2", "scene"),
            division(3, "2", None, 1000, 1200, title="Act 2")]
    parts = plan_parts(acts, 1200)
    assert [(p.key, p.first_line, p.end_line) for p in parts] == [
        ("1.1", 0, 400), ("1.2", 400, 1000), ("2", 1000, 1200)]
    assert parts[0].label == "Scene 1"


def test_a_long_division_without_children_is_cut_into_runs():
    parts = plan_parts([division(0, "book1", None, 0, 1000, title="Book I")], 1000)
    assert [p.key for p in parts] == ["book1", "book1~2", "book1~3", "book1~4"]
    assert parts[1].first_line == 300 and parts[-1].end_line == 1000


def test_short_sibling_parts_are_joined():
    scenes = [division(0, "1", None, 0, 700, title="Act 1")] + [
        division(i + 1, f"1.{i + 1}", "1", i * 100, (i + 1) * 100, 1, f"Scene {i + 1}", "scene") for i in range(7)]
    parts = plan_parts(scenes, 700)
    assert [(p.first_line, p.end_line) for p in parts] == [(0, 300), (300, 600), (600, 700)]
    assert parts[0].label == "Scene 1 – Scene 3"


@pytest.mark.parametrize("key, anchor", [("1.2.7", "l-1.2.7"), ("art.1", "l-art.1"), ("l14", "l-l14"),
                                         ("a b", "l-a_20_b"), ("x_y", "l-x_5f_y"), ("é", "l-_e9_")])
def test_line_anchors_are_safe_ids_and_reversible(key, anchor):
    assert alignment.line_anchor(key) == anchor
    assert alignment.anchor_key(anchor) == key
