"""Whatever is typed becomes plain words, phrases and exclusions, with notices."""
import pytest

from tercul.search.query import MAX_QUERY_CHARS, MAX_TERMS, parse_query


def test_plain_words_are_terms():
    q = parse_query("Shall I compare thee")
    assert q.terms == ("Shall", "I", "compare", "thee") and not q.notices


def test_phrases_and_exclusions():
    q = parse_query('"summer\'s day" -winter rough')
    assert q.phrases == (("summer", "s", "day"),)
    assert q.excluded == ("winter",) and q.terms == ("rough",)


@pytest.mark.parametrize("raw, notice", [
    ('"unbalanced quote', "quotation mark"),
    ("foo) AND (bar", "Parentheses"),
    ("foo AND bar OR baz", "not operators"),
    ("a\x00b\x07c\u200bd", "control characters"),
    ("x " * 6000, "too long"),
])
def test_bad_input_is_explained_not_an_error(raw, notice):
    q = parse_query(raw)
    assert any(notice in n for n in q.notices)
    assert len(q.text) <= MAX_QUERY_CHARS
    assert all(word.isalnum() for word in q.terms)


def test_engine_syntax_is_just_words():
    q = parse_query("title:foo* bar~2 ^3 {x TO y}")
    assert q.terms == ("title", "foo", "bar", "2", "3", "x", "TO", "y")


def test_many_words_are_cut():
    q = parse_query(" ".join(f"w{i}" for i in range(100)))
    assert len(q.terms) == MAX_TERMS and any("first" in n for n in q.notices)


def test_empty_and_exclusion_only():
    assert parse_query("   ").is_empty and parse_query(None).is_empty
    only_not = parse_query("-winter")
    assert only_not.is_empty and any("not excluded" in n for n in only_not.notices)
