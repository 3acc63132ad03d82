"""htmx: one template per page, and the fragment it includes for in-place updates.

A page template includes its fragment (``reading/works.html`` includes
``reading/_results.html``); htmx asks for the same URL with an ``HX-Request`` header
and gets the fragment alone. History restores (the back button after htmx pushed a
URL, with the page no longer in htmx's cache) and boosted navigation get the page.
"""
from __future__ import annotations

from flask import make_response, render_template, request


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
