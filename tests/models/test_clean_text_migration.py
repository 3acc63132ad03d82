"""Migration 0009 cleans control characters out of texts stored before the importers did."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select, update

from tercul.models import TextDivision, TextLine, TextRevision
from tercul.services.revisions import load_text
from tercul.texts.checksums import text_checksum
from tests.factories import make_work

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0009_clean_text.py"


def _run_migration(session) -> None:
    spec = importlib.util.spec_from_file_location("clean_text_0009", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Operations.context(MigrationContext.configure(session.connection())):
        module.upgrade()
    session.expire_all()


def _lines(session, revision_id):
    return session.execute(select(TextLine.position, TextLine.key, TextLine.text, TextLine.speaker)
                           .where(TextLine.revision_id == revision_id).order_by(TextLine.position)).all()


def test_control_characters_are_stripped_and_a_line_of_them_only_is_deleted(session):
    work = make_work(stanzas=2, lines=3)
    revision_id = work.current_revision_id
    before = _lines(session, revision_id)
    assert [k for _p, k, _t, _s in before] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    # as stored by the old importers: an end-of-file byte alone on a line, a form feed in another
    session.execute(update(TextLine).where(TextLine.revision_id == revision_id, TextLine.key == "1.3")
                    .values(text="\x1a"))
    session.execute(update(TextLine).where(TextLine.revision_id == revision_id, TextLine.key == "2.1")
                    .values(text="river\x0c stone", speaker="\x07CHORUS"))
    untouched = make_work(stanzas=1, lines=2)
    untouched_checksum = session.get(TextRevision, untouched.current_revision_id).checksum

    _run_migration(session)

    after = _lines(session, revision_id)
    assert [(p, k) for p, k, _t, _s in after] == [(0, "1.1"), (1, "1.2"), (2, "2.1"), (3, "2.2"), (4, "2.3")]
    assert after[2][2:] == ("river stone", "CHORUS")
    ranges = session.execute(select(TextDivision.key, TextDivision.first_line, TextDivision.end_line)
                             .where(TextDivision.revision_id == revision_id)
                             .order_by(TextDivision.position)).all()
    assert [tuple(r) for r in ranges] == [("1", 0, 2), ("2", 2, 5)]
    revision = session.get(TextRevision, revision_id)
    assert revision.line_count == 5
    assert revision.checksum == text_checksum(load_text(session, revision_id))
    assert session.get(TextRevision, untouched.current_revision_id).checksum == untouched_checksum
