"""The reading service's pure parts: filters, pages, centuries, columns, directions."""
from __future__ import annotations

import pytest

from tercul.services import reading
from tercul.services.reading.display import century_years


def test_browse_arguments_are_cleaned_and_explained():
    filters, notices = reading.clean_browse_args({"lang": "xx-nonsense!", "form": "sonnet", "century": "abc",
                                                  "sort": "random", "tr": "DE", "period": " Baroque "})
    assert filters.language is None and filters.form is None and filters.century is None
    assert filters.sort == "title" and filters.translated_into == "de" and filters.period == "Baroque"
    assert len(notices) == 4
    assert filters.args() == {"tr": "de", "period": "Baroque"}
    assert filters.args(sort="recent", translated_into=None) == {"period": "Baroque", "sort": "recent"}


@pytest.mark.parametrize("raw, page", [(None, 1), ("", 1), ("3", 3), ("-1", 1), ("0", 1), ("x", 1), ("9" * 30, 1)])
def test_bad_page_numbers_mean_the_first_page(raw, page):
    assert reading.parse_page(raw) == page


def test_centuries():
    assert reading.century_of(1900) == 19 and reading.century_of(1901) == 20
    assert reading.century_of(-500) == -5 and reading.century_of(-1) == -1 and reading.century_of(-100) == -1
    assert century_years(19) == (1801, 1900)
    assert century_years(-5) == (-500, -401)
    assert reading.century_label(21) == "21st century" and reading.century_label(-1) == "1st century BCE"
    assert reading.century_label(12) == "12th century"


def test_pagination_window():
    p = reading.Pagination(page=10, per_page=10, total=200)
    assert p.window() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert reading.Pagination(1, 50, 0).pages == 1
    assert reading.Pagination(5, 50, 120).beyond_end


def test_text_direction():
    assert reading.text_direction("ar") == "rtl" and reading.text_direction("he") == "rtl"
    assert reading.text_direction("fa") == "rtl" and reading.text_direction("de") == "ltr"
    assert reading.text_direction("not a code") == "ltr"


def test_choose_columns():
    def info(key, lang):
        return reading.TranslationInfo(key, lang, key, None, None, None, 1, False, 4)

    available = [info("de", "de"), info("fr", "fr"), info("fr-2", "fr"), info("it", "it")]
    assert reading.choose_columns(None, available, "en", ["en-GB", "fr"]) == (["fr"], [])
    assert reading.choose_columns(None, available, "en", []) == (["de"], [])
    assert reading.choose_columns([""], available, "en") == ([], [])
    chosen, notices = reading.choose_columns(["fr-2", "xx", "de", "fr", "it"], available, "en")
    assert chosen == ["fr-2", "de", "fr"] and len(notices) == 2


def test_line_addresses_for_search_hits_count_lines_in_their_numbered_division(session, count_queries):
    from sqlalchemy import select

    from tercul.models import Work
    from tercul.services.reading.addresses import line_addresses_for
    from tests.reading_samples import seed_reading_library

    seed_reading_library(session)
    work = session.scalar(select(Work).where(Work.slug == "the-ferrymans-daughter"))
    session.flush()
    with count_queries as counted:
        out = line_addresses_for(session, work.current_revision_id, ["2.3.5", "1.1.1", "missing"], work.form)
    assert out == {"2.3.5": "Act 2, scene 3, line 5", "1.1.1": "Act 1, scene 1, line 1"}
    assert counted.count <= 3
