"""Every example in api/EXAMPLES.md runs against the demo library, as documented."""
import re

import pytest
from sqlalchemy import select

from search.conftest import backend  # noqa: F401 - a fresh index folder
from tercul.graphql.examples import load_examples
from tercul.importers import demo
from tercul.models import User, Work
from tercul.services import accounts, contributions, tokens

EXAMPLES = load_examples()
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@pytest.fixture
def demo_library(app, session, backend, monkeypatch):  # noqa: F811
    try:
        demo.fetch_sources(offline=True)
    except demo.SourceUnavailable as exc:
        pytest.skip(f"demo sources not downloaded (make setup fetches them): {exc}")
    demo.build(session, offline=True, echo=lambda _: None)
    from tercul.search import indexer
    from tercul.services import search

    # index what the search example looks for (a whole reindex of the demo takes a minute)
    for slug in ("universal-declaration-of-human-rights", "shakespeare-sonnet-18"):
        indexer.index_entity(session, backend, "work", session.scalar(select(Work.id).where(Work.slug == slug)),
                             embed=False)
    monkeypatch.setattr(search, "get_backend", lambda: backend)
    users = {role: accounts.create_user(session, email=f"{role}@example.org", password=f"{role} pass phrase 2026",
                                        display_name=f"Example {role.title()}", role=role, verified=True)
             for role in ("reader", "contributor", "reviewer", "admin")}
    session.commit()
    return users


def test_examples_cover_every_query_and_mutation():
    from tercul.graphql.schema import get_schema

    schema = get_schema().graphql_schema
    used = " ".join(e["query"] for e in EXAMPLES)
    fields = list(schema.query_type.fields) + list(schema.mutation_type.fields)
    assert [f for f in fields if not re.search(rf"\b{f}\s*\(|\b{f}\s*\{{", used)] == []


def test_every_example_runs(app, gql, session, demo_library):
    users = demo_library
    context = {"contributorUsername": users["contributor"].username, "readerId": str(users["reader"].id),
               "sonnetId": str(session.scalar(select(Work.id).where(Work.slug == "shakespeare-sonnet-18")))}

    def after(title, data):
        if title == "Register":
            user = session.scalar(select(User).where(User.email == "new.reader@example.org"))
            with app.test_request_context():
                context["verifyToken"] = accounts.links._verify_url(user).rstrip("/").rsplit("/", 1)[1]
        elif title == "Log in":
            context["refreshToken"] = data["login"]["refreshToken"]
        elif title == "Refresh the tokens":
            context["latestRefreshToken"] = data["refreshToken"]["refreshToken"]
        elif title == "Ask for a password reset":
            user = session.scalar(select(User).where(User.email == "new.reader@example.org"))
            fingerprint = accounts.links._fingerprint(user.password_hash)
            context["resetToken"] = accounts.links._sign(accounts.links._RESET, {"uid": user.id, "pw": fingerprint})
        elif title == "Submit a translation":
            context["contributionId"] = data["submitContribution"]["contribution"]["id"]
            for name, slug in (("secondContributionId", "shakespeare-sonnet-19"),
                               ("thirdContributionId", "shakespeare-sonnet-20")):
                work = session.scalar(select(Work).where(Work.slug == slug))
                context[name] = str(contributions.propose_translation(
                    session, users["contributor"], work.id, language="eo", title="Soneto",
                    text="Unu linio\nDua linio").id)
            session.commit()
        elif title == "Comment on one line":
            context["threadId"] = data["commentOnLine"]["thread"]["id"]
        elif title == "Add an author":
            context["authorId"] = data["createAuthor"]["author"]["id"]
        elif title == "Add a work":
            context["workId"] = data["createWork"]["work"]["id"]
        elif title == "Comment on a line":
            context["commentId"] = data["postComment"]["comment"]["id"]
        elif title == "Publish a translation directly":
            context["translationId"] = data["createTranslation"]["translation"]["id"]
        elif title == "Start a collection":
            context["collectionId"] = data["createCollection"]["collection"]["id"]
        elif title == "Add a work to a collection":
            context["itemId"] = data["addToCollection"]["item"]["id"]
        elif title == "Save a search":
            context["savedSearchId"] = data["saveSearch"]["savedSearch"]["id"]

    ran = []
    for example in EXAMPLES:
        variables = example["variables"]
        if variables is not None:
            variables = _fill(variables, context)
        headers = {}
        if example["as"] != "anyone":
            headers["Authorization"] = f"Bearer {tokens.issue_tokens(session, users[example['as']]).access_token}"
            session.commit()
        status, body = gql(example["query"], variables, headers=headers)
        assert status == 200 and "errors" not in body, (example["title"], body)
        for value in (body["data"] or {}).values():
            if isinstance(value, dict) and "errors" in value:
                assert value["errors"] == [], (example["title"], value)
        after(example["title"], body["data"])
        ran.append(example["title"])
    assert len(ran) == len(EXAMPLES) >= 30


def _fill(value, context):
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: context[m.group(1)], value)
    if isinstance(value, dict):
        return {k: _fill(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, context) for v in value]
    return value
