"""Rate limits inside GraphQL: per client for requests, per call for sensitive fields.

Uses Flask-Limiter's storage (Redis in production, memory otherwise, with the
in-memory fallback when Redis is down), so the web forms and the API share counters:
five wrong passwords are five, whether typed in a form or sent as five aliases.
"""
from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many

from ..extensions import limiter
from .core import ApiError


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many requests; try again in {retry_after} seconds.", "RATE_LIMITED",
                         retryAfter=retry_after)
        self.retry_after = retry_after


def hit(scope: str, spec: str, key: str) -> None:
    """Count one event for ``key`` under every limit in ``spec``; raise when one is over."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    strategy = limiter.limiter
    for item in parse_many(spec):
        if not strategy.hit(item, scope, key):
            reset, _ = strategy.get_window_stats(item, scope, key)
            raise RateLimited(max(1, math.ceil(reset - time.time())))
