"""The in-memory shape of an import: what every importer produces.

Every importer parses its source into a :class:`Bundle` (plain dataclasses, no
database), and one loader (:mod:`tercul.importers.loader`) writes bundles into the
database idempotently. The Tercul bundle file format is these dataclasses as JSON or
YAML (see ``docs/bundle-format.md``). The texts inside are the text core's trees
(:mod:`tercul.texts.model`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..texts.model import Text


class BundleError(ValueError):
    """A source could not be parsed. ``where`` says the file and place."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass
class AuthorData:
    slug: str
    name: str
    names: dict[str, str] = field(default_factory=dict)  # language -> name
    birth_year: int | None = None
    death_year: int | None = None
    country: str | None = None
    biography: str | None = None


@dataclass
class TranslationData:
    language: str  # ISO 639 code (BCP 47 allowed: "pt-BR")
    title: str
    text: Text
    translator_name: str | None = None  # historical/named translator
    source: str | None = None
    licence: str | None = None
    # explicit alignment: translation key -> list of original keys
    alignment: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class WorkData:
    slug: str
    title: str
    language: str
    form: str  # poetry | prose | drama
    text: Text | None = None  # None for a pure container (e.g. "The Sonnets")
    authors: list[str] = field(default_factory=list)  # author slugs
    genres: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    period: str | None = None
    date_from: int | None = None
    date_to: int | None = None
    parent: str | None = None  # slug of the containing work (collection of poems)
    position: int | None = None  # order within the parent
    source: str | None = None
    licence: str | None = None
    translations: list[TranslationData] = field(default_factory=list)


@dataclass
class Bundle:
    authors: list[AuthorData] = field(default_factory=list)
    works: list[WorkData] = field(default_factory=list)
    origin: str = ""  # file or package the bundle was read from, for messages
