"""CLI: ``tercul worker``, ``tercul reindex``, ``tercul search verify|embed|migrate``."""
from __future__ import annotations

import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Dramatiq worker threads (with a broker).")
@click.option("--once", is_flag=True, help="Run what is due, then stop.")
@with_appcontext
def worker(threads: int, once: bool) -> None:
    """Run background jobs (index updates) and the outbox relay until stopped.

    With BROKER_URL set, jobs go through Redis to Dramatiq worker threads; without
    it, this process runs them itself.
    """
    from ..tasks.worker import run_worker

    run_worker(current_app._get_current_object(), threads=threads, once=once)


@click.command("reindex")
@click.option("--embed/--no-embed", default=True, show_default=True,
              help="Also compute passage embeddings (slow: about 250 passages a second per core).")
@click.option("--background", is_flag=True,
              help="Leave the embeddings to the workers (the server or `tercul worker`); "
                   "`tercul search status` shows how far they are.")
@with_appcontext
def reindex(embed: bool, background: bool) -> None:
    """Rebuild the search index from the database."""
    from . import get_backend

    if background:
        build_keyword_index()
        return
    backend = get_backend()
    work_ids, counts = _keyword_index(backend)
    if embed:
        _embed(backend, work_ids, counts["passages"])
    _invalidate()


def _keyword_index(backend) -> tuple[list[int], dict[str, int]]:
    from . import documents, indexer

    work_ids = documents.work_ids_with_texts(db.session)
    started = time.perf_counter()
    with click.progressbar(length=len(work_ids), label="indexing works", file=sys.stderr) as bar:
        counts = indexer.reindex(db.session, backend, embed=False, progress=bar.update, work_ids=work_ids)
    click.echo(f"indexed {counts['works']} works, {counts['texts']} texts, {counts['passages']} passages, "
               f"{counts['authors']} authors in {time.perf_counter() - started:.1f} s")
    return work_ids, counts


def build_keyword_index() -> None:
    """The keyword index now, with a progress bar (seconds for the demo), and the embeddings
    left to the workers; the index requests written before are done by this (``tercul demo``)."""
    from sqlalchemy import func, select, update

    from ..models import OutboxEntry
    from ..models._base import utcnow
    from ..services.search_status import start_background_embedding
    from . import get_backend

    backend = get_backend()
    before = db.session.scalar(select(func.max(OutboxEntry.id))) or 0
    db.session.commit()
    _work_ids, counts = _keyword_index(backend)
    db.session.execute(update(OutboxEntry).where(
        OutboxEntry.topic == "index", OutboxEntry.processed_at.is_(None), OutboxEntry.id <= before)
        .values(processed_at=utcnow()).execution_options(synchronize_session=False))
    chain = start_background_embedding(db.session, counts["unembedded"], counts["passages"])
    db.session.commit()
    _invalidate()
    click.echo("keyword search is ready.")
    if chain is not None:
        minutes = max(1, round(counts["unembedded"] / 250 / 60))
        click.echo(f"meaning search: {counts['unembedded']} passages to embed in the background by the server "
                   f"(or `tercul worker`), about {minutes} min on one core; `tercul search status` shows how "
                   f"far it is, `tercul search status --wait` waits for it.")


def _embed(backend, work_ids: list[int], total: int) -> None:
    from . import documents, indexer

    started = time.perf_counter()
    missing = len(backend.missing_vectors(
        p.uid for batch in documents.iter_text_batches(db.session, work_ids) for t in batch for p in t.passages))
    done = 0
    with click.progressbar(length=missing, label="embedding passages", file=sys.stderr) as bar:
        for batch in documents.iter_text_batches(db.session, work_ids):
            done += indexer.embed_missing(backend, batch, bar.update)
    compact = getattr(backend, "compact_vectors", None)
    if compact:
        compact()
    click.echo(f"embedded {done} passages (of {total}) in {time.perf_counter() - started:.1f} s")


def _invalidate() -> None:
    from ..services.search import invalidate_search

    invalidate_search()


@click.group("search")
def search_group() -> None:
    """The search index."""


