"""The shared ``client`` fixture runs each request as a server would: in an app
context of its own, so nothing kept in ``g`` passes from one request to the next."""
from __future__ import annotations

from flask import g, request_started


def test_requests_do_not_share_g(app, client):
    seen = []

    def on_request(sender, **extra):
        seen.append(g.get("marker"))
        g.marker = "left by an earlier request"

    g.marker = "the test's own"
    with request_started.connected_to(on_request, app):
        assert client.get("/").status_code == 200
        assert client.get("/").status_code == 200
    assert seen == [None, None]
    assert g.marker == "the test's own"
