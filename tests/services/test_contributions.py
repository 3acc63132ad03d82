"""Contributions: proposing, revising, reviewing and publishing, with every rule enforced once."""
from __future__ import annotations

import pytest
from factories import UserFactory, make_work
from sqlalchemy import func, select

from tercul.models import (Contribution, Notification, OutboxEntry, ReviewEvent, TextRevision, Translation, Work)
from tercul.services import catalog, contributions as svc
from tercul.services.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from tercul.services.reading import work_page

GERMAN = "Erste Zeile\n  zweite Zeile\ndritte Zeile\nvierte Zeile\n\nfünfte Zeile\nsechste\nsiebte\nachte\n"


@pytest.fixture
def ctx(app, session):
    """A request context (links in notices and mail) and an empty mail outbox."""
    app.extensions["mailman"].outbox = []
    with app.test_request_context():
        yield app.extensions["mailman"].outbox


@pytest.fixture
def people(ctx, session):
    class People:
        ana = UserFactory(role="contributor", display_name="Ana")
        ben = UserFactory(role="reviewer", display_name="Ben")
        cat = UserFactory(role="reviewer", display_name="Cat")
        reader = UserFactory(role="reader")
    return People


@pytest.fixture
def work(people):
    return make_work("the-bell", title="The Bell", stanzas=2, lines=4)


def propose(people, work, text=GERMAN, **kw):
    kw.setdefault("language", "de")
    kw.setdefault("title", "Die Glocke")
    return svc.propose_translation(svc_session(), people.ana, work.id, text=text, **kw)


def svc_session():
    from tercul.extensions import db
    return db.session


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- proposing ------------------------------------------------------------------------------

def test_a_submitted_translation_is_stored_as_typed_and_waits_for_review(session, people, work):
    typed = "Erste Zeile  \r\n  zweite <b>Zeile</b>\n\n\nfünfte"
    c = propose(people, work, typed, note="My first one.")
    assert c.status == "pending" and c.kind == "new_translation" and c.language == "de"
    assert c.revision_number == 1 and c.revisions[0].body == typed
    assert c.original_revision_id == work.current_revision_id and c.submitted_at is not None
    assert [(e.action, e.from_status, e.to_status, e.comment) for e in c.events] == [
        ("submitted", None, "pending", "My first one.")]
    assert c.details["translator"] == "self"


def test_a_draft_is_saved_then_submitted(session, people, work):
    c = propose(people, work, submit=False)
    assert c.status == "draft" and c.submitted_at is None
    c = svc.revise_contribution(session, people.ana, c.id, text=GERMAN + "neunte\n", submit=False)
    assert c.status == "draft" and c.revision_number == 1 and c.revisions[0].body.endswith("neunte\n")
    c = svc.submit_contribution(session, people.ana, c.id, expected_status="draft")
    assert c.status == "pending" and c.revision_number == 1
    assert [e.action for e in c.events] == ["created", "submitted"]


@pytest.mark.parametrize("fields, field, message", [
    ({"text": "  \n\n "}, "text", "empty"),
    ({"text": "Glocke\x07"}, "text", "control characters"),
    ({"language": "english"}, "language", "language code"),
    ({"language": "xx"}, "language", "ISO 639"),
    ({"language": ""}, "language", "ISO 639"),
    ({"language": "en"}, "language", "into another language"),
    ({"title": " "}, "title", "Enter the translated title"),
    ({"translator": "historical", "translator_name": "J. Doe"}, "source", "where the text comes from"),
    ({"translator": "historical", "translator_name": "J. Doe", "source": "Berlin 1880"}, "licence", "licence"),
    ({"translator": "somebody"}, "translator", "historical translator"),
])
def test_bad_input_is_refused_and_nothing_is_saved(session, people, work, fields, field, message):
    before = count(session, Contribution)
    kw = {"text": GERMAN, "language": "de", "title": "Die Glocke", **fields}
    with pytest.raises(Invalid, match=message) as error:
        svc.propose_translation(session, people.ana, work.id, **kw)
    assert error.value.field == field
    assert count(session, Contribution) == before


def test_a_text_over_the_size_limit_is_refused(app, session, people, work, monkeypatch):
    monkeypatch.setitem(app.config, "TEXT_MAX_BYTES", 100)
    with pytest.raises(Invalid, match="the limit is 100") as error:
        propose(people, work, "ä" * 51)
    assert error.value.field == "text"


