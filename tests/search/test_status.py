"""Search complete from the start (issue 13): the keyword index at once, embeddings in the
background with their progress shown, fresh work ahead of the backlogs, `search status`."""
from __future__ import annotations

import pytest
from factories import make_work
from sqlalchemy import select

from tercul.models import OutboxEntry
from tercul.search import forget_backends, get_backend, indexer
from tercul.services import search_status
from tercul.tasks import jobs


@pytest.fixture
def app_backend(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    monkeypatch.setattr(indexer, "EMBED_STEP", 3)  # several steps for a small library
    yield get_backend(app)
    forget_backends()
    from tercul.services.search import invalidate_search

    invalidate_search()  # the library's languages and authors, cached for the next test's library


def done_all(session):
    for row in session.scalars(select(OutboxEntry).where(OutboxEntry.processed_at.is_(None))):
        row.processed_at = row.created_at
    session.commit()


def pending(session, topic):
    return session.scalars(select(OutboxEntry).where(OutboxEntry.topic == topic,
                                                     OutboxEntry.processed_at.is_(None))).all()


def test_keyword_now_embeddings_in_steps_with_progress(session, app_backend, cli_runner):
    make_work("one", translations=("de",))
    make_work("two", stanzas=3)
    done_all(session)
    result = cli_runner.invoke(args=["reindex", "--background"])
    assert result.exit_code == 0, result.output
    assert "keyword search is ready" in result.output and "tercul search status" in result.output
    assert indexer.verify(session, app_backend, vectors=False) == []  # every text, at once
    [first] = pending(session, "embed")
    progress = search_status.embedding_progress(session)
    assert progress.done == 0 and progress.total == first.payload["total"] > 3
    assert progress.label == "meaning search: 0% of passages indexed"
    status = cli_runner.invoke(args=["search", "status"])
    assert "keyword search: 3 of 3 texts indexed" in status.output and "meaning search: 0%" in status.output
    steps = 0
    while pending(session, "embed"):
        [entry_id] = [e.id for e in pending(session, "embed")]
        assert jobs.run_entry(session, entry_id) == "done"
        steps += 1
    assert steps >= first.payload["total"] // 3
    assert indexer.verify(session, app_backend) == []  # every passage has its vector now
    search_status.cache.delete(search_status.PROGRESS_KEY)
    assert search_status.embedding_progress(session) is None
    assert "meaning search: 100% of passages indexed" in cli_runner.invoke(args=["search", "status"]).output


def test_fresh_index_jobs_are_claimed_before_the_backlogs(session, app_backend):
    make_work("old")
    done_all(session)
    search_status.start_background_embedding(session, 10, 10)
    session.add(OutboxEntry(topic="analyse", entity="work", entity_id=1, version=1, payload={}))
    session.commit()
    make_work("fresh")  # published after the backlog was written
    session.commit()
    [fresh] = [e.id for e in pending(session, "index")]
    assert jobs.claim_due(session, limit=1) == [fresh]


def test_the_page_and_the_api_say_how_far_meaning_search_is(session, app_backend, client):
    make_work("one")
    done_all(session)
    search_status.start_background_embedding(session, 30, 40)
    session.commit()
    search_status.cache.delete(search_status.PROGRESS_KEY)
    page = client.get("/search?q=x").get_data(as_text=True)
    assert "meaning search: 25% of passages indexed" in page
    body = client.post("/graphql", json={"query": "{ search(query: \"x\") { meaningIndexed indexing } }"}).get_json()
    assert body["data"]["search"] == {"meaningIndexed": 25, "indexing": "meaning search: 25% of passages indexed"}
