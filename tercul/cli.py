"""The ``tercul`` command: Flask's CLI plus Tercul's own commands.

Every command here is also available as ``flask --app tercul COMMAND``.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import DBAPIError

from .extensions import db


def main() -> None:
    from . import create_app
    from .config import ConfigError

    try:
        cli = FlaskGroup(name="tercul", create_app=create_app, add_version_option=False,
                         help="Tercul: literature and its translations.")
        cli.main(prog_name="tercul")
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)
    except DBAPIError as exc:
        click.echo(f"Database error: {database_problem(exc)}", err=True)
        sys.exit(2)


def database_problem(exc: DBAPIError) -> str:
    """What to tell someone whose command met a database that is missing, unreachable or
    not migrated (rather than a traceback)."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return (f"{message.splitlines()[0]}: the database is not migrated; "
                "run `tercul db upgrade` first (`make setup` does)")
    if exc.connection_invalidated or "connect" in lowered:
        return f"cannot reach the database (DATABASE_URL): {message.splitlines()[0]}"
    return message.splitlines()[0] if message else type(exc).__name__


def register_commands(app: Flask) -> None:
    from .analysis_commands import COMMANDS as analysis_commands
    from .backup_cli import COMMANDS as backup_commands
    from .search.commands import COMMANDS as search_commands
    from .stats_commands import COMMANDS as stats_commands

    for command in (serve, import_command, export_command, demo, seed, users, graphql_group, *search_commands,
                    *analysis_commands, *backup_commands, *stats_commands):
        app.cli.add_command(command)


@click.group("graphql")
def graphql_group() -> None:
    """The GraphQL API."""


@graphql_group.command("schema")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: schema.graphql at the top of the repository).")
@with_appcontext
def graphql_schema(output: str | None) -> None:
    """Write the schema in SDL (schema.graphql; a test checks it is up to date)."""
    from .graphql.schema import schema_sdl

    path = Path(output) if output else repo_root() / "schema.graphql"
    path.write_text(schema_sdl(), encoding="utf-8")
    click.echo(f"wrote {path}")


def _after_bulk_load() -> None:
    """After an import: fresh planner statistics (SQLite has none until ANALYZE) and
    forget cached counts, so that pages show the new library at once."""
    from sqlalchemy import text

    from .services.reading import invalidate_library

    db.session.execute(text("ANALYZE"))
    db.session.commit()
    invalidate_library()


def _quiet_parsers() -> None:
    # parsers log each file they skip (INFO); on the command line the summary is enough
    if current_app.config.get("LOG_LEVEL") != "DEBUG":
        logging.getLogger("tercul.importers").setLevel(logging.WARNING)


