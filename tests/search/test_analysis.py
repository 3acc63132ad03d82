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
