"""The reading pages over HTTP: browse, work, translation, authors, home; errors; htmx."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from tercul.extensions import cache
from tercul.texts.model import Division, Line, Text
from tercul.models import Work
from tercul.services import catalog
from tests.factories import AuthorFactory, make_work, poem_text
from tests.reading_samples import seed_reading_library


@pytest.fixture(autouse=True)
def fresh_cache(app):
    """Facets and counts are cached across requests; each test starts without them."""
    with app.app_context():
        cache.clear()
    yield
    with app.app_context():
        cache.clear()


@pytest.fixture
def library(session):
    seed_reading_library(session)
    return session


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def titles(page: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'class="work-card-title"><a [^>]*>([^<]+)</a>', page)]


# ---------------------------------------------------------------- browse

def test_browse_lists_top_level_works_with_facets(client, library):
    page = html(client.get("/works"))
    assert "13 works" in page
    assert titles(page)[:3] == ["Chanson du Passeur", "The Copper Kettle", "Der Brief"]  # sorted without articles
    assert "Harbour Songs" in page and "Low Tide" not in page  # parts only with parts=1
    assert '<option value="de">German (2)</option>' in page


def test_browse_filters_combine_and_the_url_holds_them(client, library):
    page = html(client.get("/works?lang=de&form=prose"))
    assert titles(page) == ["Der Brief"]
    assert "Written in German" in page and "Prose" in page
    assert html(client.get("/works?tr=ar")).count('class="work-card"') == 1
    assert titles(html(client.get("/works?tr=de&form=drama"))) == ["The Copper Kettle", "The Ferryman's Daughter"]
    # a collection is "available in German" when its parts are
    assert "Harbour Songs" in titles(html(client.get("/works?tr=de&form=poetry")))
    assert titles(html(client.get("/works?author=mara-vell"))) == ["Harbour Songs", "The Lantern Keeper"]
    assert titles(html(client.get("/works?genre=sonnet"))) == ["Il Ponte di Sale"]
    assert titles(html(client.get("/works?tag=river"))) == ["The Ferryman's Daughter"]
    assert titles(html(client.get("/works?period=Victorian"))) == ["The Lantern Keeper"]
    assert titles(html(client.get("/works?century=17"))) == ["El Jardín Cerrado"]
    assert titles(html(client.get("/works?century=16"))) == ["Il Ponte di Sale"]
    parts = titles(html(client.get("/works?parts=1&author=mara-vell")))
    assert "Low Tide" in parts and len(parts) == 5


@pytest.mark.parametrize("sort, first", [("title", "Chanson du Passeur"), ("date", "Il Ponte di Sale"),
                                         ("recent", "The Glass Harbour"), ("translated", "The Lantern Keeper"),
                                         ("author", "Chanson du Passeur")])
def test_browse_sorting(client, library, sort, first):
    assert titles(html(client.get(f"/works?sort={sort}")))[0] == first
    if sort == "author":  # Renn before Vell
        assert titles(html(client.get(f"/works?sort={sort}")))[-2:] == ["Harbour Songs", "The Lantern Keeper"]


def test_bad_browse_arguments_are_explained_not_errors(client, library):
    page = html(client.get("/works?lang=zz-bogus!&form=sonnet&century=x&sort=random&page=-1&author=nobody&tag=none"))
    assert "is not a language code we know" in page
    assert "is not a form" in page and "is not a century" in page and "is not a way to sort" in page
    assert "There is no author “nobody”" in page and "There is no tag “none”" in page
    assert "13 works" in page
    beyond = html(client.get("/works?page=99"))
    assert "There is no page 99" in beyond and 'href="/works?page=1"' in beyond


def test_browse_paginates_with_the_configured_page_size(app, client, library):
    app.config["PAGE_SIZE"] = 5
    try:
        first = html(client.get("/works"))
        second = html(client.get("/works?page=2"))
        huge = html(client.get("/works?page=1"))
    finally:
        app.config["PAGE_SIZE"] = 50
    assert len(titles(first)) == 5 and "1–5 of 13 works" in first and 'rel="next"' in first
    assert len(titles(second)) == 5 and titles(second)[0] not in titles(first)
    assert re.search(r'aria-current="page"[^>]*>2</a>', second)
    assert len(titles(huge)) == 5


def test_browse_fragment_for_htmx(client, library):
    fragment = html(client.get("/works?form=poetry", headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith("<div id=\"browse\"")
    assert "<html" not in fragment and "site-header" not in fragment
    full = client.get("/works?form=poetry", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in html(full)
    assert "HX-Request" in full.headers["Vary"]


# ---------------------------------------------------------------- work page

def test_work_page_shows_the_original_beside_a_translation(client, library):
    page = html(client.get("/works/the-lantern-keeper?with=de"))
    assert "<h1 lang=\"en\" dir=\"ltr\">The Lantern Keeper</h1>" in page
    assert 'href="/authors/mara-vell"' in page
    # one row holds original line 2.3 and its German counterpart
    row = re.search(r'<div class="seg">((?:(?!<div class="seg).)*id="l-2\.3"(?:(?!<div class="seg).)*)', page, re.S)
    assert row and "er putzt den Docht" in row.group(1) and 'lang="de"' in row.group(1)
    assert 'data-a="2.3"' in row.group(1)
    assert '<a class="num" href="#l-2.3"' in page
    assert "Der Leuchtturmwärter" in page and "Hanna Weiss" in page
    # the translations list links to each one, alone and beside the original
    assert 'href="/works/the-lantern-keeper/translations/fr"' in page
    assert 'href="/works/the-lantern-keeper?with=ar#reader"' in page


def test_every_text_block_carries_its_language_and_direction(client, library):
    page = html(client.get("/works/the-lantern-keeper?with=ar&with=de"))
    cells = re.findall(r'<div class="cell c-(original|translation)[^"]*" lang="([^"]+)" dir="([^"]+)"', page)
    assert {(lang, d) for _, lang, d in cells} == {("en", "ltr"), ("ar", "rtl"), ("de", "ltr")}


def test_work_page_defaults_to_a_translation_in_the_readers_language(client, library):
    page = html(client.get("/works/the-lantern-keeper", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"}))
    assert 'lang="fr"' in page and '<option value="fr" selected>' in page
    response = client.get("/works/the-lantern-keeper")
    assert "Accept-Language" in response.headers["Vary"]
    assert 'lang="de"' in html(response)  # the first translation otherwise
    alone = html(client.get("/works/the-lantern-keeper?with="))
    assert 'class="cell c-translation' not in alone and "reader cols-1" in alone


def test_swap_reverses_the_columns(client, library):
    page = html(client.get("/works/the-lantern-keeper?with=de&with=fr&swap=1"))
    heads = re.findall(r'<div class="cell col-head c-\w+" lang="(\w+)"', page)
    assert heads == ["fr", "de", "en"]
    assert 'href="/works/the-lantern-keeper?with=de&amp;with=fr#reader"' in page  # swapping back


def test_different_structure_degrades_to_section_alignment_and_says_so(client, library):
    page = html(client.get("/works/the-lantern-keeper?with=fr"))
    assert "aligned by section rather than line by line" in page
    assert len(re.findall(r'class="seg[^"]* coarse"', page)) == 1


def test_explicit_alignment_links_are_followed(client, session):
    work = make_work("linked", stanzas=1, lines=4)
    text = Text(divisions=[Division(key="1", kind="stanza", lines=[
        Line("1.1", "eins und zwei"), Line("1.2", "drei"), Line("1.3", "vier")])])
    catalog.upsert_translation(session, work, language="de", title="Verbunden", text=text,
                               alignment={"1.1": ["1.1", "1.2"], "1.2": ["1.3"], "1.3": ["1.4"]})
    page = html(client.get("/works/linked?with=de"))
    assert 'data-a="1.1 1.2">eins und zwei' in page
    assert "aligned by section" not in page


def test_unknown_translation_and_too_many_columns_are_explained(client, library):
    lantern = library.scalar(select(Work).where(Work.slug == "the-lantern-keeper"))
    catalog.upsert_translation(library, lantern, language="it", title="Il guardiano", text=poem_text(2, 4),
                               translator_name="Ada Rossi")
    page = html(client.get("/works/the-lantern-keeper?with=xx&with=de&with=fr&with=ar&with=it"))
    assert "This work has no translation “xx”" in page
    assert "At most 3 translations" in page


def test_four_texts_side_by_side_with_a_picker_for_each_translation(client, library):
    page = html(client.get("/works/the-lantern-keeper?with=de&with=fr&with=ar"))
    assert 'class="reader cols-4' in page
    assert [f'id="with-{i}"' in page for i in (1, 2, 3, 4)] == [True, True, True, False]
    assert page.count('class="cell col-head') == 4


def test_line_links_are_named_once_and_original_lines_carry_their_address(client, library):
    page = html(client.get("/works/the-ferrymans-daughter?with=de&part=2"))
    assert ", link\"" not in page
    assert re.search(r'aria-label="Line \d+"', page)
    # line 1 of scene 1 of act 2 (the stage direction before it is not counted)
    assert 'id="l-2.1.1" data-a="2.1.1" data-address="Act 2, scene 1, line 1"' in page


def test_an_untranslated_work_invites_a_translation_at_the_top(client, session):
    make_work("alone", stanzas=1, lines=2)
    page = html(client.get("/works/alone"))
    invite = page.index("No translation yet")
    assert invite < page.index('id="reader"')
    assert 'href="/contribute/translate/alone"' in page[invite:invite + 300] or "be the first" in page[invite:invite + 300]


def test_long_texts_are_read_part_by_part(client, library):
    page = html(client.get("/works/the-ferrymans-daughter?with=de"))
    assert 'id="l-1.1.1"' in page and 'id="l-2.1.1"' not in page
    assert "(1 of 2)" in page and 'href="/works/the-ferrymans-daughter?with=de&amp;part=2"' in page
    second = html(client.get("/works/the-ferrymans-daughter?with=de&part=2"))
    assert 'id="l-2.1.1"' in second and 'id="l-1.1.1"' not in second
    assert "Akt 2" in second and "Szene 1" in second
    # a line key finds its part (how a permalink to another part is followed)
    assert 'id="l-2.3.5"' in html(client.get("/works/the-ferrymans-daughter?with=de&line=l-2.3.5"))
    assert 'id="l-2.3.5"' in html(client.get("/works/the-ferrymans-daughter?with=de&line=2.3.5"))
    unknown = html(client.get("/works/the-ferrymans-daughter?part=9"))
    assert "has no part “9”" in unknown and 'id="l-1.1.1"' in unknown


def test_drama_speakers_and_stage_directions_are_set_apart(client, library):
    page = html(client.get("/works/the-ferrymans-daughter?with="))
    assert '<p class="sp">ELSA</p>' in page or '<p class="sp">A TRAVELLER</p>' in page
    assert 'class="ln k-stage"' in page


def test_verse_indentation_becomes_a_class(client, library):
    page = html(client.get("/works/the-lantern-keeper?with="))
    assert re.search(r'<p class="ln k-line i1" id="l-1\.2"', page)
    assert "style=" not in page


def test_reader_fragment_for_htmx(client, library):
    fragment = html(client.get("/works/the-lantern-keeper?with=fr", headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith('<section id="reader"') and "<h1" not in fragment


def test_collections_list_their_parts_and_parts_link_back(client, library):
    page = html(client.get("/works/harbour-songs"))
    assert "Contents" in page and "Low Tide" in page and "Gulls" in page
    assert "At dusk the keeper climbs the stair" in page  # first lines of the parts
    assert 'id="reader"' not in page
    part = html(client.get("/works/harbour-songs-2"))
    assert 'href="/works/harbour-songs"' in part
    assert 'rel="prev" href="/works/harbour-songs-1"' in part and 'rel="next" href="/works/harbour-songs-3"' in part


@pytest.mark.parametrize("url", ["/works/no-such-work", "/works/no-such-work/translations/de",
                                 "/works/the-lantern-keeper/translations/xx", "/authors/nobody"])
def test_unknown_slugs_get_the_designed_404(client, library, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "error-page" in body and "Not found" in body and "Traceback" not in body


# ---------------------------------------------------------------- one translation, authors, home

def test_translation_alone(client, library):
    page = html(client.get("/works/the-lantern-keeper/translations/de"))
    assert "Der Leuchtturmwärter" in page and "Am Abend steigt der Wärter auf" in page
    assert 'lang="de"' in page and "At dusk the keeper" not in page
    assert 'href="/works/the-lantern-keeper?with=de#reader"' in page
    rtl = html(client.get("/works/the-lantern-keeper/translations/ar"))
    assert 'lang="ar" dir="rtl"' in rtl


def test_authors_list_and_page(client, library):
    page = html(client.get("/authors"))
    assert "Mara Vell" in page and "Tobias Renn" in page and "1842–1901" in page
    assert html(client.get("/authors?letter=v")).count('class="author-card"') == 1
    assert "is not a letter" in html(client.get("/authors?letter=7"))
    assert html(client.get("/authors?lang=de")).count('class="author-card"') == 1
    author = html(client.get("/authors/mara-vell"))
    assert "The Lantern Keeper" in author and "Harbour Songs" in author and 'lang="ar"' in author
    assert "Low Tide" not in author


def test_home_page_counts_and_recent_additions(client, library):
    page = html(client.get("/"))
    assert "<strong>13</strong> works" in page
    assert 'href="/works?form=drama"' in page and 'href="/works?lang=de"' in page and 'href="/works?tr=ar"' in page
    assert "The Glass Harbour" in page  # the last work added
    assert "New translations" in page


def test_empty_library(client, session):
    assert "The library is empty" in html(client.get("/"))
    assert "No works match" in html(client.get("/works"))
    assert "No authors" in html(client.get("/authors"))


# ---------------------------------------------------------------- no N+1

def _statements(client, count_queries, url: str) -> int:
    cache.clear()
    with count_queries:
        assert client.get(url).status_code == 200
    return count_queries.count


def test_browse_query_count_does_not_grow_with_rows(client, session, count_queries):
    author = AuthorFactory()
    for _ in range(5):
        make_work(authors=[author], translations=("de", "fr"), genres=("lyric",), tags=("sea",), date_from=1850)
    few = _statements(client, count_queries, "/works?sort=recent")
    for _ in range(45):
        make_work(authors=[AuthorFactory()], translations=("de", "fr", "it"), genres=("ode",), date_from=1700)
    many = _statements(client, count_queries, "/works?sort=recent")
    assert many == few, count_queries.statements
    assert many <= 17  # with the authors of the sidebar
    filtered = _statements(client, count_queries, "/works?tr=de&author=" + author.slug + "&genre=lyric")
    # the facets under the other filters (counted once, then cached with the count)
    assert filtered <= many + 9
    for _ in range(5):
        make_work(authors=[author], translations=("de",), genres=("lyric",))
    assert _statements(client, count_queries, "/works?tr=fr&author=" + author.slug + "&genre=lyric") == filtered


def test_facet_counts_follow_the_other_filters(client, session):
    milton = AuthorFactory(name="John Milton", slug="john-milton")
    make_work("paradise", authors=[milton], form="poetry", translations=("de",))
    make_work("samson", authors=[milton], form="drama")
    make_work("other-play", form="drama", translations=("fr",))
    make_work("other-play-2", form="drama")
    page = html(client.get("/works?author=john-milton"))
    forms = dict(re.findall(r'id="f-form-(\w+)"[^>]*><label[^>]*>\w+ <span class="count">(\d+)</span>', page))
    assert forms == {"drama": "1", "poetry": "1"}
    drama = html(client.get("/works?author=john-milton&form=drama"))
    assert "No works match" not in drama and "samson" in drama
    # the author list follows the form chosen; Milton is listed with his one play
    assert re.search(r'<option value="john-milton" selected>John Milton \(1\)</option>', drama)
    # translated into: only what Milton's works are translated into
    assert '<option value="de">German (1)</option>' in page and '<option value="fr">' not in page


def test_the_author_filter_is_in_the_sidebar_and_apply_is_for_browsers_without_javascript(client, session):
    make_work("a-poem", authors=[AuthorFactory(name="Ada Quill", slug="ada-quill")])
    page = html(client.get("/works"))
    assert '<select id="f-author" name="author">' in page
    assert '<option value="ada-quill">Ada Quill (1)</option>' in page
    assert 'class="button js-hide">Apply filters</button>' in page


def test_language_entries_that_would_read_alike_are_told_apart():
    from tercul.services.reading import language_choices

    names = {"en": "English", "eng": "English", "de": "German"}
    assert language_choices([("en", 3), ("eng", 1), ("de", 2)], names.get) == [
        ("en", "English (en)", 3), ("eng", "English (eng)", 1), ("de", "German", 2)]


def test_work_page_query_count_does_not_grow_with_translations(client, session, count_queries):
    languages = ["de", "fr", "it", "es", "pt", "nl", "sv", "pl", "ru", "cs", "da", "fi", "el", "hu", "ro",
                 "tr", "ar", "he", "ja", "zh"]
    make_work("two", translations=tuple(languages[:2]), stanzas=3)
    make_work("twenty", translations=tuple(languages), stanzas=30)
    for url in ("/works/{}", "/works/{}?with=de&with=fr", "/works/{}?with="):
        two = _statements(client, count_queries, url.format("two"))
        twenty = _statements(client, count_queries, url.format("twenty"))
        assert two == twenty, (url, count_queries.statements)
        assert twenty <= 10, count_queries.statements


def test_collection_query_count_does_not_grow_with_parts(client, session, count_queries):
    def collection(slug: str, n: int) -> None:
        container, _ = catalog.upsert_work(session, catalog.WorkFields(
            slug=slug, title=slug, language="en", form="poetry", authors=[], genres=[], tags=[]))
        for i in range(n):
            part = make_work(f"{slug}-{i}")
            part.parent_id, part.position = container.id, i
        session.flush()

    collection("small", 3)
    collection("large", 40)
    assert _statements(client, count_queries, "/works/small") == _statements(client, count_queries, "/works/large")


def test_long_translation_lists_are_paginated(app, client, library):
    app.config["PAGE_SIZE"] = 2
    try:
        first = html(client.get("/works/the-lantern-keeper?with=de"))
        second = html(client.get("/works/the-lantern-keeper?with=de&tpage=2"))
    finally:
        app.config["PAGE_SIZE"] = 50
    listed = re.compile(r'<span class="t-lang">([^<]+)</span>')
    assert listed.findall(first) == ["Arabic", "German"] and listed.findall(second) == ["French"]
    assert 'href="/works/the-lantern-keeper?with=de&amp;tpage=2#translations"' in first
    assert first.count('<option value="fr"') == 3  # every translation can still be chosen, in each picker


def _long_text(keys: tuple[str, str], n: int, word: str) -> Text:
    return Text(divisions=[Division(key=k, kind="book", title=f"{word} {k}", lines=[
        Line(f"{k}.{i}", f"{word} {k} line {i}") for i in range(1, n + 1)]) for k in keys])


def test_parts_of_translations_divided_differently(client, session):
    """A part's translation lines come from the same divisions, else from the explicit
    links into the part, else from the same share of the translation's text."""
    work = make_work("long", stanzas=1)
    catalog.set_work_text(session, work, _long_text(("a", "b"), 200, "Original"))
    links = {f"{k}.{i}": [f"{'a' if k == 'x' else 'b'}.{i}"] for k in ("x", "y") for i in range(1, 201)}
    catalog.upsert_translation(session, work, language="de", title="Verknüpft", translator_name="Links",
                               text=_long_text(("x", "y"), 200, "Verknüpft"), alignment=links)
    catalog.upsert_translation(session, work, language="fr", title="Sans liens", translator_name="Part",
                               text=_long_text(("p", "q"), 200, "Part"))
    second = html(client.get("/works/long?with=de&with=fr&part=b"))
    assert 'id="l-b.1"' in second and 'id="l-a.1"' not in second
    assert "Verknüpft y line 1<" in second and "Verknüpft x line 1<" not in second  # by the links
    assert "Part q line 1<" in second and "Part p line 1<" not in second  # by its share of the text
    assert 'data-a="b.7">Verknüpft y line 7' in second


