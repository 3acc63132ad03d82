"""Backups of what cannot be recomputed, and their restore.

A backup is a folder: the database (PostgreSQL: ``pg_dump --format=custom``; SQLite: a
copy through SQLite's online backup API, safe while the app writes) and
``manifest.json`` with, per table, the row count and a checksum of its rows, plus the
database file's SHA-256. The counts and checksums are computed on the very snapshot
that was dumped (PostgreSQL: ``pg_dump --snapshot`` shares our transaction's snapshot;
SQLite: they are read from the copy), so a backup taken during writes still matches
its manifest exactly.

Not backed up, because they are rebuilt from the database: the search index (files or
Weaviate) and the rows of :data:`RECOMPUTED_TABLES` (analyses; their tables are kept,
empty). A restore refuses a target that holds data unless forced, refuses a backup
whose files do not match its manifest, and after restoring compares every table's
count and checksum with the manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, inspect, select, text
from sqlalchemy.engine import Connection, make_url

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite"}
# derived data: recomputed after a restore, so its rows are left out of backups
RECOMPUTED_TABLES = ("text_analyses",)
# what to run after a restore to rebuild what a backup leaves out
REBUILD_COMMANDS = ("tercul db upgrade", "tercul reindex", "tercul enrich --all")


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass
class RestoreReport:
    tables: int
    rows: int
    seconds: float
    alembic_revision: str | None
    rebuild: tuple[str, ...] = REBUILD_COMMANDS
    mismatches: list[str] = field(default_factory=list)


# --- backing up ---------------------------------------------------------------------------

def create_backup(engine: Engine, path: Path) -> dict:
    """Back the database behind ``engine`` up into the new folder ``path``; return the manifest.

    The folder is written under a temporary name and renamed at the end, so a folder
    with a manifest is always a complete backup.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} already exists and is not an empty folder; choose a new path")
    dialect = engine.dialect.name
    if dialect not in DATABASE_FILES:
        raise BackupError(f"cannot back up a {dialect} database")
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    started = time.monotonic()
    try:
        database_file = work / DATABASE_FILES[dialect]
        if dialect == "postgresql":
            tables, revision = _dump_postgresql(engine, database_file)
        else:
            tables, revision = _copy_sqlite(engine, database_file)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "dialect": dialect,
            "alembic_revision": revision,
            "database_file": database_file.name,
            "database_bytes": database_file.stat().st_size,
            "database_sha256": _sha256(database_file),
            "tables": tables,
            "not_backed_up": {"search index": "tercul reindex",
                              **{t: "recomputed (rows left out)" for t in RECOMPUTED_TABLES}},
            "seconds": round(time.monotonic() - started, 3),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if path.exists():
            path.rmdir()
        work.rename(path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _dump_postgresql(engine: Engine, target: Path) -> tuple[dict, str | None]:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # our transaction's snapshot is the one pg_dump reads (it stays open meanwhile)
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            args = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                    f"--snapshot={snapshot}", f"--file={target}"]
            for table in _existing(conn, RECOMPUTED_TABLES):
                args.append(f"--exclude-table-data={table}")
            _run(args, engine, "pg_dump")
            tables = summarize(conn)
            for table in _existing(conn, RECOMPUTED_TABLES):
                tables[table] = _empty_summary()
            return tables, _revision(conn)


def _copy_sqlite(engine: Engine, target: Path) -> tuple[dict, str | None]:
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            for table in RECOMPUTED_TABLES:
                if copy.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone():
                    copy.execute(f'DELETE FROM "{table}"')
            copy.commit()
            copy.execute("VACUUM")
        finally:
            copy.close()
    finally:
        raw.close()
    copy_engine = create_engine(f"sqlite:///{target}")
    try:
        with copy_engine.connect() as conn:
            return summarize(conn), _revision(conn)
    finally:
        copy_engine.dispose()


# --- restoring ----------------------------------------------------------------------------

def read_manifest(path: Path) -> dict:
    """The manifest of the backup in ``path``, after checking the backup is whole."""
    path = Path(path)
    manifest_file = path / MANIFEST
    if not manifest_file.is_file():
        raise BackupError(f"{path} is not a Tercul backup: {MANIFEST} is missing")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"the backup is broken: {MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"the backup is broken or of an unknown format (expected format {FORMAT})")
    missing = [k for k in ("dialect", "database_file", "database_sha256", "tables") if k not in manifest]
    if missing or not isinstance(manifest["tables"], dict) or manifest["dialect"] not in DATABASE_FILES:
        raise BackupError(f"the backup is broken: the manifest lacks {', '.join(missing) or 'valid tables'}")
    database_file = path / Path(str(manifest["database_file"])).name
    if not database_file.is_file():
        raise BackupError(f"the backup is broken: {database_file.name} is missing")
    if _sha256(database_file) != manifest["database_sha256"]:
        raise BackupError(f"the backup is broken: {database_file.name} does not match its checksum in the manifest")
    return manifest


