"""`tercul stats`: write the buffered views now, recompute the trending lists."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db


@click.group("stats")
def stats_group() -> None:
    """Reading statistics."""


@stats_group.command("flush")
@with_appcontext
def flush_command() -> None:
    """Write the views waiting in the buffer to the database."""
    from .services import stats

    written = stats.flush_buffer(db.session, stats.buffer_for(current_app))
    click.echo(f"{written} buffered count(s) written")


@stats_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute every trending list from the daily counts (after writing the buffer)."""
    from .services import stats

    stats.flush_buffer(db.session, stats.buffer_for(current_app))
    started = time.perf_counter()
    rows = stats.compute_trending(db.session)
    db.session.commit()
    click.echo(f"trending: {rows} list entries in {time.perf_counter() - started:.2f} s")


COMMANDS = [stats_group]
