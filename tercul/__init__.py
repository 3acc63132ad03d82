"""Tercul: a home for literature and its translations."""
from __future__ import annotations

import os
from typing import Any

# One BLAS thread per process (set before numpy loads): requests and jobs already run side
# by side, and OpenBLAS's idle threads spin on the other core, which starved the second
# half of a hybrid search (measured: p95 33 ms with the default, 27 ms with one thread).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from flask import Flask  # noqa: E402 - after the BLAS setting

from .config import Config, ConfigError, config_from_env  # noqa: E402

__all__ = ["create_app", "ConfigError"]


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Build the application.

    ``config`` is a :class:`Config` instance, a dict of overrides applied on top of
    the environment's configuration, or None for the environment alone.
    """
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    app = Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides, config = config, None
    if config is None:
        config = config_from_env()
    app.config.from_mapping(config.as_dict())
    app.config.from_mapping(overrides)
    app.instance_path = str(app.config["INSTANCE_PATH"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # behind N trusted proxies: client address and scheme from X-Forwarded-*
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_template_filters(app)
    _register_blueprints(app)
    from .web.errors import register_error_handlers

    register_error_handlers(app)
    from .cli import register_commands

    register_commands(app)
    from .observability import init_app as init_observability

    init_observability(app)  # logs, traces, metrics, /health and /ready
    from .rate_tiers import init_rate_tiers

    init_rate_tiers(app)  # after the request timers, so that metrics and logs count its 429s
    return app


def _init_extensions(app: Flask) -> None:
    from sqlalchemy import event

    from .extensions import cache, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR") or _migrations_dir()),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    from .security import init_login, init_security

    init_security(app)
    init_login(app)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_connect)
            event.listen(db.engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys off unless asked, per connection. The driver's own
    # transaction handling is turned off so that SQLAlchemy's BEGIN and SAVEPOINTs
    # behave as documented (the pysqlite recipe in the SQLAlchemy docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # A request that changes data takes SQLite's write lock when its transaction begins:
    # a deferred transaction that reads, then writes after another connection (the
    # embedded job relay) committed, fails at once with "database is locked".
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def _writing_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _register_template_filters(app: Flask) -> None:
    from .services.languages import language_autonym, language_name

    app.add_template_filter(language_name, "language_name")
    app.add_template_filter(language_autonym, "language_autonym")


def _register_blueprints(app: Flask) -> None:
    from .graphql.view import bp as graphql_bp
    from .web import register_web

    register_web(app)
    app.register_blueprint(graphql_bp)
