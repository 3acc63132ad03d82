"""The application cache, which survives its Redis going away.

Flask-Caching's ``RedisCache`` raises ``redis.exceptions.ConnectionError`` from every
``get`` while Redis is down, and every page reads a cache generation first: one outage
made every page a 500. :class:`ResilientRedisCache` wraps it:

- on a Redis error it answers from a small in-process cache instead, and does not try
  Redis again for :data:`RETRY_SECONDS` (one slow or refused attempt per interval, not
  one per request);
- the outage is logged when it starts, at most once per :data:`LOG_EVERY_SECONDS` while
  it lasts, and when Redis is back;
- when Redis answers again, every key written or deleted during the outage is deleted
  in Redis, and a counter (a cache generation) is moved past both values, so that
  invalidations made during the outage are not lost.

Both cache classes report each ``get`` to the functions registered with
:func:`on_lookup` (``fn(name, hit)``, ``name`` the key's first ``:``-separated part),
the place for hit/miss metrics.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from cachelib import SimpleCache as CachelibSimpleCache
from flask_caching.backends.rediscache import RedisCache
from flask_caching.backends.simplecache import SimpleCache

log = logging.getLogger("tercul.cache")

RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
FALLBACK_ENTRIES = 2000
TOUCHED_MAX = 10000  # keys remembered during an outage; beyond, the log says so

_listeners: list[Callable[[str, bool], None]] = []


def on_lookup(listener: Callable[[str, bool], None]) -> None:
    """Call ``listener(name, hit)`` after every cache ``get`` (e.g. to count hits and misses)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _report(key: str, value: Any) -> None:
    if _listeners:
        name = key.split(":", 1)[0]
        for listener in _listeners:
            listener(name, value is not None)


class MemoryCache(SimpleCache):
    """Flask-Caching's in-process cache, reporting lookups (no Redis configured)."""

    def get(self, key: str) -> Any:
        value = super().get(key)
        _report(key, value)
        return value


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import RedisError

    return (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    """Redis when it answers; an in-process cache while it does not (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fallback = CachelibSimpleCache(threshold=FALLBACK_ENTRIES, default_timeout=self.default_timeout)
        self._errors = _redis_errors()
        self._lock = threading.RLock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._logged_at = 0.0
        self._touched: set[str] = set()
        self._touched_overflow = False

    @classmethod
    def factory(cls, app, config, args, kwargs):
        # short socket timeouts: a Redis that hangs must not hold requests
        options = dict(config.get("CACHE_OPTIONS") or {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        config = {**config, "CACHE_OPTIONS": options}
        return super().factory(app, config, args, kwargs)

    # --- state -----------------------------------------------------------------------

    @property
    def redis_down(self) -> bool:
        return self._down_since is not None

    def _failed(self, error: BaseException, locked: bool = False) -> None:
        if not locked:
            with self._lock:
                return self._failed(error, locked=True)
        now = time.monotonic()
        self._retry_at = now + RETRY_SECONDS
        if self._down_since is None:
            self._down_since = now
            self._logged_at = now
            log.warning("Redis cache unreachable (%s); using an in-process cache until it is back", error)
        elif now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            log.warning("Redis cache still unreachable after %.0f s (%s)", now - self._down_since, error)

    def _redis_usable(self) -> bool:
        """True when Redis is up, or was down and answers again (then the outage's
        changes are replayed first, before anything is read from it)."""
        if self._down_since is None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        if not self._lock.acquire(blocking=False):
            return False  # another thread is trying Redis: memory meanwhile
        try:
            if self._down_since is None:
                return True
            if time.monotonic() < self._retry_at:
                return False
            touched, overflow = set(self._touched), self._touched_overflow
            try:
                self._read_client.ping()
                self._replay(touched)
            except self._errors as error:
                self._failed(error, locked=True)
                return False
            outage = time.monotonic() - self._down_since
            self._touched, self._touched_overflow, self._down_since = set(), False, None
            self._fallback.clear()
        finally:
            self._lock.release()
        log.warning("Redis cache is back after %.0f s; %d keys changed during the outage were invalidated%s",
                    outage, len(touched), " (more were changed: some entries may be stale until they expire)"
                    if overflow else "")
        return True

    def _replay(self, keys: set[str]) -> None:
        """Make what changed during the outage visible in Redis: counters move past both
        values, other keys are dropped."""
        for key in keys:
            local = self._fallback.get(key)
            if isinstance(local, int) and not isinstance(local, bool):
                remote = super().get(key)
                remote = remote if isinstance(remote, int) and not isinstance(remote, bool) else 0
                super().set(key, max(local, remote) + 1, timeout=0)
            else:
                super().delete(key)

    def _touch(self, *keys: str) -> None:
        with self._lock:
            if len(self._touched) + len(keys) > TOUCHED_MAX:
                self._touched_overflow = True
                return
            self._touched.update(keys)

    def _call(self, redis_call: Callable[[], Any], local_call: Callable[[], Any], *written: str) -> Any:
        if self._redis_usable():
            try:
                return redis_call()
            except self._errors as error:
                self._failed(error)
        if written:
            self._touch(*written)
        return local_call()

    # --- the cache interface -----------------------------------------------------------

    def get(self, key: str) -> Any:
        value = self._call(lambda: super(ResilientRedisCache, self).get(key), lambda: self._fallback.get(key))
        _report(key, value)
        return value

    def get_many(self, *keys: str) -> list[Any]:
        return self._call(lambda: super(ResilientRedisCache, self).get_many(*keys),
                          lambda: self._fallback.get_many(*keys))

    def has(self, key: str) -> bool:
        return self._call(lambda: super(ResilientRedisCache, self).has(key), lambda: self._fallback.has(key))

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).set(key, value, timeout=timeout),
                          lambda: self._fallback.set(key, value, timeout=timeout), key)

    def add(self, key: str, value: Any, timeout: int | None = None) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).add(key, value, timeout=timeout),
                          lambda: self._fallback.add(key, value, timeout=timeout), key)

    def set_many(self, mapping: dict[str, Any], timeout: int | None = None) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).set_many(mapping, timeout=timeout),
                          lambda: self._fallback.set_many(mapping, timeout=timeout), *mapping)

    def delete(self, key: str) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).delete(key),
                          lambda: self._fallback.delete(key), key)

    def delete_many(self, *keys: str) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).delete_many(*keys),
                          lambda: self._fallback.delete_many(*keys), *keys)

    def inc(self, key: str, delta: int = 1) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).inc(key, delta),
                          lambda: self._fallback.inc(key, delta), key)

    def dec(self, key: str, delta: int = 1) -> Any:
        return self._call(lambda: super(ResilientRedisCache, self).dec(key, delta),
                          lambda: self._fallback.dec(key, delta), key)

    def clear(self) -> bool:
        self._fallback.clear()
        return bool(self._call(lambda: super(ResilientRedisCache, self).clear(), lambda: True))
