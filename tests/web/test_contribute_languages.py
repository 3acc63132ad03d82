"""The contribute forms choose a language with the type-ahead picker (issue #14): a name
the picker shows, a name alone or a code is stored as the code; an unknown one is a form error."""
from __future__ import annotations

import pytest
from contribution_helpers import GERMAN, field_error, login, post, text
from factories import make_work
from web.test_contribute_pages import ana, client, translate, work  # noqa: F401 - the same fixtures
from sqlalchemy import select

from tercul.models import Contribution
from tercul.services import contributions as svc

NEW_WORK = {"title": "Abendlied", "form": "poetry", "author": "", "author_name": "Erika Muster",
            "text": "Ein Vers\n\nNoch einer", "source": "Leipzig 1850", "licence": "Public domain", "action": "submit"}


def test_the_forms_offer_the_picker_with_names(client, ana, work):
    login(client, ana)
    for url in (f"/contribute/works/{work.slug}/translate", f"/contribute/works/{work.slug}/translate?editor=lines",
                "/contribute/works/new"):
        html = text(client.get(url))
        assert 'data-language-picker' in html and 'list="language-choices"' in html, url
        assert '<option value="German · Deutsch" data-code="de"></option>' in html, url
        assert '<option value="de">' not in html, url  # no list of bare codes any more
        assert "js/language-picker.js" in html, url


@pytest.mark.parametrize("typed, code", [
    ("German · Deutsch", "de"),  # the label the picker shows, sent without JavaScript
    ("  deutsch ", "de"), ("German", "de"), ("de", "de"),
    ("Portuguese (Brazil) · português (Brasil)", "pt-BR"), ("pt-br", "pt-BR"),
    ("tlh", "tlh"),  # any ISO 639 code, offered or not
])
def test_a_translation_stores_the_code_of_the_language_chosen(client, session, ana, work, typed, code):
    login(client, ana)
    response = translate(client, work, language=typed)
    assert response.status_code == 303, field_error(text(response), "language")
    assert session.scalar(select(Contribution.language)) == code


def test_an_unknown_language_is_a_form_error_and_the_typed_text_stays(client, session, ana, work):
    login(client, ana)
    response = translate(client, work, language="Elvish · Quenya")
    html = text(response)
    assert response.status_code == 422
    assert field_error(html, "language") == ("“Elvish · Quenya” is not a language we know; type its name or ISO "
                                            "code (e.g. de, fr, grc)")
    assert 'value="Elvish · Quenya"' in html and 'aria-invalid="true"' in html
    assert "vierte Zeile" in html and session.scalar(select(Contribution.id)) is None


def test_a_new_work_reads_the_language_picked(client, session, ana):
    login(client, ana)
    html = text(post(client, "/contribute/works/new", {**NEW_WORK, "language": "Latein"}))
    assert "not a language we know" in field_error(html, "language")
    assert post(client, "/contribute/works/new", {**NEW_WORK, "language": "Latin · Lingua latina"}).status_code == 303
    assert session.scalar(select(Contribution.language)) == "la"


def test_a_revision_shows_the_stored_language_by_name(client, session, ana, work):
    c = svc.propose_translation(session, ana, work.id, language="de", title="Die Glocke", text=GERMAN)
    session.commit()
    login(client, ana)
    for url in (f"/contribute/{c.id}/revise", f"/contribute/{c.id}/revise?editor=lines"):
        html = text(client.get(url))
        assert 'name="language" list="language-choices"' in html and 'value="German · Deutsch"' in html, url
        assert '<input type="hidden" data-code value="de">' in html, url


def test_the_line_editor_autosaves_with_a_name_and_refuses_an_unknown_one(client, session, ana):
    work = make_work("the-bell-2", title="The Bell", stanzas=1, lines=2)
    session.commit()
    login(client, ana)
    url = f"/contribute/works/{work.slug}/translate?editor=lines"
    facts = {"title": "Die Glocke", "translator": "self", "line-1.1": "eins", "action": "autosave"}
    response = post(client, url, {**facts, "language": "Elvish"})
    assert response.status_code == 422 and response.get_json() == {"saved": False, "field": "language", "message": (
        "Not saved yet: “Elvish” is not a language we know; type its name or ISO code (e.g. de, fr, grc)")}
    response = post(client, url, {**facts, "language": "German · Deutsch"})
    assert response.status_code == 200 and response.get_json()["saved"]
    assert session.scalar(select(Contribution.language)) == "de"


def test_the_live_preview_reads_a_name(client, ana, work):
    login(client, ana)
    html = text(post(client, "/contribute/preview", {"kind": "new_translation", "work_id": str(work.id),
                                                      "text": GERMAN, "language": "Deutsch"}))
    assert "German" in html
