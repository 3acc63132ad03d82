"""Sessions, CSRF and security headers: what a copied cookie, a forged form or a frame can do."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
from flask.testing import FlaskClient

from tercul import security
from tercul.extensions import limiter
from tercul.services import accounts

PASSWORD = "lantern orchard thunder"


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as on a server (see test_account_pages)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app, session):
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def new_client(app, session):
    return lambda: IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture(autouse=True)
def csrf_on(app, monkeypatch):
    """As on the server (and whatever another test module left in the shared config)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()


@pytest.fixture
def user(session):
    return accounts.create_user(session, email="ana@example.org", password=PASSWORD, display_name="Ana",
                                verified=True)


def csrf_token(client, path: str = "/account/login") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def login(client, remember: bool = False):
    data = {"csrf_token": csrf_token(client), "email": "ana@example.org", "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


def logout(client):
    return client.post("/account/logout", data={"csrf_token": csrf_token(client, "/me")})


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(client, value: str):
    client.set_cookie("session", value)
    return client


# --- revocation --------------------------------------------------------------------------------

def test_a_cookie_copied_before_logout_gets_no_access_after_it(client, new_client, user):
    login(client)
    stolen = session_cookie(client)
    assert with_cookie(new_client(), stolen).get("/me").status_code == 200
    assert logout(client).status_code == 303
    replay = with_cookie(new_client(), stolen)
    response = replay.get("/me")
    assert response.status_code == 302 and "/account/login" in response.location
    assert "Log in" in replay.get("/account/login").get_data(as_text=True)


def test_logout_ends_every_session_of_the_user(client, new_client, user):
    laptop, phone = client, new_client()
    login(laptop)
    login(phone)
    logout(laptop)
    assert phone.get("/me").status_code == 302


def test_a_remember_me_cookie_is_revoked_by_logout_too(client, new_client, user):
    response = login(client, remember=True)
    assert "Expires=" in response.headers["Set-Cookie"]
    stolen = session_cookie(client)
    logout(client)
    assert with_cookie(new_client(), stolen).get("/me").status_code == 302


def test_a_session_that_names_only_the_user_id_is_refused(app, new_client, user):
    # a cookie forged with the key but without the session version (or from plain login_user)
    serializer = app.session_interface.get_signing_serializer(app)
    forged = serializer.dumps({"_user_id": str(user.id), "_fresh": True, "_login_at": 2 ** 30,
                               "_seen_at": 2 ** 30})
    assert with_cookie(new_client(), forged).get("/me").status_code == 302


def test_login_starts_a_new_session(client, new_client, user):
    before_token = csrf_token(client)
    before = session_cookie(client)
    login(client)
    assert session_cookie(client) != before
    assert csrf_token(client, "/me") != before_token
    # the cookie someone planted before the login does not become logged in
    assert with_cookie(new_client(), before).get("/me").status_code == 302


def test_session_cookie_flags(client, user):
    cookie = login(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" not in cookie  # ends with the browser unless "remember me"


# --- lifetimes ---------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        import time

        self.now = float(int(time.time()))

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(security, "time", clock)
    return clock


def test_an_idle_session_ends(app, client, user, clock):
    login(client)
    clock.now += app.config["SESSION_IDLE_MINUTES"] * 60 - 30
    assert client.get("/me").status_code == 200
    clock.now += app.config["SESSION_IDLE_MINUTES"] * 60 - 30
    assert client.get("/me").status_code == 200  # each request counts as activity
    clock.now += app.config["SESSION_IDLE_MINUTES"] * 60 + 1
    assert client.get("/me").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(app, client, user, clock):
    login(client)
    step = app.config["SESSION_IDLE_MINUTES"] * 60 // 2
    elapsed = 0
    while elapsed + step <= app.config["SESSION_ABSOLUTE_HOURS"] * 3600:
        clock.now += step
        elapsed += step
        assert client.get("/me").status_code == 200
    clock.now += step
    assert client.get("/me").status_code == 302


def test_remember_me_outlives_the_idle_limit_but_not_its_own(app, client, user, clock):
    login(client, remember=True)
    clock.now += app.config["SESSION_ABSOLUTE_HOURS"] * 3600 + 60
    assert client.get("/me").status_code == 200
    clock.now += app.config["REMEMBER_ME_DAYS"] * 86400
    assert client.get("/me").status_code == 302


# --- CSRF ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/account/login", "/account/register", "/account/password/forgot",
                                  "/account/logout", "/account/verify/resend"])