def test_cached_pages_show_changes_at_once(client, session):
    make_work("first", title="First Light", translations=("de",))
    assert titles(html(client.get("/works"))) == ["First Light"]
    assert 'lang="fr"' not in html(client.get("/works/first?with=de"))
    make_work("second", title="Second Wind")  # a new work changes the library's version
    assert titles(html(client.get("/works"))) == ["First Light", "Second Wind"]
    work = session.scalar(select(Work).where(Work.slug == "first"))
    catalog.upsert_translation(session, work, language="fr", title="Première lumière",
                               text=poem_text(2, 4, lang_mark="[fr] "))
    page = html(client.get("/works/first?with=de"))  # a new translation changes the work's stamp
    assert '<option value="fr">French</option>' in page


def test_home_counts_agree_with_the_browse_page_and_the_api(client, library):
    from tercul.services.catalog import library_stats

    home = html(client.get("/"))
    assert '<form class="home-search" action="/search"' in home and 'name="q"' in home
    works = int(re.search(r"<strong>([\d,]+)</strong> works", home).group(1).replace(",", ""))
    languages = int(re.search(r"<strong>(\d+)</strong> languages", home).group(1))
    browse = html(client.get("/works"))
    count = re.search(r'class="results-count" role="status">\s*(?:\d+–\d+ of )?(\d+) works?', browse)
    total = int(count.group(1))
    stats = library_stats(library)
    assert works == total == stats.works
    assert languages == stats.languages
    forms = dict(re.findall(r'<span class="form-name">(\w+)</span> <span class="count">(\d+) work', home))
    assert {f.lower(): int(n) for f, n in forms.items()} == dict(stats.by_form)
