"""Search hits show readers where a line is ("Act 1, scene 2, line 5"), not its key
(issue 14), on the page and in the API, for a whole page of hits in a fixed number of
statements."""
from __future__ import annotations

import re

import pytest
from contribution_helpers import page_client, text
from factories import make_work

from tercul.search import forget_backends, get_backend, indexer
from tercul.services import catalog
from tercul.services import search as search_service
from tercul.texts.model import Division, Line, Text


@pytest.fixture
def client(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    yield page_client(app)
    forget_backends()
    search_service.invalidate_search()


def _play(word: str, mark: str = "") -> Text:
    """Act 1: scene 1 of two speeches; scene 2 opens with a stage direction, then three
    speeches of two lines; ``word`` is in the first line of the third (line 5 of the scene)."""
    def speech(key: str, texts: list[str]) -> Division:
        return Division(key=key, kind="speech", lines=[Line(f"{key}.{i}", f"{mark}{t}", speaker="Ferryman")
                                                       for i, t in enumerate(texts, 1)])
    scene1 = Division(key="1.1", kind="scene", title="Scene 1", divisions=[
        speech("1.1.1", ["The tide is turning at the mill", "and no one waits"]),
        speech("1.1.2", ["Then bring the lantern down", "before the dark"])])
    scene2 = Division(key="1.2", kind="scene", title="Scene 2", divisions=[
        Division(key="1.2.0", kind="speech", lines=[Line("1.2.0.1", "A jetty at dusk.", kind="stage")]),
        speech("1.2.1", ["The oars are wet with evening", "and the rope is cold"]),
        speech("1.2.2", ["Who keeps the ferry now", "that the old man sleeps"]),
        speech("1.2.3", [f"I keep it, and the {word} with it", "until the spring"])])
    return Text(divisions=[Division(key="1", kind="act", title="Act 1", divisions=[scene1, scene2])])


def _plays(session, app, words: list[str], start: int = 0) -> None:
    for n, word in enumerate(words, start):
        work = make_work(f"play-{n}", title=f"Play {n}", form="drama", stanzas=1)
        catalog.set_work_text(session, work, _play(word))
    session.commit()
    indexer.reindex(session, get_backend(app), embed=False)


def test_the_page_shows_a_hits_lines_by_act_scene_and_line(app, session, client):
    _plays(session, app, ["quorbleweed"])
    page = text(client.get("/search?q=quorbleweed"))
    hit = re.search(r'<span class="key" title="([^"]+)">([^<]+)</span> I keep it', page)
    assert hit and hit.groups() == ("1.2.3.1", "Act 1, scene 2, line 5")
    assert ">1.2.3.1<" not in page  # the key is only a tooltip


def test_the_api_gives_the_address_beside_the_key(app, session, client):
    _plays(session, app, ["quorbleweed"])
    work = make_work("play-de", title="Das Spiel", form="drama", stanzas=1)
    catalog.upsert_translation(session, work, language="de", title="Das Spiel (de)", translator_name="T",
                               text=_play("zwieselkraut", mark="[de] "))
    session.commit()
    indexer.reindex(session, get_backend(app), embed=False)
    query = ('query($q: String) { search(query: $q) { hits(first: 5) { edges { node { translationKey '
             'lines { key address isHit } } } } } }')
    for q, translation in (("quorbleweed", None), ("zwieselkraut", "de")):
        body = client.post("/graphql", json={"query": query, "variables": {"q": q}}).get_json()
        [edge] = body["data"]["search"]["hits"]["edges"]
        assert edge["node"]["translationKey"] == translation
        lines = {line["key"]: line["address"] for line in edge["node"]["lines"]}
        assert lines["1.2.3.1"] == "Act 1, scene 2, line 5"
        assert all(address.startswith("Act 1, scene") for address in lines.values())


def test_addresses_take_the_same_statements_for_few_or_many_hits(app, session, client, count_queries):
    def counted_search() -> tuple[int, int]:
        params = search_service.parse_search_args({"q": "quorbleweed"})
        search_service.search(session, params, use_cache=False)  # filters checked, values cached
        with count_queries as counted:
            found = search_service.search(session, params, use_cache=False)
        lines = [line for item in found.items for line in item.lines]
        assert lines and all(line.address.startswith("Act 1, scene") for line in lines)
        return len(found.items), counted.count

    _plays(session, app, ["quorbleweed"] * 2)
    few, few_statements = counted_search()
    _plays(session, app, ["quorbleweed"] * 6, start=2)
    many, many_statements = counted_search()
    assert (few, many) == (2, 8)
    assert many_statements == few_statements
