"""Rate limits by tier: read, search, write (pages) and GraphQL, per user or per IP.

Every page request falls in one tier, decided by what it costs us rather than by URL:
``search`` for the search page, ``write`` for any request that changes data (POST,
PUT, PATCH, DELETE), ``read`` for the rest. `/graphql` has its own tier
(``GRAPHQL_RATE_LIMIT``, counted per operation by :mod:`tercul.graphql.ratelimit`);
this module only answers its headers and its admin bypass. Tiers count separately, so
a search flood does not use up the reading budget of the same client.

A signed-in user is counted as ``user:ID`` (wherever they connect from), anyone else as
``ip:ADDRESS``. Administrators are not limited. Health and metrics endpoints and static
files are never limited. Answers carry ``X-RateLimit-Limit``, ``-Remaining`` and
``-Reset`` (epoch seconds) for the tier's tightest limit; over a limit, 429 with
``Retry-After`` and a page that says when to try again.

The counters are Flask-Limiter's storage (Redis in production, memory otherwise),
through the same path as the login limits (:mod:`tercul.security`), which counts in
process memory while Redis is down. Should counting fail even so, the request is let
through and the failure logged: losing rate limits for a while beats losing the site.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, g, render_template, request
from flask_login import current_user
from limits import parse_many

from .extensions import limiter

log = logging.getLogger(__name__)

TIERS = ("read", "search", "write", "graphql")
CONFIG_NAMES = {"read": "RATELIMIT_READ", "search": "RATELIMIT_SEARCH", "write": "RATELIMIT_WRITE",
                "graphql": "GRAPHQL_RATE_LIMIT"}
# endpoints whose every request is a search
SEARCH_ENDPOINTS = frozenset({"search.search"})
# probes and scrapers must always get through
EXEMPT_PATHS = frozenset({"/health", "/ready", "/healthz", "/metrics"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Usage:
    """Where a client stands in one tier after this request."""

    tier: str
    limit: int
    remaining: int
    reset_at: int  # epoch seconds
    exceeded: bool = False

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - time.time()))

    def headers(self) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining),
                   "X-RateLimit-Reset": str(self.reset_at)}
        if self.exceeded:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def tier_of(endpoint: str | None, method: str, path: str) -> str | None:
    """The tier of a request, or None when it is not limited here."""
    if endpoint is None or endpoint == "static" or endpoint.endswith(".static") or path in EXEMPT_PATHS:
        return None
    if path == "/graphql" or endpoint.startswith("graphql."):
        return None  # counted per operation by the GraphQL view
    if method in WRITE_METHODS:
        return "write"
    if endpoint in SEARCH_ENDPOINTS:
        return "search"
    return "read"


def bypasses(user) -> bool:
    """Administrators are never rate limited."""
    from .services.accounts import is_admin

    return user is not None and is_admin(user)


def client_key(user) -> str:
    return f"user:{user.id}" if user is not None else f"ip:{request.remote_addr or 'unknown'}"


def count(tier: str, spec: str, key: str) -> Usage | None:
    """Count one request of ``key`` in ``tier`` against every limit in ``spec``.

    Returns the tightest limit's usage (the breached one when over), or None when the
    counter storage failed (the request is then allowed).
    """
    return _measure(tier, spec, key, hit=True)


def peek(tier: str, spec: str, key: str) -> Usage | None:
    """Where ``key`` stands in ``tier`` without counting anything."""
    return _measure(tier, spec, key, hit=False)


def _measure(tier: str, spec: str, key: str, hit: bool) -> Usage | None:
    # the login limits' path: Flask-Limiter's storage, counting in memory while Redis is down
    from .security import _with_limiter

    # the GraphQL tier is counted by tercul.graphql.ratelimit under the scope "graphql"
    scope = "graphql" if tier == "graphql" else f"tier:{tier}"
    tightest: Usage | None = None
    try:
        for item in parse_many(spec):
            allowed = _with_limiter(lambda strategy: strategy.hit(item, scope, key)) if hit else True
            reset, remaining = _with_limiter(lambda strategy: strategy.get_window_stats(item, scope, key))
            usage = Usage(tier, item.amount, max(0, remaining), int(reset), exceeded=not allowed)
            if not allowed:
                return usage
            if tightest is None or usage.remaining < tightest.remaining:
                tightest = usage
    except Exception:  # noqa: BLE001 - the counter store is down: let the request through
        _log_storage_failure()
        return None
    return tightest


_last_failure_log = 0.0


def _log_storage_failure() -> None:
    global _last_failure_log
    now = time.monotonic()
    if now - _last_failure_log > 60:  # once a minute, not once a request
        _last_failure_log = now
        log.warning("rate-limit storage unreachable; tiers are not enforced until it answers", exc_info=True)


def note_graphql(key: str) -> None:
    """Called by the GraphQL view: remember whose GraphQL tier to report in the headers."""
    g._rate_tier = ("graphql", key)


def init_rate_tiers(app: Flask) -> None:
    app.before_request(_limit_request)
    app.after_request(_add_headers)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _acting_user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _limit_request():
    if not _enabled():
        return None
    tier = tier_of(request.endpoint, request.method, request.path)
    if tier is None:
        return None
    user = _acting_user()
    if bypasses(user):
        return None
    usage = count(tier, current_app.config[CONFIG_NAMES[tier]], client_key(user))
    if usage is None:
        return None
    g._rate_usage = usage
    if usage.exceeded:
        return _too_many(usage)
    return None


def _too_many(usage: Usage):
    seconds = usage.retry_after
    wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 90 else f"{round(seconds / 60)} minutes"
    what = {"search": "searches", "write": "changes"}.get(usage.tier, "pages")
    message = f"Too many {what} in a short time. Please wait {wait} and try again."
    if request.accept_mimetypes.best == "application/json":
        return {"error": {"code": 429, "message": message, "retry_after": seconds}}, 429, usage.headers()
    body = render_template("errors/rate_limited.html", message=message)
    return body, 429, usage.headers()


def _add_headers(response):
    if limiter.current_limit is not None:
        return response  # a route's own limit (login, registration) already wrote these headers
    usage: Usage | None = g.pop("_rate_usage", None)
    noted = g.pop("_rate_tier", None)
    if usage is None and noted is not None and _enabled():
        tier, key = noted
        usage = peek(tier, current_app.config[CONFIG_NAMES[tier]], key)
    if usage is not None:
        for name, value in usage.headers().items():
            if name == "Retry-After" and name in response.headers:
                continue
            response.headers[name] = value
    return response

