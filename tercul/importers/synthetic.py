"""Synthetic library for benchmarks: ``tercul seed --synthetic N``.

Works look like real ones to the database and the search engine: Zipf-distributed
vocabularies per language (with their own alphabets), poems in stanzas, prose in
paragraphs, plays in acts, scenes and speeches, realistic lengths, several
translations aligned key by key. Rows go in with bulk inserts, a batch at a time,
so 100,000 works take minutes. Slugs are deterministic (``syn-<seed>-<n>``): running
the command again skips the works that exist.
"""
from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass
from typing import Callable

import click
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..models import (Author, Genre, Tag, TextDivision, TextLine, TextRevision, Translation, Work, WorkAuthor,
                      work_genres, work_tags)
from ..models._base import utcnow

# language -> syllables its pseudo-words are made of
ALPHABETS = {
    "en": "th er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce".split(),
    "de": "en er ch de ei ie in te ge un st be sc ic he ne se da al au di re an li ng ss nd ha le".split(),
    "fr": "es le de en re nt on er ou an te la ai it me qu ur se ne ue ra et ce eu is ll au ch".split(),
    "es": "de es en el la os ar er ue ra re as ta on an co ad te nt do al ci ci ie ro mo".split(),
    "it": "re er la to di co el ra le ri ta no on te en ar ta io in ch ne ll li at ti".split(),
    "ru": "ст но то на ен ов ни ра во ко ро ре по ал ли ет ть ль пр ла ом ол ка де ва".split(),
    "pl": "ie ni rz cz sz pr po na ow st ko ra za ch ni wi do le sk ta ze".split(),
    "pt": "de os as ra es do da te co ar nt en re ão ca ma to ue se".split(),
    "nl": "en de er ee an ge te in el ij aa oo et st ve he ch".split(),
    "sv": "en et er an ar de st in ör na ta la ng ll ra te".split(),
}
LANGUAGES = list(ALPHABETS)
LANGUAGE_WEIGHTS = [30, 12, 12, 10, 8, 8, 5, 5, 5, 5]
FORMS = [("poetry", 60), ("prose", 28), ("drama", 12)]
GENRES = {"poetry": ["lyric", "sonnet", "elegy", "ode", "ballad", "epic"],
          "prose": ["novel", "short story", "essay", "fable"],
          "drama": ["tragedy", "comedy", "history"]}
TAGS = ["love", "nature", "war", "death", "sea", "faith", "city", "night", "exile", "childhood",
        "time", "memory", "labour", "journey", "music", "friendship"]
PERIODS = [(1300, 1499, "Late Middle Ages"), (1500, 1599, "Renaissance"), (1600, 1699, "Baroque"),
           (1700, 1799, "Enlightenment"), (1800, 1849, "Romanticism"), (1850, 1899, "Realism"),
           (1900, 1945, "Modernism")]
VOCABULARY_SIZE = 6000


class Vocabulary:
    """Pseudo-words of one language, drawn with Zipf frequencies (rank^-1.07)."""

    def __init__(self, language: str, rng: random.Random):
        syllables = ALPHABETS[language]
        words, seen = [], set()
        while len(words) < VOCABULARY_SIZE:
            n = 1 + min(int(rng.expovariate(0.9)), 4)
            word = "".join(rng.choice(syllables) for _ in range(n))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.cum_weights = list(itertools.accumulate(1 / (rank ** 1.07) for rank in range(1, len(words) + 1)))

    def line(self, rng: random.Random, n_words: int) -> str:
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=max(1, n_words))
        return " ".join(words).capitalize()


@dataclass
class Shape:
    """The division/line skeleton of a text, shared by a work and its translations."""

    divisions: list[tuple[str, str | None, int, str, str | None]]  # key, parent, depth, kind, title
    lines: list[tuple[str, str, str | None, int, int]]  # key, division key, speaker, words, indent
    ranges: list[tuple[int, int]]  # line range per division


