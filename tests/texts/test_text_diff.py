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
    assert diff.summary == {"same": 9, "changed": 1, "added": 1, "removed": 0, "moved": 0} and diff.changed == 2
    assert all(i.kind != "gap" for i in diff_by_segment(old, new, context=None).items)
    assert diff_by_segment(old, old).changed == 0


# --- by content, not by key -------------------------------------------------------------------

STANZA = ["the bell rings over the hill", "and the grey stone answers", "a crow lifts from the field",
          "the river keeps its counsel", "evening gathers in the elms", "a lamp is lit in the mill",
          "the miller counts his sacks", "and the bell is still"]


def test_a_line_inserted_before_others_leaves_them_unchanged():
    new = ["an owl wakes in the barn", *STANZA]
    diff = diff_texts(poem(STANZA), poem(new))
    assert diff.summary() == {"same": 8, "changed": 0, "added": 1, "removed": 0, "moved": 0}
    first, second = diff.rows[0], diff.rows[1]
    assert (first.key, first.status, first.new) == ("1.1", "added", "an owl wakes in the barn")
    # the line's key shifted (1.1 -> 1.2), its text did not
    assert (second.key, second.old_key, second.status) == ("1.2", "1.1", "same")


def test_a_moved_line_is_one_moved_row_not_removed_and_added():
    new = STANZA[1:6] + [STANZA[0]] + STANZA[6:]
    diff = diff_texts(poem(STANZA), poem(new))
    assert diff.summary() == {"same": 7, "changed": 0, "added": 0, "removed": 0, "moved": 1}
    moved = next(r for r in diff.rows if r.status == "moved")
    assert (moved.key, moved.old_key, moved.new) == ("1.6", "1.1", STANZA[0])
    assert [r.status for r in diff.rows].index("moved") == 5  # shown where it is now


def test_moved_and_edited_lines_in_a_reordered_stanza():
    # stanzas swapped and one word changed: the shorter stanza moved, the longer stayed;
    # not "8 added, 6 removed"
    other = ["snow on the roofs", "snow on the road", "no one passes"]
    old, new = poem(STANZA, other), poem(other, [*STANZA[:3], "the river keeps her counsel", *STANZA[4:]])
    diff = diff_by_segment(old, new, context=None)
    assert diff.summary == {"same": 7, "changed": 1, "added": 0, "removed": 0, "moved": 3}
    changed = next(i.row for i in diff.items if i.kind == "row" and i.row.status == "changed")
    assert changed.pieces == [("same", "the river keeps "), ("removed", "its"), ("added", "her"),
                              ("same", " counsel")]
    headings = [i.label for i in diff.items if i.kind == "heading"]
    assert headings == ["Stanza 1", "Stanza 2"]


def test_a_rewritten_block_pairs_the_most_similar_lines():
    old = ["one grey morning", "the cat sat on the mat", "nothing else"]
    new = ["the cat sat upon the mat", "a brand new line here", "another one", "nothing else at all"]
    rows = diff_texts(poem(old), poem(new)).rows
    assert [(r.status, r.old_key, r.key) for r in rows] == [
        ("removed", "1.1", "1.1"), ("changed", "1.2", "1.1"), ("added", None, "1.2"), ("added", None, "1.3"),
        ("changed", "1.3", "1.4")]
    # as many lines as before: each rewritten in place, however different
    rows = diff_texts(poem(old), poem(["a", "b", "c"])).rows
    assert [(r.status, r.old_key, r.key) for r in rows] == [("changed", f"1.{n}", f"1.{n}") for n in (1, 2, 3)]


def test_a_very_large_rewrite_is_paired_by_position():
    old = [f"verse {n} of the old text" for n in range(100)]
    new = [f"verse {n} of the new text" for n in range(100)] + ["one more"]
    diff = diff_texts(poem(old), poem(new))
    assert diff.summary()["changed"] == 100 and diff.summary()["added"] == 1
    assert diff.rows[7].old_key == "1.8" == diff.rows[7].key


def test_spaces_between_changed_words_join_the_change():
    assert word_pieces("the grey old stone", "the red new stone") == [
        ("same", "the "), ("removed", "grey old"), ("added", "red new"), ("same", " stone")]
    assert word_pieces("same", "same") == [("same", "same")]
    assert word_pieces("", "new words") == [("added", "new words")]


def test_lines_swapped_in_place_are_moved_not_changed():
    old = ["the first line here", "a middle line", "another middle", "the last line there"]
    new = [old[3], old[1], old[2], old[0]]
    rows = diff_texts(poem(old), poem(new)).rows
    assert [(r.status, r.old_key, r.key) for r in rows] == [
        ("moved", "1.4", "1.1"), ("same", "1.2", "1.2"), ("same", "1.3", "1.3"), ("moved", "1.1", "1.4")]
