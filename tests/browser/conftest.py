"""Browser tests: Debian's Chromium driven by Playwright against a live server.

The live server has its own SQLite database (committed data, seeded once per run by
``live_library``), separate from the rolled-back per-test sessions of the other tests.
Screenshots go to ``tests/screenshots/`` (named in the README).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """An app on its own migrated SQLite file, with mail kept in a folder."""
    from flask_migrate import upgrade

    from tercul import create_app
    from tercul.config import TestingConfig
    from tercul.extensions import db

    tmp = tmp_path_factory.mktemp("live")
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'live.sqlite'}"
    config.INSTANCE_PATH = tmp
    config.MAIL_BACKEND = "file"
    config.MAIL_FILE_PATH = str(tmp / "mail")
    config.SEARCH_INDEX_PATH = tmp / "search"
    config.RATELIMIT_ENABLED = False
    config.TESTING = False  # behave like a real server (CSRF on, error pages)
    app = create_app(config)
    with app.app_context():
        upgrade()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve ``live_app`` on a free loopback port in a background thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    # links in mail are built from SERVER_NAME, never from the request's Host
    live_app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test; fails on any request leaving loopback."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1440, "height": 900})
    external: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "data:")) else (external.append(route.request.url), route.abort())))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
    assert external == [], f"requests left the machine: {external}"


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # caret="initial": hiding the caret would inject a <style>, which our CSP blocks
    page.screenshot(path=str(path), full_page=False, caret="initial")
    return path


def log_in(page, email: str, password: str) -> None:
    """Log ``page``'s browser context in through the login form (lands on /me)."""
    page.goto("/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me")


@pytest.fixture(scope="session")
def reading_library(live_app):
    """The made-up library of ``tests/reading_samples.py``, committed into the live database."""
    from tercul.extensions import cache, db
    from tercul.services.reading import invalidate_library
    from tests.reading_samples import seed_reading_library

    with live_app.app_context():
        seed_reading_library(db.session)
        db.session.commit()
        cache.clear()
        invalidate_library()
        db.session.remove()
    return live_app