def test_only_verified_contributors_propose(session, people, work):
    with pytest.raises(Unauthenticated):
        svc.propose_translation(session, None, work.id, language="de", title="x", text=GERMAN)
    with pytest.raises(Forbidden):
        svc.propose_translation(session, people.reader, work.id, language="de", title="x", text=GERMAN)
    unverified = UserFactory(role="contributor", email_verified_at=None)
    with pytest.raises(Forbidden, match="Verify"):
        svc.propose_translation(session, unverified, work.id, language="de", title="x", text=GERMAN)


def test_duplicates_are_refused(session, people, work):
    first = propose(people, work)
    with pytest.raises(Conflict, match=f"contribution #{first.id}"):
        propose(people, work)  # the same work and language is already under way
    svc.reject_contribution(session, people.ben, first.id, comment="Not this way.")
    with pytest.raises(Conflict, match="You already submitted this text"):
        propose(people, work, GERMAN.replace("\n", "\r\n") + "\n\n")  # the same text, other line ends
    # a different text for the same work and language is welcome now
    assert propose(people, work, GERMAN + "neunte").status == "pending"


def test_a_copy_of_the_published_translation_is_refused(session, people):
    work = make_work("published-one", translations=("de",))
    published = work.translations[0]
    body = svc.editable_text(session, published)
    with pytest.raises(Conflict, match="is the published German translation"):
        svc.propose_translation(session, people.ana, work.id, language="de", title="Meine", text=body)


def test_a_second_translation_by_the_same_translator_is_an_edit(session, people, work):
    c = propose(people, work)
    svc.approve_contribution(session, people.ben, c.id)
    with pytest.raises(Conflict, match="propose an edit"):
        propose(people, work, GERMAN + "noch eine")


# --- reviewing ------------------------------------------------------------------------------

def test_nobody_reviews_their_own_contribution(session, people, work):
    own = svc.propose_translation(session, people.ben, work.id, language="fr", title="La cloche",
                                  text="un\ndeux\ntrois\nquatre\n\ncinq\nsix\nsept\nhuit")
    for decide in (svc.approve_contribution, svc.request_changes, svc.reject_contribution):
        with pytest.raises(Forbidden, match="your own contribution"):
            decide(session, people.ben, own.id, comment="fine", expected_status="pending", expected_revision=1)
    [outcome] = svc.bulk_approve(session, people.ben, [(own.id, 1)])
    assert not outcome.approved and "your own contribution" in outcome.message
    assert own.status == "pending" and [e.action for e in own.events] == ["submitted"]
    assert "approve" not in svc.allowed_actions(people.ben, own)
    assert "approve" in svc.allowed_actions(people.cat, own)


def test_only_reviewers_decide(session, people, work):
    c = propose(people, work)
    with pytest.raises(Forbidden):
        svc.approve_contribution(session, people.reader, c.id)
    with pytest.raises(Forbidden):
        svc.approve_contribution(session, UserFactory(role="contributor"), c.id)
    with pytest.raises(Unauthenticated):
        svc.approve_contribution(session, None, c.id)
    with pytest.raises(NotFound):
        svc.approve_contribution(session, people.ben, 987654)


