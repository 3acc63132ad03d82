"""Two versions of a text compared: per key, per word, grouped by block (no database)."""
from tercul.texts.diff import diff_by_segment, diff_texts, word_pieces
from tercul.texts.parsing import parse_plain_text


def poem(*stanzas: list[str]):
    return parse_plain_text("\n\n".join("\n".join(lines) for lines in stanzas), "poetry")


def test_word_level_diff():
    assert word_pieces("the grey stone", "the red stone") == [
        ("same", "the "), ("removed", "grey"), ("added", "red"), ("same", " stone")]
    old = parse_plain_text("a b\nc\n\nd", "poetry")
    new = parse_plain_text("a x\n\nd\ne", "poetry")
    rows = diff_texts(old, new).rows
    assert [(r.key, r.status) for r in rows] == [("1.1", "changed"), ("1.2", "removed"), ("2.1", "same"),
                                                 ("2.2", "added")]


def test_differences_are_grouped_by_block_with_unchanged_runs_folded():
    old = poem([f"line {n}" for n in range(1, 9)], ["x", "y"])
    new = poem([f"line {n}" if n != 6 else "line six" for n in range(1, 9)], ["x", "y", "z"])
    diff = diff_by_segment(old, new, context=1)
    shape = [(i.kind, i.label or i.hidden or (i.row.key, i.row.status)) for i in diff.items]
    assert shape == [
        ("heading", "Stanza 1"), ("gap", 4), ("row", ("1.5", "same")), ("row", ("1.6", "changed")),
        ("row", ("1.7", "same")), ("gap", 1), ("heading", "Stanza 2"), ("gap", 1), ("row", ("2.2", "same")),
        ("row", ("2.3", "added"))]
    changed = diff.items[3].row
    assert ("removed", "6") in changed.pieces and ("added", "six") in changed.pieces
    assert diff.summary == {"same": 9, "changed": 1, "added": 1, "removed": 0} and diff.changed == 2
    assert all(i.kind != "gap" for i in diff_by_segment(old, new, context=None).items)
    assert diff_by_segment(old, old).changed == 0
