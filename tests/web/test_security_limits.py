"""Rate limits: per client IP and per account, 429 with Retry-After, and a Redis outage."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
from flask.testing import FlaskClient

from tercul.extensions import limiter
from tercul.services import accounts

PASSWORD = "lantern orchard thunder"


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as on a server (see test_account_pages)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def client_from(app, ip: str = "127.0.0.1"):
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    client.environ_base["REMOTE_ADDR"] = ip
    return client


@pytest.fixture
def client(app, session):
    return client_from(app)


@pytest.fixture(autouse=True)
def csrf_on(app, monkeypatch):
    """As on the server (and whatever another test module left in the shared config)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture(autouse=True)
def fresh_limits(app):
    # one limiter serves every app made in this process (the browser tests make one
    # with limits off): bind it to this app's settings and start from zero
    limiter.init_app(app)
    limiter.reset()


@pytest.fixture
def user(session):
    return accounts.create_user(session, email="ana@example.org", password=PASSWORD, display_name="Ana",
                                verified=True)


def csrf_token(client, path: str = "/account/login") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def attempt(client, email="ana@example.org", password="not the password"):
    return client.post("/account/login", data={"csrf_token": csrf_token(client), "email": email,
                                               "password": password})


def test_the_sixth_wrong_password_in_a_minute_gets_429_with_retry_after(client, user):
    statuses = [attempt(client).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    response = attempt(client)
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 60
    html = response.get_data(as_text=True)
    assert "Too many attempts" in html and "seconds" in html
    # even the right password waits: the limit is on the account, not on failures seen
    assert attempt(client, password=PASSWORD).status_code == 429


def test_the_account_limit_holds_across_addresses(app, user):
    for n in range(5):
        assert attempt(client_from(app, f"10.0.0.{n}")).status_code == 200
    assert attempt(client_from(app, "10.0.1.1")).status_code == 429


def test_the_ip_limit_holds_across_accounts(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_IP", "3 per minute")
    assert [attempt(client, email=f"n{n}@example.org").status_code for n in range(4)] == [200, 200, 200, 429]
    assert attempt(client_from(app, "10.9.9.9"), email="n9@example.org").status_code == 200


def test_successful_logins_are_not_counted(app, user):
    for _ in range(8):
        browser = client_from(app)
        assert attempt(browser, password=PASSWORD).status_code == 303


def test_registration_and_reset_requests_are_limited(app, client, session):
    def register(n: int):
        return client.post("/account/register", data={
            "csrf_token": csrf_token(client, "/account/register"), "name": "Ana",
            "email": "same@example.org", "password": PASSWORD})

    assert [register(n).status_code for n in range(4)] == [303, 303, 303, 429]
    forgot = [client.post("/account/password/forgot", data={
        "csrf_token": csrf_token(client, "/account/password/forgot"), "email": "same@example.org"}).status_code
        for _ in range(4)]
    assert forgot == [303, 303, 303, 429]


def test_mistyped_forms_do_not_use_up_the_limit(app, client, session):
    for _ in range(5):
        response = client.post("/account/register", data={
            "csrf_token": csrf_token(client, "/account/register"), "name": "Ana", "email": "same@example.org",
            "password": "short"})
        assert response.status_code == 200


def test_a_json_client_gets_json(client, user):
    for _ in range(5):
        attempt(client)
    response = client.post("/account/login", headers={"Accept": "application/json"},
                           data={"csrf_token": csrf_token(client), "email": "ana@example.org", "password": "x"})
    assert response.status_code == 429 and response.json["error"]["retry_after"] > 0


REDIS_DOWN = textwrap.dedent("""
    import os, re, tempfile, logging
    tmp = tempfile.mkdtemp()
    os.environ["TERCUL_INSTANCE"] = tmp
    from flask_migrate import upgrade
    from tercul import create_app
    from tercul.config import TestingConfig
    from tercul.extensions import db
    from tercul.services import accounts

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/t.sqlite"
    config.MAIL_BACKEND = "locmem"
    # nothing listens on port 1: the connection is refused at once
    config.RATELIMIT_STORAGE_URI = "redis://127.0.0.1:1/0"
    config.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    app = create_app(config)
    with app.app_context():
        upgrade()
        accounts.create_user(db.session, email="ana@example.org", password="lantern orchard thunder",
                             display_name="Ana", verified=True)
        db.session.commit()
    client = app.test_client()
    statuses = []
    for _ in range(7):
        html = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        statuses.append(client.post("/account/login", data={"csrf_token": token, "email": "ana@example.org",
                                                            "password": "wrong password!"}).status_code)
    print(" ".join(map(str, statuses)))
""")


def test_a_redis_outage_neither_errors_nor_lifts_the_limits():
    """In a separate process: the limiter's storage is process-wide."""
    result = subprocess.run([sys.executable, "-c", REDIS_DOWN], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200"] * 5 + ["429"] * 2, result.stderr[-2000:]


def test_a_stolen_session_cannot_guess_the_password_either(client, user):
    assert attempt(client, password=PASSWORD).status_code == 303

    def guess(path: str, field: str):
        return client.post(path, data={"csrf_token": csrf_token(client, path), field: "not the password",
                                       "new_password": "a new pass phrase", "email": "new@example.org"})

    statuses = [guess("/account/password", "current_password").status_code for _ in range(3)]
    statuses += [guess("/account/delete", "password").status_code for _ in range(2)]
    assert statuses == [200] * 5
    assert guess("/account/email", "password").status_code == 429
    assert guess("/account/password", "current_password").status_code == 429
