"""Every hit links to a page that has the hit's line: deep in a long text (read part by
part), and on a translation's lines that its original lacks (issue 13)."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from contribution_helpers import page_client, text
from factories import make_work

from tercul.search import forget_backends, get_backend, indexer
from tercul.services import catalog
from tercul.texts.alignment import line_anchor
from tercul.texts.model import Division, Line, Text


@pytest.fixture
def client(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    yield page_client(app)
    forget_backends()
    from tercul.services.search import invalidate_search

    invalidate_search()  # the library's languages and authors, cached for the next test's library


def _book(key: str, n: int, word: str, special: dict[int, str]) -> Division:
    return Division(key=key, kind="book", title=f"Book {key}", lines=[
        Line(f"{key}.{i}", special.get(i, f"{word} {key} line {i}")) for i in range(1, n + 1)])


@pytest.fixture
def long_texts(app, session, client):
    work = make_work("long-song", stanzas=1)
    catalog.set_work_text(session, work, Text(divisions=[
        _book("a", 200, "Original", {}), _book("b", 200, "Original", {150: "the zephyrous ferryman sings at last"})]))
    # the translation opens with a preface its original does not have
    catalog.upsert_translation(session, work, language="de", title="Langes Lied", translator_name="T", text=Text(
        divisions=[Division(key="pre", kind="preface", lines=[Line("pre.1", "ein quillwort Vorwort des Übersetzers")]),
                   _book("a", 200, "Zeile", {}), _book("b", 200, "Zeile", {150: "der zephyrous Fährmann singt"})]))
    session.commit()
    indexer.reindex(session, get_backend(app), embed=False)
    return work


def hit_links(page: str) -> list[str]:
    return [html_lib.unescape(h) for h in re.findall(r'<h2><a href="([^"]+)"', page)]


@pytest.mark.parametrize("q", ["zephyrous", "quillwort", "ferryman sings", "Fährmann"])
def test_every_hit_link_opens_a_page_with_its_line(client, long_texts, q):
    links = hit_links(text(client.get("/search", query_string={"q": q})))
    assert links
    for link in links:
        path, _, anchor = link.partition("#")
        assert anchor and "line=" in path, link
        assert f'id="{anchor}"' in text(client.get(path)), link


def test_translation_only_lines_link_to_the_translation_alone(client, long_texts):
    [link] = hit_links(text(client.get("/search?q=quillwort")))
    assert link.startswith("/works/long-song/translations/de?line=pre.1") and link.endswith(line_anchor("pre.1"))


def test_the_api_gives_the_same_links(client, long_texts):
    query = 'query($q: String) { search(query: $q) { hits(first: 10) { edges { node { url } } } } }'
    for q in ("zephyrous", "quillwort"):
        body = client.post("/graphql", json={"query": query, "variables": {"q": q}}).get_json()
        urls = [e["node"]["url"] for e in body["data"]["search"]["hits"]["edges"]]
        assert sorted(urls) == sorted(hit_links(text(client.get("/search", query_string={"q": q}))))
        assert all("line=" in u and "#l-" in u for u in urls)
