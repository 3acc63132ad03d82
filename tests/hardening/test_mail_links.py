"""Mail links are ours: built from SERVER_NAME and the scheme, never from the request's
Host or X-Forwarded-Host (even behind trusted proxies)."""
from __future__ import annotations

import re

import pytest

from tercul.config import ConfigError, ProductionConfig
from tercul.extensions import limiter
from tercul.services import accounts

HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}


@pytest.fixture
def outbox(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    limiter.reset()
    app.extensions["mailman"].outbox = []
    return app.extensions["mailman"].outbox


@pytest.fixture
def user(session):
    return accounts.create_user(session, email="ana@example.org", password="lantern orchard thunder",
                                display_name="Ana", verified=True)


def links(outbox) -> list[str]:
    return [url for message in outbox for url in re.findall(r"https?://\S+", message.body)]


@pytest.mark.parametrize("server_name, scheme, expected", [
    (None, "http", "http://localhost/"),
    ("tercul.example.org", "https", "https://tercul.example.org/"),
])
def test_a_reset_asked_with_a_hostile_host_mails_our_link(app, client, user, outbox, monkeypatch,
                                                          server_name, scheme, expected):
    monkeypatch.setitem(app.config, "SERVER_NAME", server_name)
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", scheme)
    response = client.post("/account/password/forgot", data={"email": "ana@example.org"}, headers=HOSTILE)
    assert response.status_code == 303
    found = links(outbox)
    assert found and all(url.startswith(expected) for url in found), found


def test_the_graphql_reset_and_registration_mail_our_links_too(app, client, user, outbox):
    client.post("/graphql", headers=HOSTILE, json={
        "query": 'mutation { requestPasswordReset(email: "ana@example.org") { ok } '
                 'register(email: "new@example.org", password: "a fine long passphrase", displayName: "New") '
                 '{ ok } }'})
    found = links(outbox)
    assert len(outbox) == 2 and found and not any("evil" in url for url in found), found


def test_production_does_not_start_without_server_name(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("SERVER_NAME", raising=False)
    with pytest.raises(ConfigError, match="SERVER_NAME"):
        ProductionConfig()
