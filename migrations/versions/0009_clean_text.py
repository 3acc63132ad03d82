"""clean text: control characters out of stored lines

Old e-books left control characters in stored texts (Paradise Lost book 10 ended with
a line holding only ``\\x1a``, a DOS end-of-file byte, shown as an empty numbered line
and indexed). Importers strip them now and the text check refuses them; this cleans the
rows already stored: control characters are removed from lines, speakers and division
titles; a line left empty is deleted and the lines after it move up (divisions' line
ranges and the revision's line count follow); the revision's checksum is computed
again so that re-importing the cleaned source finds it unchanged. Search documents of
the revisions touched are stale until the next ``tercul search reindex``.

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-02 11:40:00

"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# as in tercul.texts.cleaning (copied: a migration must not change when the app does)
CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f)]

lines_t = sa.table("text_lines", sa.column("id", sa.Integer), sa.column("revision_id", sa.Integer),
                   sa.column("position", sa.Integer), sa.column("key", sa.String),
                   sa.column("division_key", sa.String), sa.column("kind", sa.String),
                   sa.column("speaker", sa.String), sa.column("indent", sa.Integer), sa.column("text", sa.Text))
divisions_t = sa.table("text_divisions", sa.column("id", sa.Integer), sa.column("revision_id", sa.Integer),
                       sa.column("position", sa.Integer), sa.column("key", sa.String),
                       sa.column("parent_key", sa.String), sa.column("kind", sa.String),
                       sa.column("title", sa.String), sa.column("first_line", sa.Integer),
                       sa.column("end_line", sa.Integer))
revisions_t = sa.table("text_revisions", sa.column("id", sa.Integer), sa.column("line_count", sa.Integer),
                       sa.column("checksum", sa.String))


def _strip(value):
    if value is None:
        return None
    return "".join(ch for ch in value if ch not in CONTROL)


def _holding_control(column, characters):
    # LIKE works the same on SQLite and PostgreSQL; control characters are no wildcards
    return sa.or_(*[column.like(f"%{ch}%") for ch in characters])


def upgrade():
    bind = op.get_bind()
    characters = [ch for ch in CONTROL if ch != "\x00" or bind.dialect.name != "postgresql"]  # PG text has no NUL
    touched: set[int] = set()

    for row in bind.execute(sa.select(divisions_t.c.id, divisions_t.c.revision_id, divisions_t.c.title)
                            .where(_holding_control(divisions_t.c.title, characters))).all():
        bind.execute(divisions_t.update().where(divisions_t.c.id == row.id)
                     .values(title=_strip(row.title).strip() or None))
        touched.add(row.revision_id)

    rows = bind.execute(sa.select(lines_t.c.id, lines_t.c.revision_id, lines_t.c.position, lines_t.c.text,
                                  lines_t.c.speaker)
                        .where(sa.or_(_holding_control(lines_t.c.text, characters),
                                      _holding_control(lines_t.c.speaker, characters)))
                        .order_by(lines_t.c.revision_id, lines_t.c.position.desc())).all()
    for row in rows:  # last first, so that moving later lines up leaves earlier positions alone
        touched.add(row.revision_id)
        text = _strip(row.text)
        if text.strip():
            speaker = _strip(row.speaker)
            bind.execute(lines_t.update().where(lines_t.c.id == row.id)
                         .values(text=text, speaker=speaker.strip() or None if speaker is not None else None))
        else:
            _delete_line(bind, row.revision_id, row.position)

    for revision_id in sorted(touched):
        bind.execute(revisions_t.update().where(revisions_t.c.id == revision_id).values(
            checksum=_checksum(bind, revision_id),
            line_count=bind.scalar(sa.select(sa.func.count()).select_from(lines_t)
                                   .where(lines_t.c.revision_id == revision_id))))


def _delete_line(bind, revision_id, position):
    bind.execute(lines_t.delete().where(lines_t.c.revision_id == revision_id, lines_t.c.position == position))
    later = sa.and_(lines_t.c.revision_id == revision_id, lines_t.c.position > position)
    # through negative numbers: (revision_id, position) is unique at every row update on PostgreSQL
    bind.execute(lines_t.update().where(later).values(position=-lines_t.c.position))
    bind.execute(lines_t.update().where(lines_t.c.revision_id == revision_id, lines_t.c.position < 0)
                 .values(position=-lines_t.c.position - 1))
    mine = divisions_t.c.revision_id == revision_id
    bind.execute(divisions_t.update().where(mine, divisions_t.c.first_line > position)
                 .values(first_line=divisions_t.c.first_line - 1))
    bind.execute(divisions_t.update().where(mine, divisions_t.c.end_line > position)
                 .values(end_line=divisions_t.c.end_line - 1))


def _checksum(bind, revision_id):
    """tercul.texts.checksums.text_checksum over the stored rows (the same digest)."""
    divisions = bind.execute(sa.select(divisions_t).where(divisions_t.c.revision_id == revision_id)
                             .order_by(divisions_t.c.position)).all()
    lines = bind.execute(sa.select(lines_t).where(lines_t.c.revision_id == revision_id)
                         .order_by(lines_t.c.position)).all()
    children: dict = {}
    for d in divisions:
        children.setdefault(d.parent_key, []).append(d)
    lines_of: dict = {}
    for line in lines:
        lines_of.setdefault(line.division_key, []).append(line)
    digest = hashlib.sha256()

    def walk(parent_key):
        for d in children.get(parent_key, []):
            digest.update(json.dumps(["d", d.key, d.kind, d.title]).encode())
            for line in lines_of.get(d.key, []):
                digest.update(json.dumps(["l", line.key, line.kind, line.speaker, line.indent, line.text]).encode())
            walk(d.key)
            digest.update(b"/")

    walk(None)
    return digest.hexdigest()


def downgrade():
    pass  # the control characters are not worth restoring
