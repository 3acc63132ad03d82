"""Where a search hit leads: the reading view, opened at the hit's line.

The search page and the API's ``SearchHit.url`` both link through :func:`hit_link`, so
they agree. A link always carries ``line=`` (the reading view opens the part of a long
text that holds the line) and the line's anchor. A translation's line whose key its
original lacks (an added preamble paragraph, say) has no row in the side-by-side view:
it links to the translation read alone, which has every line of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote, urlencode

from flask import url_for

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..models import TextLine, Translation, Work
from ..texts.alignment import line_anchor
from .reading.addresses import addresses_by_revision

if TYPE_CHECKING:
    from .search import ResultItem


@dataclass(frozen=True)
class HitLink:
    """``url_for(endpoint, **args)`` + ``#`` + ``anchor``."""

    endpoint: str
    args: dict = field(default_factory=dict)
    anchor: str | None = None


def hit_link(item: "ResultItem", line_key: str | None = None) -> HitLink:
    """The link of a hit (an author's page, or a text at ``line_key``, by default its best line)."""
    if item.kind == "author":
        return HitLink("reading.author", {"slug": item.slug})
    key = line_key or item.hit_key
    if item.translation_key and key and key in item.translation_only_keys:
        args = {"slug": item.work_slug, "key": item.translation_key, "line": key}
        return HitLink("reading.translation", args, line_anchor(key))
    args = {"slug": item.work_slug}
    if item.translation_key:
        args["with"] = item.translation_key
    if not key:
        return HitLink("reading.work", args)
    return HitLink("reading.work", dict(args, line=key), line_anchor(key))


def mark_translation_only_keys(session: Session, items: Iterable["ResultItem"]) -> None:
    """Note, on translation hits, the keys of their lines that the original does not have
    (one query for a page of hits)."""
    translations = [i for i in items if i.kind == "text" and i.translation_key and i.lines]
    if not translations:
        return
    slugs = {i.work_slug for i in translations}
    keys = {line.key for i in translations for line in i.lines}
    present: set[tuple[str, str]] = {(slug, key) for slug, key in session.execute(
        select(Work.slug, TextLine.key).join(TextLine, TextLine.revision_id == Work.current_revision_id)
        .where(Work.slug.in_(slugs), TextLine.key.in_(keys)))}
    for item in translations:
        item.translation_only_keys = {line.key for line in item.lines if (item.work_slug, line.key) not in present}


def mark_line_addresses(session: Session, items: Iterable["ResultItem"]) -> None:
    """Give each line of the text hits its human address ("Act 1, scene 2, line 5"), for a
    whole page of hits at once: four queries, whatever the number of hits and texts."""
    texts = [i for i in items if i.kind == "text" and i.lines]
    if not texts:
        return
    translation_keys = {i.translation_key for i in texts if i.translation_key}
    join = and_(Translation.work_id == Work.id, Translation.key.in_(translation_keys or {""}))
    revisions: dict[tuple[str, str | None], int | None] = {}
    for slug, work_revision, key, translation_revision in session.execute(
            select(Work.slug, Work.current_revision_id, Translation.key, Translation.current_revision_id)
            .outerjoin(Translation, join).where(Work.slug.in_({i.work_slug for i in texts}))):
        revisions[slug, None] = work_revision
        if key is not None:
            revisions[slug, key] = translation_revision
    wanted: dict[int, tuple[list[str], str]] = {}
    for item in texts:
        revision = revisions.get((item.work_slug, item.translation_key))
        if revision is not None:
            wanted.setdefault(revision, ([], item.form))[0].extend(line.key for line in item.lines)
    found = addresses_by_revision(session, wanted)
    for item in texts:
        addresses = found.get(revisions.get((item.work_slug, item.translation_key)), {})
        for line in item.lines:
            line.address = addresses.get(line.key, "")


def hit_url(item: "ResultItem", line_key: str | None = None) -> str:
    """:func:`hit_link` as a URL (needs an app context). A hit links each of its lines:
    the reading view's address is built once per hit and target, the line added."""
    link = hit_link(item, line_key)
    args = dict(link.args)
    line = args.pop("line", None)
    bases = item.__dict__.setdefault("_link_bases", {})
    base = bases.get(link.endpoint)
    if base is None:
        base = bases[link.endpoint] = url_for(link.endpoint, **args)
    if line is None:
        return base
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'line': line})}#{quote(link.anchor or '')}"