def test_a_post_without_csrf_token_gets_a_400_page(client, path, user):
    response = client.post(path, data={"email": "ana@example.org", "password": PASSWORD, "name": "X"})
    assert response.status_code == 400
    assert "The form expired or was not sent from this site" in response.get_data(as_text=True)


def test_csrf_is_checked_for_logged_in_users_and_accepts_the_htmx_header(client, user):
    login(client)
    assert client.post("/account/logout").status_code == 400
    assert client.post("/account/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/me").status_code == 200  # still logged in
    response = client.post("/account/logout", headers={"X-CSRFToken": csrf_token(client, "/me")})
    assert response.status_code == 303
    assert client.get("/me").status_code == 302


def test_a_token_from_another_session_is_refused(client, new_client, user):
    other_token = csrf_token(new_client())
    response = client.post("/account/login", data={"csrf_token": other_token, "email": "ana@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 400


# --- headers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/account/login", "/account/register", "/nothing-here"])
def test_pages_carry_csp_and_nosniff(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # only in production, over HTTPS


PRODUCTION_CHECK = textwrap.dedent("""
    import os, re, tempfile
    os.environ.update(TERCUL_ENV="production", SECRET_KEY="x" * 48, TERCUL_INSTANCE=tempfile.mkdtemp(),
                      SERVER_NAME="tercul.example")
    os.environ.pop("DATABASE_URL", None)
    from tercul import create_app
    app = create_app()
    client = app.test_client()
    plain = client.get("/account/login", base_url="http://tercul.example")
    secure = client.get("/account/login", base_url="https://tercul.example")
    print("redirect", plain.status_code, plain.headers.get("Location"))
    print("hsts", secure.headers.get("Strict-Transport-Security"))
    print("cookie", secure.headers.get("Set-Cookie"))
""")


def test_production_cookies_and_https():
    """In a separate process: a production app changes process-wide extension settings."""
    result = subprocess.run([sys.executable, "-c", PRODUCTION_CHECK], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["redirect"].startswith("30") and "https://tercul.example/account/login" in lines["redirect"]
    assert "max-age=31536000" in lines["hsts"]
    cookie = lines["cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_a_reader_gets_no_session_cookie_but_a_signed_in_user_gets_the_htmx_token(client, user):
    # reading pages hold no token and set no cookie (cheap, cacheable); forms carry their own
    for path in ("/", "/works", "/search?q=autumn", "/authors"):
        response = client.get(path)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, path
        assert "X-CSRFToken" not in response.get_data(as_text=True)
    assert 'name="csrf_token"' in client.get("/account/login").get_data(as_text=True)
    login(client)
    html = client.get("/works").get_data(as_text=True)
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)


def test_a_readers_cached_page_carries_each_requests_own_nonce(client, new_client, user, session, monkeypatch):
    from factories import make_work

    from tercul.web import htmx

    make_work(slug="cached-poem", title="A Cached Poem")
    session.commit()
    rendered, render = [], htmx.render_template
    monkeypatch.setattr(htmx, "render_template", lambda name, **kw: rendered.append(name) or render(name, **kw))
    pages = []
    for round_ in range(2):  # the second comes from the whole-page cache: nothing rendered
        before = len(rendered)
        response = new_client().get("/works/cached-poem")
        assert (len(rendered) > before) == (round_ == 0)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "A Cached Poem" in html
        assert f'nonce="{nonce}"' in html and html.count('nonce="') == html.count(f'nonce="{nonce}"')
        pages.append(html.replace(nonce, "NONCE"))
    assert pages[0] == pages[1] and "Set-Cookie" not in response.headers
    login(client)  # a signed-in reader gets the page made for them, not the readers' copy
    assert "Ana" in client.get("/works/cached-poem").get_data(as_text=True)
