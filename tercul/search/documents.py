"""Documents for the index, built from the database in batches (a few queries per batch).

A *passage* is up to :data:`PASSAGE_LINES` consecutive lines of one division (and of
one speaker, in drama), at most about :data:`PASSAGE_CHARS` characters: small enough
for a hit to point at a line and for a sentence embedding to mean something, large
enough that a half-remembered phrase spanning a line break still matches.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (Author, AuthorName, Genre, Tag, TextAnalysis, TextLine, Translation, Work, WorkAuthor, work_genres,
                      work_tags)
from .interface import AuthorDocument, Passage, TextDocument, passage_uid, text_key

PASSAGE_LINES = 4
PASSAGE_CHARS = 400
BATCH_WORKS = 400


def make_passages(revision_id: int, lines: Iterable[tuple[str, str, str | None, str, str]]) -> list[Passage]:
    """Group (key, division key, speaker, kind, text) rows, in reading order, into passages."""
    passages: list[Passage] = []
    keys: list[str] = []
    texts: list[str] = []
    group: tuple | None = None
    size = 0

    def close() -> None:
        nonlocal keys, texts, size
        if keys:
            passages.append(Passage(passage_uid(revision_id, len(passages)), len(passages), keys, texts))
        keys, texts, size = [], [], 0

    for key, division_key, speaker, kind, text in lines:
        text = (text or "").strip()
        if kind != "line" or not text:
            continue
        here = (division_key, speaker)
        if here != group or len(keys) >= PASSAGE_LINES or (keys and size + len(text) > PASSAGE_CHARS):
            close()
            group = here
        keys.append(key)
        texts.append(text)
        size += len(text) + 1
    close()
    return passages


def fingerprint(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def published_text_keys(session: Session) -> dict[str, int]:
    """Every text that should be in the index: key -> published revision id."""
    keys = {text_key("work", wid): rid for wid, rid in session.execute(
        select(Work.id, Work.current_revision_id).where(Work.current_revision_id.is_not(None)))}
    keys.update({text_key("translation", tid): rid for tid, rid in session.execute(
        select(Translation.id, Translation.current_revision_id).where(
            Translation.status == "published", Translation.current_revision_id.is_not(None)))})
    return keys


def work_ids_with_texts(session: Session, *, start: int = 0, limit: int | None = None) -> list[int]:
    """Ids of the works that have a published text, in order (from ``start``, at most ``limit``)."""
    q = select(Work.id).where(Work.current_revision_id.is_not(None)).order_by(Work.id)
    if start:
        q = q.where(Work.id >= start)
    return list(session.scalars(q.limit(limit) if limit else q))


def iter_text_batches(session: Session, work_ids: list[int], *, with_passages: bool = True,
                      batch: int = BATCH_WORKS) -> Iterator[list[TextDocument]]:
    for start in range(0, len(work_ids), batch):
        yield load_texts(session, work_ids[start:start + batch], with_passages=with_passages)


def load_texts(session: Session, work_ids: list[int], *, with_passages: bool = True) -> list[TextDocument]:
    """The documents of these works' published texts (originals and translations)."""
    if not work_ids:
        return []
    works = {w.id: w for w in session.execute(
        select(Work.id, Work.slug, Work.title, Work.sort_title, Work.language, Work.form, Work.period,
               Work.date_from, Work.current_revision_id).where(Work.id.in_(work_ids))).all()}
    authors: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for wid, slug, name in session.execute(
            select(WorkAuthor.work_id, Author.slug, Author.name).join(Author, Author.id == WorkAuthor.author_id)
            .where(WorkAuthor.work_id.in_(work_ids)).order_by(WorkAuthor.work_id, WorkAuthor.position)):
        authors[wid].append((slug, name))
    genres: dict[int, list[str]] = defaultdict(list)
    for wid, slug in session.execute(select(work_genres.c.work_id, Genre.slug).join(
            Genre, Genre.id == work_genres.c.genre_id).where(work_genres.c.work_id.in_(work_ids))):
        genres[wid].append(slug)
    tags: dict[int, list[str]] = defaultdict(list)
    for wid, slug in session.execute(select(work_tags.c.work_id, Tag.slug).join(
            Tag, Tag.id == work_tags.c.tag_id).where(work_tags.c.work_id.in_(work_ids))):
        tags[wid].append(slug)
    translations: dict[int, list] = defaultdict(list)
    for t in session.execute(
            select(Translation.id, Translation.work_id, Translation.key, Translation.language, Translation.title,
                   Translation.translator_name, Translation.current_revision_id)
            .where(Translation.work_id.in_(work_ids), Translation.status == "published",
                   Translation.current_revision_id.is_not(None)).order_by(Translation.id)):
        translations[t.work_id].append(t)

    docs: list[TextDocument] = []
    for wid in work_ids:
        w = works.get(wid)
        if w is None or w.current_revision_id is None:
            continue
        available = sorted({w.language} | {t.language for t in translations[wid]})
        common = dict(work_id=wid, work_slug=w.slug, work_title=w.title, sort_title=w.sort_title or w.title.lower(),
                      authors=authors[wid], original_language=w.language, form=w.form,
                      genres=sorted(genres[wid]), tags=sorted(tags[wid]), period=w.period, year=w.date_from,
                      available=available)
        docs.append(TextDocument(key=text_key("work", wid), entity="work", entity_id=wid,
                                 revision_id=w.current_revision_id, translation_key=None, title=w.title,
                                 language=w.language, translator=None, **common))
        for t in translations[wid]:
            docs.append(TextDocument(key=text_key("translation", t.id), entity="translation", entity_id=t.id,
                                     revision_id=t.current_revision_id, translation_key=t.key, title=t.title,
                                     language=t.language, translator=t.translator_name, **common))
    features = analysed_features(session, [d.revision_id for d in docs])
    for d in docs:
        d.features = features.get(d.revision_id, [])
    if with_passages and docs:
        lines: dict[int, list] = defaultdict(list)
        revision_ids = [d.revision_id for d in docs]
        for start in range(0, len(revision_ids), 2000):
            for row in session.execute(
                    select(TextLine.revision_id, TextLine.key, TextLine.division_key, TextLine.speaker,
                           TextLine.kind, TextLine.text)
                    .where(TextLine.revision_id.in_(revision_ids[start:start + 2000]))
                    .order_by(TextLine.revision_id, TextLine.position)):
                lines[row[0]].append(row[1:])
        for d in docs:
            d.passages = make_passages(d.revision_id, lines.pop(d.revision_id, []))
    for d in docs:
        d.fingerprint = text_fingerprint(d)
    return docs


