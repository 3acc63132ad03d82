"""Human addresses of stored lines ("Act 3, scene 1, line 56"), for search hits and citations.

The formatting is the text core's (:mod:`tercul.texts.addresses`); this reads what it
needs: a revision's divisions, and how many numbered lines come before a given line
in its numbered division -- two queries, whatever the number of lines asked for.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ...models import TextDivision, TextLine
from ...texts.alignment import DivisionRow
from ...texts.addresses import citable_chain, format_address, unit_name


def revision_divisions(session: Session, revision_id: int) -> dict[str, DivisionRow]:
    return divisions_of(session, [revision_id]).get(revision_id, {})


def divisions_of(session: Session, revision_ids: Iterable[int]) -> dict[int, dict[str, DivisionRow]]:
    """The divisions of each revision, by key (one query)."""
    out: dict[int, dict[str, DivisionRow]] = {}
    ids = set(revision_ids)
    if not ids:
        return out
    for d in session.scalars(select(TextDivision).where(TextDivision.revision_id.in_(ids))):
        out.setdefault(d.revision_id, {})[d.key] = DivisionRow(
            d.position, d.key, d.parent_key, d.depth, d.kind, d.title, d.first_line, d.end_line)
    return out


def numbered_before(session: Session, revision_id: int, spans: Mapping[str, tuple[int, int]]) -> dict[str, int]:
    """For each name, the numbered lines (kind ``line``) at positions ``lo <= p < hi`` (one query)."""
    return numbered_before_many(session, {n: (revision_id, lo, hi) for n, (lo, hi) in spans.items()})


def numbered_before_many(session: Session, spans: Mapping[Hashable, tuple[int, int, int]]) -> dict[Hashable, int]:
    """For each name, the numbered lines of revision ``r`` at positions ``lo <= p < hi``
    (``spans[name] == (r, lo, hi)``), over any number of revisions (one query)."""
    if not spans:
        return {}
    names = list(spans)
    sums = [func.coalesce(func.sum(case((and_(TextLine.revision_id == r, TextLine.position >= lo,
                                              TextLine.position < hi), 1), else_=0)), 0)
            for r, lo, hi in (spans[n] for n in names)]
    ranges: dict[int, tuple[int, int]] = {}
    for r, lo, hi in spans.values():
        old = ranges.get(r, (lo, hi))
        ranges[r] = (min(old[0], lo), max(old[1], hi))
    row = session.execute(select(*sums).where(TextLine.kind == "line", or_(*(
        and_(TextLine.revision_id == r, TextLine.position >= lo, TextLine.position < hi)
        for r, (lo, hi) in ranges.items())))).one()
    return {n: int(v or 0) for n, v in zip(names, row)}


def line_addresses_for(session: Session, revision_id: int, keys: Iterable[str], form: str,
                       divisions: Mapping[str, DivisionRow] | None = None) -> dict[str, str]:
    """The human address of each line key of a revision that exists (three queries at most)."""
    return addresses_by_revision(session, {revision_id: (keys, form)},
                                 None if divisions is None else {revision_id: divisions}).get(revision_id, {})


def addresses_by_revision(session: Session, wanted: Mapping[int, tuple[Iterable[str], str]],
                          divisions: Mapping[int, Mapping[str, DivisionRow]] | None = None
                          ) -> dict[int, dict[str, str]]:
    """The human address of each line key that exists, per revision: ``wanted`` maps a
    revision to (its line keys, its form). Three queries at most, whatever the number of
    revisions and keys (a page of search hits asks once)."""
    wanted = {r: (list(dict.fromkeys(keys)), form) for r, (keys, form) in wanted.items()}
    wanted = {r: (keys, form) for r, (keys, form) in wanted.items() if keys}
    if not wanted:
        return {}
    if divisions is None:
        divisions = divisions_of(session, wanted)
    rows = session.execute(select(TextLine.revision_id, TextLine.key, TextLine.position, TextLine.division_key,
                                  TextLine.kind)
                           .where(or_(*(and_(TextLine.revision_id == r, TextLine.key.in_(keys))
                                        for r, (keys, _form) in wanted.items())))).all()
    chains = {(r.revision_id, r.key): citable_chain(divisions.get(r.revision_id, {}), r.division_key) for r in rows}
    spans = {}
    for r in rows:
        if r.kind == "line":
            chain = chains[r.revision_id, r.key]
            spans[r.revision_id, r.key] = (r.revision_id, chain[-1].first_line if chain else 0, r.position + 1)
    numbers = numbered_before_many(session, spans)
    out: dict[int, dict[str, str]] = {}
    for r in rows:
        out.setdefault(r.revision_id, {})[r.key] = format_address(
            chains[r.revision_id, r.key], numbers.get((r.revision_id, r.key)), unit_name(wanted[r.revision_id][1]))
    return out
