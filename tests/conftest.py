"""Test set-up: one migrated database per run, each test in a rolled-back transaction.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL``
points there (``make test`` does both).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, text

from tercul import create_app
from tercul.config import TestingConfig
from tercul.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def _database_url(tmp: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app_config(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tercul")
    os.environ.setdefault("TERCUL_INSTANCE", str(tmp / "instance"))
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = _database_url(tmp)
    config.INSTANCE_PATH = tmp / "instance"
    config.MAIL_BACKEND = "locmem"
    config.SEARCH_INDEX_PATH = tmp / "search"
    config.SERVER_NAME = None
    return config


@pytest.fixture(scope="session")
def app(app_config):
    """The application with a freshly migrated database."""
    from flask_migrate import upgrade

    app = create_app(app_config)
    with app.app_context():
        _reset_database()
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def _reset_database() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


class _ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine itself; in tests, use our connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def session(app):
    """``db.session`` bound to one connection whose transaction is rolled back afterwards.

    Code under test may commit: with ``create_savepoint`` its commits release
    savepoints inside the outer transaction, which the fixture throws away.
    """
    with app.app_context():
        from tercul.extensions import cache

        cache.clear()  # entries cached from an earlier test's library (known filter values, pages...)
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session({"bind": connection, "join_transaction_mode": "create_savepoint",
                                              "class_": _ConnectionBoundSession})
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate-limit counters live in process memory: every test starts from zero."""
    if "app" in request.fixturenames:
        from tercul.extensions import limiter

        with request.getfixturevalue("app").app_context():
            limiter.reset()
    yield


class RequestPerContextClient(FlaskClient):
    """Runs each request in an app context of its own, as a server does.

    Inside the test's app context (the ``session`` fixture's) Flask would reuse that
    context, so ``g`` (Flask-Login's user, the CSRF token, caches kept in ``g``) would
    leak from one request into the next. Each request gets its own context and so its
    own ``db.session``, bound to the test's rolled-back connection like the test's
    session. The test's pending changes are flushed first, so that the request sees
    them, and the test's objects are expired afterwards, so that it reads what the
    request wrote.
    """

    def open(self, *args, **kwargs):
        test_session = db.session if has_app_context() else None
        if test_session is not None:
            test_session.flush()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            if test_session is not None:
                test_session.expire_all()


@pytest.fixture
def client(app, session):
    return RequestPerContextClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def cli_runner(app, session):
    return app.test_cli_runner()


class QueryCounter:
    """Counts the SQL statements sent while active (``with counter: ...``)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        self.statements.clear()
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len([s for s in self.statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))])


@pytest.fixture
def count_queries(app, session):
    return QueryCounter(db.engine)
