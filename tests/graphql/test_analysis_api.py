"""GraphQL: Text.analysis (one query for every text of a response) and compareForm."""
from __future__ import annotations

import pytest
from factories import make_work
from literature import sonnet

from tercul.services import analysis, catalog
from tercul.texts.model import Division, Line, Text

SONNET_18 = sonnet(18)  # read from the demo sources


# a made-up unrhymed German text (not a translation): every line ends in another word
GERMAN_ENDS = "Haus Baum Tisch Wald Berg Fluss Stadt Brot Licht Hand Weg Feld Stein Kind".split()


def _text(lines):
    return Text(divisions=[Division(key="1", kind="poem", lines=[
        Line(key=f"l{n}", text=line) for n, line in enumerate(lines, start=1)])])


@pytest.fixture
def sonnet(session):
    work, _ = catalog.upsert_work(session, catalog.WorkFields(slug="sonnet-18", title="Sonnet 18", language="en",
                                                              form="poetry", authors=[], genres=[], tags=[]))
    catalog.set_work_text(session, work, _text(SONNET_18))
    catalog.upsert_translation(session, work, language="de", title="Sonett 18",
                               text=_text([f"Zeile {n} sieht heute den {word}" for n, word in enumerate(GERMAN_ENDS, 1)]))
    session.flush()
    return work


def enrich(session):
    for _e, _i, revision_id in analysis.published_texts(session):
        analysis.analyse_revision(session, revision_id)
    session.commit()


ANALYSIS = """query($slug: String!) { work(slug: $slug) { text { analysis {
  analyserVersion current partial languageDetected languageMismatch counts { lines words }
  readability { formula band } meter { name feet } rhymeScheme facets notes
  stanzas { key lines syllables rhymeScheme }
  lines(keys: ["l1", "l14", "nope"]) { key syllables rhyme stress } } } } }"""


def test_analysis_is_null_until_the_text_is_analysed(gql, session, sonnet):
    status, body = gql(ANALYSIS, {"slug": "sonnet-18"})
    assert status == 200 and body["data"]["work"]["text"]["analysis"] is None


def test_analysis_of_a_work(gql, session, sonnet):
    enrich(session)
    status, body = gql(ANALYSIS, {"slug": "sonnet-18"})
    assert status == 200 and "errors" not in body, body
    found = body["data"]["work"]["text"]["analysis"]
    assert found["current"] is True and found["partial"] is False
    assert found["languageDetected"] == "en" and found["languageMismatch"] is False
    assert found["counts"]["lines"] == 14
    assert found["rhymeScheme"] == "ABAB CDCD EFEF GG"
    assert found["meter"] == {"name": "iambic pentameter", "feet": 5}
    assert {"sonnet", "iambic", "rhymed"} <= set(found["facets"])
    assert found["stanzas"][0]["lines"] == 14 and len(found["stanzas"][0]["syllables"]) == 14
    assert [(ln["key"], ln["rhyme"]) for ln in found["lines"]] == [("l1", "A"), ("l14", "G")]


def test_analysis_of_a_translation(gql, session, sonnet):
    enrich(session)
    status, body = gql("""{ translation(workSlug: "sonnet-18", key: "de") {
        text { analysis { languageDeclared languageDetected counts { lines } } } } }""")
    assert body["data"]["translation"]["text"]["analysis"] == {
        "languageDeclared": "de", "languageDetected": "de", "counts": {"lines": 14}}


def test_analyses_of_many_texts_cost_one_query(gql, session, count_queries):
    for n in range(6):
        make_work(f"poem-{n}", translations=("fr",))
    enrich(session)
    query = """{ works(first: %d, filter: {includeParts: true}) { edges { node {
        text { revision %s } translations { text { revision %s } } } } } }"""
    extra = []
    for first in (2, 6):
        with count_queries:
            gql(query % (first, "", ""))
        plain = count_queries.count
        with count_queries:
            status, body = gql(query % (first, "analysis { counts { lines } }", "analysis { rhymeScheme }"))
        assert "errors" not in body, body
        nodes = [e["node"] for e in body["data"]["works"]["edges"]]
        assert len(nodes) == first and all(n["text"]["analysis"]["counts"]["lines"] == 8 for n in nodes)
        extra.append(count_queries.count - plain)
    assert extra[0] == extra[1] <= 2


def test_compare_form(gql, session, sonnet):
    query = """{ compareForm(work: "sonnet-18", translation: "de") {
        ready kept { lines rhymeScheme } original { rhymeScheme } translation { languageDetected }
        stanzas { original { key lines rhymeScheme syllables } translation { key lines } linesKept rhymeKept } } }"""
    status, body = gql(query)
    assert body["data"]["compareForm"]["ready"] is False
    enrich(session)
    status, body = gql(query)
    assert "errors" not in body, body
    found = body["data"]["compareForm"]
    assert found["ready"] is True
    assert found["original"]["rhymeScheme"] == "ABAB CDCD EFEF GG"
    assert found["translation"]["languageDetected"] == "de"
    assert found["kept"]["lines"] is True
    [pair] = found["stanzas"]
    assert pair["original"]["lines"] == 14 and pair["translation"]["lines"] == 14 and pair["linesKept"] is True
    assert pair["rhymeKept"] is False


def test_compare_form_of_unknown_texts_is_not_found(gql, session, sonnet):
    for work, key in (("nothing", "de"), ("sonnet-18", "xx")):
        status, body = gql('query($w: String!, $t: String!) { compareForm(work: $w, translation: $t) { ready } }',
                           {"w": work, "t": key})
        assert status == 200 and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert body["data"]["compareForm"] is None


def test_works_filtered_by_form_feature(gql, session, sonnet):
    make_work("plain-poem")
    enrich(session)
    query = 'query($f: String) { works(filter: {feature: $f}) { totalCount edges { node { slug } } } }'
    status, body = gql(query, {"f": "sonnet"})
    assert "errors" not in body, body
    assert [e["node"]["slug"] for e in body["data"]["works"]["edges"]] == ["sonnet-18"]
    status, body = gql(query, {"f": "limerick"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "not a form feature" in body["errors"][0]["message"]
