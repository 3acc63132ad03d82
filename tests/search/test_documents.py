"""Passages: a few lines of one division (and one speaker), keyed by line."""
from tercul.search.documents import PASSAGE_LINES, make_passages
from tercul.search.interface import passage_uid


def test_passages_follow_divisions_and_speakers():
    rows = [("1.1", "1", None, "line", "a"), ("1.2", "1", None, "line", "b"),
            ("2.1", "2", "HAMLET", "line", "c"), ("2.2", "2", "HORATIO", "line", "d"),
            ("2.3", "2", "HORATIO", "stage", "Exit."), ("2.4", "2", "HORATIO", "line", "e")]
    passages = make_passages(7, rows)
    assert [p.line_keys for p in passages] == [["1.1", "1.2"], ["2.1"], ["2.2", "2.4"]]
    assert [p.uid for p in passages] == [passage_uid(7, n) for n in range(3)]


def test_long_divisions_are_split():
    rows = [(f"1.{n}", "1", None, "line", f"line {n}") for n in range(10)]
    passages = make_passages(1, rows)
    assert all(len(p.line_keys) <= PASSAGE_LINES for p in passages)
    assert [k for p in passages for k in p.line_keys] == [r[0] for r in rows]
    long = [("p1", "1", None, "line", "x" * 390), ("p2", "1", None, "line", "y" * 50)]
    assert len(make_passages(1, long)) == 2
