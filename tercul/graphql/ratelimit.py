"""Rate limits inside GraphQL: per client for requests, per call for sensitive fields.

Counted by :func:`tercul.security.hit_limit`: Flask-Limiter's storage (Redis in
production, memory otherwise), and process memory while that storage is down, so the
web forms and the API share counters and a Redis outage does not fail the request.
Logins from every door share one pair of limits (:func:`check_login`).
"""
from __future__ import annotations

from .. import security
from .core import ApiError


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many requests; try again in {retry_after} seconds.", "RATE_LIMITED",
                         retryAfter=retry_after)
        self.retry_after = retry_after


def hit(scope: str, spec: str, key: str) -> None:
    """Count one event for ``key`` under every limit in ``spec``; raise when one is over."""
    try:
        security.hit_limit(scope, spec, key)
    except security.TooManyAttempts as exc:
        raise RateLimited(exc.retry_after) from None


def check_login(client_ip: str, email: str) -> None:
    """Refuse a login when the client or the account has no failed attempts left."""
    try:
        security.check_login_allowed(client_ip, email)
    except security.TooManyAttempts as exc:
        raise RateLimited(exc.retry_after) from None


def count_failed_login(client_ip: str, email: str) -> None:
    security.count_failed_login(client_ip, email)
