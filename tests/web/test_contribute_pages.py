"""Contribute pages: proposing, previewing, drafts, revising, withdrawing, "my contributions"."""
from __future__ import annotations

import io
from html import unescape

import pytest
from contribution_helpers import GERMAN, field_error, login, page_client, post, text
from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.models import Contribution
from tercul.services import contributions as svc


@pytest.fixture
def client(app, session):
    return page_client(app)


@pytest.fixture
def ana(session):
    return UserFactory(role="contributor", display_name="Ana")


@pytest.fixture
def work(session):
    return make_work("the-bell", title="The Bell", stanzas=2, lines=4)


def translate(client, work, **data):
    form = {"language": "de", "title": "Die Glocke", "translator": "self", "text": GERMAN, "action": "submit", **data}
    return post(client, f"/contribute/works/{work.slug}/translate", form)


# --- who may come in ------------------------------------------------------------------------

def test_contributing_needs_a_login_and_a_verified_contributor(client, session, work):
    response = client.get(f"/contribute/works/{work.slug}/translate")
    assert response.status_code == 302 and "/account/login" in response.location
    assert "/account/login" in client.get("/contribute").location
    login(client, UserFactory(role="reader", email_verified_at=None))
    response = client.get(f"/contribute/works/{work.slug}/translate")
    assert response.status_code == 403 and "Verify your email address" in text(response)
    assert "confirm your email address" in text(client.get("/contribute"))


def test_unknown_work_is_a_404(client, ana):
    login(client, ana)
    assert client.get("/contribute/works/nope/translate").status_code == 404
    assert client.get("/contribute/works/nope/translations/de/edit").status_code == 404


# --- proposing a translation ------------------------------------------------------------------

def test_the_form_shows_the_original_and_previews_with_structure_warnings(client, ana, work):
    login(client, ana)
    html = text(client.get(f"/contribute/works/{work.slug}/translate"))
    first_line = svc.load_text(client.application.extensions["sqlalchemy"].session, work.current_revision_id)
    assert "The original" in html and "line 1.1" in html
    assert 'hx-post="/contribute/preview"' in html and 'name="action" value="preview"' in html
    # without JavaScript: the Preview button re-renders the page with the preview, saving nothing
    response = translate(client, work, text="eins\nzwei\ndrei\nvier", action="preview")
    html = text(response)
    assert response.status_code == 200
    assert "The original has 2 stanzas; this text has 1." in html and "2 structure warnings" in html
    assert "eins\nzwei" in html  # what was typed stays in the box
    assert client.application.extensions["sqlalchemy"].session.scalar(select(Contribution.id)) is None
    assert first_line is not None


def test_the_htmx_preview_is_a_fragment(client, ana, work):
    login(client, ana)
    response = post(client, "/contribute/preview", {"kind": "new_translation", "work_id": work.id,
                                                    "text": "eins\n\nzwei\n\ndrei", "language": "de"},
                    headers={"HX-Request": "true"})
    html = text(response)
    assert response.status_code == 200 and "<html" not in html
    assert "Stanza 3 has no counterpart in the original." in html and "German" in html
    empty = text(post(client, "/contribute/preview", {"kind": "new_translation", "work_id": work.id, "text": ""}))
    assert "The text is empty" in empty
    assert post(client, "/contribute/preview", {"kind": "new_translation", "work_id": 999999,
                                                "text": "x"}).status_code == 404


def test_submitting_a_translation(client, session, ana, work):
    login(client, ana)
    # the text has a third stanza the original has not: submitting asks for a confirmation first
    response = translate(client, work, text=GERMAN + "\n<script>alert(1)</script>", note="First try.")
    html = text(response)
    assert response.status_code == 200 and session.scalar(select(Contribution.id)) is None
    assert "Submit with 2 structure warnings?" in html and 'value="submit_anyway"' in html
    assert "Stanza 3 has no counterpart in the original." in html
    response = translate(client, work, text=GERMAN + "\n<script>alert(1)</script>", note="First try.",
                         action="submit_anyway")
    assert response.status_code == 303
    c = session.scalar(select(Contribution))
    assert response.location.endswith(f"/contribute/{c.id}")
    assert c.status == "pending" and c.revisions[0].body == GERMAN + "\n<script>alert(1)</script>"
    html = text(client.get(response.location))
    assert "your contribution is with the reviewers" in html and "Waiting for review" in html
    # shown, and announced, once (the layout used to repeat base.html's messages)
    assert html.count("your contribution is with the reviewers") == 1 and html.count('role="status"') == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "First try." in html and "Stanza 3 has no counterpart in the original." in html


