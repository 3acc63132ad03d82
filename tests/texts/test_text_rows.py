"""The reading view's rows: an original beside its translations, built from plain rows (no database)."""
from __future__ import annotations

from tercul.texts.alignment import DivisionRow, LineRow
from tercul.texts.rows import ReaderColumn, TextSource, build_rows, display_number


def source(role: str, language: str, stanzas: dict[str, list[str]], *, title: str | None = None,
           translator: str | None = None, links: dict[str, list[str]] | None = None) -> TextSource:
    """A text of stanzas ``key -> lines`` (line keys ``key.n``), as the reading view loads it."""
    lines, divisions, position = [], {}, 0
    for i, (key, texts) in enumerate(stanzas.items()):
        first = position
        for n, text in enumerate(texts, start=1):
            lines.append(LineRow(position, f"{key}.{n}", key, "line", None, 0, text))
            position += 1
        divisions[key] = DivisionRow(i, key, None, 0, "stanza", title if i == 0 else None, first, position)
    column = ReaderColumn(role, None if role == "original" else language, language, "ltr", "T", translator)
    return TextSource(column, 1, divisions, lines, links or {})


def test_equal_keys_give_one_row_per_line_with_anchors_and_numbers():
    original = source("original", "en", {"1": ["a", "b"], "2": ["c"]}, title="Part One")
    german = source("translation", "de", {"1": ["A", "B"], "2": ["C"]})
    rows, notes = build_rows(original, [german], [0, 1], all_numbers=False)
    assert notes == []
    assert rows[0].headings == [["Part One"], []]  # the original's title; the translation has none
    lines = [r for r in rows if r.cells]
    assert [[[ln.text for ln in c.lines] for c in r.cells] for r in lines] == [
        [["a"], ["A"]], [["b"], ["B"]], [["c"], ["C"]]]
    assert lines[2].stanza_break and not lines[1].stanza_break
    first = lines[0].cells[0].lines[0]
    assert (first.anchor, first.number, first.keys) == ("l-1.1", "1", "1.1")
    assert lines[0].cells[1].lines[0].anchor is None  # translations carry no anchors


def test_a_translation_divided_differently_is_aligned_by_section_and_said_so():
    original = source("original", "en", {"1": ["a", "b"], "2": ["c"]})
    french = source("translation", "fr", {"1": ["A et B"], "2": ["C"]}, translator="Anne")
    rows, notes = build_rows(original, [french], [1, 0], all_numbers=False)  # the translation shown first
    first = rows[0]
    assert first.coarse and [[ln.text for ln in c.lines] for c in first.cells] == [["A et B"], ["a", "b"]]
    assert all(ln.keys == "" for c in first.cells for ln in c.lines)
    assert notes == ["The French translation by Anne divides one passage differently from the original: "
                     "it is aligned by section rather than line by line, and marked in the margin."]


def test_display_numbers_come_from_the_key():
    assert [display_number(k) for k in ("1.2.7", "art.12", "prologue")] == ["7", "12", None]
