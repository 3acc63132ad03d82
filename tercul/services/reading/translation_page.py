"""One published translation alone, for reading, one part at a time."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Author, TextDivision, TextLine, Work, WorkAuthor
from ...texts.alignment import DivisionRow, LineRow
from ...texts.parts import find_part, plan_parts
from ...texts.rows import ReaderColumn, ReaderView, TextSource, build_rows
from ..errors import NotFound
from .display import text_direction
from .reader import TranslationInfo, line_position, published_translations


@dataclass
class TranslationPage:
    work: Work
    authors: list[tuple[str, str]]
    translation: TranslationInfo
    others: list[TranslationInfo]
    reader: ReaderView


def translation_page(session: Session, slug: str, key: str, *, part: str | None = None,
                     line: str | None = None) -> TranslationPage:
    """One published translation alone, for reading, one part at a time."""
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound(f"There is no work “{slug[:80]}” in the library.")
    translations = published_translations(session, work)
    match = next((t for t in translations if t.key == key.strip().lower()), None)
    if match is None:
        raise NotFound(f"“{work.title}” has no published translation “{key[:40]}”.")
    authors = [(s, n) for s, n in session.execute(
        select(Author.slug, Author.name).join(WorkAuthor, WorkAuthor.author_id == Author.id)
        .where(WorkAuthor.work_id == work.id).order_by(WorkAuthor.position))]
    rows = [DivisionRow(d.position, d.key, d.parent_key, d.depth, d.kind, d.title, d.first_line, d.end_line)
            for d in session.scalars(select(TextDivision).where(TextDivision.revision_id == match.revision_id)
                                     .order_by(TextDivision.position))]
    total = max((d.end_line for d in rows), default=0)
    parts = plan_parts(rows, total)
    index = 0
    if len(parts) > 1:
        if part:
            index = next((i for i, p in enumerate(parts) if p.key == part), 0)
        elif line:
            position = line_position(session, match.revision_id, line)
            if position is not None:
                index = find_part(parts, position)
    current = parts[index]
    lines = [LineRow(r.position, r.key, r.division_key, r.kind, r.speaker, r.indent, r.text)
             for r in session.execute(
                 select(TextLine.position, TextLine.key, TextLine.division_key, TextLine.kind, TextLine.speaker,
                        TextLine.indent, TextLine.text)
                 .where(TextLine.revision_id == match.revision_id, TextLine.position >= current.first_line,
                        TextLine.position < current.end_line).order_by(TextLine.position))]
    column = ReaderColumn("translation", match.key, match.language, text_direction(match.language), match.title,
                          match.translator, match.out_of_date)
    source = TextSource(column=column, revision_id=match.revision_id, divisions={d.key: d for d in rows},
                        lines=lines)
    built, _notes = build_rows(source, [], [0], all_numbers=work.form == "prose")
    reader = ReaderView(columns=[column], rows=built, notes=[], parts=parts, part=current,
                        prev_part=parts[index - 1] if index > 0 else None,
                        next_part=parts[index + 1] if index + 1 < len(parts) else None,
                        selected=[match.key], swap=False, form=work.form, line_count=total)
    return TranslationPage(work=work, authors=authors, translation=match,
                           others=[t for t in translations if t.key != match.key], reader=reader)