def make_shape(rng: random.Random, form: str) -> Shape:
    divisions, lines, ranges = [], [], []

    def add_division(key, parent, depth, kind, title=None):
        divisions.append((key, parent, depth, kind, title))
        ranges.append([len(lines), len(lines)])
        return len(divisions) - 1

    if form == "poetry":
        stanza_len = rng.choice([2, 3, 4, 4, 4, 5, 6, 8, 14])
        for s in range(1, (1 if stanza_len == 14 else rng.randint(2, 10)) + 1):
            i = add_division(str(s), None, 0, "stanza")
            for n in range(1, stanza_len + 1):
                lines.append((f"{s}.{n}", str(s), None, rng.randint(5, 10), 2 if n % 2 == 0 and rng.random() < .2 else 0))
            ranges[i][1] = len(lines)
    elif form == "prose":
        for c in range(1, rng.randint(1, 4) + 1):
            i = add_division(str(c), None, 0, "chapter", f"Chapter {c}")
            for p in range(1, rng.randint(3, 12) + 1):
                lines.append((f"{c}.{p}", str(c), None, rng.randint(25, 110), 0))
            ranges[i][1] = len(lines)
    else:
        speakers = [f"Speaker{chr(65 + k)}" for k in range(rng.randint(2, 6))]
        for a in range(1, rng.randint(1, 3) + 1):
            ai = add_division(str(a), None, 0, "act", f"Act {a}")
            for s in range(1, rng.randint(1, 3) + 1):
                key = f"{a}.{s}"
                si = add_division(key, str(a), 1, "scene", f"Scene {s}")
                n = 0
                for _ in range(rng.randint(4, 14)):
                    speaker = rng.choice(speakers)
                    for _ in range(rng.randint(1, 4)):
                        n += 1
                        lines.append((f"{key}.{n}", key, speaker, rng.randint(5, 12), 0))
                ranges[si][1] = len(lines)
            ranges[ai][1] = len(lines)
    return Shape(divisions, lines, [tuple(r) for r in ranges])


