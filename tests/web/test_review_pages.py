"""Review pages: the queue, the review page, decisions, four eyes, bulk approval; history pages."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from contribution_helpers import GERMAN, login, page_client, post, text
from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.extensions import cache
from tercul.models import Contribution, OutboxEntry, Translation
from tercul.services import contributions as svc


@pytest.fixture
def client(app, session):
    return page_client(app)


@pytest.fixture
def people(session):
    class People:
        ana = UserFactory(role="contributor", display_name="Ana")
        ben = UserFactory(role="reviewer", display_name="Ben")
        cat = UserFactory(role="reviewer", display_name="Cat")
    return People


@pytest.fixture
def work(session):
    return make_work("the-bell", title="The Bell", stanzas=2, lines=4)


def propose(session, user, work, language="de", text=GERMAN, **kw):
    return svc.propose_translation(session, user, work.id, language=language, title=kw.pop("title", "Die Glocke"),
                                   text=text, **kw)


def decide(client, c, decision, comment="", status="pending", revision=None):
    return post(client, f"/review/{c.id}", {"decision": decision, "comment": comment, "expected_status": status,
                                            "expected_revision": str(revision or c.revision_number)},
                token_from="/review")


# --- who may review ----------------------------------------------------------------------------

def test_the_queue_is_for_reviewers(client, session, people):
    assert "/account/login" in client.get("/review").location
    login(client, people.ana)
    assert client.get("/review").status_code == 403
    login(client, people.ben)
    html = text(client.get("/review"))
    assert "Nothing is waiting" in html


def test_a_contributor_cannot_approve_their_own_submission_by_form_or_crafted_post(client, session, people, work):
    own = propose(session, people.ben, work)  # Ben is a reviewer and the contributor
    session.commit()
    login(client, people.ben)
    html = text(client.get(f"/review/{own.id}"))
    assert "This is your own contribution: another reviewer has to review it." in html
    assert 'value="approve"' not in html
    assert f"pick-{own.id}" not in text(client.get("/review"))  # not in their queue at all
    for decision in ("approve", "request_changes", "reject"):
        response = decide(client, own, decision, comment="Looks fine to me.")
        assert response.status_code == 403 and "You cannot review your own contribution" in unescape(text(response))
    response = post(client, "/review/approve", {"ids": str(own.id), f"revision-{own.id}": "1"}, token_from="/review",
                    follow_redirects=True)
    assert "Not approved" in unescape(text(response)) and "your own contribution" in text(response)
    # a contributor without the reviewer role is refused too
    theirs = propose(session, people.ana, work)
    session.commit()
    login(client, people.ana)
    assert decide(client, theirs, "approve").status_code == 403
    session.refresh(own)
    session.refresh(theirs)
    assert own.status == "pending" and theirs.status == "pending"
    assert session.scalar(select(Translation.id).where(Translation.work_id == work.id)) is None


# --- the review -----------------------------------------------------------------------------------

def test_review_page_shows_the_submission_beside_the_original(client, session, people, work):
    c = propose(session, people.ana, work, text="eins\nzwei\ndrei\nvier\n\nfünf\n<b>sechs</b>", note="Bitte prüfen.")
    session.commit()
    login(client, people.ben)
    html = text(client.get(f"/review/{c.id}"))
    assert "The text beside the original" in html and "Bitte prüfen." in html
    assert re.search(r'<td class="c-o" lang="en"><span class="c-line">[^<]*line 1\.1</span></td>\s*'
                     r'<td class="c-t" lang="de"><div><span class="c-line">eins</span>', html)
    assert "&lt;b&gt;sechs&lt;/b&gt;" in html and "<b>sechs" not in html
    assert "Stanza 2 has 2 lines; the original has 4." in html
    assert 'name="decision" value="approve"' in html and 'name="expected_revision" type="hidden" value="1"' in html


def test_request_changes_then_approve_with_a_second_reviewer(client, session, people, work):
    c = propose(session, people.ana, work, text="eins\nzwei\ndrei\nvier")
    session.commit()
    login(client, people.ben)
    response = decide(client, c, "request_changes", comment="")
    assert response.status_code == 422 and "Say what should change" in text(response)
    response = decide(client, c, "request_changes", comment="Stanza 2 is missing.")
    assert response.status_code == 303 and response.location.endswith("/review")
    session.refresh(c)
    assert c.status == "changes_requested"
    svc.revise_contribution(session, people.ana, c.id, text=GERMAN, comment="Done.")
    session.commit()
    # Ben's page is stale now: a decision on what he saw is refused, and his comment is kept
    response = decide(client, c, "approve", comment="My old view.", status="pending", revision=1)
    html = unescape(text(response))
    assert response.status_code == 409 and "Revision 2 was sent after you opened this page" in html
    assert "My old view." in html
    login(client, people.cat)
    html = text(client.get(f"/review/{c.id}"))
    assert "What changed since revision 1" in html and "<ins>" in html
    outbox_before = session.scalar(select(OutboxEntry.id).order_by(OutboxEntry.id.desc()).limit(1)) or 0
    response = decide(client, c, "approve", comment="Lovely.")
    assert response.status_code == 303
    session.refresh(c)
    assert c.status == "approved"
    translation = session.get(Translation, c.translation_id)
    rows = session.execute(select(OutboxEntry.topic, OutboxEntry.entity_id, OutboxEntry.version)
                           .where(OutboxEntry.id > outbox_before).order_by(OutboxEntry.id)).all()
    assert rows == [("index", translation.id, translation.current_revision_id),
                    ("analyse", translation.id, translation.current_revision_id)]
    flashed = unescape(text(client.get("/review")))
    assert "Approved: “Die Glocke” is published." in flashed
    # the work page shows the translation beside the original
    page = text(client.get(f"/works/{work.slug}?with={translation.key}"))
    assert "Erste Zeile" in page and "Die Glocke" in page
    # the contributor was told, by notice and by mail
    assert [m.subject for m in client.application.extensions["mailman"].outbox] == [
        "Changes requested on your contribution: Die Glocke", "Your contribution was approved: Die Glocke"]


def test_decisions_on_a_withdrawn_contribution_are_refused(client, session, people, work):
    c = propose(session, people.ana, work)
    session.commit()
    login(client, people.ben)
    client.get(f"/review/{c.id}")
    svc.withdraw_contribution(session, people.ana, c.id)
    session.commit()
    response = decide(client, c, "approve", status="pending", revision=1)
    assert response.status_code == 409
    assert "it is now “Withdrawn” (it was “Waiting for review”)" in unescape(text(response))


def test_bulk_approve_reports_each_item(client, session, people, work):
    other = make_work("other", stanzas=1, lines=2)
    a = propose(session, people.ana, work)
    b = propose(session, people.ana, other, language="fr", title="Autre", text="un\ndeux")
    c = propose(session, people.cat, other, language="it", title="Altra", text="uno\ndue")
    svc.revise_contribution(session, people.cat, c.id, text="uno\ntre")
    session.commit()
    login(client, people.ben)
    queue = text(client.get("/review"))
    assert all(f'name="revision-{x.id}"' in queue for x in (a, b, c))
    response = post(client, "/review/approve", {"ids": [str(a.id), str(b.id), str(c.id)], f"revision-{a.id}": "1",
                                                f"revision-{b.id}": "1", f"revision-{c.id}": "1", "comment": "Thanks",
                                                "unopened_confirmed": "1"}, token_from="/review")
    assert response.status_code == 303
    html = unescape(text(client.get(response.location)))
    assert "Approved: “Die Glocke” is published." in html and "Approved: “Autre” is published." in html
    assert "Not approved: “Altra”. Revision 2 was sent" in html
    statuses = dict(session.execute(select(Contribution.id, Contribution.status)).all())
    assert statuses == {a.id: "approved", b.id: "approved", c.id: "pending"}


def test_the_queue_filters_and_flags(client, session, people, work):
    other = make_work("other", stanzas=1, lines=2)
    a = propose(session, people.ana, work)
    b = propose(session, people.ana, other, language="fr", title="Autre", text="un\ndeux")
    a.submitted_at -= timedelta(days=10)
    original = svc.load_text(session, work.current_revision_id)
    original.divisions[0].lines[0].text = "changed"
    from tercul.services import catalog
    catalog.set_work_text(session, work, original)
    session.commit()
    login(client, people.ben)
    html = text(client.get("/review"))
    assert html.index("Die Glocke") < html.index("Autre")  # oldest first
    assert "may be out of date" in html and "2 contributions waiting for review" in html
    fragment = text(client.get("/review?language=fr", headers={"HX-Request": "true"}))
    assert "<html" not in fragment and "Autre" in fragment and "Die Glocke" not in fragment
    assert "Autre" not in text(client.get("/review?age=7"))
    assert "Die Glocke" not in text(client.get(f"/review?work={other.slug}"))
    assert "Unknown kind" in text(client.get("/review?kind=poem"))
    assert b.id


def test_the_queue_page_takes_the_same_number_of_queries_for_more_rows(client, session, people, count_queries):
    login(client, people.ben)

    def fill(n: int) -> None:
        for i in range(n):
            w = make_work(stanzas=1, lines=2)
            contributor = UserFactory(role="contributor")
            svc.propose_translation(session, contributor, w.id, language="de", title=f"T{i}", text="a\nb")
        session.commit()

    fill(2)
    client.get("/review")  # warm up: the login, the nav count, the CSRF token
    with count_queries:
        assert text(client.get("/review")).count('name="ids"') == 2
    few = count_queries.count
    fill(8)
    cache.clear()
    client.get("/review")
    with count_queries:
        assert text(client.get("/review")).count('name="ids"') == 10
    assert count_queries.count == few


# --- history ------------------------------------------------------------------------------------

def test_translation_history_and_comparison(client, session, people):
    work = make_work("edited", translations=("de",))
    translation = work.translations[0]
    body = svc.editable_text(session, translation)
    c = svc.propose_edit(session, people.ana, translation.id, text=body.replace("line 1.2", "Zeile 1.2", 1))
    svc.request_changes(session, people.ben, c.id, comment="Also 2.1?")
    svc.revise_contribution(session, people.ana, c.id,
                            text=body.replace("line 1.2", "Zeile 1.2", 1).replace("line 2.1", "Zeile 2.1", 1))
    svc.approve_contribution(session, people.cat, c.id, comment="Good.")
    session.commit()
    html = unescape(text(client.get(f"/works/{work.slug}/translations/de/history")))
    assert "Revision 2" in html and "Revision 1" in html and "current" in html
    assert f"contribution #{c.id}" in html and "after 2 revisions" in html and "Also 2.1?" in html
    assert "Cat approved it" in html and "Ben asked for changes" in html
    compare = text(client.get(f"/works/{work.slug}/translations/de/compare?from=1&to=2"))
    assert "<del>line</del>" in compare and "<ins>Zeile</ins>" in compare
    assert client.get(f"/works/{work.slug}/translations/de/compare?from=1&to=9").status_code == 404
    # an approved contribution is public, with its review
    public = text(client.get(f"/contribute/{c.id}"))
    assert "Also 2.1?" in public and "Approved" in public
    assert text(client.get(f"/contribute/{c.id}/compare?from=1&to=2")).count("<ins>") == 1
    assert client.get("/works/edited/translations/xx/history").status_code == 404


def test_original_history_and_out_of_date_translations(client, session, people):
    work = make_work("moving", translations=("de",))
    original = svc.load_text(session, work.current_revision_id)
    original.divisions[0].lines[0].text = "A new first line"
    from tercul.services import catalog
    catalog.set_work_text(session, work, original)
    session.commit()
    html = text(client.get(f"/works/{work.slug}/translations/de/history"))
    assert "possibly out of date" in html and "made from revision 1 of the original" in html
    assert f"/works/{work.slug}/compare?from=1&amp;to=2" in html
    compare = text(client.get(f"/works/{work.slug}/compare?from=1&to=2"))
    assert "<ins>A new first</ins>" in compare and "1 line changed" in compare
    assert "Revision 2" in text(client.get(f"/works/{work.slug}/history"))


def test_bulk_approve_takes_only_what_the_reviewer_opened_unless_confirmed(client, session, people, work):
    other = make_work("other", stanzas=1, lines=2)
    a = propose(session, people.ana, work)
    b = propose(session, people.ana, other, language="fr", title="Autre", text="un\ndeux")
    session.commit()
    login(client, people.ben)
    assert "not opened yet" in text(client.get("/review"))
    client.get(f"/review/{a.id}")  # opened: its revision 1
    queue = text(client.get("/review"))
    assert queue.count('<span class="c-opened">opened</span>') == 1 and 'name="unopened_confirmed"' in queue
    response = post(client, "/review/approve", {"ids": [str(a.id), str(b.id)], f"revision-{a.id}": "1",
                                                f"revision-{b.id}": "1"}, token_from="/review")
    html = unescape(text(client.get(response.location)))
    assert "Approved: “Die Glocke” is published." in html
    assert "Not approved: “Autre”. You have not opened its latest revision" in html
    statuses = dict(session.execute(select(Contribution.id, Contribution.status)).all())
    assert statuses == {a.id: "approved", b.id: "pending"}
    response = post(client, "/review/approve", {"ids": [str(b.id)], f"revision-{b.id}": "1",
                                                "unopened_confirmed": "1"}, token_from="/review")
    assert "Approved: “Autre” is published." in unescape(text(client.get(response.location)))
