"""Folding, stemming and the line highlighting that uses them."""
from tercul.search.analysis import analyzer, mark_line, query_terms, stemmer_for, words


def test_diacritics_are_folded_and_stems_meet():
    assert analyzer("folded").analyze("Würde Élan") == ["wurde", "elan"]
    assert analyzer("german").analyze("Menschen") == ["mensch"]
    assert stemmer_for("pt-BR") == "portuguese" and stemmer_for("grc") is None


def test_ideographs_are_single_tokens():
    assert analyzer("folded").analyze("人人生而自由") == ["人", "人", "生", "而", "自", "由"]
    assert words("人人 free") == ["人", "人", "free"]


def test_marks_folded_and_stemmed_matches():
    terms = query_terms(["wurde", "loving"])
    pieces, n = mark_line("Alle sind gleich an Würde", terms, "de")
    assert n == 1 and ("Würde", True) in pieces
    pieces, n = mark_line("She loved him", terms, "en")
    assert n == 1 and ("loved", True) in pieces and "".join(p for p, _ in pieces) == "She loved him"


def test_function_words_are_not_marked_unless_the_query_has_nothing_else():
    pieces, n = mark_line("Shall I compare thee to a summer's day?", query_terms(["compare", "to", "a", "day"]), "en")
    assert [p for p, marked in pieces if marked] == ["compare", "day"] and n == 2
    pieces, n = mark_line("To be, or not to be", query_terms(["to", "be", "or", "not"]), "en")
    assert n == 6  # all of them: there is nothing else to show
    pieces, n = mark_line("Und der Wind", query_terms(["und", "wind"]), "de")
    assert [p for p, marked in pieces if marked] == ["Wind"]
