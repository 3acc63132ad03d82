"""`tercul backup` / `tercul restore`: round trips on SQLite and PostgreSQL, during writes, refusals.

Each test builds its own instances (its own databases, committed data): on PostgreSQL
``<test database>_backup`` and ``<test database>_restore`` next to TEST_DATABASE_URL's.
"""
from __future__ import annotations

import json
import os
import threading
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from tercul import create_app
from tercul import config as tercul_config
from tercul.extensions import db
from tercul.services import backup as svc

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
DIALECTS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL.startswith("postgresql"), reason="TEST_DATABASE_URL is not PostgreSQL"))]


def _pg_database(suffix: str) -> str:
    url = make_url(PG_URL)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _instance(dialect: str, role: str, tmp_path, migrate: bool = True):
    """An app on a fresh database of its own (migrated unless ``migrate`` is False)."""
    config = tercul_config.TestingConfig()
    folder = tmp_path / role
    folder.mkdir(exist_ok=True)
    config.INSTANCE_PATH = folder
    config.SEARCH_INDEX_PATH = folder / "search"
    config.MAIL_BACKEND = "locmem"
    config.SERVER_NAME = None
    config.SQLALCHEMY_DATABASE_URI = (f"sqlite:///{folder / 'tercul.sqlite'}" if dialect == "sqlite"
                                      else _pg_database(role))
    app = create_app(config)
    with app.app_context():
        if dialect == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        if migrate:
            from flask_migrate import upgrade

            upgrade()
        db.session.remove()
    return app


def _populate(app) -> None:
    """A small library with users, contributions, social data and saved searches, committed."""
    from factories import UserFactory, make_work
    from tercul.models import Bookmark, Comment, Like, SavedSearch, WorkViewDaily
    from tercul.services import contributions

    with app.app_context():
        session = db.session
        reader, contributor = UserFactory(), UserFactory(role="contributor", display_name="Zoë «ü» 東京")
        works = [make_work(translations=("de", "fr")) for _ in range(4)]
        contributions.propose_translation(session, contributor, works[0].id, language="it", title="Pietre",
                                          text="Prima riga\nseconda riga\n")
        for work in works:
            session.add(Like(user_id=reader.id, target_kind="work", target_id=work.id, work_id=work.id))
            session.add(WorkViewDaily(work_id=work.id, day=date(2026, 12, 1), views=7))
        session.add(Bookmark(user_id=reader.id, work_id=works[1].id, line_key="1.2", note="ici"))
        session.add(Comment(user_id=reader.id, work_id=works[2].id, line_key="1.1", body="Lovely\nline"))
        session.add(SavedSearch(user_id=reader.id, name="stones", query_string="q=stone&mode=keyword"))
        session.commit()
        db.session.remove()