def test_request_changes_revise_approve_publishes_the_translation(ctx, session, people, work):
    c = propose(people, work, "eins\nzwei\ndrei\nvier")  # one stanza: the original has two
    with pytest.raises(Invalid, match="Say what should change") as error:
        svc.request_changes(session, people.ben, c.id, comment=" ")
    assert error.value.field == "comment"
    svc.request_changes(session, people.ben, c.id, comment="The second stanza is missing.", expected_status="pending",
                        expected_revision=1)
    assert c.status == "changes_requested"
    notice = session.scalar(select(Notification).where(Notification.user_id == people.ana.id))
    assert notice.kind == "contribution_changes_requested" and notice.link == f"/contribute/{c.id}"
    assert "Ben asked for changes" in notice.message

    svc.revise_contribution(session, people.ana, c.id, text=GERMAN, comment="Added it.",
                            expected_status="changes_requested", expected_revision=1)
    assert c.status == "pending" and c.revision_number == 2 and [r.number for r in c.revisions] == [1, 2]
    assert c.revisions[0].body == "eins\nzwei\ndrei\nvier"  # the earlier revision is kept as it was
    # the reviewer who asked hears about the new revision
    assert session.scalar(select(Notification.message).where(Notification.user_id == people.ben.id)) \
        == "Ana sent revision 2 of “Die Glocke”."

    with pytest.raises(Conflict, match="Revision 2 was sent after you opened this page"):
        svc.approve_contribution(session, people.cat, c.id, expected_status="pending", expected_revision=1)
    outbox_before = count(session, OutboxEntry)
    svc.approve_contribution(session, people.cat, c.id, comment="Lovely.", expected_status="pending",
                             expected_revision=2)
    assert c.status == "approved" and c.decided_at is not None
    assert [(e.action, e.from_status, e.to_status, e.revision_number) for e in c.events] == [
        ("submitted", None, "pending", 1), ("changes_requested", "pending", "changes_requested", 1),
        ("revised", "changes_requested", "pending", 2), ("approved", "pending", "approved", 2)]
    assert [e.actor_id for e in c.events] == [people.ana.id, people.ben.id, people.ana.id, people.cat.id]

    translation = session.get(Translation, c.translation_id)
    assert translation.status == "published" and translation.translator_id == people.ana.id
    assert translation.title == "Die Glocke" and translation.language == "de" and translation.key == "de"
    revision = session.get(TextRevision, translation.current_revision_id)
    assert revision.id == c.published_revision_id and revision.number == 1
    assert revision.original_revision_id == work.current_revision_id and revision.created_by_id == people.ana.id
    assert [ln.key for ln in svc.load_text(session, revision.id).iter_lines()][:2] == ["1.1", "1.2"]
    # the outbox asks for indexing and analysis of exactly this revision, in this transaction
    rows = session.execute(select(OutboxEntry.topic, OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.version)
                           .order_by(OutboxEntry.id)).all()[-2:]
    assert rows == [("index", "translation", translation.id, revision.id),
                    ("analyse", "translation", translation.id, revision.id)]
    assert count(session, OutboxEntry) == outbox_before + 2
    session.refresh(work)
    assert work.translation_count == 1
    # the reading page shows it beside the original
    page = work_page(session, work.slug, requested=["de"])
    assert [t.key for t in page.translations] == ["de"] and not page.translations[0].out_of_date

    session.commit()  # the mail goes once the transaction commits
    subjects = [m.subject for m in ctx]
    assert subjects == ["Changes requested on your contribution: Die Glocke",
                        "Your contribution was approved: Die Glocke"]
    assert "Lovely." in ctx[1].body and f"/contribute/{c.id}" in ctx[1].body


def test_rejecting_needs_a_reason_and_ends_the_contribution(session, people, work):
    c = propose(people, work)
    with pytest.raises(Invalid, match="Say why"):
        svc.reject_contribution(session, people.ben, c.id, comment="")
    svc.reject_contribution(session, people.ben, c.id, comment="Machine translated.")
    assert c.status == "rejected" and svc.allowed_actions(people.ana, c) == set()
    with pytest.raises(Conflict, match="can no longer be changed"):
        svc.revise_contribution(session, people.ana, c.id, text=GERMAN + "x")
    with pytest.raises(Conflict, match="nothing to decide"):
        svc.approve_contribution(session, people.cat, c.id)


def test_stale_actions_are_refused_with_a_clear_message(session, people, work):
    c = propose(people, work)
    svc.withdraw_contribution(session, people.ana, c.id, expected_status="pending", expected_revision=1)
    with pytest.raises(Conflict, match="it is now “Withdrawn” \\(it was “Waiting for review”\\)"):
        svc.approve_contribution(session, people.ben, c.id, expected_status="pending", expected_revision=1)
    with pytest.raises(Conflict, match="Withdrawn|withdrawn"):
        svc.withdraw_contribution(session, people.ana, c.id)
    assert [e.action for e in c.events] == ["submitted", "withdrawn"]


def test_only_the_contributor_changes_a_contribution(session, people, work):
    c = propose(people, work)
    other = UserFactory(role="contributor")
    with pytest.raises(NotFound):
        svc.revise_contribution(session, other, c.id, text=GERMAN + "x")
    with pytest.raises(NotFound):
        svc.withdraw_contribution(session, other, c.id)
    with pytest.raises(Forbidden, match="Only the contributor"):
        svc.withdraw_contribution(session, people.ben, c.id)
    with pytest.raises(NotFound):
        svc.get_contribution(session, other, c.id)
    assert svc.get_contribution(session, people.ben, c.id) is c


def test_revising_without_changes_is_refused(session, people, work):
    c = propose(people, work)
    with pytest.raises(Invalid, match="Nothing has changed since revision 1"):
        svc.revise_contribution(session, people.ana, c.id, text=GERMAN)
    # a comment alone answers a reviewer (no new revision)
    svc.request_changes(session, people.ben, c.id, comment="Is line 2 right?")
    svc.revise_contribution(session, people.ana, c.id, comment="Yes: the original says so.")
    assert c.status == "pending" and c.revision_number == 1 and c.events[-1].action == "updated"


