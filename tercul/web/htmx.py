"""htmx: one template per page, and the fragment it includes for in-place updates.

A page template includes its fragment (``reading/works.html`` holds
``reading/_browse.html``); htmx asks for the same URL with an ``HX-Request`` header
and gets the fragment alone. History restores (the back button after htmx pushed a
URL, with the page no longer in htmx's cache) and boosted navigation get the page.

Fragments that hold nothing personal can be kept as rendered HTML
(:func:`render_cached`): the key must name everything the HTML depends on.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from flask import current_app, make_response, render_template, request, session
from flask_login import current_user
from markupsafe import Markup

from ..extensions import cache


def wants_fragment() -> bool:
    """True when htmx asked for a piece of the page rather than the page."""
    headers = request.headers
    return (headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
            and headers.get("HX-Boosted") != "true")


def render_page(template: str, fragment: str, status: int = 200, **context):
    """Render ``fragment`` for htmx requests and the page ``template`` otherwise.

    The response varies on ``HX-Request`` so that no cache serves one for the other.
    """
    body = render_template(fragment if wants_fragment() else template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def render_cached(template: str, body: str, fragment: str, key: tuple, build: Callable[[], dict[str, Any]],
                  ttl: int, **page_context):
    """Like :func:`render_page`, with the page's body kept as rendered HTML.

    ``body`` (for the page) or ``fragment`` (for htmx) is rendered with ``build()``'s
    context, or taken from the cache under ``key``; the page ``template`` receives it
    as ``body`` along with ``page_context``.

    A reader who is not signed in and has no session (nothing to flash) gets the whole
    page from the cache too: the page around the body is the same for every such reader
    but for the CSP nonce, which is put back into the cached page for each request.
    """
    partial = wants_fragment()
    name = fragment if partial else body
    digest = hashlib.sha256(repr((templates_version(), name, key)).encode()).hexdigest()
    whole = None
    if not partial and not session and not current_user.is_authenticated:
        whole = "page:" + hashlib.sha256(repr((digest, template, sorted(page_context.items()))).encode()).hexdigest()
        parts = cache.get(whole)
        if parts is not None:
            return _response(csp_nonce().join(parts))
    html = cache.get(f"html:{digest}")
    if html is None:
        html = render_template(name, **build())
        cache.set(f"html:{digest}", html, timeout=ttl)
    if partial:
        return _response(html)
    page = render_template(template, body=Markup(html), **page_context)
    nonce = csp_nonce()
    if whole is not None and nonce and not session:  # rendering the page may have started a session
        cache.set(whole, page.split(nonce), timeout=ttl)
    return _response(page)


def _response(html: str):
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


def csp_nonce() -> str:
    """This request's CSP nonce (Flask-Talisman's)."""
    return getattr(request, "csp_nonce", "")


@lru_cache(maxsize=1)
def _version(folder: str) -> str:
    files = sorted(Path(folder).rglob("*.html"))
    return hashlib.sha256(repr([(str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files]).encode()
                          ).hexdigest()[:12]


def templates_version() -> str:
    """Changes when a template changes, so that HTML cached by older templates is not used."""
    if current_app.debug:  # templates reload while developing
        _version.cache_clear()
    return _version(str(Path(current_app.root_path).parent / "templates"))
