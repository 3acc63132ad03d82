"""Serve the app over HTTP for the outage tests: ``python serve_app.py PORT DB_URL REDIS_URL``.

A separate process because Flask-Limiter keeps its storage on the extension object:
an app bound to a Redis that the test stops must not share it with the test session.
Creates the schema, one work and one user (user@example.org / "a long password 1"),
then serves with several threads until killed.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    import tercul.cache
    import tercul.security
    from factories import UserFactory, make_work
    from tercul import create_app
    from tercul.config import TestingConfig
    from tercul.extensions import db
    from tercul.services.passwords import hash_password

    port, database_url, redis_url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    tercul.cache.RETRY_SECONDS = 0.5
    tercul.security.LIMITS_RETRY_SECONDS = 0.5
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.REDIS_URL = redis_url
    config.CACHE_TYPE = "RedisCache"  # tercul.extensions puts the resilient one in its place
    config.CACHE_REDIS_URL = redis_url
    config.RATELIMIT_STORAGE_URI = redis_url
    config.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    config.WTF_CSRF_ENABLED = False
    config.RATELIMIT_LOGIN_ACCOUNT = "3 per minute"
    config.GRAPHQL_RATE_LIMIT = "40/minute"
    config.MAIL_BACKEND = "locmem"
    config.READING_STAMP_SECONDS = 60
    app = create_app(config)
    with app.app_context():
        upgrade()
        make_work("the-river", translations=("fr",))
        UserFactory(email="user@example.org", username="reader-one", password_hash=hash_password("a long password 1"))
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", port, app, threaded=True)
    print("serving", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