def _summary(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        return svc.summarize(conn)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_backup_restores_into_an_empty_database_identically(dialect, tmp_path):
    source = _instance(dialect, "backup", tmp_path)
    _populate(source)
    before = _summary(source)
    assert before["users"]["rows"] == 2 and before["contributions"]["rows"] == 1
    assert before["saved_searches"]["rows"] == 1 and before["likes"]["rows"] == 4

    result = _cli(source, "backup", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    assert "backed up" in result.output
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["dialect"] == dialect and manifest["alembic_revision"]
    assert manifest["tables"] == before  # every table: same count, same checksum

    target = _instance(dialect, "restore", tmp_path, migrate=False)
    result = _cli(target, "restore", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    assert "match the manifest" in result.output and "tercul reindex" in result.output
    after = _summary(target)
    assert after == before  # 100%: every table, count and checksum
    with target.app_context():
        from tercul.models import User

        assert "Zoë «ü» 東京" in db.session.scalars(select(User.display_name)).all()
        db.session.remove()
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_backup_taken_during_writes_restores_consistently(dialect, tmp_path):
    from tercul.models import SavedSearch, User

    source = _instance(dialect, "backup", tmp_path)
    _populate(source)
    with source.app_context():
        user_id = db.session.scalar(select(User.id).limit(1))
        db.session.remove()
    stop, written, errors = threading.Event(), [0], []

    def writer():
        with source.app_context():
            try:
                while not stop.is_set():
                    db.session.add(SavedSearch(user_id=user_id, name=f"s{written[0]}", query_string="q=x"))
                    db.session.commit()
                    written[0] += 1
            except Exception as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            time.sleep(0.01)
        manifest = svc.create_backup(_engine(source), tmp_path / "bk")
        at_backup = written[0]
        while written[0] < at_backup + 20:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert not errors
    rows = manifest["tables"]["saved_searches"]["rows"]
    assert 1 + 20 <= rows < 1 + written[0]  # a snapshot from the middle of the writes

    target = _instance(dialect, "restore", tmp_path, migrate=False)
    with target.app_context():
        report = svc.restore_backup(db.engine, tmp_path / "bk")
        assert report.mismatches == []
        assert db.session.scalar(select(func.count()).select_from(SavedSearch)) == rows
        db.session.remove()
    assert _summary(target) == manifest["tables"]
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def _engine(app):
    with app.app_context():
        return db.engine


def test_restore_refuses_a_database_with_data_unless_forced(tmp_path):
    source = _instance("sqlite", "backup", tmp_path)
    _populate(source)
    assert _cli(source, "backup", str(tmp_path / "bk")).exit_code == 0
    target = _instance("sqlite", "restore", tmp_path)
    _populate(target)
    with target.app_context():
        db.session.execute(text("DELETE FROM saved_searches"))
        db.session.commit()
        db.session.remove()
    refused = _cli(target, "restore", str(tmp_path / "bk"))
    assert refused.exit_code == 1 and "not empty" in refused.output and "--force" in refused.output
    assert _summary(target)["saved_searches"]["rows"] == 0  # untouched
    forced = _cli(target, "restore", "--force", str(tmp_path / "bk"))
    assert forced.exit_code == 0, forced.output
    assert _summary(target) == _summary(source)


def test_a_freshly_migrated_database_counts_as_empty(tmp_path):
    source = _instance("sqlite", "backup", tmp_path)
    _populate(source)
    assert _cli(source, "backup", str(tmp_path / "bk")).exit_code == 0
    target = _instance("sqlite", "restore", tmp_path)  # tables, no rows
    assert _cli(target, "restore", str(tmp_path / "bk")).exit_code == 0


@pytest.mark.parametrize("damage, message", [
    ("manifest-missing", "manifest.json is missing"),
    ("manifest-garbled", "not valid JSON"),
    ("database-truncated", "does not match its checksum"),
    ("database-missing", "database.sqlite is missing"),
    ("checksum-edited", "does not match the manifest"),
])
def test_a_broken_backup_is_refused_with_a_clear_message(damage, message, tmp_path):
    source = _instance("sqlite", "backup", tmp_path)
    _populate(source)
    folder = tmp_path / "bk"
    assert _cli(source, "backup", str(folder)).exit_code == 0
    manifest_file, database_file = folder / "manifest.json", folder / "database.sqlite"
    if damage == "manifest-missing":
        manifest_file.unlink()
    elif damage == "manifest-garbled":
        manifest_file.write_text("{not json")
    elif damage == "database-truncated":
        database_file.write_bytes(database_file.read_bytes()[:4096])
    elif damage == "database-missing":
        database_file.unlink()
    else:
        manifest = json.loads(manifest_file.read_text())
        manifest["tables"]["likes"]["checksum"] = "0" * 64
        manifest_file.write_text(json.dumps(manifest))
    target = _instance("sqlite", "restore", tmp_path, migrate=False)
    result = _cli(target, "restore", str(folder))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_backup_refuses_an_existing_folder_and_leaves_no_partial_backup(tmp_path):
    source = _instance("sqlite", "backup", tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    result = _cli(source, "backup", str(tmp_path / "taken"))
    assert result.exit_code == 1 and "already exists" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup", "taken"]


def test_a_sqlite_backup_cannot_be_restored_into_postgresql(tmp_path):
    source = _instance("sqlite", "backup", tmp_path)
    manifest = svc.create_backup(_engine(source), tmp_path / "bk")
    manifest["dialect"] = "postgresql"
    assert svc.compare(manifest["tables"], manifest["tables"]) == []
    with pytest.raises(svc.BackupError, match="sqlite database; the target is postgresql"):
        class FakePg:
            dialect = type("D", (), {"name": "postgresql"})()
        svc.restore_backup(FakePg(), tmp_path / "bk")
