"""The statistics in the API: trending, view counts, the administrators' figures."""
from __future__ import annotations

from factories import UserFactory, make_work

from tercul.models import ViewDaily
from tercul.services import stats, tokens

TRENDING = """query($period: TrendingPeriod, $language: String, $after: String) {
  trending(period: $period, language: $language, first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { rank score work { slug viewCount translations { key viewCount } } } }
  }
}"""


def _bearer(session, user) -> dict:
    token = tokens.issue_tokens(session, user).access_token
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def _history(session, works):
    for n, work in enumerate(works):
        session.add(ViewDaily(kind="work", target_id=work.id, day=stats.today(), views=100 - n))
        for t in work.translations:
            session.add(ViewDaily(kind="translation", target_id=t.id, day=stats.today(), views=1))
    session.flush()
    stats.compute_trending(session)
    session.flush()


def test_trending_pages_through_a_list(gql, session):
    works = [make_work(f"w{n}", translations=("de",)) for n in range(3)]
    _history(session, works)
    status, body = gql(TRENDING, {"period": "DAY"})
    page = body["data"]["trending"]
    assert status == 200 and page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [e["node"]["work"]["slug"] for e in page["edges"]] == ["w0", "w1"]
    assert page["edges"][0]["node"]["work"]["viewCount"] == 100
    assert page["edges"][0]["node"]["work"]["translations"][0]["viewCount"] == 1
    _, body = gql(TRENDING, {"period": "DAY", "after": page["pageInfo"]["endCursor"]})
    assert [e["node"]["rank"] for e in body["data"]["trending"]["edges"]] == [3]
    _, body = gql(TRENDING, {"period": "MONTH", "language": "de"})
    assert body["data"]["trending"]["totalCount"] == 3  # the translations' views are in German


def test_view_counts_are_batched(gql, session, count_queries):
    few = [make_work(f"few{n}", translations=("de",)) for n in range(2)]
    _history(session, few)
    with count_queries:
        gql(TRENDING, {"period": "WEEK"})
    two = count_queries.count
    many = [make_work(f"many{n}", translations=("de", "fr")) for n in range(4)]
    _history(session, many)
    with count_queries:
        gql(TRENDING.replace("first: 2", "first: 6"), {"period": "WEEK"})
    assert count_queries.count == two


def test_bad_language_is_a_clear_error(gql, session):
    _, body = gql(TRENDING, {"language": "<b>"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_view_counts_by_kind(gql, session):
    work = make_work("counted")
    session.add(ViewDaily(kind="collection", target_id=7, day=stats.today(), views=5))
    session.flush()
    _, body = gql('query($ids: [ID!]!) { viewCounts(kind: COLLECTION, ids: $ids) { id views } }',
                  {"ids": ["7", str(work.id)]})
    assert body["data"]["viewCounts"] == [{"id": "7", "views": 5}, {"id": str(work.id), "views": 0}]


def test_admin_statistics_are_for_administrators(gql, session):
    query = "{ adminStatistics(days: 3) { days { day views } reviews } }"
    _, body = gql(query, headers=_bearer(session, UserFactory(role="reviewer")))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, body = gql(query, headers=_bearer(session, UserFactory(role="admin")))
    assert len(body["data"]["adminStatistics"]["days"]) == 3
    _, body = gql("{ adminStatistics(days: 0) { reviews } }", headers=_bearer(session, UserFactory(role="admin")))
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