def generate(session: Session, count: int, *, seed: int = 1, batch_size: int = 500,
             echo: Callable[[str], None] = print) -> int:
    """Add ``count`` synthetic works (skipping existing ones); returns how many were added."""
    rng = random.Random(seed)
    vocabs = {lang: Vocabulary(lang, random.Random(f"{seed}-{lang}")) for lang in LANGUAGES}
    prefix = f"syn-{seed}-"
    existing = set(session.scalars(select(Work.slug).where(Work.slug.like(f"{prefix}%"))))
    authors = _ensure_authors(session, rng, max(10, count // 25), seed, vocabs)
    genre_ids = _ensure_terms(session, Genre, sorted({g for gs in GENRES.values() for g in gs}))
    tag_ids = _ensure_terms(session, Tag, TAGS)
    session.commit()
    author_weights = list(itertools.accumulate(1 / (r ** 0.8) for r in range(1, len(authors) + 1)))
    started, added = time.perf_counter(), 0
    with click.progressbar(length=count, label="synthetic works", file=None) as bar:
        for batch_start in range(0, count, batch_size):
            numbers = [n for n in range(batch_start, min(count, batch_start + batch_size))
                       if f"{prefix}{n:07d}" not in existing]
            added += _add_batch(session, numbers, prefix, rng, vocabs, authors, author_weights, genre_ids, tag_ids)
            session.commit()
            bar.update(min(batch_size, count - batch_start))
    elapsed = time.perf_counter() - started
    echo(f"added {added} synthetic works in {elapsed:.1f} s ({added / max(elapsed, 1e-9):.0f} works/s)")
    return added


def _ensure_authors(session, rng, n, seed, vocabs) -> list[tuple[int, str, str]]:
    slug_prefix = f"syn-{seed}-author-"
    rows = session.execute(select(Author.id, Author.sort_name, Author.slug)
                           .where(Author.slug.like(f"{slug_prefix}%")).order_by(Author.slug)).all()
    if len(rows) >= n:
        return [(r.id, r.sort_name, r.slug) for r in rows[:n]]
    have = {r.slug for r in rows}
    new = []
    for i in range(n):
        slug = f"{slug_prefix}{i:05d}"
        if slug in have:
            continue
        lang = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        first = vocabs[lang].words[rng.randrange(200, 3000)].capitalize()
        last = vocabs[lang].words[rng.randrange(200, 3000)].capitalize()
        born = rng.randint(1300, 1900)
        new.append({"slug": slug, "name": f"{first} {last}", "sort_name": f"{last}, {first}".lower(),
                    "birth_year": born, "death_year": born + rng.randint(25, 85), "country": None,
                    "created_at": utcnow(), "updated_at": utcnow()})
    if new:
        session.execute(insert(Author), new)
    rows = session.execute(select(Author.id, Author.sort_name, Author.slug)
                           .where(Author.slug.like(f"{slug_prefix}%")).order_by(Author.slug)).all()
    return [(r.id, r.sort_name, r.slug) for r in rows[:n]]


def _ensure_terms(session, model, names: list[str]) -> list[int]:
    from ..services.catalog import make_slug

    ids = []
    for name in names:
        slug = make_slug(name)
        term_id = session.scalar(select(model.id).where(model.slug == slug))
        if term_id is None:
            term_id = session.execute(insert(model).values(slug=slug, name=name).returning(model.id)).scalar_one()
        ids.append(term_id)
    return ids


def _add_batch(session, numbers, prefix, rng, vocabs, authors, author_weights, genre_ids, tag_ids) -> int:
    if not numbers:
        return 0
    from ..services.catalog import sort_key

    now = utcnow()
    plans = []
    work_rows = []
    for n in numbers:
        language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        form = rng.choices([f for f, _ in FORMS], weights=[w for _, w in FORMS])[0]
        vocab = vocabs[language]
        title = vocab.line(rng, rng.randint(1, 5))
        start, end, period = rng.choice(PERIODS)
        year = rng.randint(start, end)
        author = rng.choices(authors, cum_weights=author_weights)[0]
        n_tr = min(rng.choices([0, 1, 2, 3, 4, 6], weights=[35, 30, 15, 10, 6, 4])[0], len(LANGUAGES) - 1)
        tr_langs = rng.sample([lang for lang in LANGUAGES if lang != language], n_tr)
        plans.append((n, language, form, author, tr_langs, make_shape(rng, form)))
        work_rows.append({
            "slug": f"{prefix}{n:07d}", "title": title, "sort_title": sort_key(title), "language": language,
            "form": form, "period": period, "date_from": year, "date_to": year + rng.choice([0, 0, 1, 3]),
            "parent_id": None, "position": None, "source": "Synthetic text generated by `tercul seed`",
            "licence": "CC0", "translation_count": len(tr_langs), "author_sort": author[1],
            "created_at": now, "updated_at": now,
        })
    work_ids = list(session.scalars(insert(Work).returning(Work.id, sort_by_parameter_order=True), work_rows))
    session.execute(insert(WorkAuthor), [
        {"work_id": wid, "author_id": plan[3][0], "position": 0, "role": "author"}
        for wid, plan in zip(work_ids, plans)])
    genre_by_name = dict(zip(sorted({g for gs in GENRES.values() for g in gs}), genre_ids))
    session.execute(insert(work_genres), [
        {"work_id": wid, "genre_id": genre_by_name[rng.choice(GENRES[plan[2]])]}
        for wid, plan in zip(work_ids, plans)])
    session.execute(insert(work_tags), [
        {"work_id": wid, "tag_id": tid} for wid in work_ids for tid in rng.sample(tag_ids, rng.randint(1, 3))])

    # translations
    tr_rows, tr_owner = [], []
    for wid, plan in zip(work_ids, plans):
        for lang in plan[4]:
            tr_rows.append({"work_id": wid, "key": lang, "language": lang,
                            "title": vocabs[lang].line(rng, rng.randint(1, 5)),
                            "translator_name": " ".join(vocabs[lang].words[rng.randrange(300, 3000)].capitalize()
                                                        for _ in range(2)),
                            "status": "published", "source": "Synthetic", "licence": "CC0",
                            "published_at": now, "created_at": now, "updated_at": now})
            tr_owner.append((wid, plan, lang))
    tr_ids = list(session.scalars(insert(Translation).returning(Translation.id, sort_by_parameter_order=True),
                                  tr_rows)) if tr_rows else []

    # text revisions: one per work and per translation
    texts = [({"work_id": wid, "translation_id": None}, plan[5], vocabs[plan[1]]) for wid, plan in zip(work_ids, plans)]
    texts += [({"work_id": None, "translation_id": tid}, owner[1][5], vocabs[owner[2]])
              for tid, owner in zip(tr_ids, tr_owner)]
    rev_rows = [{**owner, "number": 1, "checksum": f"synthetic-{rng.getrandbits(64):016x}",
                 "line_count": len(shape.lines), "division_count": len(shape.divisions), "created_at": now}
                for owner, shape, _ in texts]
    rev_ids = list(session.scalars(insert(TextRevision).returning(TextRevision.id, sort_by_parameter_order=True),
                                   rev_rows))
    div_rows, line_rows = [], []
    for rid, (_, shape, vocab) in zip(rev_ids, texts):
        for pos, ((key, parent, depth, kind, title), (first, end)) in enumerate(zip(shape.divisions, shape.ranges)):
            div_rows.append({"revision_id": rid, "position": pos, "key": key, "parent_key": parent, "depth": depth,
                             "kind": kind, "title": title, "first_line": first, "end_line": end})
        for pos, (key, dkey, speaker, n_words, indent) in enumerate(shape.lines):
            line_rows.append({"revision_id": rid, "position": pos, "key": key, "division_key": dkey,
                              "kind": "line", "speaker": speaker, "indent": indent,
                              "text": vocab.line(rng, n_words)})
    session.execute(insert(TextDivision), div_rows)
    for i in range(0, len(line_rows), 20000):
        session.execute(insert(TextLine), line_rows[i:i + 20000])
    n_works = len(work_ids)
    session.execute(update(Work), [{"id": wid, "current_revision_id": rid}
                                   for wid, rid in zip(work_ids, rev_ids[:n_works])])
    if tr_ids:
        session.execute(update(Translation), [{"id": tid, "current_revision_id": rid}
                                              for tid, rid in zip(tr_ids, rev_ids[n_works:])])
        # translations record which revision of the original they were made from
        original_revision = dict(zip(work_ids, rev_ids[:n_works]))
        session.execute(update(TextRevision), [
            {"id": rid, "original_revision_id": original_revision[owner[0]]}
            for rid, owner in zip(rev_ids[n_works:], tr_owner)])
    return n_works
