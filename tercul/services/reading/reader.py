"""The parallel reading view: the rows of one part of a text beside its translations.

It aligns an original with up to three translations (see ``DESIGN.md``): explicit
:class:`~tercul.models.AlignmentLink` rows first, then equal keys, then the nearest
division both texts share, and it says when it had to fall back. Long texts are read
one *part* at a time (an act, a scene, a chapter: divisions of at most about 300
lines), so a 5,000-line play opens as fast as a sonnet. The alignment itself is pure
computation over rows, in the text core (:mod:`tercul.texts.alignment`,
:mod:`tercul.texts.rows`); this module loads the rows (a fixed number of queries).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ...models import AlignmentLink, TextDivision, TextLine, TextRevision, Translation, User, Work
from ...texts.addresses import citable_chain, line_addresses
from ...texts.alignment import DivisionRow, LineRow, anchor_key
from ...texts.parts import Part, find_part, plan_parts
from ...texts.rows import ReaderColumn, ReaderView, TextSource, build_rows
from .addresses import numbered_before
from .display import text_direction


@dataclass
class TranslationInfo:
    key: str
    language: str
    title: str
    translator: str | None
    source: str | None
    licence: str | None
    revision_id: int | None
    out_of_date: bool
    line_count: int
    id: int = 0  # the row's id (view counts); not part of the reading view's identity


def published_translations(session: Session, work: Work) -> list[TranslationInfo]:
    rows = session.execute(
        select(Translation.id, Translation.key, Translation.language, Translation.title, Translation.translator_name,
               User.display_name, Translation.source, Translation.licence, Translation.current_revision_id,
               TextRevision.original_revision_id, TextRevision.line_count)
        .outerjoin(User, User.id == Translation.translator_id)
        .outerjoin(TextRevision, TextRevision.id == Translation.current_revision_id)
        .where(Translation.work_id == work.id, Translation.status == "published",
               Translation.current_revision_id.is_not(None))
        .order_by(Translation.language, Translation.key))
    return [TranslationInfo(
        key=r.key, language=r.language, title=r.title, translator=r.display_name or r.translator_name,
        source=r.source, licence=r.licence, revision_id=r.current_revision_id,
        out_of_date=(r.original_revision_id is not None and work.current_revision_id is not None
                     and r.original_revision_id != work.current_revision_id),
        line_count=r.line_count or 0, id=r.id) for r in rows]


def reader_view(session: Session, work: Work, translations: list[TranslationInfo], chosen: list[str],
            part_key: str | None, line_key: str | None, swap: bool, notices: list[str]) -> ReaderView:
    by_key = {t.key: t for t in translations}
    selected = [by_key[k] for k in chosen]
    revision_ids = [work.current_revision_id] + [t.revision_id for t in selected]
    divisions: dict[int, dict[str, DivisionRow]] = {rid: {} for rid in revision_ids}
    ordered_original: list[DivisionRow] = []
    for d in session.scalars(select(TextDivision).where(TextDivision.revision_id.in_(revision_ids))
                             .order_by(TextDivision.revision_id, TextDivision.position)):
        row = DivisionRow(d.position, d.key, d.parent_key, d.depth, d.kind, d.title, d.first_line, d.end_line)
        divisions[d.revision_id][d.key] = row
        if d.revision_id == work.current_revision_id:
            ordered_original.append(row)
    total = max((d.end_line for d in ordered_original), default=0)
    parts = plan_parts(ordered_original, total)
    index = 0
    if len(parts) > 1:
        if part_key:
            index = next((i for i, p in enumerate(parts) if p.key == part_key), -1)
            if index < 0:
                d = divisions[work.current_revision_id].get(part_key)
                index = find_part(parts, d.first_line) if d is not None else 0
                if d is None:
                    notices.append(f"This text has no part “{part_key[:40]}”; showing the first.")
        elif line_key:
            position = line_position(session, work.current_revision_id, line_key)
            if position is not None:
                index = find_part(parts, position)
    current = parts[index]
    # the translations' lines for this part: the divisions with the same keys, else
    # the lines their explicit links tie to it, else the same share of their text
    ranges = {work.current_revision_id: (current.first_line, current.end_line)}
    if len(parts) > 1:
        chunk_keys = [k for k, d in divisions[work.current_revision_id].items()
                      if current.first_line <= d.first_line < current.end_line]
        need_links = []
        for t in selected:
            mine = [divisions[t.revision_id][k] for k in chunk_keys if k in divisions[t.revision_id]]
            if mine:
                ranges[t.revision_id] = (min(d.first_line for d in mine), max(d.end_line for d in mine))
            else:
                need_links.append(t)
        if need_links:
            found = _link_ranges(session, [t.revision_id for t in need_links], work.current_revision_id, current)
            for t in need_links:
                if t.revision_id in found:
                    ranges[t.revision_id] = found[t.revision_id]
                else:
                    share = (current.first_line / max(total, 1), current.end_line / max(total, 1))
                    ranges[t.revision_id] = (math.floor(share[0] * t.line_count),
                                             math.ceil(share[1] * t.line_count))
    lines: dict[int, list[LineRow]] = {rid: [] for rid in revision_ids}
    in_ranges = (or_(*(and_(TextLine.revision_id == rid, TextLine.position >= lo, TextLine.position < hi)
                       for rid, (lo, hi) in ranges.items())) if len(parts) > 1
                 else TextLine.revision_id.in_(revision_ids))
    for r in session.execute(
            select(TextLine.revision_id, TextLine.position, TextLine.key, TextLine.division_key, TextLine.kind,
                   TextLine.speaker, TextLine.indent, TextLine.text)
            .where(in_ranges).order_by(TextLine.revision_id, TextLine.position)):
        lines[r.revision_id].append(LineRow(r.position, r.key, r.division_key, r.kind, r.speaker, r.indent, r.text))
    links: dict[int, dict[str, list[str]]] = {t.revision_id: {} for t in selected}
    if selected:
        link_query = select(AlignmentLink.revision_id, AlignmentLink.translation_key, AlignmentLink.original_key) \
            .where(AlignmentLink.revision_id.in_([t.revision_id for t in selected]))
        if len(parts) > 1:
            link_query = link_query.where(or_(*(and_(AlignmentLink.revision_id == t.revision_id,
                                                     AlignmentLink.translation_key.in_(
                                                         [ln.key for ln in lines[t.revision_id]] or [""]))
                                                for t in selected)))
        for rid, t_key, o_key in session.execute(link_query.order_by(AlignmentLink.id)):
            links[rid].setdefault(t_key, []).append(o_key)
    original = TextSource(
        column=ReaderColumn("original", None, work.language, text_direction(work.language), work.title),
        revision_id=work.current_revision_id, divisions=divisions[work.current_revision_id],
        lines=lines[work.current_revision_id])
    sources = [TextSource(
        column=ReaderColumn("translation", t.key, t.language, text_direction(t.language), t.title, t.translator,
                            t.out_of_date),
        revision_id=t.revision_id, divisions=divisions[t.revision_id], lines=lines[t.revision_id],
        links=links[t.revision_id]) for t in selected]
    order = list(range(len(sources) + 1))
    if swap:
        order.reverse()
    display = {text: pos for pos, text in enumerate(order)}
    columns_by_position = [None] * len(order)
    for text_index, pos in display.items():
        columns_by_position[pos] = original.column if text_index == 0 else sources[text_index - 1].column
    addresses = line_addresses(original.lines, original.divisions, work.form,
                               _number_offsets(session, original, current) if len(parts) > 1 else None)
    rows, notes = build_rows(original, sources, [display[i] for i in range(len(order))],
                             all_numbers=work.form == "prose", addresses=addresses)
    return ReaderView(columns=columns_by_position, rows=rows, notes=notes, parts=parts, part=current,
                      prev_part=parts[index - 1] if index > 0 else None,
                      next_part=parts[index + 1] if index + 1 < len(parts) else None,
                      selected=chosen, swap=swap, form=work.form, line_count=total)


def _number_offsets(session: Session, original: TextSource, part: Part) -> dict[str | None, int]:
    """Numbered lines before ``part`` in the numbered divisions it starts inside (one query, or none)."""
    if not original.lines:
        return {}
    chain = citable_chain(original.divisions, original.lines[0].division_key)
    # the first line's innermost numbered division (or the whole text) may start before the part
    start, name = (chain[-1].first_line, chain[-1].key) if chain else (0, "")
    if start >= part.first_line:
        return {}
    spans = {name: (start, part.first_line)}
    return {key or None: n for key, n in numbered_before(session, original.revision_id, spans).items()}


def line_position(session: Session, revision_id: int, key: str) -> int | None:
    keys = [key]
    decoded = anchor_key(key)
    if decoded:
        keys.append(decoded)
    return session.scalar(select(func.min(TextLine.position)).where(TextLine.revision_id == revision_id,
                                                                    TextLine.key.in_(keys)))


def _link_ranges(session: Session, revision_ids: list[int], original_revision_id: int,
                 part: Part) -> dict[int, tuple[int, int]]:
    """Line ranges of translations whose explicit links point into ``part`` of the original."""
    o_keys = select(TextLine.key).where(TextLine.revision_id == original_revision_id,
                                        TextLine.position >= part.first_line, TextLine.position < part.end_line)
    rows = session.execute(
        select(AlignmentLink.revision_id, func.min(TextLine.position), func.max(TextLine.position))
        .join(TextLine, and_(TextLine.revision_id == AlignmentLink.revision_id,
                             TextLine.key == AlignmentLink.translation_key))
        .where(AlignmentLink.revision_id.in_(revision_ids), AlignmentLink.original_key.in_(o_keys))
        .group_by(AlignmentLink.revision_id))
    return {rid: (lo, hi + 1) for rid, lo, hi in rows if lo is not None}