@pytest.mark.parametrize("data, field, message", [
    ({"language": "klingonish"}, "language", "“klingonish” is not a language we know; type its name or ISO code"),
    ({"language": "xx"}, "language", "“xx” is not a language we know"),
    ({"language": ""}, "language", "Choose a language"),
    ({"text": "   "}, "text", "the text is empty"),
    ({"title": ""}, "title", "Enter the translated title"),
    ({"translator": "historical", "translator_name": "J. Voss"}, "source", "Enter where the text comes from"),
])
def test_bad_input_is_shown_next_to_its_field_and_what_was_typed_is_kept(client, session, ana, work, data,
                                                                         field, message):
    login(client, ana)
    response = translate(client, work, **data)
    html = text(response)
    assert response.status_code == 422
    assert message in (field_error(html, field) or "")
    assert "There is a problem" in html
    if data.get("text") is None:
        assert "vierte Zeile" in html
    assert session.scalar(select(Contribution.id)) is None


def test_a_text_over_the_limit_is_refused(app, client, session, ana, work, monkeypatch):
    monkeypatch.setitem(app.config, "TEXT_MAX_BYTES", 50)
    login(client, ana)
    assert "the limit is 50" in field_error(text(translate(client, work)), "text")
    upload = (io.BytesIO(("x" * 60).encode()), "long.txt")
    html = text(translate(client, work, text="", file=upload))
    assert "larger than the limit of 50 bytes" in field_error(html, "file")


def test_a_txt_upload_fills_the_text(client, session, ana, work):
    login(client, ana)
    data = ("\ufeff" + GERMAN).encode("utf-8")
    response = translate(client, work, text="", file=(io.BytesIO(data), "glocke.txt"))
    assert response.status_code == 303
    assert session.scalar(select(Contribution)).revisions[0].body == GERMAN
    html = text(translate(client, work, text="", file=(io.BytesIO(b"\xff\xfe\x00bad"), "bad.txt"),
                          language="fr"))
    assert "not UTF-8" in field_error(html, "file")


def test_a_duplicate_is_refused_with_a_message(client, session, ana, work):
    login(client, ana)
    assert translate(client, work).status_code == 303
    html = text(translate(client, work))
    assert "You already submitted this text (contribution #" in html
    assert len(session.scalars(select(Contribution)).all()) == 1


# --- drafts, revisions, withdrawal ------------------------------------------------------------

def test_a_draft_is_saved_listed_continued_and_submitted(client, session, ana, work):
    login(client, ana)
    response = translate(client, work, action="draft", text="nur ein Anfang")
    assert response.status_code == 303
    c = session.scalar(select(Contribution))
    assert c.status == "draft"
    mine = text(client.get("/contribute"))
    assert "Die Glocke" in mine and "Draft" in mine and f"/contribute/{c.id}/revise" in mine
    form = text(client.get(f"/contribute/{c.id}/revise"))
    assert "nur ein Anfang" in form and "Save as draft" in form
    response = post(client, f"/contribute/{c.id}/revise", {
        "language": "de", "title": "Die Glocke", "translator": "self", "text": GERMAN, "action": "submit",
        "expected_status": "draft", "expected_revision": "1"})
    assert response.status_code == 303
    session.refresh(c)
    assert c.status == "pending" and c.revision_number == 1 and c.revisions[0].body == GERMAN


def test_revising_after_a_review_and_the_notices(client, session, ana, work):
    c = svc.propose_translation(session, ana, work.id, language="de", title="Die Glocke", text="eins\nzwei")
    ben = UserFactory(role="reviewer", display_name="Ben")
    with client.application.test_request_context():
        svc.request_changes(session, ben, c.id, comment="The second stanza is missing.")
    session.commit()
    login(client, ana)
    mine = text(client.get("/contribute"))
    assert "Ben asked for changes to “Die Glocke”." in mine and "New" in mine
    detail = text(client.get(f"/contribute/{c.id}"))
    assert "The second stanza is missing." in detail and "Revise or answer" in detail
    assert "New</span>" not in text(client.get("/contribute"))  # opening the contribution read its notice
    form = text(client.get(f"/contribute/{c.id}/revise"))
    assert "Ben asked for changes" in form and "Send revision 2" in form
    response = post(client, f"/contribute/{c.id}/revise", {
        "language": "de", "title": "Die Glocke", "translator": "self", "text": GERMAN, "note": "Added it.",
        "action": "submit", "expected_status": "changes_requested", "expected_revision": "1"})
    assert response.status_code == 303
    session.refresh(c)
    assert c.status == "pending" and c.revision_number == 2
    detail = text(client.get(f"/contribute/{c.id}"))
    assert "What changed since revision 1" in detail and "Revision 2" in detail
    compare = text(client.get(f"/contribute/{c.id}/compare?from=1&to=2"))
    assert "<ins>" in compare and "fünfte Zeile" in compare


def test_a_stale_revision_is_refused(client, session, ana, work):
    c = svc.propose_translation(session, ana, work.id, language="de", title="Die Glocke", text=GERMAN)
    svc.revise_contribution(session, ana, c.id, text=GERMAN + "neun")
    session.commit()
    login(client, ana)
    response = post(client, f"/contribute/{c.id}/revise", {
        "language": "de", "title": "Die Glocke", "translator": "self", "text": GERMAN + "zehn",
        "action": "submit_anyway", "expected_status": "pending", "expected_revision": "1"})
    assert response.status_code == 422 and "Revision 2 was sent after you opened this page" in text(response)
    assert "zehn" in text(response)