def restore_backup(engine: Engine, path: Path, *, force: bool = False) -> RestoreReport:
    """Restore the backup in ``path`` into the database behind ``engine``.

    Refuses a target that holds data unless ``force`` (its data is then replaced).
    Raises :class:`BackupError` when the backup is broken, of another database kind,
    or when the restored tables do not match the manifest.
    """
    manifest = read_manifest(path)
    dialect = engine.dialect.name
    if manifest["dialect"] != dialect:
        raise BackupError(f"this is a backup of a {manifest['dialect']} database; the target is {dialect}")
    started = time.monotonic()
    occupied = occupied_tables(engine)
    if occupied and not force:
        shown = ", ".join(f"{name} ({rows} rows)" for name, rows in occupied[:3])
        raise BackupError(f"the target database is not empty: {shown}{' ...' if len(occupied) > 3 else ''}; "
                          "restore into an empty database, or pass --force to replace its data")
    database_file = Path(path) / Path(str(manifest["database_file"])).name
    if dialect == "postgresql":
        _restore_postgresql(engine, database_file)
    else:
        _restore_sqlite(engine, database_file)
    engine.dispose()
    with engine.connect() as conn:
        actual = summarize(conn)
    mismatches = compare(manifest["tables"], actual)
    report = RestoreReport(tables=len(actual), rows=sum(t["rows"] for t in actual.values()),
                           seconds=round(time.monotonic() - started, 3),
                           alembic_revision=manifest.get("alembic_revision"), mismatches=mismatches)
    if mismatches:
        raise BackupError("the restored database does not match the manifest: " + "; ".join(mismatches[:10]))
    return report


def occupied_tables(engine: Engine) -> list[tuple[str, int]]:
    """Tables of ``engine``'s database that hold rows (the Alembic version aside)."""
    with engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        counts = [(n, conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()) for n in sorted(names)]
    return [(n, c) for n, c in counts if c]


def _restore_postgresql(engine: Engine, database_file: Path) -> None:
    engine.dispose()
    with engine.connect() as conn:
        if inspect(conn).get_table_names():
            with conn.begin():
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          str(database_file)], engine, "pg_restore", with_dbname=True)


def _restore_sqlite(engine: Engine, database_file: Path) -> None:
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    raw = engine.raw_connection()
    try:
        source.backup(raw.driver_connection)  # replaces every page of the target
    finally:
        raw.close()
        source.close()


# --- counts and checksums -----------------------------------------------------------------

def summarize(conn: Connection) -> dict[str, dict]:
    """Row count and checksum of every table, read in ``conn``'s transaction.

    The checksum is a SHA-256 over the rows in primary-key order, each row written as
    JSON; the same rows give the same checksum in the same kind of database.
    """
    metadata = MetaData()
    out: dict[str, dict] = {}
    for name in sorted(inspect(conn).get_table_names()):
        table = Table(name, metadata, autoload_with=conn)
        order = list(table.primary_key.columns) or list(table.columns)
        digest, rows = hashlib.sha256(), 0
        result = conn.execution_options(yield_per=2000).execute(select(table).order_by(*order))
        for row in result:
            digest.update(json.dumps(list(row), default=str, sort_keys=True, ensure_ascii=False).encode())
            digest.update(b"\n")
            rows += 1
        out[name] = {"rows": rows, "checksum": digest.hexdigest()}
    return out


def compare(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """What differs between two summaries, one sentence per table."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            problems.append(f"{name}: not in the backup")
        elif got is None:
            problems.append(f"{name}: missing after restore")
        elif want.get("rows") != got["rows"]:
            problems.append(f"{name}: {got['rows']} rows, the backup had {want.get('rows')}")
        elif want.get("checksum") != got["checksum"]:
            problems.append(f"{name}: same row count, different contents")
    return problems


def _empty_summary() -> dict:
    return {"rows": 0, "checksum": hashlib.sha256().hexdigest()}


def _existing(conn: Connection, names) -> list[str]:
    present = set(inspect(conn).get_table_names())
    return [n for n in names if n in present]


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(args: list[str], engine: Engine, tool: str, with_dbname: bool = False) -> None:
    """Run a PostgreSQL client tool against ``engine``'s database (password through the environment)."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    env = {**os.environ}
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database),
                       ("PGSSLMODE", url.query.get("sslmode"))):
        if value:
            env[var] = str(value)
    if with_dbname:
        args = [*args[:-1], f"--dbname={url.database}", args[-1]]
    elif url.database:
        args = [*args, url.database]
    if shutil.which(args[0]) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{tool} failed: {' / '.join(detail[-3:]) or f'exit status {done.returncode}'}")
