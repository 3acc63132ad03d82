"""Search: one interface (:class:`SearchBackend`), two engines (embedded tantivy, Weaviate).

The app gets its engine from :func:`get_backend`; nothing else imports an engine.
"""
from __future__ import annotations

import threading

from flask import Flask, current_app

from .interface import (FACETS, MODES, SORTS, AuthorHit, Filters, PassageHit, SearchBackend, SearchRequest,
                        SearchResults)

__all__ = ["FACETS", "MODES", "SORTS", "AuthorHit", "Filters", "PassageHit", "SearchBackend", "SearchRequest",
           "SearchResults", "get_backend", "make_backend"]

_backends: dict[tuple, SearchBackend] = {}
_lock = threading.Lock()


def make_backend(config) -> SearchBackend:
    """A new backend for this configuration (a mapping like ``app.config``)."""
    if config.get("SEARCH_BACKEND", "tantivy") == "weaviate":
        from .weaviate_backend import WeaviateBackend

        return WeaviateBackend(config["WEAVIATE_URL"], prefix=config.get("WEAVIATE_PREFIX", "Tercul"))
    from .tantivy_backend import TantivyBackend

    return TantivyBackend(config["SEARCH_INDEX_PATH"])


def get_backend(app: Flask | None = None) -> SearchBackend:
    """The app's backend, opened once per process and index folder."""
    app = app or current_app._get_current_object()
    config = app.config
    ident = (config.get("SEARCH_BACKEND", "tantivy"), str(config.get("SEARCH_INDEX_PATH")),
             config.get("WEAVIATE_URL"))
    backend = _backends.get(ident)
    if backend is None:
        with _lock:
            backend = _backends.get(ident)
            if backend is None:
                backend = _backends[ident] = make_backend(config)
    return backend


def forget_backends() -> None:
    """Close every open backend (tests, and after a fork)."""
    with _lock:
        for backend in _backends.values():
            backend.close()
        _backends.clear()