def analysed_features(session: Session, revision_ids: list[int]) -> dict[int, list[str]]:
    """Form features (sonnet, rhymed, readability band...) of these revisions, as the current
    analyser version found them; a revision not analysed yet has none (the analyse job asks
    for the text to be indexed again when its result lands)."""
    from ..analysis import ANALYSER_VERSION

    version = str(ANALYSER_VERSION)
    out: dict[int, list[str]] = {}
    for start in range(0, len(revision_ids), 2000):
        for revision_id, facets in session.execute(
                select(TextAnalysis.revision_id, TextAnalysis.facets).where(
                    TextAnalysis.revision_id.in_(revision_ids[start:start + 2000]),
                    TextAnalysis.analyzer_version == version, TextAnalysis.facets.is_not(None))):
            out[revision_id] = sorted(set(facets.split()))
    return out


def text_fingerprint(d: TextDocument) -> str:
    """Changes when anything the index holds about the text changes."""
    return fingerprint([d.revision_id, d.work_slug, d.translation_key, d.title, d.work_title, d.sort_title,
                        d.authors, d.language, d.original_language, d.form, d.genres, d.tags, d.period, d.year,
                        d.available, d.translator, d.features])


def load_authors(session: Session, author_ids: list[int] | None = None) -> list[AuthorDocument]:
    """Documents of these authors (all of them when None) that have at least one work."""
    # authors are searchable once they have a work in the library
    q = (select(Author.id, Author.slug, Author.name, Author.biography, Author.birth_year)
         .where(select(WorkAuthor.work_id).where(WorkAuthor.author_id == Author.id).exists()).order_by(Author.id))
    if author_ids is not None:
        if not author_ids:
            return []
        q = q.where(Author.id.in_(author_ids))
    rows = session.execute(q).all()
    names: dict[int, list[str]] = defaultdict(list)
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 2000):
        for aid, name in session.execute(select(AuthorName.author_id, AuthorName.name).where(
                AuthorName.author_id.in_(ids[start:start + 2000])).order_by(AuthorName.author_id, AuthorName.language)):
            names[aid].append(name)
    docs = []
    for r in rows:
        doc = AuthorDocument(key=f"a:{r.id}", author_id=r.id, slug=r.slug, name=r.name,
                             names=sorted(set(names[r.id]) - {r.name}), biography=(r.biography or "")[:5000],
                             born=r.birth_year)
        doc.fingerprint = fingerprint([doc.slug, doc.name, doc.names, doc.biography, doc.born])
        docs.append(doc)
    return docs


def author_ids_of_works(session: Session, work_ids: list[int]) -> list[int]:
    if not work_ids:
        return []
    return sorted(set(session.scalars(select(WorkAuthor.author_id).where(WorkAuthor.work_id.in_(work_ids)))))


def work_id_of(session: Session, entity: str, entity_id: int) -> int | None:
    """The work a ``work`` or ``translation`` entity belongs to (None if it is gone)."""
    if entity == "work":
        return session.scalar(select(Work.id).where(Work.id == entity_id))
    if entity == "translation":
        return session.scalar(select(Translation.work_id).where(Translation.id == entity_id))
    return None


def translation_ids_of(session: Session, work_id: int) -> list[int]:
    """Every translation of a work, published or not."""
    return list(session.scalars(select(Translation.id).where(Translation.work_id == work_id)))