def test_withdrawing(client, session, ana, work):
    c = svc.propose_translation(session, ana, work.id, language="de", title="Die Glocke", text=GERMAN)
    session.commit()
    other = UserFactory(role="contributor")
    login(client, other)
    assert client.get(f"/contribute/{c.id}").status_code == 404
    assert post(client, f"/contribute/{c.id}/withdraw", {"expected_status": "pending"}).status_code == 404
    login(client, ana)
    response = post(client, f"/contribute/{c.id}/withdraw", {"expected_status": "pending", "expected_revision": "1",
                                                             "comment": "Not ready."})
    assert response.status_code == 303
    session.refresh(c)
    assert c.status == "withdrawn" and c.events[-1].comment == "Not ready."
    again = post(client, f"/contribute/{c.id}/withdraw", {"expected_status": "pending"}, follow_redirects=True)
    assert "it is now “Withdrawn”" in unescape(text(again))


# --- edits and new works -------------------------------------------------------------------------

def test_proposing_corrections_starts_from_the_published_text(client, session, ana):
    work = make_work("with-de", translations=("de",))
    login(client, ana)
    url = f"/contribute/works/{work.slug}/translations/de/edit"
    html = text(client.get(url))
    assert "[de] " in html and "Your corrections" in html and "No differences." in html
    body = svc.editable_text(session, work.translations[0]).replace("line 1.1", "Zeile 1.1", 1)
    response = post(client, url, {"title": work.translations[0].title, "text": body, "action": "submit"})
    assert response.status_code == 303
    c = session.scalar(select(Contribution))
    assert c.kind == "edit_translation"
    detail = text(client.get(response.location))
    assert "The corrections" in detail and "<ins>Zeile</ins>" in detail and "<del>line</del>" in detail


def test_proposing_a_new_work(client, session, ana):
    existing = make_work("known", title="Known")
    login(client, ana)
    data = {"title": "Abendlied", "language": "de", "form": "poetry", "author": "Nobody Known",
            "text": "Ein Vers\n\nNoch einer", "source": "Leipzig 1850", "licence": "Public domain", "action": "submit"}
    html = text(post(client, "/contribute/works/new", data))
    assert "There is no author “Nobody Known”" in field_error(html, "author")
    data.update(author="", author_name="Erika Muster", author_birth_year="1801")
    assert post(client, "/contribute/works/new", data).status_code == 303
    assert session.scalar(select(Contribution)).details["author_name"] == "Erika Muster"
    options = text(client.get("/contribute/authors?author=" + existing.authors[0].name[:6]))
    assert f'<option value="{existing.authors[0].name}">' in options


def test_finding_a_work_to_translate(client, ana, work):
    login(client, ana)
    html = text(client.get("/contribute?q=bell"))
    assert f"/contribute/works/{work.slug}/translate" in html
    assert "Propose it as a new work" in text(client.get("/contribute?q=zzz"))


def test_the_navigation_items(app, client, session, ana, work):
    from flask import render_template_string
    from flask_login import login_user

    ben = UserFactory(role="reviewer")
    svc.propose_translation(session, ana, work.id, language="de", title="Die Glocke", text=GERMAN)
    template = '<ul>{% include "components/_nav_contribute.html" %}</ul>'
    with app.test_request_context("/"):
        anonymous = render_template_string(template)
        login_user(ben)
        reviewer = render_template_string(template)
    with app.test_request_context("/"):
        login_user(ana)
        contributor = render_template_string(template)
    assert 'href="/contribute">Contribute' in anonymous and "Review" not in anonymous
    assert 'href="/review">Review (1)</a>' in reviewer
    assert "Review" not in contributor


def test_revising_a_proposed_work_can_change_its_author(client, session, ana):
    known = make_work("known-author", title="Known").authors[0]
    c = svc.propose_work(session, ana, title="Abendlied", language="de", form="poetry", text="Ein Vers",
                         author=known.slug, source="Leipzig 1850", licence="Public domain", submit=False)
    session.commit()
    login(client, ana)
    form = text(client.get(f"/contribute/{c.id}/revise"))
    assert f'value="{known.name}"' in form  # the author as the library names them
    data = {"title": "Abendlied", "language": "de", "form": "poetry", "author": "", "author_name": "Erika Muster",
            "text": "Ein Vers", "source": "Leipzig 1850", "licence": "Public domain", "action": "draft",
            "expected_status": "draft", "expected_revision": "1"}
    assert post(client, f"/contribute/{c.id}/revise", data).status_code == 303
    session.refresh(c)
    assert c.details["author_id"] is None and c.details["author_name"] == "Erika Muster" and c.status == "draft"
