"""The analysers against the labelled set built from the demo library (skipped without
the demo sources, which ``make setup`` downloads)."""
from __future__ import annotations

import pytest

from tests.analysis import accuracy, corpus

pytestmark = pytest.mark.skipif(not corpus.available(), reason="demo sources not downloaded (make setup)")


def test_sonnet_rhyme_schemes_at_least_90_percent():
    score = accuracy.sonnet_rhymes()
    assert score.total == 154
    assert score.share >= 0.90, score.line()


def test_english_meter_at_least_85_percent():
    score = accuracy.english_meters()
    assert score.total >= 170
    assert score.share >= 0.85, score.line()


def test_irregular_sonnets():
    from tercul.analysis import analyse

    works = corpus.works()
    found = {n: analyse(works[f"shakespeare-sonnet-{n}"].text, language="en", form="poetry") for n in (18, 99, 126, 145)}
    assert found[18].rhyme_scheme == "ABAB CDCD EFEF GG"
    assert found[18].meter["name"] == "iambic pentameter"
    assert found[99].counts["lines"] == 15 and found[99].rhyme_scheme == "ABABA CDCD EFEF GG"
    assert found[126].counts["lines"] == 12 and found[126].rhyme_scheme == "AA BB CC DD EE FF"
    assert found[145].meter["name"] == "iambic tetrameter"
    assert "sonnet" in found[18].facets and "sonnet" not in found[126].facets


def test_form_facets():
    score = accuracy.facets()
    assert score.share == 1.0, score.line()


def test_language_of_udhr_articles_in_15_languages():
    score = accuracy.udhr_articles()
    assert score.share == 1.0, score.line()


def test_language_of_psalm_translations():
    score = accuracy.psalm_languages()
    assert score.total == len(accuracy.labels.PSALMS) * 9
    assert score.share == 1.0, score.line()
