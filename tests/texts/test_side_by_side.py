"""A submitted text beside its original, for contributors and reviewers (no database)."""
from tercul.texts.model import Division, Line, Text
from tercul.texts.side_by_side import align_with_original
from tercul.texts.structure import StructureWarning


def poem(*stanzas: list[str], keys: str = "") -> Text:
    return Text(divisions=[Division(f"{keys}{s}", "stanza", lines=[
        Line(f"{keys}{s}.{n}", line) for n, line in enumerate(lines, start=1)])
        for s, lines in enumerate(stanzas, start=1)])


def test_lines_align_by_key_and_extras_sit_where_they_fall():
    original = poem(["a", "b"], ["c"])
    text = Text(divisions=[Division("1", "stanza", lines=[Line("1.1", "A"), Line("1.2", "B"), Line("1.3", "B+")]),
                           Division("3", "stanza", lines=[Line("3.1", "Z")])])
    aligned = align_with_original(original, text, warnings=[
        StructureWarning(None, "whole"), StructureWarning("2", "stanza two"), StructureWarning("3", "extra")])
    first, second = aligned.blocks
    # lines without a counterpart follow the last line that has one, in the submission's order
    assert [(r.original.text if r.original else None, [ln.text for ln in r.lines]) for r in first.rows] == [
        ("a", ["A"]), ("b", ["B"]), (None, ["B+"]), (None, ["Z"])]
    assert [(r.original.text, r.missing) for r in second.rows] == [("c", True)]
    assert second.warnings == ["stanza two"] and aligned.warnings == ["whole", "extra"]
    assert (first.label, second.label) == ("Stanza 1", "Stanza 2")


def test_an_explicit_alignment_map_comes_first():
    original = poem(["a", "b"])
    text = Text(divisions=[Division("x", "stanza", lines=[Line("x1", "B and A"), Line("x2", "more")])])
    aligned = align_with_original(original, text, links={"x1": ["1.2"], "x2": ["nowhere"]})
    rows = aligned.blocks[0].rows
    assert [(r.original.key if r.original else None, [ln.key for ln in r.lines]) for r in rows] == [
        ("1.1", []), ("1.2", ["x1"]), (None, ["x2"])]


def test_a_text_without_original_and_a_long_preview():
    text = poem(["a", "b", "c"], ["d", "e"])
    aligned = align_with_original(None, text, max_rows=4)
    assert not aligned.has_original and aligned.shown_rows == 4 and aligned.hidden_rows == 1
    assert [len(b.rows) for b in aligned.blocks] == [3, 1]
