"""Browsing and the aligned reading view through the API."""
from factories import AuthorFactory, make_work

WORKS = """query($filter: WorkFilter, $order: WorkOrder, $first: Int) {
  works(filter: $filter, orderBy: $order, first: $first) {
    totalCount edges { node { slug title translationCount } } } }"""


def test_works_filter_and_order(gql, session):
    ann = AuthorFactory(slug="ann")
    make_work("a-poem", title="A Poem", authors=[ann], translations=("de",), date_from=1820)
    make_work("b-play", title="B Play", form="drama", translations=("de", "fr"), date_from=1600)
    make_work("c-tale", title="C Tale", form="prose", language="de", date_from=1900)
    _, body = gql(WORKS, {"filter": {"translatedInto": "de"}, "order": "TRANSLATED"})
    assert [e["node"]["slug"] for e in body["data"]["works"]["edges"]] == ["b-play", "a-poem"]
    _, body = gql(WORKS, {"filter": {"form": "PROSE", "language": "de"}})
    assert [e["node"]["slug"] for e in body["data"]["works"]["edges"]] == ["c-tale"]
    _, body = gql(WORKS, {"filter": {"author": "ann"}, "order": "DATE"})
    assert body["data"]["works"]["totalCount"] == 1
    _, body = gql(WORKS, {"order": "DATE", "first": 2})
    assert [e["node"]["slug"] for e in body["data"]["works"]["edges"]] == ["b-play", "a-poem"]
    _, bad = gql(WORKS, {"filter": {"author": "nobody"}})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "nobody" in bad["errors"][0]["message"]
    _, bad = gql(WORKS, {"filter": {"language": "xx"}})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_reading_view_aligns_lines_with_anchors(gql, session):
    make_work("tide", stanzas=2, lines=3, translations=("de", "fr"))
    _, body = gql("""{ readingView(slug: "tide", translations: ["de"]) {
        columns { role key language }
        rows { coarse cells { column lines { text anchor alignedTo } } } lineCount } }""")
    view = body["data"]["readingView"]
    assert [(c["role"], c["key"], c["language"]) for c in view["columns"]] == [
        ("original", None, "en"), ("translation", "de", "de")]
    assert view["lineCount"] == 6
    first_row = view["rows"][0]
    original, german = first_row["cells"][0]["lines"][0], first_row["cells"][1]["lines"][0]
    assert original["anchor"] and german["text"].startswith("[de] ")
    assert german["alignedTo"] == ["1.1"]
    assert gql('{ readingView(slug: "nope") { lineCount } }')[1]["data"]["readingView"] is None
