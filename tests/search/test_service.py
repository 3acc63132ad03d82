"""The search service: arguments, unknown filter values, the cache and its invalidation."""
from werkzeug.datastructures import MultiDict

from tercul.search import indexer
from tercul.services import search as service

from .conftest import text_of


def params(**args):
    return service.parse_search_args(MultiDict(args))


def test_arguments_never_raise():
    p = params(q="x", mode="bogus", alpha="nan", sort="weird", page="-4", **{"from": "abc", "to": "99999"})
    assert (p.mode, p.alpha, p.sort, p.page) == ("keyword", service.DEFAULT_ALPHA, "relevance", 1)
    assert len(p.notices) >= 4
    p = params(q="y", mode="hybrid", alpha="3", lang="de,fr", not_form="prose", page="1000")
    assert p.alpha == 1.0 and p.filters.include["language"] == ["de", "fr"] and p.page == service.MAX_PAGE
    assert p.filters.exclude["form"] == ["prose"]


def test_unknown_filter_values_are_ignored_and_named(indexed, session, backend):
    page = service.search(session, params(q="sun", lang=["de", "xx", "klingon"], author="nobody"), backend=backend)
    assert page.params.filters.include["language"] == ["de"]
    assert {v for _, v in page.params.unknown} == {"xx", "klingon", "nobody"}
    assert any("Ignored filter values" in n for n in page.params.notices)


def test_hits_mark_words_and_point_at_lines(indexed, session, backend):
    page = service.search(session, params(q="mellow"), backend=backend)
    item = page.items[0]
    assert item.hit_key == "1.1" and any(marked for line in item.lines for _, marked in line.pieces)


def test_identical_searches_come_from_the_cache_until_the_index_changes(indexed, session, backend):
    first = service.search(session, params(q="mists"), backend=backend)
    again = service.search(session, params(q="mists"), backend=backend)
    assert not first.from_cache and again.from_cache and again.total == first.total
    # publishing a change (indexed by the job) makes the same search run again
    from tercul.services import catalog

    catalog.set_work_text(session, indexed["night"], text_of(["Über allen Gipfeln ist Ruh, mists"]))
    session.commit()
    indexer.index_entity(session, backend, "work", indexed["night"].id)
    after = service.search(session, params(q="mists"), backend=backend)
    assert not after.from_cache and after.total == first.total + 1
    service.invalidate_search()
    assert not service.search(session, params(q="mists"), backend=backend).from_cache


def test_browse_view_without_a_query(indexed, session, backend):
    page = service.search(session, params(), backend=backend)
    assert page.params.is_browse and page.total == 5 and page.items[0].lines
    assert {f.name for f in page.facets} >= {"language", "form", "author", "available"}
