"""CLI: ``tercul backup PATH`` and ``tercul restore PATH`` (see tercul/services/backup.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Back up the database into the new folder PATH (with a manifest of counts and checksums).

    Safe while the app runs. The search index and analyses are not backed up: they
    are rebuilt after a restore.
    """
    from .services.backup import BackupError, create_backup

    try:
        manifest = create_backup(db.engine, path)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"backed up {len(manifest['tables'])} tables, {rows} rows ({manifest['dialect']}, "
               f"{manifest['database_bytes'] / 1e6:.1f} MB) into {path} in {manifest['seconds']:.1f} s")


@click.command("restore")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data of a database that is not empty.")
@with_appcontext
def restore(path: Path, force: bool) -> None:
    """Restore the backup in PATH into the configured database, then check it against the manifest.

    Refuses a database that holds data unless --force. Stop the web and worker
    processes first.
    """
    from .services.backup import BackupError, restore_backup

    db.session.remove()
    try:
        report = restore_backup(db.engine, path, force=force)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"restored {report.tables} tables, {report.rows} rows in {report.seconds:.1f} s; "
               "every table's row count and checksum match the manifest")
    click.echo("Not in a backup, rebuild them now:")
    for command in report.rebuild:
        click.echo(f"  {command}")


COMMANDS = (backup, restore)