def test_bulk_approve_checks_each_one(session, people, work):
    other = make_work("other", stanzas=1, lines=2)
    ok = propose(people, work)
    stale = svc.propose_translation(session, people.ana, other.id, language="fr", title="Autre", text="a\nb")
    svc.revise_contribution(session, people.ana, stale.id, text="a\nbb")
    own = svc.propose_translation(session, people.ben, other.id, language="it", title="Altra", text="x\ny")
    outcomes = svc.bulk_approve(session, people.ben, [(ok.id, 1), (stale.id, 1), (own.id, 1)], comment="Bulk.")
    assert [(o.contribution_id, o.approved) for o in outcomes] == [(ok.id, True), (stale.id, False), (own.id, False)]
    assert "Revision 2 was sent" in outcomes[1].message and "your own" in outcomes[2].message
    assert ok.status == "approved" and stale.status == "pending" and own.status == "pending"
    assert session.scalar(select(func.count()).select_from(Translation).where(Translation.work_id == other.id)) == 0


# --- edits and new works ----------------------------------------------------------------------

def test_an_edit_becomes_a_new_revision_and_keeps_the_earlier_one(session, people):
    work = make_work("edited", translations=("de",))
    translation = work.translations[0]
    first = translation.current_revision_id
    body = svc.editable_text(session, translation)
    with pytest.raises(Invalid, match="unchanged"):
        svc.propose_edit(session, people.ana, translation.id, text=body)
    edited = body.replace("line 1.2", "Zeile 1.2", 1)
    c = svc.propose_edit(session, people.ana, translation.id, text=edited, note="Typo.")
    assert c.kind == "edit_translation" and c.base_revision_id == first and c.work_id == work.id
    view = svc.contribution_view(session, people.ben, c.id)
    changed = [i.row for i in view.edit_diff.items if i.kind == "row" and i.row.status == "changed"]
    assert [r.key for r in changed] == ["1.2"]
    assert ("added", "Zeile") in changed[0].pieces and ("removed", "line") in changed[0].pieces
    svc.approve_contribution(session, people.ben, c.id)
    assert translation.current_revision_id == c.published_revision_id != first
    numbers = session.scalars(select(TextRevision.number).where(TextRevision.translation_id == translation.id)
                              .order_by(TextRevision.number)).all()
    assert numbers == [1, 2]
    assert translation.translator_name == "Translator de"  # an edit does not change who translated it


def test_an_edit_based_on_an_older_revision_cannot_be_approved(session, people):
    work = make_work("two-edits", translations=("de",))
    translation = work.translations[0]
    body = svc.editable_text(session, translation)
    first = svc.propose_edit(session, people.ana, translation.id, text=body.replace("line 1.1", "eins", 1))
    other = UserFactory(role="contributor")
    second = svc.propose_edit(session, other, translation.id, text=body.replace("line 2.1", "zwei", 1))
    svc.approve_contribution(session, people.ben, first.id)
    queue = svc.review_queue(session, people.ben)
    assert [(i.id, i.base_changed) for i in queue.items] == [(second.id, True)]
    with pytest.raises(Conflict, match="Another revision of this translation was published"):
        svc.approve_contribution(session, people.ben, second.id)
    session.rollback()


def test_a_new_work_with_a_proposed_author(session, people):
    body = "Ein Vers\nund noch einer\n\nZweite Strophe"
    c = svc.propose_work(session, people.ana, title="Abendlied", language="de", form="poetry", text=body,
                         author_name="Erika Muster", author_birth_year=1801, author_death_year=1870, date_from=1840,
                         source="Gedichte, Leipzig 1850", licence="Public domain")
    assert c.kind == "new_work" and c.work_id is None and c.details["author_name"] == "Erika Muster"
    svc.approve_contribution(session, people.ben, c.id)
    work = session.get(Work, c.work_id)
    assert work.title == "Abendlied" and work.slug == "abendlied" and work.language == "de"
    assert [a.name for a in work.authors] == ["Erika Muster"] and work.created_by_id == people.ana.id
    assert work.current_revision_id == c.published_revision_id
    assert session.scalar(select(func.count()).select_from(OutboxEntry).where(
        OutboxEntry.entity == "work", OutboxEntry.entity_id == work.id)) == 2


