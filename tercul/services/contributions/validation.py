"""Checking a proposal before it is stored: its facts, its text, and duplicates.

:func:`prepare` validates the fields of one kind of contribution (see :data:`FIELDS`)
and the typed text, parses the text into a keyed tree shaped after the original (new
translations) or the published translation (edits), and refuses a text the
contributor already submitted or one identical to the published text. It returns a
:class:`Prepared` proposal, ready for :mod:`.submitting` to store.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...models import FORMS, Author, Contribution, ContributionRevision, Translation, User, Work, WorkAuthor
from ...texts.checksums import content_checksum
from ...texts.model import Text
from ...texts.parsing import parse_submission
from ...texts.validation import check_body
from ..errors import Conflict, Invalid, NotFound
from ..languages import language_name, normalize_language
from ..revisions import load_text
from .lifecycle import KINDS, OPEN_STATUSES, STATUS_LABELS, SUBMITTED_STATUSES, TRANSLATORS
from .pickers import find_authors

DEFAULT_TEXT_MAX_BYTES = 2 * 1024 * 1024
TITLE_MAX, NAME_MAX, SOURCE_MAX = 500, 200, 1000
YEAR_MIN, YEAR_MAX = -3000, 2100


def text_limit() -> int:
    """The largest text accepted, in bytes (``TEXT_MAX_BYTES``)."""
    try:
        return int(current_app.config.get("TEXT_MAX_BYTES") or DEFAULT_TEXT_MAX_BYTES)
    except RuntimeError:  # outside an application
        return DEFAULT_TEXT_MAX_BYTES


def _clean(value: str | None, field: str, label: str, max_length: int, *, required: bool = False) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        if required:
            raise Invalid(field, f"Enter {label}.")
        return None
    if len(value) > max_length:
        raise Invalid(field, f"Use at most {max_length:,} characters for {label}.")
    return value


def _year(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise Invalid(field, "Enter a year as a number, like 1850 (negative for BC).") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Invalid(field, f"Enter a year between {YEAR_MIN} and {YEAR_MAX}.")
    return year


def _language(value: str | None) -> str:
    if not (value or "").strip():
        raise Invalid("language", "Enter the language as an ISO 639 code, like de, fr or grc.")
    return normalize_language(value)


@dataclass
class Prepared:
    """A validated proposal, ready to store."""

    kind: str
    work: Work | None
    translation: Translation | None
    language: str
    title: str
    details: dict
    body: str
    text: Text
    checksum: str
    original_revision_id: int | None
    base_revision_id: int | None


_TRANSLATION_FIELDS = ("language", "title", "translator", "translator_name", "source", "licence")
_EDIT_FIELDS = ("title",)
_WORK_FIELDS = ("title", "language", "form", "author_id", "author", "author_name", "author_birth_year",
                "author_death_year", "date_from", "date_to", "source", "licence")
FIELDS = {"new_translation": _TRANSLATION_FIELDS, "edit_translation": _EDIT_FIELDS, "new_work": _WORK_FIELDS}


def prepare(session: Session, actor: User, kind: str, fields: dict, body: str, *,
            work: Work | None = None, translation: Translation | None = None,
            exclude_id: int | None = None) -> Prepared:
    """Check a proposal of ``kind`` (its ``fields`` and typed ``body``) and parse its text;
    ``exclude_id`` is the contribution being revised, not a duplicate of itself."""
    check_body(body, text_limit(), "text")
    if kind == "new_translation":
        assert work is not None
        prepared = _prepare_translation(session, actor, work, fields, body)
    elif kind == "edit_translation":
        assert translation is not None
        prepared = _prepare_edit(session, translation, fields, body)
    elif kind == "new_work":
        prepared = _prepare_work(session, fields, body)
    else:
        raise Invalid("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    _refuse_duplicates(session, actor, prepared, exclude_id)
    return prepared


def _prepare_translation(session: Session, actor: User, work: Work, fields: dict, body: str) -> Prepared:
    if work.current_revision_id is None:
        raise Invalid("work", "This work has no text in the library yet, so there is nothing to translate.")
    language = _language(fields.get("language"))
    if language.lower() == work.language.lower():
        raise Invalid("language", f"“{work.title}” is written in {language_name(language)}: "
                                  "a translation is into another language.")
    title = _clean(fields.get("title"), "title", "the translated title", TITLE_MAX, required=True)
    translator = fields.get("translator") or "self"
    if translator not in TRANSLATORS:
        raise Invalid("translator", "Say whether you made this translation or a historical translator did.")
    details: dict[str, Any] = {"translator": translator}
    if translator == "historical":
        details["translator_name"] = _clean(fields.get("translator_name"), "translator_name",
                                            "the translator's name", NAME_MAX, required=True)
        details["source"] = _clean(fields.get("source"), "source",
                                   "where the text comes from (edition, year, or a link)", SOURCE_MAX, required=True)
        details["licence"] = _clean(fields.get("licence"), "licence",
                                    "the licence (for example “Public domain”)", SOURCE_MAX, required=True)
    else:
        details.update(translator_name=None, source=None, licence=None)
    original = load_text(session, work.current_revision_id)
    text = parse_submission(body, work.form, original)
    # one published translation per translator and language: more is an edit of it
    published = select(Translation.key).where(
        Translation.work_id == work.id, Translation.language == language, Translation.status == "published")
    if translator == "self":
        published = published.where(Translation.translator_id == actor.id)
        message = (f"Your {language_name(language)} translation of this work is already published: "
                   "propose an edit to it.")
    else:
        published = published.where(Translation.translator_name == details["translator_name"])
        message = (f"{details['translator_name']}'s {language_name(language)} translation is already published: "
                   "propose an edit to it.")
    if session.scalar(published.limit(1)) is not None:
        raise Conflict(message)
    return Prepared("new_translation", work, None, language, title, details, body, text,
                    content_checksum(text, work.form), work.current_revision_id, None)


def _prepare_edit(session: Session, translation: Translation, fields: dict, body: str) -> Prepared:
    work = translation.work
    if translation.status != "published" or translation.current_revision_id is None:
        raise NotFound("This translation is not published, so it cannot be edited.")
    title = _clean(fields.get("title"), "title", "the title", TITLE_MAX) or translation.title
    published = load_text(session, translation.current_revision_id)
    text = parse_submission(body, work.form, published)
    checksum = content_checksum(text, work.form)
    if title == translation.title and published is not None and content_checksum(published, work.form) == checksum:
        raise Invalid("text", "This is the published text, unchanged: make your corrections before proposing them.")
    return Prepared("edit_translation", work, translation, translation.language, title, {}, body, text, checksum,
                    work.current_revision_id, translation.current_revision_id)


def _prepare_work(session: Session, fields: dict, body: str) -> Prepared:
    title = _clean(fields.get("title"), "title", "the title", TITLE_MAX, required=True)
    language = _language(fields.get("language"))
    form = fields.get("form") or ""
    if form not in FORMS:
        raise Invalid("form", "Choose poetry, prose or drama.")
    details: dict[str, Any] = {"form": form}
    author = _resolve_author(session, fields)
    if author is not None:
        details.update(author_id=author.id, author_name=None, author_birth_year=None, author_death_year=None)
    else:
        details["author_id"] = None
        details["author_name"] = _clean(fields.get("author_name"), "author_name", "the author's name", NAME_MAX,
                                        required=True)
        details["author_birth_year"] = _year(fields.get("author_birth_year"), "author_birth_year")
        details["author_death_year"] = _year(fields.get("author_death_year"), "author_death_year")
        if (details["author_birth_year"] is not None and details["author_death_year"] is not None
                and details["author_death_year"] < details["author_birth_year"]):
            raise Invalid("author_death_year", "The year of death is before the year of birth.")
    details["date_from"] = _year(fields.get("date_from"), "date_from")
    details["date_to"] = _year(fields.get("date_to"), "date_to")
    if None not in (details["date_from"], details["date_to"]) and details["date_to"] < details["date_from"]:
        raise Invalid("date_to", "The end of the date range is before its start.")
    details["source"] = _clean(fields.get("source"), "source",
                               "where the text comes from (edition, year, or a link)", SOURCE_MAX, required=True)
    details["licence"] = _clean(fields.get("licence"), "licence", "the licence (for example “Public domain”)",
                                SOURCE_MAX, required=True)
    if author is not None:
        same = session.scalar(
            select(Work.slug).join(WorkAuthor, WorkAuthor.work_id == Work.id)
            .where(WorkAuthor.author_id == author.id, func.lower(Work.title) == title.lower()).limit(1))
        if same is not None:
            raise Conflict(f"“{title}” by {author.name} is already in the library: translate it, "
                           "or propose an edit to one of its translations.")
    text = parse_submission(body, form)
    return Prepared("new_work", None, None, language, title, details, body, text, content_checksum(text, form),
                    None, None)


def _resolve_author(session: Session, fields: dict) -> Author | None:
    """The author picked (by id, URL name or exact name), or None when one is proposed."""
    if fields.get("author_id"):
        author = session.get(Author, int(fields["author_id"]))
        if author is None:
            raise Invalid("author", "This author is no longer in the library; pick another or propose one.")
        return author
    ref = " ".join((fields.get("author") or "").split())
    if not ref:
        if not (fields.get("author_name") or "").strip():
            raise Invalid("author", "Pick the author from the library, or propose a new one.")
        return None
    matches = list(session.scalars(select(Author).where(
        or_(Author.slug == ref.lower(), func.lower(Author.name) == ref.lower())).order_by(Author.id).limit(2)))
    if len(matches) == 1:
        return matches[0]
    suggestions = find_authors(session, ref, limit=5)
    if len(matches) > 1:
        raise Invalid("author", f"Several authors are called “{ref}”: use the URL name of the one you mean "
                                f"({', '.join(a.slug for a in suggestions)}).")
    hint = f" Did you mean {', '.join(a.name for a in suggestions)}?" if suggestions else ""
    raise Invalid("author", f"There is no author “{ref}” in the library.{hint} Or propose a new author below.")


def _refuse_duplicates(session: Session, actor: User, p: Prepared, exclude_id: int | None) -> None:
    """Conflict for a text the actor already submitted, or identical to a published one."""
    same_target = [Contribution.kind == p.kind, Contribution.language == p.language]
    if p.kind == "new_work":
        same_target.append(Contribution.work_id.is_(None))
    elif p.kind == "edit_translation":
        same_target.append(Contribution.translation_id == p.translation.id)
    else:
        same_target.append(Contribution.work_id == p.work.id)
    mine = [Contribution.contributor_id == actor.id, *same_target]
    if exclude_id is not None:
        mine.append(Contribution.id != exclude_id)
    earlier = session.execute(
        select(Contribution.id, Contribution.status).join(ContributionRevision)
        .where(*mine, ContributionRevision.checksum == p.checksum,
               Contribution.status.in_(SUBMITTED_STATUSES))
        .order_by(Contribution.id.desc()).limit(1)).first()
    if earlier is not None:
        raise Conflict(f"You already submitted this text (contribution #{earlier.id}, "
                       f"{STATUS_LABELS[earlier.status].lower()}). Change it, or continue that contribution.")
    if p.kind in ("new_translation", "edit_translation"):
        open_one = session.scalar(select(Contribution.id).where(*mine, Contribution.status.in_(OPEN_STATUSES))
                                  .order_by(Contribution.id).limit(1))
        if open_one is not None:
            what = ("translation of this work into " + language_name(p.language) if p.kind == "new_translation"
                    else "edit of this translation")
            raise Conflict(f"You already have an {what} under way (contribution #{open_one}): continue it there.")
    if p.kind == "new_translation":
        _refuse_published_copy(session, p)


def _refuse_published_copy(session: Session, p: Prepared) -> None:
    published = session.execute(
        select(Translation.current_revision_id, Translation.title).where(
            Translation.work_id == p.work.id, Translation.language == p.language,
            Translation.status == "published", Translation.current_revision_id.is_not(None))).all()
    for revision_id, title in published:  # rarely more than one or two
        existing = load_text(session, revision_id)
        if existing is not None and content_checksum(existing, p.work.form) == p.checksum:
            raise Conflict(f"This text is the published {language_name(p.language)} translation “{title}”: "
                           "there is nothing new to review.")
