"""Human addresses of stored lines ("Act 3, scene 1, line 56"), for search hits and citations.

The formatting is the text core's (:mod:`tercul.texts.addresses`); this reads what it
needs: a revision's divisions, and how many numbered lines come before a given line
in its numbered division -- two queries, whatever the number of lines asked for.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ...models import TextDivision, TextLine
from ...texts.alignment import DivisionRow
from ...texts.addresses import citable_chain, format_address, unit_name


def revision_divisions(session: Session, revision_id: int) -> dict[str, DivisionRow]:
    return {d.key: DivisionRow(d.position, d.key, d.parent_key, d.depth, d.kind, d.title, d.first_line, d.end_line)
            for d in session.scalars(select(TextDivision).where(TextDivision.revision_id == revision_id))}


def numbered_before(session: Session, revision_id: int, spans: Mapping[str, tuple[int, int]]) -> dict[str, int]:
    """For each name, the numbered lines (kind ``line``) at positions ``lo <= p < hi`` (one query)."""
    if not spans:
        return {}
    names = list(spans)
    sums = [func.coalesce(func.sum(case((and_(TextLine.position >= lo, TextLine.position < hi), 1), else_=0)), 0)
            for lo, hi in (spans[n] for n in names)]
    row = session.execute(select(*sums).where(
        TextLine.revision_id == revision_id, TextLine.kind == "line",
        TextLine.position >= min(lo for lo, _hi in spans.values()),
        TextLine.position < max(hi for _lo, hi in spans.values()))).one()
    return {n: int(v or 0) for n, v in zip(names, row)}


def line_addresses_for(session: Session, revision_id: int, keys: Iterable[str], form: str,
                       divisions: Mapping[str, DivisionRow] | None = None) -> dict[str, str]:
    """The human address of each line key of a revision that exists (three queries at most)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    divisions = divisions if divisions is not None else revision_divisions(session, revision_id)
    rows = session.execute(select(TextLine.key, TextLine.position, TextLine.division_key, TextLine.kind)
                           .where(TextLine.revision_id == revision_id, TextLine.key.in_(keys))).all()
    chains = {r.key: citable_chain(divisions, r.division_key) for r in rows}
    spans = {r.key: (chains[r.key][-1].first_line if chains[r.key] else 0, r.position + 1)
             for r in rows if r.kind == "line"}
    numbers = numbered_before(session, revision_id, spans)
    unit = unit_name(form)
    return {r.key: format_address(chains[r.key], numbers.get(r.key), unit) for r in rows}