@search_group.command("verify")
@click.option("--vectors/--no-vectors", default=True, show_default=True, help="Check embeddings too.")
@click.option("--repair", is_flag=True, help="Index again whatever differs.")
@with_appcontext
def verify(vectors: bool, repair: bool) -> None:
    """Compare the database with the index; print the differences (exit 1 if any)."""
    from . import get_backend, indexer

    backend = get_backend()
    differences = indexer.verify(db.session, backend, vectors=vectors)
    for d in differences[:200]:
        click.echo(str(d))
    if len(differences) > 200:
        click.echo(f"... and {len(differences) - 200} more")
    click.echo(f"{len(differences)} difference(s)")
    if differences and repair:
        touched = indexer.repair(db.session, backend, differences)
        left = indexer.verify(db.session, backend, vectors=vectors)
        click.echo(f"repaired {touched} work(s); {len(left)} difference(s) left")
        _invalidate()
        differences = left
    if differences:
        sys.exit(1)


@search_group.command("status")
@click.option("--wait", is_flag=True, help="Wait until the embeddings are complete (the workers compute them).")
@with_appcontext
def status(wait: bool) -> None:
    """How complete search is: keyword index, embeddings (meaning search), jobs pending."""
    from ..services.search_status import index_status
    from . import get_backend

    backend = get_backend()
    while True:
        state = index_status(db.session, backend)
        db.session.commit()
        if not wait or state.meaning_percent >= 100 or not state.pending.get("embed"):
            break
        click.echo(f"meaning search: {state.meaning_percent}% of passages indexed; waiting...", err=True)
        time.sleep(10)
    click.echo(f"engine: {state.backend}")
    click.echo(f"keyword search: {state.texts_indexed} of {state.texts_expected} texts indexed"
               + ("" if not state.differences else f" ({state.differences} to update)"))
    click.echo(f"meaning search: {state.meaning_percent}% of passages indexed "
               f"({state.embedded} of {state.passages})")
    jobs = ", ".join(f"{n} {topic}" for topic, n in sorted(state.pending.items())) or "none"
    click.echo(f"jobs pending: {jobs}")
    if state.meaning_percent < 100 and not state.pending.get("embed"):
        click.echo("nothing is computing the missing embeddings: run `tercul search embed`, or "
                   "`tercul reindex --background` and a server or `tercul worker`")


@search_group.command("embed")
@with_appcontext
def embed() -> None:
    """Compute the embeddings that are missing (after `reindex --no-embed`)."""
    from . import documents, get_backend

    backend = get_backend()
    _embed(backend, documents.work_ids_with_texts(db.session), 0)
    _invalidate()


@search_group.command("migrate")
@click.option("--to", "target", type=click.Choice(["weaviate"]), required=True)
@click.option("--url", default=None, help="Weaviate address (default: WEAVIATE_URL).")
@with_appcontext
def migrate(target: str, url: str | None) -> None:
    """Copy the current index (texts, authors and embeddings) into Weaviate."""
    from . import documents, get_backend
    from .weaviate_backend import WeaviateBackend

    url = url or current_app.config.get("WEAVIATE_URL")
    if not url:
        click.echo("Error: give --url or set WEAVIATE_URL", err=True)
        sys.exit(2)
    source = get_backend()
    if source.name == "weaviate":
        click.echo("Error: SEARCH_BACKEND is already weaviate; migrate from the embedded index", err=True)
        sys.exit(2)
    dest = WeaviateBackend(url)
    dest.ensure_schema()
    work_ids = documents.work_ids_with_texts(db.session)
    copied = 0
    with click.progressbar(length=len(work_ids), label="copying works", file=sys.stderr) as bar:
        for batch in documents.iter_text_batches(db.session, work_ids):
            uids = [p.uid for t in batch for p in t.passages]
            dest.replace_texts(batch, vectors=source.export_vectors(uids))
            copied += len(batch)
            bar.update(len({t.work_id for t in batch}))
    dest.replace_authors(documents.load_authors(db.session))
    dest.close()
    click.echo(f"copied {copied} texts to Weaviate at {url}; set SEARCH_BACKEND=weaviate to use it")


COMMANDS = (worker, reindex, search_group)
