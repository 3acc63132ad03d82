"""``/health`` (liveness), ``/ready`` (readiness) and ``/healthz`` (the old name of /health).

/health answers as long as the process serves requests: status, version and commit.
/ready checks each part the app needs, each within ``READY_TIMEOUT`` seconds and side
by side: the database, Redis (cache and rate limits), the broker and the search index;
a part that is not configured is not checked. A failing part makes the answer 503 and
is named in it. Neither is rate limited, cached or given a session cookie.
"""
from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify

from .request_hooks import quiet

bp = Blueprint("health", __name__)
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="tercul-ready")
ROOT = Path(__file__).resolve().parent.parent.parent


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("tercul")
    except PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def commit() -> str | None:
    """``TERCUL_COMMIT`` (set at build time), else the checkout's HEAD, else None."""
    value = os.environ.get("TERCUL_COMMIT")
    if value:
        return value
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                             text=True, timeout=2)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _answer(body: dict, status: int = 200):
    quiet()  # probes every few seconds would drown the access log
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health")
@bp.get("/healthz")
def health():
    """Liveness: the process serves requests."""
    return _answer({"status": "ok", "version": version(), "commit": commit()})


# --- readiness -------------------------------------------------------------------------------

def _check_database(app: Flask) -> None:
    from sqlalchemy import text

    from ..extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


def _check_redis(url: str, timeout: float) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


def _check_search(app: Flask, timeout: float) -> None:
    config = app.config
    if config.get("SEARCH_BACKEND") == "weaviate":
        url = config["WEAVIATE_URL"].rstrip("/") + "/v1/.well-known/ready"
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - configured URL
            if response.status >= 400:
                raise RuntimeError(f"Weaviate answered {response.status}")
        return
    from ..search import get_backend

    get_backend(app).generation()


def checks(app: Flask) -> dict:
    """name -> callable, for each configured part."""
    config = app.config
    timeout = float(config.get("READY_TIMEOUT", 2.0))
    parts = {"database": lambda: _check_database(app), "search": lambda: _check_search(app, timeout)}
    if config.get("REDIS_URL"):
        parts["redis"] = lambda: _check_redis(config["REDIS_URL"], timeout)
    broker = config.get("BROKER_URL")
    if broker and broker.startswith(("redis://", "rediss://", "unix://")):
        parts["broker"] = lambda: _check_redis(broker, timeout)
    return parts


def readiness(app: Flask) -> tuple[bool, dict]:
    """Run every check side by side within ``READY_TIMEOUT``; ``(all ok, per-part results)``."""
    timeout = float(app.config.get("READY_TIMEOUT", 2.0))
    started = time.monotonic()
    futures = {name: _pool.submit(check) for name, check in checks(app).items()}
    results = {}
    for name, future in futures.items():
        left = max(0.0, timeout - (time.monotonic() - started))
        try:
            future.result(timeout=left)
            results[name] = {"status": "ok"}
        except FutureTimeout:
            results[name] = {"status": "failing", "error": f"no answer within {timeout:g} s"}
        except Exception as exc:  # noqa: BLE001 - any failure makes the part not ready
            from .logs import redact

            results[name] = {"status": "failing", "error": redact(f"{type(exc).__name__}: {exc}")[:300]}
    return all(r["status"] == "ok" for r in results.values()), results


@bp.get("/ready")
def ready():
    """Readiness: database, Redis, broker and search index each answer in time."""
    ok, results = readiness(current_app._get_current_object())
    failing = sorted(name for name, r in results.items() if r["status"] != "ok")
    body = {"status": "ok" if ok else "unavailable", "checks": results}
    if failing:
        body["failing"] = failing
    return _answer(body, 200 if ok else 503)


def init_app(app: Flask) -> None:
    from ..extensions import limiter

    app.register_blueprint(bp)
    limiter.exempt(bp)