def _fail(message: str, code: int = 1):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
@with_appcontext
def serve(host: str, port: int, debug: bool) -> None:
    """Run the development server."""
    from werkzeug.serving import run_simple

    # app.run() does nothing when started from Flask's CLI, so serve the app directly
    app = current_app._get_current_object()
    app.debug = debug
    from .tasks import start_jobs

    start_jobs(app)  # resume jobs a crashed process left, before any request
    click.echo(f"Serving Tercul on http://{host}:{port}/ (Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=False, use_debugger=debug, threaded=True)


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["tercul", "gutenberg", "udhr", "bible"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@with_appcontext
def import_command(fmt: str, paths: tuple[str, ...]) -> None:
    """Import texts: FORMAT is tercul, gutenberg, udhr or bible.

    Every file is read and checked before anything is written; if one is broken,
    nothing is imported and the command exits with status 1.
    """
    from .importers import BundleError, read_source
    from .importers.loader import ImportReport, load_bundle

    _quiet_parsers()
    bundles, failed = [], False
    for path in paths:
        try:
            bundles.append(read_source(fmt, path))
        except BundleError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed = True
    if failed:
        _fail("nothing was imported")
    report = ImportReport()
    try:
        for bundle in bundles:
            load_bundle(db.session, bundle, report)
        db.session.commit()
    except BundleError as exc:
        db.session.rollback()
        _fail(f"{exc}\nnothing was imported")
    if report.created or report.updated:
        _after_bulk_load()
        # keyword search complete when the server starts; embeddings follow in the background
        from .search.commands import build_keyword_index

        build_keyword_index()
    click.echo(report.summary())


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(path: str) -> None:
    """Export the published library as a Tercul bundle (.json or .yaml)."""
    from .importers.bundle_format import write_bundle
    from .importers.loader import export_library

    if not path.endswith((".json", ".yaml", ".yml")):
        _fail("the export file must end in .json, .yaml or .yml")
    bundle = export_library(db.session)
    write_bundle(bundle, path)
    n_tr = sum(len(w.translations) for w in bundle.works)
    click.echo(f"exported {len(bundle.authors)} authors, {len(bundle.works)} works, {n_tr} translations to {path}")


@click.command("demo")
@click.option("--offline", is_flag=True, help="Use only sources already in the cache.")
@click.option("--download-only", is_flag=True, help="Fetch the sources into the cache and stop.")
@with_appcontext
def demo(offline: bool, download_only: bool) -> None:
    """Build the demo library from public-domain sources (downloaded once, cached)."""
    from .importers import BundleError
    from .importers import demo as demo_library

    _quiet_parsers()
    try:
        if download_only:
            for path in demo_library.fetch_sources(offline):
                click.echo(f"source ready: {path}")
            return
        report = demo_library.build(db.session, offline=offline, echo=click.echo)
    except demo_library.SourceUnavailable as exc:
        db.session.rollback()
        _fail(str(exc))
    except BundleError as exc:
        db.session.rollback()
        _fail(f"{exc}\nnothing was imported")
    if report.created or report.updated:
        _after_bulk_load()
        # keyword search complete when the server starts; embeddings follow in the background
        from .search.commands import build_keyword_index

        build_keyword_index()


@click.command("seed")
@click.option("--synthetic", "count", type=click.IntRange(1, 10_000_000), required=True,
              help="Number of synthetic works to generate.")
@click.option("--seed", "random_seed", default=1, show_default=True, type=int)
@with_appcontext
def seed(count: int, random_seed: int) -> None:
    """Generate realistic synthetic works with translations (for benchmarks)."""
    from .importers.synthetic import generate

    if generate(db.session, count, seed=random_seed, echo=click.echo):
        _after_bulk_load()


@click.group("users")
def users() -> None:
    """Manage user accounts."""


ROLE_CHOICE = click.Choice(["reader", "contributor", "reviewer", "admin"])


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--name", "display_name", required=True)
@click.option("--role", default="reader", show_default=True, type=ROLE_CHOICE)
@with_appcontext
def users_create(email: str, password: str, display_name: str, role: str) -> None:
    """Create a verified account."""
    from .services import accounts
    from .services.errors import Invalid

    try:
        # the command line is trusted: a common password is allowed, with a warning
        user = accounts.create_user(db.session, email=email, password=password, display_name=display_name,
                                    role=role, verified=True, allow_common=True)
        db.session.commit()
    except Invalid as exc:
        db.session.rollback()
        _fail(str(exc))
    if accounts.is_common(password):
        click.echo("Warning: this is one of the most common passwords; change it before going live.", err=True)
    click.echo(f"created {user.role} {user.email} (/users/{user.username})")


@users.command("grant")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@with_appcontext
def users_grant(email: str, role: str) -> None:
    """Give a user a role."""
    from .services import accounts
    from .services.errors import DomainError

    try:
        user = accounts.grant_role(db.session, email, role)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        _fail(exc.message)
    click.echo(f"{user.email} is now {user.role}")


@users.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Disable an account: its sessions and API tokens end, it cannot log in."""
    _set_disabled(email, True)


@users.command("enable")
@click.argument("email")
@with_appcontext
def users_enable(email: str) -> None:
    """Let a disabled account log in again."""
    _set_disabled(email, False)


def _set_disabled(email: str, disabled: bool) -> None:
    from .services import accounts
    from .services.errors import DomainError

    try:
        user = accounts.set_disabled_by_email(db.session, email, disabled)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        _fail(exc.message)
    click.echo(f"{user.email} is {'disabled' if disabled else 'enabled'}")


@users.command("list")
@click.option("--role", type=ROLE_CHOICE, help="Only users with this role.")
@click.option("--search", default="", help="Part of a name or an email address.")
@with_appcontext
def users_list(role: str | None, search: str) -> None:
    """List accounts, newest first."""
    from sqlalchemy import select

    from .models import User
    from .services.accounts import PLACEHOLDER_EMAIL

    stmt = select(User).where(User.email != PLACEHOLDER_EMAIL).order_by(User.created_at.desc(), User.id.desc())
    if role:
        stmt = stmt.where(User.role == role)
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where((User.email.like(like)) | (User.display_name.ilike(like)))
    for user in db.session.scalars(stmt):
        flags = [f for f, on in (("unverified", not user.is_verified), ("disabled", user.disabled_at)) if on]
        click.echo(f"{user.email:40} {user.role:12} {user.display_name}{'  (' + ', '.join(flags) + ')' if flags else ''}")


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
