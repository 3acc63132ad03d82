"""Embedded mode: a change committed in a request is searchable within 2 seconds, indexed
by the serving process's own relay thread (no broker, no worker)."""
from __future__ import annotations

import time

import pytest


@pytest.fixture
def embedded_app(tmp_path):
    from flask_migrate import upgrade

    from tercul import create_app
    from tercul.config import TestingConfig
    from tercul.extensions import db

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'embedded.sqlite'}"
    config.INSTANCE_PATH = tmp_path
    config.SEARCH_INDEX_PATH = tmp_path / "index"
    config.JOBS_IN_PROCESS = True  # what every non-test configuration has
    config.MAIL_BACKEND = "locmem"
    app = create_app(config)
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    # the thread must not outlive the test: later tests swap db.session for their own
    app.extensions["tercul.relay"].stop()
    from tercul.search import forget_backends

    forget_backends()
    with app.app_context():
        db.engine.dispose()


def test_a_published_translation_is_searchable_within_two_seconds(embedded_app):
    from tercul.extensions import db
    from tercul.search import get_backend
    from tercul.search.interface import SearchRequest
    from tercul.search.query import parse_query
    from tercul.services import catalog

    from ..search.conftest import text_of

    # a POST, like the review form: its transactions take the write lock when they begin
    with embedded_app.test_request_context("/contribute", method="POST"):
        author = catalog.upsert_author(db.session, slug="rilke", name="Rainer Maria Rilke")
        work, _ = catalog.upsert_work(db.session, catalog.WorkFields(
            slug="herbsttag", title="Herbsttag", language="de", form="poetry", authors=[author.slug], genres=[],
            tags=[]))
        catalog.set_work_text(db.session, work, text_of(["Herr: es ist Zeit. Der Sommer war sehr groß."]))
        db.session.commit()
        catalog.upsert_translation(db.session, work, language="en", title="Autumn Day",
                                   text=text_of(["Lord: it is time. The summer was immense."]), translator_name="T")
        db.session.commit()
        published = time.monotonic()
        db.session.remove()

    backend = get_backend(embedded_app)
    while time.monotonic() - published < 2.0:
        hits = backend.search(SearchRequest(query=parse_query("immense summer"), facets=False)).hits
        if hits and hits[0].translation_key == "en":
            break
        time.sleep(0.05)
    else:
        pytest.fail("the translation was not searchable 2 seconds after it was published")