def test_a_new_work_by_an_author_in_the_library(session, people):
    work = make_work("existing", title="Existing")
    author = work.authors[0]
    with pytest.raises(Invalid, match="There is no author “Nobody Here”") as error:
        svc.propose_work(session, people.ana, title="New", language="en", form="poetry", text="a", author="Nobody Here",
                         source="s", licence="Public domain")
    assert error.value.field == "author"
    with pytest.raises(Conflict, match="already in the library"):
        svc.propose_work(session, people.ana, title="existing", language="en", form="poetry", text="a",
                         author=author.slug, source="s", licence="Public domain")
    c = svc.propose_work(session, people.ana, title="Another", language="en", form="prose", text="One.\n\nTwo.",
                         author=author.name, source="s", licence="Public domain")
    assert c.details["author_id"] == author.id
    svc.approve_contribution(session, people.ben, c.id)
    assert [a.id for a in session.get(Work, c.work_id).authors] == [author.id]


# --- out of date ---------------------------------------------------------------------------

def test_a_changed_original_marks_translations_out_of_date(session, people, work):
    c = propose(people, work)
    original = svc.load_text(session, work.current_revision_id)
    original.divisions[0].lines[0].text = "A corrected first line"
    catalog.set_work_text(session, work, original)
    [item] = svc.review_queue(session, people.ben).items
    assert item.original_changed
    assert svc.contribution_view(session, people.ben, c.id).original_changed
    svc.approve_contribution(session, people.ben, c.id)
    # published against the original it was made from: possibly out of date at once
    revision = session.get(TextRevision, c.published_revision_id)
    assert revision.original_revision_id == c.original_revision_id != work.current_revision_id
    assert work_page(session, work.slug, requested=["de"]).translations[0].out_of_date


# --- lists ---------------------------------------------------------------------------------

def test_the_queue_is_oldest_first_filtered_and_without_ones_own(session, people, work):
    from datetime import timedelta

    other = make_work("queue-other", stanzas=1, lines=1)
    a = propose(people, work)
    b = svc.propose_translation(session, people.ana, other.id, language="fr", title="F", text="x")
    c = svc.propose_edit(session, UserFactory(role="contributor"), make_work("q3", translations=("de",))
                         .translations[0].id, text="geändert")
    own = svc.propose_translation(session, people.ben, other.id, language="it", title="I", text="y")
    a.submitted_at -= timedelta(days=10)
    b.submitted_at -= timedelta(days=3)
    session.flush()
    queue = svc.review_queue(session, people.ben)
    assert [i.id for i in queue.items] == [a.id, b.id, c.id] and queue.pagination.total == 3
    assert queue.own_waiting == 1 and own.id not in [i.id for i in queue.items]
    assert dict(queue.languages) == {"de": 2, "fr": 1} and dict(queue.kinds) == {"new_translation": 2,
                                                                                 "edit_translation": 1}
    assert [i.id for i in svc.review_queue(session, people.cat).items] == [a.id, b.id, c.id, own.id]

    def ids(**args):
        filters, notices = svc.clean_queue_filters(args)
        return [i.id for i in svc.review_queue(session, people.ben, filters).items]

    assert ids(language="de") == [a.id, c.id]
    assert ids(kind="edit_translation") == [c.id]
    assert ids(work=other.slug) == [b.id]
    assert ids(age="7") == [a.id]
    assert ids(age="1") == [a.id, b.id]
    assert ids(language="nonsense!") == [a.id, b.id, c.id]
    page2 = svc.review_queue(session, people.ben, page=2, per_page=2)
    assert [i.id for i in page2.items] == [c.id] and page2.pagination.pages == 2
    with pytest.raises(Forbidden):
        svc.review_queue(session, people.ana)


def test_my_contributions_with_their_latest_event(session, people, work):
    a = propose(people, work)
    svc.request_changes(session, people.ben, a.id, comment="Look at stanza 2.")
    b = svc.propose_translation(session, people.ana, work.id, language="fr", title="Cloche", text="x",
                                submit=False)
    mine = svc.my_contributions(session, people.ana)
    assert [i.id for i in mine.items] == [b.id, a.id] or [i.id for i in mine.items] == [a.id, b.id]
    by_id = {i.id: i for i in mine.items}
    assert by_id[a.id].last_comment == "Look at stanza 2." and by_id[a.id].last_actor == "Ben"
    assert by_id[b.id].last_action == "created"
    assert mine.counts == {"changes_requested": 1, "draft": 1}
    assert [i.id for i in svc.my_contributions(session, people.ana, status="draft").items] == [b.id]


def test_navigation_counts(session, people, work):
    assert svc.navigation_counts(session, None) is None
    assert svc.navigation_counts(session, people.ben).review == 0
    c = propose(people, work)
    assert svc.navigation_counts(session, people.ben).review == 1
    assert svc.navigation_counts(session, people.ana).review is None
    svc.request_changes(session, people.ben, c.id, comment="x")
    assert svc.navigation_counts(session, people.ben).review == 0
    assert svc.navigation_counts(session, people.ana).unread == 1
