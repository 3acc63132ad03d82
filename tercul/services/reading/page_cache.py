"""Caching what readers see: cached values keyed by the library's generation, and the
names that forget them (:func:`invalidate_work`, :func:`invalidate_library`).
"""
from __future__ import annotations

import time
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...extensions import cache
from ...models import Author, Translation, Work

FACETS_TTL = 300  # seconds the browse facets and counts may lag behind the library
COUNT_TTL = 60


def cached(key: str, ttl: int, build, *, pinned: bool = False):
    """``build()`` through the app cache; the key carries the cache generation.

    ``pinned`` values (the facets: a second to compute on a large library) are also
    kept in this process for ``ttl``, so that a busy cache evicting them (rendered
    pages come and go) does not make a reader wait for them to be computed again.
    """
    full = f"reading:{_generation()}:{key}"
    pinned = pinned and not current_app.testing  # tests change the library between requests
    if pinned:
        held = _pinned().get(full)
        if held is not None and held[0] > time.monotonic():
            return held[1]
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, timeout=ttl)
    if pinned:
        pinned_values = _pinned()
        if len(pinned_values) > 64:
            pinned_values.clear()
        pinned_values[full] = (time.monotonic() + ttl, value)
    return value


def _pinned() -> dict[str, tuple[float, Any]]:
    """This application's pinned values (one process may hold several apps: tests do)."""
    from flask import current_app

    return current_app.extensions.setdefault("tercul.reading.pinned", {})


def _generation() -> int:
    return cache.get("reading:generation") or 0


def library_generation() -> int:
    """Bumped by :func:`invalidate_library`; part of the keys of anything cached from the library."""
    return _generation()


def library_version(session: Session) -> str:
    """Changes when a work, translation or author is added (newest ids: three index look-ups).

    Lists cached under it show additions at once; other changes wait for their TTL.
    """
    row = session.connection().execute(_LIBRARY_VERSION).one()
    return f"{_generation()}:{row[0]}:{row[1]}:{row[2]}"


# built once: these run on every browse and work page, cached or not
_LIBRARY_VERSION = select(
    select(func.max(Work.id)).scalar_subquery(), select(func.max(Translation.id)).scalar_subquery(),
    select(func.max(Author.id)).scalar_subquery())


def stamp_key(slug: str) -> str:
    """Where a work's stamp is kept (see :func:`~tercul.services.reading.work_page.work_stamp`)."""
    return f"reading:stamp:{slug}"


def invalidate_work(slug: str) -> None:
    """Forget a work's cached stamp (call after changing the work or its translations)."""
    cache.delete(stamp_key(slug))


def invalidate_library() -> None:
    """Forget cached counts and facets (call after imports and publications).

    Counts otherwise refresh within :data:`FACETS_TTL` seconds on their own.
    """
    cache.set("reading:generation", _generation() + 1, timeout=0)
    _pinned().clear()
