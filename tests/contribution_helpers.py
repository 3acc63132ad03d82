"""Helpers for the contribute and review page tests: a client per request context, login, CSRF."""
from __future__ import annotations

import re
import time
from html import unescape

from flask.testing import FlaskClient

from tercul.extensions import cache
from tercul.security import LOGIN_AT, REMEMBER, SEEN_AT

GERMAN = "Erste Zeile\n  zweite Zeile\ndritte Zeile\nvierte Zeile\n\nfünfte Zeile\nsechste\nsiebte\nachte\n"


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as on a server."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def page_client(app) -> IsolatedClient:
    cache.clear()  # the navigation's cached counts must not outlive a test's rolled-back rows
    app.extensions["mailman"].outbox = []
    return IsolatedClient(app, app.response_class, use_cookies=True)


def login(client, user) -> None:
    now = int(time.time())
    with client.session_transaction() as s:
        s["_user_id"] = f"{user.id}:{user.session_version}"
        s["_fresh"] = True
        s[LOGIN_AT], s[SEEN_AT], s[REMEMBER] = now, now, False


def csrf(client, path: str = "/contribute") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def post(client, path: str, data: dict, token_from: str = "/contribute", **kw):
    return client.post(path, data={"csrf_token": csrf(client, token_from), **data}, **kw)


def text(response) -> str:
    return response.get_data(as_text=True)


def field_error(html: str, name: str) -> str | None:
    match = re.search(rf'<(p|span) class="c-error" id="{name}-error">(.*?)</\1>', html, re.S)
    return unescape(match.group(2)).strip() if match else None
