"""Storing and reading texts as revisions: the text core's trees in and out of the database.

A text (:class:`tercul.texts.model.Text`) is written once per revision (bulk inserts,
in reading order) and read back in one query per table. See ``DESIGN.md`` for the
guarantees on keys.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..models import AlignmentLink, TextDivision, TextLine, TextRevision
from ..texts.checksums import text_checksum
from ..texts.model import Division, Line, Text
from ..texts.validation import check_text


def flatten(text: Text, revision_id: int) -> tuple[list[dict], list[dict]]:
    """Rows for ``text_divisions`` and ``text_lines``, in reading order."""
    division_rows: list[dict] = []
    line_rows: list[dict] = []

    def walk(divisions: list[Division], parent_key: str | None, depth: int) -> None:
        for d in divisions:
            row = {
                "revision_id": revision_id, "position": len(division_rows), "key": d.key,
                "parent_key": parent_key, "depth": depth, "kind": d.kind, "title": d.title,
                "first_line": len(line_rows), "end_line": 0,
            }
            division_rows.append(row)
            for line in d.lines:
                line_rows.append({
                    "revision_id": revision_id, "position": len(line_rows), "key": line.key,
                    "division_key": d.key, "kind": line.kind, "speaker": line.speaker,
                    "indent": line.indent, "text": line.text,
                })
            walk(d.divisions, d.key, depth + 1)
            row["end_line"] = len(line_rows)

    walk(text.divisions, None, 0)
    return division_rows, line_rows


def store_revision(
    session: Session,
    text: Text,
    *,
    work_id: int | None = None,
    translation_id: int | None = None,
    created_by_id: int | None = None,
    original_revision_id: int | None = None,
    alignment: dict[str, list[str]] | None = None,
    note: str | None = None,
    checksum: str | None = None,
) -> TextRevision:
    """Write a new revision of a work's or a translation's text and return it.

    The caller decides whether it becomes the published one (``current_revision_id``).
    """
    check_text(text)
    owner = TextRevision.work_id == work_id if work_id is not None else TextRevision.translation_id == translation_id
    number = (session.scalar(select(func.max(TextRevision.number)).where(owner)) or 0) + 1
    revision = TextRevision(
        work_id=work_id, translation_id=translation_id, number=number, created_by_id=created_by_id,
        original_revision_id=original_revision_id, note=note, checksum=checksum or text_checksum(text),
    )
    session.add(revision)
    session.flush()
    divisions, lines = flatten(text, revision.id)
    revision.division_count = len(divisions)
    revision.line_count = len(lines)
    if divisions:
        session.execute(insert(TextDivision), divisions)
    if lines:
        session.execute(insert(TextLine), lines)
    if alignment:
        links = [
            {"revision_id": revision.id, "translation_key": t_key, "original_key": o_key}
            for t_key, o_keys in alignment.items() for o_key in dict.fromkeys(o_keys)
        ]
        session.execute(insert(AlignmentLink), links)
    return revision


@dataclass
class StoredText:
    """A revision read back: its divisions and lines in reading order."""

    revision: TextRevision
    divisions: list[TextDivision]
    lines: list[TextLine]


def load_revision(session: Session, revision_id: int, *, first_line: int = 0,
                  end_line: int | None = None) -> tuple[list[TextDivision], list[TextLine]]:
    """Divisions and lines of one revision (optionally a range of line positions)."""
    divisions = list(session.scalars(
        select(TextDivision).where(TextDivision.revision_id == revision_id).order_by(TextDivision.position)))
    q = select(TextLine).where(TextLine.revision_id == revision_id, TextLine.position >= first_line)
    if end_line is not None:
        q = q.where(TextLine.position < end_line)
    lines = list(session.scalars(q.order_by(TextLine.position)))
    return divisions, lines


def rebuild_text(divisions: list[TextDivision], lines: list[TextLine]) -> Text:
    """The tree again, from stored rows (used by export and comparisons)."""
    by_key: dict[str, Division] = {}
    roots: list[Division] = []
    for row in divisions:
        node = Division(key=row.key, kind=row.kind, title=row.title)
        by_key[row.key] = node
        if row.parent_key is None:
            roots.append(node)
        else:
            by_key[row.parent_key].divisions.append(node)
    for row in lines:
        by_key[row.division_key].lines.append(
            Line(key=row.key, text=row.text, speaker=row.speaker, indent=row.indent, kind=row.kind))
    return Text(divisions=roots)


def load_text(session: Session, revision_id: int | None) -> Text | None:
    """A stored revision as a tree (two queries), or None."""
    if revision_id is None:
        return None
    divisions, lines = load_revision(session, revision_id)
    return rebuild_text(divisions, lines) if divisions else None


def load_alignment(session: Session, revision_id: int) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for t_key, o_key in session.execute(
        select(AlignmentLink.translation_key, AlignmentLink.original_key)
        .where(AlignmentLink.revision_id == revision_id).order_by(AlignmentLink.id)
    ):
        links.setdefault(t_key, []).append(o_key)
    return links
