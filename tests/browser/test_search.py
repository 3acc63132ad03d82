"""The search page in Chromium: results as you type, facets updating in place, links to lines."""
from __future__ import annotations

import re

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def searchable(reading_library):
    """The reading library, indexed (with embeddings) into the live app's index."""
    from tercul.extensions import cache, db
    from tercul.search import get_backend, indexer

    with reading_library.app_context():
        indexer.reindex(db.session, get_backend(reading_library))
        cache.clear()
        db.session.remove()
    return reading_library


def test_results_update_as_you_type_and_facets_filter_in_place(page, searchable):
    page.goto("/search")
    page.evaluate("window.__notReloaded = true")
    page.fill("#q", "Lampe")
    page.wait_for_url(re.compile(r"/search\?.*q=Lampe"))
    page.wait_for_selector(".hit mark")
    assert "Lampe" in page.locator(".hit").first.inner_text()
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped the results, no reload
    # meaning: an English question finds the German and French stanzas too
    page.check("#mode-semantic")
    page.wait_for_url(re.compile(r"mode=semantic"))
    page.fill("#q", "the keeper wakes the lamp in the evening")
    page.wait_for_url(re.compile(r"q=the(%20|\+)keeper.*mode=semantic"))
    page.wait_for_function("document.querySelectorAll('.hit').length >= 3")
    languages = [b.lower() for b in page.locator(".hit .badge").all_inner_texts()]
    assert any("german" in b for b in languages) and any("french" in b for b in languages), languages
    screenshot(page, "search-semantic")
    # a facet: only German, counts updated in place
    page.locator('[data-facet="language"] label', has_text="German").first.click()
    page.wait_for_url(re.compile(r"lang=de"))
    page.wait_for_function("[...document.querySelectorAll('.hit .badge')].every(b => b.textContent.includes('German'))")
    assert page.evaluate("window.__notReloaded") is True
    assert page.console_errors == [], page.console_errors
    # the hit links to its line in the reading view
    href = page.locator(".hit h2 a").first.get_attribute("href")
    assert re.search(r"/works/[^?]+\?with=[^&]+&line=[^#]+#l-", href)
    page.locator(".hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/works/"))
