"""Outbox jobs: run once, coalesce, retry with backoff, die, and come back from the admin page."""
from datetime import timedelta, timezone

import pytest
from factories import UserFactory, make_work
from sqlalchemy import select

from tercul.models import OutboxEntry
from tercul.models._base import utcnow
from tercul.search import indexer
from tercul.services.errors import Forbidden, NotFound
from tercul.tasks import admin, jobs


def pending(session, topic="index"):
    return session.scalars(select(OutboxEntry).where(OutboxEntry.topic == topic,
                                                     OutboxEntry.processed_at.is_(None))).all()


def test_publishing_is_indexed_by_draining_the_outbox(session, app_backend):
    make_work(title="Evening", translations=("de",))
    session.commit()
    assert len(pending(session)) == 2
    outcomes = jobs.drain(session)
    assert outcomes == {"done": 1, "skipped": 1}  # one job indexes all the texts of a work
    assert pending(session) == []
    assert len(pending(session, "analyse")) == 2  # not this issue's: left untouched
    assert indexer.verify(session, app_backend) == []
    assert jobs.drain(session) == {}  # nothing due: idempotent


def test_a_claimed_row_is_not_claimed_twice_until_its_lease_ends(session, app_backend):
    make_work()
    session.commit()
    first = jobs.claim_due(session, lease=60)
    assert len(first) == 1 and jobs.claim_due(session) == []
    row = session.get(OutboxEntry, first[0])
    row.available_at = utcnow() - timedelta(seconds=1)  # the claimer died; the lease ran out
    session.commit()
    assert jobs.claim_due(session) == first


def test_failures_back_off_then_die_and_an_admin_retries(session, app_backend, monkeypatch, app):
    monkeypatch.setitem(app.config, "JOBS_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(jobs.HANDLERS, "index", lambda s, e: (_ for _ in ()).throw(RuntimeError("engine down")))
    make_work()
    session.commit()
    [entry_id] = jobs.claim_due(session)
    waits = []
    for expected in ("retry", "retry", "dead"):
        assert jobs.run_entry(session, entry_id) == expected
        row = session.get(OutboxEntry, entry_id)
        at = row.available_at if row.available_at.tzinfo else row.available_at.replace(tzinfo=timezone.utc)
        waits.append((at - utcnow()).total_seconds())
    assert waits[1] > waits[0] > 5  # 10 s, then 20 s
    assert row.dead_at is not None and "engine down" in row.last_error and row.attempts == 3
    assert jobs.claim_due(session) == []

    reader, boss = UserFactory(role="reader"), UserFactory(role="admin")
    with pytest.raises(Forbidden):
        admin.jobs_overview(session, reader)
    overview = admin.jobs_overview(session, boss)
    assert [j.id for j in overview.dead] == [entry_id] and ("analyse", 1) in overview.pending
    monkeypatch.undo()
    admin.retry_job(session, boss, entry_id)
    session.commit()
    with pytest.raises(NotFound):
        admin.retry_job(session, boss, entry_id)
    assert jobs.drain(session).get("done") == 1


def test_older_requests_for_the_same_entity_are_covered(session, app_backend):
    from tercul.services import outbox

    work = make_work()
    outbox.request_text_jobs(session, "work", work.id, work.current_revision_id)
    session.commit()
    assert len(pending(session)) == 2
    assert jobs.drain(session) == {"done": 1, "skipped": 1}


def test_one_job_covers_the_texts_of_a_work_and_drops_unpublished_ones(session, app_backend):
    work = make_work(translations=("de", "fr", "it"))
    session.commit()
    assert len(pending(session)) == 4
    # the first job covers the other three (those claimed with it are skipped, the rest never claimed)
    assert jobs.drain(session) == {"done": 1, "skipped": jobs.DRAIN_BATCH - 1} and pending(session) == []
    german = next(t for t in work.translations if t.language == "de")
    german.status = "unpublished"
    from tercul.services import outbox

    outbox.enqueue(session, "index", "work", work.id, work.current_revision_id)
    session.commit()
    assert jobs.drain(session) == {"done": 1}
    assert f"t:{german.id}" not in app_backend.state().texts
    assert indexer.verify(session, app_backend) == []
