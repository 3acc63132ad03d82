"""Writing bundles into the database, and reading the library back out as one.

Loading is idempotent: authors and works are matched by slug, translations by work,
language and translator, and a text whose checksum equals the published revision's
is left alone, so importing the same source twice changes nothing.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Author, TextDivision, TextLine, Translation, Work, WorkAuthor
from ..services import catalog
from ..services.errors import Invalid
from ..services.languages import normalize_language
from ..services.revisions import load_alignment, rebuild_text
from ..texts.cleaning import clean_text
from ..texts.validation import check_text
from .bundle_model import AuthorData, Bundle, BundleError, TranslationData, WorkData


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, kind: str, created: bool, changed: bool) -> None:
        (self.created if created else self.updated if changed else self.unchanged)[kind] += 1

    def summary(self) -> str:
        parts = []
        for label, counts in (("created", self.created), ("updated", self.updated), ("unchanged", self.unchanged)):
            if counts:
                parts.append(f"{label}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        return "; ".join(parts) or "nothing to import"


def validate_bundle(session: Session, bundle: Bundle) -> None:
    """Check everything that could fail while writing, before anything is written."""
    origin = bundle.origin or "bundle"
    author_slugs = {a.slug for a in bundle.authors}
    work_slugs: set[str] = set()
    for i, a in enumerate(bundle.authors):
        where = f"{origin}: authors[{i}]"
        if not a.slug or not a.name:
            raise BundleError(where, "an author needs a slug and a name")
        _fits(a, {"slug": Author.slug, "name": Author.name, "country": Author.country}, where)
        for lang in a.names:
            _language(lang, f"{where}.names")
    for i, w in enumerate(bundle.works):
        where = f"{origin}: works[{i}] ({w.slug})"
        if w.slug in work_slugs:
            raise BundleError(where, f"the slug {w.slug!r} is used twice")
        work_slugs.add(w.slug)
        _language(w.language, f"{where}.language")
        _fits(w, {"slug": Work.slug, "title": Work.title, "period": Work.period, "source": Work.source,
                  "licence": Work.licence}, where)
        if w.parent and w.parent not in work_slugs and not session.scalar(
                select(Work.id).where(Work.slug == w.parent)):
            raise BundleError(f"{where}.parent", f"no work {w.parent!r} before this one")
        for slug in w.authors:
            if slug not in author_slugs and not session.scalar(select(Author.id).where(Author.slug == slug)):
                raise BundleError(f"{where}.authors", f"no author {slug!r}")
        if w.text is not None:
            _check(w.text, f"{where}.text")
            _check_lengths(w.text, f"{where}.text")
        for j, t in enumerate(w.translations):
            tw = f"{where}.translations[{j}]"
            _language(t.language, f"{tw}.language")
            _check(t.text, f"{tw}.text")
            _check_lengths(t.text, f"{tw}.text")
            _fits(t, {"title": Translation.title, "translator_name": Translation.translator_name,
                      "source": Translation.source, "licence": Translation.licence}, tw)
            if w.text is None:
                raise BundleError(tw, "a work without a text cannot have translations")


def _fits(obj, fields: dict[str, object], where: str) -> None:
    """Strings longer than their column are refused here, not by the database."""
    for name, column in fields.items():
        value = getattr(obj, name)
        limit = getattr(column.type, "length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            raise BundleError(f"{where}.{name}", f"too long ({len(value)} characters, at most {limit})")


def _check_lengths(text, where: str) -> None:
    stack = [(d, f"{where}.divisions[{i}]") for i, d in enumerate(text.divisions)]
    while stack:
        d, here = stack.pop()
        _fits(d, {"key": TextDivision.key, "title": TextDivision.title}, here)
        for j, line in enumerate(d.lines):
            _fits(line, {"key": TextLine.key, "speaker": TextLine.speaker}, f"{here}.lines[{j}]")
        stack.extend((c, f"{here}.divisions[{i}]") for i, c in enumerate(d.divisions))


def _language(code: str, where: str) -> None:
    try:
        normalize_language(code)
    except Invalid as exc:
        raise BundleError(where, exc.message) from None


def _check(text, where: str) -> None:
    """Strip control characters (every importer loads through here), then check the tree."""
    try:
        check_text(clean_text(text))
    except Invalid as exc:
        raise BundleError(where, exc.message) from None


def load_bundle(session: Session, bundle: Bundle, report: ImportReport | None = None,
                progress=None) -> ImportReport:
    """Validate then write ``bundle``; the caller commits (or rolls back on error)."""
    report = report or ImportReport()
    validate_bundle(session, bundle)
    for a in bundle.authors:
        _load_author(session, a, report)
    for w in bundle.works:
        _load_work(session, w, report)
        if progress:
            progress(1)
    return report


def _load_author(session: Session, a: AuthorData, report: ImportReport) -> None:
    existing = session.scalar(select(Author).where(Author.slug == a.slug))
    before = _author_state(existing) if existing else None
    author = catalog.upsert_author(session, slug=a.slug, name=a.name, names=a.names, birth_year=a.birth_year,
                                   death_year=a.death_year, country=a.country, biography=a.biography)
    report.count("authors", existing is None, before != _author_state(author))


def _author_state(author: Author) -> tuple:
    return (author.name, author.birth_year, author.death_year, author.country, author.biography,
            tuple((n.language, n.name) for n in author.names))


def _load_work(session: Session, w: WorkData, report: ImportReport) -> None:
    fields = catalog.WorkFields(
        slug=w.slug, title=w.title, language=w.language, form=w.form, authors=w.authors, genres=w.genres,
        tags=w.tags, period=w.period, date_from=w.date_from, date_to=w.date_to, parent=w.parent,
        position=w.position, source=w.source, licence=w.licence)
    existed = session.scalar(select(Work.id).where(Work.slug == w.slug)) is not None
    work, changed = catalog.upsert_work(session, fields)
    text_changed = catalog.set_work_text(session, work, w.text) if w.text is not None else False
    report.count("works", not existed, changed or text_changed)
    for t in w.translations:
        _load_translation(session, work, t, report)


def _load_translation(session: Session, work: Work, t: TranslationData, report: ImportReport) -> None:
    language = normalize_language(t.language)
    existed = catalog.find_translation(session, work, language, t.translator_name) is not None
    _, changed = catalog.upsert_translation(
        session, work, language=language, title=t.title, text=t.text, translator_name=t.translator_name,
        source=t.source, licence=t.licence, alignment=t.alignment)
    report.count("translations", not existed, changed)


# --- export ------------------------------------------------------------------------

def export_library(session: Session, batch: int = 200) -> Bundle:
    """The whole published library as a bundle (works in an order that imports back)."""
    bundle = Bundle(origin="export")
    for author in session.scalars(select(Author).options(selectinload(Author.names)).order_by(Author.slug)):
        bundle.authors.append(AuthorData(
            slug=author.slug, name=author.name, names={n.language: n.name for n in author.names},
            birth_year=author.birth_year, death_year=author.death_year, country=author.country,
            biography=author.biography))
    works = list(session.scalars(
        select(Work).options(selectinload(Work.work_authors).selectinload(WorkAuthor.author),
                             selectinload(Work.genres), selectinload(Work.tags),
                             selectinload(Work.parent), selectinload(Work.translations))
        .order_by(Work.id)))
    slug_by_id = {w.id: w.slug for w in works}
    # parents before their parts
    ordered = [w for w in works if w.parent_id is None] + [w for w in works if w.parent_id is not None]
    for w in ordered:
        translations = []
        for t in sorted(w.translations, key=lambda t: t.id):
            if t.status != "published" or t.current_revision_id is None:
                continue
            translations.append(TranslationData(
                language=t.language, title=t.title, text=_text(session, t.current_revision_id),
                translator_name=t.translator_name or (t.translator.display_name if t.translator else None),
                source=t.source, licence=t.licence, alignment=load_alignment(session, t.current_revision_id)))
        bundle.works.append(WorkData(
            slug=w.slug, title=w.title, language=w.language, form=w.form,
            text=_text(session, w.current_revision_id) if w.current_revision_id else None,
            authors=[wa.author.slug for wa in w.work_authors], genres=[g.name for g in w.genres],
            tags=[t.name for t in w.tags], period=w.period, date_from=w.date_from, date_to=w.date_to,
            parent=slug_by_id.get(w.parent_id) if w.parent_id else None, position=w.position,
            source=w.source, licence=w.licence, translations=translations))
    return bundle


def _text(session: Session, revision_id: int):
    divisions = session.scalars(select(TextDivision).where(TextDivision.revision_id == revision_id)
                                .order_by(TextDivision.position)).all()
    lines = session.scalars(select(TextLine).where(TextLine.revision_id == revision_id)
                            .order_by(TextLine.position)).all()
    return rebuild_text(list(divisions), list(lines))
