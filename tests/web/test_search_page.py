"""The search page for people (issue 13): results first, filters after them with the top
values and "more", only the count announced, few tab stops, a search box in every header,
languages chosen by name."""
from __future__ import annotations

import re

import pytest
from contribution_helpers import page_client, text
from factories import make_work

from tercul.search import forget_backends, get_backend, indexer

FOCUSABLE = re.compile(r'<(a|input|button|select|textarea|summary)\b([^>]*)>', re.S)


@pytest.fixture
def client(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    yield page_client(app)
    forget_backends()
    from tercul.services.search import invalidate_search

    invalidate_search()


@pytest.fixture
def library(app, session, client):
    make_work("evening", title="Evening Song", translations=("de", "fr", "it", "es", "nl", "pt", "de-1901"))
    make_work("morning", title="Morning Song", language="fr", form="prose")
    session.commit()
    indexer.reindex(session, get_backend(app), embed=False)


def tab_stops_before(html: str, marker: str) -> int:
    """Elements the Tab key stops at before ``marker`` (hidden inputs and tabindex=-1 skipped)."""
    head = html[:html.index(marker)]
    stops = 0
    for tag, attrs in FOCUSABLE.findall(head):
        if 'type="hidden"' in attrs or 'tabindex="-1"' in attrs or (tag == "a" and "href=" not in attrs):
            continue
        if tag == "input" and 'type="radio"' in attrs and "checked" not in attrs:
            continue  # a radio group is one stop
        stops += 1
    return stops


def test_results_come_first_and_few_tab_stops_lead_to_them(client, library):
    html = text(client.get("/search?q=song"))
    assert html.index('class="hit-list"') < html.index('id="filters"')
    assert tab_stops_before(html, '<ol class="hit-list"') < 10
    # only the count is a live region
    assert re.search(r'<span role="status">\d+ results? for “song”</span>', html)
    assert "aria-live" not in html


def test_facets_show_their_top_values_and_more(client, library):
    html = text(client.get("/search"))
    languages = html[html.index('data-facet="language"'):]
    languages = languages[:languages.index("</fieldset>")]
    assert languages.count("<li") == 8 and '<details class="more-values"' in languages
    assert "German (1901 orthography) · Deutsch" in languages and "German · Deutsch" in languages


def test_a_language_typed_by_name_filters(client, library):
    html = text(client.get("/search", query_string={"lang": "German (1901 orthography) · Deutsch"}))
    assert "Ignored filter values" not in html and re.search(r'<span role="status">1 text match', html)
    assert '<option value="French · français" data-code="fr">' in html  # the picker's choices


def test_a_search_box_in_every_header(client, library):
    page = text(client.get("/works"))
    assert re.search(r'<form action="/search" method="get" role="search">\s*<label for="site-q"', page)
    assert 'id="site-q"' not in text(client.get("/search"))  # the page's own box is enough there
