"""Factories: build realistic rows through the same services the app uses."""
from __future__ import annotations

import factory

from tercul.extensions import db
from tercul.texts.model import Division, Line, Text
from tercul.models import Author, User, Work
from tercul.models._base import utcnow
from tercul.services import catalog

WORDS = ("river stone light winter evening candle harbour orchard silver window bread salt "
         "lantern meadow thunder letter garden mirror feather ashes").split()


def poem_text(stanzas: int = 2, lines: int = 4, seed: int = 0, lang_mark: str = "") -> Text:
    """A small made-up poem keyed ``1``, ``1.1``... (never real literature)."""
    divisions = []
    for s in range(1, stanzas + 1):
        divisions.append(Division(key=str(s), kind="stanza", lines=[
            Line(key=f"{s}.{n}", text=f"{lang_mark}{WORDS[(seed + s * 7 + n) % len(WORDS)]} "
                                      f"{WORDS[(seed + s + n * 3) % len(WORDS)]} line {s}.{n}")
            for n in range(1, lines + 1)]))
    return Text(divisions=divisions)


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the per-test session
        sqlalchemy_session_persistence = "flush"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.Sequence(lambda n: f"user-{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    role = "reader"
    # a fast hash is enough for users whose password tests do not use
    password_hash = "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$0000000000000000000000"
    email_verified_at = factory.LazyFunction(utcnow)


class AuthorFactory(_Base):
    class Meta:
        model = Author

    slug = factory.Sequence(lambda n: f"author-{n}")
    name = factory.Sequence(lambda n: f"Author Number{n}")
    sort_name = factory.LazyAttribute(lambda o: o.name.lower())
    birth_year = 1800
    death_year = 1870


def make_work(slug: str | None = None, *, title: str | None = None, language: str = "en", form: str = "poetry",
              authors: list[Author] | None = None, translations: tuple[str, ...] = (), stanzas: int = 2,
              lines: int = 4, genres: tuple[str, ...] = (), tags: tuple[str, ...] = (),
              date_from: int | None = None, period: str | None = None) -> Work:
    """A published work with a made-up text and published translations into ``translations``."""
    session = db.session
    n = session.info.setdefault("work_seq", 0) + 1
    session.info["work_seq"] = n
    slug = slug or f"work-{n}"
    authors = authors if authors is not None else [AuthorFactory()]
    work, _ = catalog.upsert_work(session, catalog.WorkFields(
        slug=slug, title=title or f"Work {n}", language=language, form=form, authors=[a.slug for a in authors],
        genres=list(genres), tags=list(tags), date_from=date_from, period=period))
    catalog.set_work_text(session, work, poem_text(stanzas, lines, seed=n))
    for lang in translations:
        catalog.upsert_translation(session, work, language=lang, title=f"{work.title} ({lang})",
                                   text=poem_text(stanzas, lines, seed=n, lang_mark=f"[{lang}] "),
                                   translator_name=f"Translator {lang}")
    session.flush()
    return work
