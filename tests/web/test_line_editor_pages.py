"""The line-by-line editor: inputs beside the original's lines, autosaved drafts, the per-line check."""
from __future__ import annotations

import importlib

import pytest
from contribution_helpers import csrf, login, post, text
from factories import make_work
from web.test_contribute_pages import ana, client  # noqa: F401 - the same client and contributor
from sqlalchemy import func, select

from tercul.models import Contribution
from tercul.services import contributions as svc


@pytest.fixture
def work(session):
    work = make_work("the-bell", title="The Bell", stanzas=2, lines=2)
    session.commit()
    return work


LINES = {"line-1.1": "eins", "line-1.2": "  zwei", "line-2.1": "drei", "line-2.2": "vier"}
FACTS = {"language": "de", "title": "Die Glocke", "translator": "self"}


def test_the_editor_shows_each_original_line_beside_an_input(client, ana, work):
    login(client, ana)
    html = text(client.get(f"/contribute/works/{work.slug}/translate?editor=lines"))
    assert html.count('class="c-input c-line-input"') == 4 and 'name="line-2.2"' in html
    assert '<label for="ln-2-2">' in html and "0 of 4 lines translated" in html
    assert "<kbd>Ctrl</kbd>+<kbd>Enter</kbd>: save the draft now" in html
    assert f'hx-post="/contribute/works/{work.slug}/lines/check"' in html and 'hx-params="key,line-1.1"' in html
    assert "Open the line-by-line editor" in text(client.get(f"/contribute/works/{work.slug}/translate"))


def test_saving_a_draft_and_continuing_it(client, session, ana, work):
    login(client, ana)
    url = f"/contribute/works/{work.slug}/translate?editor=lines"
    response = post(client, url, {**FACTS, **LINES, "line-2.2": "", "action": "draft"})
    assert response.status_code == 303
    c = session.scalar(select(Contribution))
    assert c.status == "draft" and c.revisions[-1].body == "eins\n  zwei\n\ndrei"
    html = text(client.get(f"/contribute/{c.id}/revise?editor=lines"))
    assert 'value="  zwei"' in html and "3 of 4 lines translated" in html and "continuing your draft" in html
    # a new start offers the draft first
    assert "Continue that draft" in text(client.get(url))


def test_autosave_creates_the_draft_then_updates_it(client, session, ana, work):
    login(client, ana)
    response = post(client, f"/contribute/works/{work.slug}/translate?editor=lines",
                    {**FACTS, "line-1.1": "eins", "action": "autosave"})
    answer = response.get_json()
    assert response.status_code == 200 and answer["saved"] and answer["message"].startswith("Draft saved at")
    c = session.scalar(select(Contribution))
    assert answer["url"] == f"/contribute/{c.id}/revise?editor=lines" and c.status == "draft"
    response = post(client, answer["url"], {**FACTS, **LINES, "action": "autosave", "expected_status": "draft",
                                            "expected_revision": "1"})
    assert response.get_json()["saved"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Contribution)) == 1
    assert session.get(Contribution, c.id).revisions[-1].body == "eins\n  zwei\n\ndrei\nvier"
    assert session.get(Contribution, c.id).status == "draft"


def test_autosave_says_why_it_could_not_save(client, session, ana, work):
    login(client, ana)
    url = f"/contribute/works/{work.slug}/translate?editor=lines"
    response = post(client, url, {**FACTS, "language": "", "line-1.1": "eins", "action": "autosave"})
    assert response.status_code == 422
    assert response.get_json() == {"saved": False, "field": "language", "message": (
        "Not saved yet: Choose a language: type its name or its ISO 639 code, like de, fr or grc.")}
    assert client.post(url, data={**FACTS, "action": "autosave"}).status_code == 400  # no CSRF token
    c = svc.propose_translation(session, ana, work.id, language="de", title="Die Glocke", text="a\nb\n\nc\nd")
    session.commit()
    response = post(client, f"/contribute/{c.id}/revise?editor=lines", {**FACTS, **LINES, "action": "autosave"})
    assert response.status_code == 409 and "under review" in response.get_json()["message"]
    assert session.scalar(select(func.count()).select_from(Contribution)) == 1


def test_submitting_with_a_missing_line_asks_first(client, session, ana, work):
    login(client, ana)
    url = f"/contribute/works/{work.slug}/translate?editor=lines"
    response = post(client, url, {**FACTS, **LINES, "line-1.2": "", "action": "submit"})
    html = text(response)
    assert response.status_code == 200 and "Submit with 1 structure warning?" in html
    assert "Stanza 1 has 1 lines; the original has 2." in html and 'value="drei"' in html
    response = post(client, url, {**FACTS, **LINES, "line-1.2": "", "action": "submit_anyway"})
    assert response.status_code == 303
    assert session.scalar(select(Contribution.status)) == "pending"


def test_the_live_check_of_one_line(client, ana, work):
    login(client, ana)
    check = f"/contribute/works/{work.slug}/lines/check"
    token = {"X-CSRFToken": csrf(client)}
    response = client.post(check, data={"key": "1.1", "line-1.1": "x" * 200}, headers=token)
    assert response.status_code == 200 and "is this more than one line?" in text(response)
    assert text(client.post(check, data={"key": "1.1", "line-1.1": "eins zwei drei"}, headers=token)).strip() == ""
    assert client.post(check, data={"key": "9.9", "line-9.9": "x"}, headers=token).status_code == 404
    assert client.post(check, data={"key": "1.1"}).status_code == 400  # no CSRF token


def test_a_long_work_goes_to_the_paste_form(client, ana, work, monkeypatch):
    # the module (the package re-exports a function of the same name)
    monkeypatch.setattr(importlib.import_module("tercul.services.contributions.line_editor"),
                        "LINE_EDITOR_MAX_LINES", 3)
    login(client, ana)
    response = client.get(f"/contribute/works/{work.slug}/translate?editor=lines")
    assert response.status_code == 303 and response.location.endswith(f"/contribute/works/{work.slug}/translate")
    assert "more than 3 lines: translate it with the paste or upload form" in text(client.get(response.location))
