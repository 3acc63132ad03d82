"""CLI: ``tercul enrich`` (linguistic analysis of published texts, the original system's name)."""
from __future__ import annotations

import os
import queue
import sys
import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db

BATCH = 25  # texts analysed per commit
# a process running the analysers is replaced after this many texts: each language the
# analysers meet keeps its data (lemmas, frequencies) in memory until the process ends
TEXTS_PER_PROCESS = 100


def _analyse_here(todo, bar) -> int:
    """Analyse in this process, committing every BATCH texts; returns the partial results' count."""
    from .services import analysis

    partial = 0
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        for _entity, _entity_id, revision_id in batch:
            row = analysis.analyse_revision(db.session, revision_id)
            if row is not None and row.summary.get("partial"):
                partial += 1
            bar.update(1)
        analysis.mark_done(db.session, {(e, i): r for e, i, r in batch})
        db.session.commit()
    return partial


def _analyse_in_processes(todo, workers: int, bar) -> int:
    """Run the analysers in ``workers`` processes; this one reads texts and stores results.

    The analysers are pure functions: the processes get texts and give back dicts, and
    never touch the database (the connections they inherit are left alone: a pool
    process ends with ``os._exit``, which closes nothing of its parent's).
    """
    import multiprocessing

    from .services import analysis

    from . import analysis as analysers  # noqa: F401 - imported before forking: no process imports it again

    db.session.commit()
    done: queue.Queue = queue.Queue()
    partial = stored = 0
    covered: dict[tuple[str, int], int] = {}
    window = workers * 3  # texts read ahead, so that no process waits for the database
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, maxtasksperchild=TEXTS_PER_PROCESS) as pool:
        pending: dict[int, tuple] = {}
        position = 0

        def store(item) -> None:
            nonlocal partial, stored
            index, result = item
            entity, entity_id, revision_id, planned = pending.pop(index)
            if isinstance(result, BaseException):  # the process died on this text
                result = analysis.partial_result(planned.text, language=planned.subject.language,
                                                 form=planned.subject.form, note=f"The analysis stopped on this text "
                                                 f"({type(result).__name__}); only simple counts are shown.")
            if analysis.store_analysis(db.session, planned, result).summary.get("partial"):
                partial += 1
            covered[(entity, entity_id)] = revision_id
            finish(1)

        def finish(n: int) -> None:
            nonlocal stored
            stored += n
            bar.update(n)
            if stored % BATCH == 0:
                analysis.mark_done(db.session, covered)
                db.session.commit()
                covered.clear()

        while position < len(todo) or pending:
            while position < len(todo) and len(pending) < window:
                entity, entity_id, revision_id = todo[position]
                planned = analysis.plan_analysis(db.session, revision_id)
                if isinstance(planned, analysis.PendingAnalysis):
                    pending[position] = (entity, entity_id, revision_id, planned)
                    pool.apply_async(analysis.run_pending, (planned.arguments,),
                                     callback=lambda r, i=position: done.put((i, r)),
                                     error_callback=lambda e, i=position: done.put((i, e)))
                else:
                    covered[(entity, entity_id)] = revision_id
                    finish(1)
                position += 1
            if pending:
                store(done.get())
    analysis.mark_done(db.session, covered)
    db.session.commit()
    return partial


def _work_ids(slugs: tuple[str, ...]) -> list[int]:
    """Ids of the named works and of every part inside them (a collection's poems)."""
    from .models import Work

    found = dict(db.session.execute(select(Work.slug, Work.id).where(Work.slug.in_(slugs))).all())
    missing = [s for s in slugs if s not in found]
    if missing:
        click.echo(f"Error: no work with the slug {', '.join(repr(s) for s in missing)}; "
                   f"nothing was analysed (slugs are in /works/<slug>)", err=True)
        sys.exit(1)
    ids, frontier = set(found.values()), set(found.values())
    while frontier:
        frontier = set(db.session.scalars(select(Work.id).where(Work.parent_id.in_(frontier)))) - ids
        ids |= frontier
    return sorted(ids)


@click.command("enrich")
@click.argument("works", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every published text of the library.")
@click.option("--stale", is_flag=True,
              help="Only ask the workers (outbox rows) to analyse texts whose analysis is missing or was made "
                   "by an older analyser version; run after deploying a new one.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--jobs", "-j", "jobs_option", type=click.IntRange(1, 32), default=None,
              help="Processes running the analysers (default: 2 cores for 50 texts or more, else 1).")
@with_appcontext
def enrich(works: tuple[str, ...], everything: bool, stale: bool, progress: bool | None,
           jobs_option: int | None) -> None:
    """Analyse texts: language, counts, readability, meter, rhyme schemes, speakers.

    WORK... are work slugs (a collection includes its parts); --all takes every
    published text. Texts already analysed by this analyser version are skipped, so
    running it again does nothing; the `analyse` jobs it covers are marked done.
    """
    from tqdm import tqdm

    from .services import analysis
    from .tasks import jobs

    if stale:
        if works or everything:
            click.echo("Error: --stale takes no works and no --all", err=True)
            sys.exit(2)
        written = analysis.schedule_reanalysis(db.session)
        db.session.commit()
        click.echo(f"{written} text(s) to analyse again, left to the workers (`tercul worker`); "
                   f"{analysis.pending_count(db.session)} analyse job(s) pending")
        return
    if bool(works) == everything:
        click.echo("Error: name works by slug, or use --all (see `tercul enrich --help`)", err=True)
        sys.exit(2)
    work_ids = None if everything else _work_ids(works)
    texts = analysis.published_texts(db.session, work_ids=work_ids)
    todo = analysis.by_language(db.session, analysis.stale_texts(db.session, work_ids=work_ids))
    db.session.commit()
    started = time.perf_counter()
    show = sys.stderr.isatty() if progress is None else progress
    workers = jobs_option if jobs_option is not None else (min(2, os.cpu_count() or 1) if len(todo) >= 50 else 1)
    with tqdm(total=len(todo), unit="text", desc="Analysing", disable=not show, file=sys.stderr) as bar:
        if workers > 1:
            partial = _analyse_in_processes(todo, workers, bar)
        else:
            partial = _analyse_here(todo, bar)
    # requests about every text covered (analysed before, or just now)
    analysis.mark_done(db.session, {(e, i): r for e, i, r in texts})
    # the texts analysed now have form features for search: their works are indexed again
    refreshed = analysis.request_search_refresh(db.session, {(e, i): r for e, i, r in todo}, delay=0)
    db.session.commit()
    if everything:
        # what is left is about texts that are gone or unpublished: the job handler settles those
        left = list(db.session.scalars(select(jobs.OutboxEntry.id).where(*analysis.pending_condition())))
        db.session.commit()
        for entry_id in left:
            jobs.run_entry(db.session, entry_id)
    seconds = time.perf_counter() - started
    click.echo(f"analysed {len(todo)} of {len(texts)} text(s) in {seconds:.1f} s "
               f"({len(texts) - len(todo)} already done"
               + (f", {partial} partial: see their notes" if partial else "") + "); "
               f"{analysis.pending_count(db.session)} analyse job(s) pending"
               + (f"; {len(refreshed)} work(s) to index again for their form features (by the workers)"
                  if refreshed else ""))


COMMANDS = (enrich,)
