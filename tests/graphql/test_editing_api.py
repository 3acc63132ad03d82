"""Editing the catalogue through the API: editors edit, admins delete, readers neither."""
from sqlalchemy import select

from factories import AuthorFactory, UserFactory, make_work
from tercul.models import OutboxEntry, TextRevision, Work
from tercul.services import tokens


def bearer(session, user):
    token = tokens.issue_tokens(session, user).access_token
    session.commit()
    return {"Authorization": f"Bearer {token}"}


CREATE = """mutation($input: WorkInput!) { createWork(input: $input) { work { id slug title text { lineCount } }
  errors { field message } } }"""


def test_editor_creates_and_revises_a_work_admin_deletes(gql, session):
    author = AuthorFactory(slug="ann")
    editor, admin, reader = UserFactory(role="reviewer"), UserFactory(role="admin"), UserFactory(role="reader")
    work_input = {"title": "Night Harbour", "language": "en", "form": "POETRY", "authors": ["ann"],
                  "text": "lamps on the water\nropes and tar\n\nthe tide turns"}
    _, refused = gql(CREATE, {"input": work_input}, headers=bearer(session, reader))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, created = gql(CREATE, {"input": work_input}, headers=bearer(session, editor))
    work = created["data"]["createWork"]["work"]
    assert created["data"]["createWork"]["errors"] == [] and work["slug"] == "night-harbour"
    assert work["text"]["lineCount"] == 3
    _, updated = gql("""mutation($id: ID!, $input: WorkInput!) { updateWork(id: $id, input: $input) {
        work { title text { revision } } errors { message } } }""",
                     {"id": work["id"], "input": {**work_input, "text": "lamps on the water\nropes\n\nthe tide"}},
                     headers=bearer(session, editor))
    assert updated["data"]["updateWork"]["work"]["text"]["revision"] == 2
    row_id = session.scalar(select(Work.id).where(Work.slug == "night-harbour"))
    assert len(session.scalars(select(TextRevision).where(TextRevision.work_id == row_id)).all()) == 2
    _, not_admin = gql('mutation($id: ID!) { deleteWork(id: $id) { ok } }', {"id": work["id"]},
                       headers=bearer(session, editor))
    assert not_admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, deleted = gql('mutation($id: ID!) { deleteWork(id: $id) { ok errors { message } } }', {"id": work["id"]},
                     headers=bearer(session, admin))
    assert deleted["data"]["deleteWork"] == {"ok": True, "errors": []}
    assert session.scalar(select(Work).where(Work.slug == "night-harbour")) is None
    assert session.scalar(select(OutboxEntry).where(OutboxEntry.entity == "work", OutboxEntry.entity_id == row_id,
                                                    OutboxEntry.payload["deleted"].as_boolean())) is not None
    assert author.id


def test_invalid_work_input_is_a_payload_error(gql, session):
    editor = UserFactory(role="reviewer")
    _, body = gql(CREATE, {"input": {"title": "X", "language": "zz", "form": "PROSE", "authors": [], "text": "a"}},
                  headers=bearer(session, editor))
    assert body["data"]["createWork"]["errors"][0]["field"] == "language"


def test_translations_created_updated_and_deleted(gql, session):
    work = make_work("tide", stanzas=1, lines=2)
    editor, admin = UserFactory(role="reviewer"), UserFactory(role="admin")
    _, created = gql("""mutation($w: ID!) { createTranslation(workId: $w, language: "fr", title: "Marée",
        text: "un\\ndeux", translatorName: "Anon", source: "Invented", licence: "CC0") {
        translation { id key } errors { message } } }""", {"w": str(work.id)}, headers=bearer(session, editor))
    t = created["data"]["createTranslation"]["translation"]
    assert t["key"] == "fr"
    _, updated = gql("""mutation($id: ID!) { updateTranslation(id: $id, title: "La marée", published: false) {
        translation { title } errors { message } } }""", {"id": t["id"]}, headers=bearer(session, editor))
    assert updated["data"]["updateTranslation"]["translation"]["title"] == "La marée"
    _, work_now = gql('{ work(slug: "tide") { translationCount translations { key } } }')
    assert work_now["data"]["work"] == {"translationCount": 0, "translations": []}
    _, deleted = gql('mutation($id: ID!) { deleteTranslation(id: $id) { ok } }', {"id": t["id"]},
                     headers=bearer(session, admin))
    assert deleted["data"]["deleteTranslation"]["ok"] is True


def test_metadata_changes_ask_for_reindexing(gql, session):
    AuthorFactory(slug="bea")
    editor = UserFactory(role="reviewer")
    headers = bearer(session, editor)
    work_input = {"title": "Salt", "language": "en", "form": "POETRY", "authors": ["bea"], "text": "one\ntwo"}
    work_id = gql(CREATE, {"input": work_input}, headers=headers)[1]["data"]["createWork"]["work"]["id"]
    before = len(session.scalars(select(OutboxEntry).where(OutboxEntry.entity == "work",
                                                           OutboxEntry.entity_id == int(work_id))).all())
    gql("""mutation($id: ID!, $input: WorkInput!) { updateWork(id: $id, input: $input) { errors { message } } }""",
        {"id": work_id, "input": {**work_input, "title": "Salt and Iron", "text": None}}, headers=headers)
    after = session.scalars(select(OutboxEntry).where(OutboxEntry.entity == "work",
                                                      OutboxEntry.entity_id == int(work_id))).all()
    assert len(after) == before + 1 and after[-1].topic == "index"
