"""Schemathesis over /graphql (from schema.graphql): generated queries and mutations,
anonymous and signed in as an administrator, get no 5xx and no INTERNAL error. Bounded:
a few examples per operation."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

schemathesis = pytest.importorskip("schemathesis")

from contribution_helpers import page_client  # noqa: E402
from factories import UserFactory, make_work  # noqa: E402
from tercul.services import tokens  # noqa: E402

SCHEMA = schemathesis.graphql.from_file((Path(__file__).resolve().parents[2] / "schema.graphql").read_text())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def api(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    make_work("fuzz-work", translations=("fr",))
    admin = UserFactory(role="admin")
    token = tokens.issue_tokens(session, admin).access_token
    session.commit()
    return page_client(app), {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
@settings(max_examples=80, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_operations_get_no_server_error(api, signed_in, data):
    client, bearer = api
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    case = data.draw(operation.as_strategy(), label="case")
    response = client.post("/graphql", json=case.body, headers=bearer if signed_in else {})
    assert response.status_code < 500, (operation.label, case.body)
    body = response.get_json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", ())]
    assert "INTERNAL" not in codes, (operation.label, case.body, body)
