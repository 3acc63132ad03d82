"""Contributions: proposing translations, edits and works; reviewing and publishing them.

This module is the only place these rules live. The contribute and review pages and
the GraphQL mutations call the same functions; every function is told who acts
(``actor``) and never reads the request. Errors are the domain ones: ``Invalid(field,
message)`` for input the contributor can correct, ``Conflict`` for a duplicate or for
an action on a contribution that changed meanwhile, ``Forbidden`` / ``NotFound`` /
``Unauthenticated`` for who may do what. A caller that gets an error rolls back:
nothing is ever half-saved.

The life of a contribution::

    draft ──submit──▶ pending ──approve──▶ approved   (published)
                       │   ▲  ╲─reject──▶ rejected
         request changes   │ revise
                       ▼   │
                changes_requested ──reject──▶ rejected
    draft, pending, changes_requested ──withdraw──▶ withdrawn

- Verified contributors propose; only the contributor revises, submits or withdraws.
- Reviewers decide, never on their own contribution (four eyes), whatever the form.
- Every state change is a :class:`ReviewEvent`: who, when, from, to, comment, revision.
- A decision may name the status and revision number the reviewer saw; if the
  contribution moved on meanwhile it is refused with a ``Conflict``. The row is locked
  while it changes, so two reviewers cannot both act on the same state.
- Texts are stored exactly as typed (:class:`ContributionRevision.body`) and parsed
  into keyed trees shaped after the original (new translations) or after the published
  translation (edits), so that equal keys align.
- Refused: an empty text, one over ``TEXT_MAX_BYTES``, a language that is not ISO 639,
  a text the contributor already submitted for the same work and language, a text
  identical to the published one.
- Approving publishes in the same transaction (:mod:`tercul.services.publishing`).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..extensions import cache
from ..models import (FORMS, Author, Contribution, ContributionRevision, ReviewEvent, Translation, User, Work,
                      WorkAuthor)
from ..models._base import utcnow
from ..texts.checksums import content_checksum
from ..texts.diff import SegmentDiff, diff_by_segment
from ..texts.model import Text, leaf_divisions
from ..texts.parsing import parse_submission
from ..texts.rendering import plain_text_for_editing
from ..texts.side_by_side import AlignedText, align_with_original
from ..texts.structure import StructureWarning, compare_structure
from ..texts.validation import check_body
from . import notifications
from .accounts import can_review, is_admin, require_contributor, require_reviewer, require_user
from .errors import Conflict, Forbidden, Invalid, NotFound
from .languages import language_name, normalize_language
from .texts import load_alignment, load_revision, rebuild_text

KINDS = ("new_translation", "edit_translation", "new_work")
OPEN_STATUSES = ("draft", "pending", "changes_requested")
# statuses in which an identical text counts as "already submitted"
SUBMITTED_STATUSES = ("pending", "changes_requested", "approved", "rejected")
TRANSLATORS = ("self", "historical")

KIND_LABELS = {"new_translation": "New translation", "edit_translation": "Edit of a translation",
               "new_work": "New work"}
STATUS_LABELS = {"draft": "Draft", "pending": "Waiting for review", "changes_requested": "Changes requested",
                 "approved": "Approved", "rejected": "Not accepted", "withdrawn": "Withdrawn"}
ACTION_LABELS = {"created": "saved a draft", "submitted": "submitted it", "revised": "sent a new revision",
                 "updated": "updated it", "withdrawn": "withdrew it", "approved": "approved it",
                 "rejected": "did not accept it", "changes_requested": "asked for changes"}

DEFAULT_TEXT_MAX_BYTES = 2 * 1024 * 1024
TITLE_MAX, NAME_MAX, SOURCE_MAX, COMMENT_MAX = 500, 200, 1000, 5000
YEAR_MIN, YEAR_MAX = -3000, 2100
NAV_TTL = 30  # seconds the navigation's counts are cached
BLOCK_UNITS = {"poetry": "stanza", "prose": "chapter", "drama": "scene"}


# --- parsing what contributors type ---------------------------------------------------------

def text_limit() -> int:
    """The largest text accepted, in bytes (``TEXT_MAX_BYTES``)."""
    try:
        return int(current_app.config.get("TEXT_MAX_BYTES") or DEFAULT_TEXT_MAX_BYTES)
    except RuntimeError:  # outside an application
        return DEFAULT_TEXT_MAX_BYTES


def load_text(session: Session, revision_id: int | None) -> Text | None:
    """A stored revision as a tree (two queries), or None."""
    if revision_id is None:
        return None
    divisions, lines = load_revision(session, revision_id)
    return rebuild_text(divisions, lines) if divisions else None


# --- input ---------------------------------------------------------------------------------

def _clean(value: str | None, field: str, label: str, max_length: int, *, required: bool = False) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        if required:
            raise Invalid(field, f"Enter {label}.")
        return None
    if len(value) > max_length:
        raise Invalid(field, f"Use at most {max_length:,} characters for {label}.")
    return value


def _comment(value: str | None, field: str = "comment", *, required: str | None = None) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid(field, required)
        return None
    if len(value) > COMMENT_MAX:
        raise Invalid(field, f"Use at most {COMMENT_MAX:,} characters.")
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
class _Prepared:
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


def _prepare(session: Session, actor: User, kind: str, fields: dict, body: str, *,
             work: Work | None = None, translation: Translation | None = None,
             exclude_id: int | None = None) -> _Prepared:
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


def _prepare_translation(session: Session, actor: User, work: Work, fields: dict, body: str) -> _Prepared:
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
    return _Prepared("new_translation", work, None, language, title, details, body, text,
                     content_checksum(text, work.form), work.current_revision_id, None)


def _prepare_edit(session: Session, translation: Translation, fields: dict, body: str) -> _Prepared:
    work = translation.work
    if translation.status != "published" or translation.current_revision_id is None:
        raise NotFound("This translation is not published, so it cannot be edited.")
    title = _clean(fields.get("title"), "title", "the title", TITLE_MAX) or translation.title
    published = load_text(session, translation.current_revision_id)
    text = parse_submission(body, work.form, published)
    checksum = content_checksum(text, work.form)
    if title == translation.title and published is not None and content_checksum(published, work.form) == checksum:
        raise Invalid("text", "This is the published text, unchanged: make your corrections before proposing them.")
    return _Prepared("edit_translation", work, translation, translation.language, title, {}, body, text, checksum,
                     work.current_revision_id, translation.current_revision_id)


def _prepare_work(session: Session, fields: dict, body: str) -> _Prepared:
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
    return _Prepared("new_work", None, None, language, title, details, body, text, content_checksum(text, form),
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


def find_authors(session: Session, query: str, *, limit: int = 10) -> list[Author]:
    """Authors whose name or URL name contains ``query`` (for pickers), best first."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    pattern = f"%{query.lower().replace('%', '').replace('_', '')}%"
    return list(session.scalars(
        select(Author).where(or_(func.lower(Author.name).like(pattern), Author.slug.like(pattern)))
        .order_by(func.lower(Author.name) != query.lower(), Author.sort_name).limit(limit)))


def _refuse_duplicates(session: Session, actor: User, p: _Prepared, exclude_id: int | None) -> None:
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


def _refuse_published_copy(session: Session, p: _Prepared) -> None:
    published = session.execute(
        select(Translation.current_revision_id, Translation.title).where(
            Translation.work_id == p.work.id, Translation.language == p.language,
            Translation.status == "published", Translation.current_revision_id.is_not(None))).all()
    for revision_id, title in published:  # rarely more than one or two
        existing = load_text(session, revision_id)
        if existing is not None and content_checksum(existing, p.work.form) == p.checksum:
            raise Conflict(f"This text is the published {language_name(p.language)} translation “{title}”: "
                           "there is nothing new to review.")


# --- proposing -----------------------------------------------------------------------------

def propose_translation(session: Session, actor: User | None, work_id: int, *, language: str, title: str,
                        text: str, translator: str = "self", translator_name: str | None = None,
                        source: str | None = None, licence: str | None = None, note: str | None = None,
                        submit: bool = True) -> Contribution:
    """A new translation of a work: submitted for review, or kept as a draft (``submit=False``).

    ``translator`` is ``self`` (the contributor made it) or ``historical`` (a named
    translator, with the ``source`` of the text and its ``licence``, for public-domain
    texts). ``text`` is plain text, blank lines between stanzas or paragraphs.
    """
    actor = require_contributor(actor)
    work = _work(session, work_id)
    prepared = _prepare(session, actor, "new_translation", {
        "language": language, "title": title, "translator": translator, "translator_name": translator_name,
        "source": source, "licence": licence}, text, work=work)
    return _create(session, actor, prepared, note, submit)


def propose_edit(session: Session, actor: User | None, translation_id: int, *, text: str, title: str | None = None,
                 note: str | None = None, submit: bool = True) -> Contribution:
    """A new revision of a published translation, for review (or as a draft)."""
    actor = require_contributor(actor)
    translation = session.get(Translation, translation_id)
    if translation is None:
        raise NotFound("There is no such translation.")
    prepared = _prepare(session, actor, "edit_translation", {"title": title}, text, translation=translation)
    return _create(session, actor, prepared, note, submit)


def propose_work(session: Session, actor: User | None, *, title: str, language: str, form: str, text: str,
                 author_id: int | None = None, author: str | None = None, author_name: str | None = None,
                 author_birth_year: int | None = None, author_death_year: int | None = None,
                 date_from: int | None = None, date_to: int | None = None, source: str | None = None,
                 licence: str | None = None, note: str | None = None, submit: bool = True) -> Contribution:
    """A new work: its original text and facts, with an author from the library
    (``author_id``, or ``author`` = URL name or exact name) or a proposed one
    (``author_name`` and optional years)."""
    actor = require_contributor(actor)
    prepared = _prepare(session, actor, "new_work", {
        "title": title, "language": language, "form": form, "author_id": author_id, "author": author,
        "author_name": author_name, "author_birth_year": author_birth_year, "author_death_year": author_death_year,
        "date_from": date_from, "date_to": date_to, "source": source, "licence": licence}, text)
    return _create(session, actor, prepared, note, submit)


def _create(session: Session, actor: User, p: _Prepared, note: str | None, submit: bool) -> Contribution:
    note = _comment(note, "note")
    now = utcnow()
    contribution = Contribution(
        kind=p.kind, status="pending" if submit else "draft", contributor_id=actor.id,
        work_id=p.work.id if p.work is not None else None,
        translation_id=p.translation.id if p.translation is not None else None,
        language=p.language, title=p.title, details={**p.details, "note": note},
        original_revision_id=p.original_revision_id, base_revision_id=p.base_revision_id,
        revision_number=1, submitted_at=now if submit else None)
    contribution.revisions.append(ContributionRevision(number=1, body=p.body, checksum=p.checksum,
                                                       created_by_id=actor.id, created_at=now))
    session.add(contribution)
    session.flush()
    _record(session, contribution, actor, "submitted" if submit else "created", None, contribution.status,
            note if submit else None)
    return contribution


# --- changing one's own contribution ----------------------------------------------------------

def revise_contribution(session: Session, actor: User | None, contribution_id: int, *, text: str | None = None,
                        comment: str | None = None, submit: bool = True, expected_status: str | None = None,
                        expected_revision: int | None = None, **changes: Any) -> Contribution:
    """Change one's contribution: its text and facts (``changes``: the fields of its
    kind, see :data:`FIELDS`), with a ``comment`` for the reviewers.

    A draft is updated in place and submitted unless ``submit=False``. A contribution
    under review (pending, or with changes requested) gets a new revision when its text
    changed, and goes (back) to the reviewers. An edit is re-based on the published
    translation as it is now.
    """
    actor = require_contributor(actor)
    c = _lock(session, contribution_id)
    _require_own(c, actor)
    _check_expected(c, expected_status, expected_revision)
    if c.status not in OPEN_STATUSES:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: it can no longer be changed.")
    unknown = set(changes) - set(FIELDS[c.kind])
    if unknown:
        raise Invalid(sorted(unknown)[0], "This cannot be changed for this kind of contribution.")
    latest = c.revisions[-1]
    fields = {**current_fields(c), **changes}
    body = latest.body if text is None else text
    work = _work(session, c.work_id) if c.kind == "new_translation" else None
    translation = session.get(Translation, c.translation_id) if c.kind == "edit_translation" else None
    if c.kind == "edit_translation" and translation is None:
        raise NotFound("The translation this edit was for is no longer in the library.")
    prepared = _prepare(session, actor, c.kind, fields, body, work=work, translation=translation, exclude_id=c.id)
    comment = _comment(comment)
    now = utcnow()
    text_changed = prepared.checksum != latest.checksum or prepared.body != latest.body
    facts_changed = (prepared.title != c.title or prepared.language != c.language
                     or {**prepared.details, "note": None} != {**c.details, "note": None})
    if c.status == "draft":
        latest.body, latest.checksum, latest.created_at = prepared.body, prepared.checksum, now
        _apply(c, prepared, note=comment if comment is not None else c.details.get("note"))
        if submit:
            c.submitted_at = now
            _record(session, c, actor, "submitted", "draft", "pending", c.details.get("note"))
        session.flush()
        return c
    if not (text_changed or facts_changed or comment):
        raise Invalid("text", f"Nothing has changed since revision {c.revision_number}.")
    if text_changed:
        c.revision_number += 1
        c.revisions.append(ContributionRevision(number=c.revision_number, body=prepared.body,
                                                checksum=prepared.checksum, created_by_id=actor.id, created_at=now))
    _apply(c, prepared, note=comment if comment is not None else c.details.get("note"))
    from_status = c.status
    c.submitted_at = now
    event = _record(session, c, actor, "revised" if text_changed else "updated", from_status, "pending", comment)
    session.flush()
    if from_status == "changes_requested":
        notifications.revision_submitted(session, c, event)
    return c


def submit_contribution(session: Session, actor: User | None, contribution_id: int, *,
                        expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """Send a draft to the reviewers (checked again, as when it was saved)."""
    actor = require_contributor(actor)
    c = _lock(session, contribution_id)
    _require_own(c, actor)
    _check_expected(c, expected_status, expected_revision)
    if c.status != "draft":
        raise Conflict(f"This contribution is already {STATUS_LABELS[c.status].lower()}.")
    return revise_contribution(session, actor, contribution_id, submit=True)


def withdraw_contribution(session: Session, actor: User | None, contribution_id: int, *, comment: str | None = None,
                          expected_status: str | None = None,
                          expected_revision: int | None = None) -> Contribution:
    """Take one's contribution back (a draft, or one under review). It stays in the history."""
    actor = require_user(actor)
    c = _lock(session, contribution_id)
    _require_own(c, actor)
    _check_expected(c, expected_status, expected_revision)
    if c.status not in OPEN_STATUSES:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: it can no longer be withdrawn.")
    from_status = c.status
    c.status, c.decided_at = "withdrawn", utcnow()
    _record(session, c, actor, "withdrawn", from_status, "withdrawn", _comment(comment))
    session.flush()
    return c


def current_fields(c: Contribution) -> dict[str, Any]:
    """The contribution's facts as the fields that :func:`revise_contribution` accepts."""
    d = c.details or {}
    if c.kind == "new_translation":
        return {"language": c.language, "title": c.title, "translator": d.get("translator", "self"),
                "translator_name": d.get("translator_name"), "source": d.get("source"), "licence": d.get("licence")}
    if c.kind == "edit_translation":
        return {"title": c.title}
    return {"title": c.title, "language": c.language, "form": d.get("form"), "author_id": d.get("author_id"),
            "author": None, "author_name": d.get("author_name"), "author_birth_year": d.get("author_birth_year"),
            "author_death_year": d.get("author_death_year"), "date_from": d.get("date_from"),
            "date_to": d.get("date_to"), "source": d.get("source"), "licence": d.get("licence")}


def _apply(c: Contribution, p: _Prepared, *, note: str | None) -> None:
    c.title, c.language = p.title, p.language
    c.details = {**p.details, "note": note}  # a new dict: JSON columns do not track changes inside
    c.original_revision_id, c.base_revision_id = p.original_revision_id, p.base_revision_id


# --- reviewing -----------------------------------------------------------------------------

def approve_contribution(session: Session, actor: User | None, contribution_id: int, *, comment: str | None = None,
                         expected_status: str | None = None,
                         expected_revision: int | None = None) -> Contribution:
    """Approve a pending contribution: its latest revision is published at once, in
    this transaction (see :func:`tercul.services.publishing.publish_contribution`)."""
    from .publishing import publish_contribution

    reviewer, c = _for_decision(session, actor, contribution_id, expected_status, expected_revision, ("pending",))
    comment = _comment(comment)
    publish_contribution(session, c)
    c.decided_at = utcnow()
    event = _record(session, c, reviewer, "approved", c.status, "approved", comment)
    c.status = "approved"
    session.flush()
    notifications.contribution_reviewed(session, c, event, reviewer)
    return c


def reject_contribution(session: Session, actor: User | None, contribution_id: int, *, comment: str,
                        expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """Decline a contribution for good, saying why."""
    reviewer, c = _for_decision(session, actor, contribution_id, expected_status, expected_revision,
                                ("pending", "changes_requested"))
    comment = _comment(comment, required="Say why it is not accepted: the contributor will read it.")
    c.decided_at = utcnow()
    event = _record(session, c, reviewer, "rejected", c.status, "rejected", comment)
    c.status = "rejected"
    session.flush()
    notifications.contribution_reviewed(session, c, event, reviewer)
    return c


def request_changes(session: Session, actor: User | None, contribution_id: int, *, comment: str,
                    expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """Send a contribution back to its contributor with what to change."""
    reviewer, c = _for_decision(session, actor, contribution_id, expected_status, expected_revision, ("pending",))
    comment = _comment(comment, required="Say what should change: the contributor will read it.")
    event = _record(session, c, reviewer, "changes_requested", c.status, "changes_requested", comment)
    c.status = "changes_requested"
    session.flush()
    notifications.contribution_reviewed(session, c, event, reviewer)
    return c


DECISIONS = {"approve": approve_contribution, "reject": reject_contribution, "request_changes": request_changes}


def decide(session: Session, actor: User | None, contribution_id: int, decision: str, *, comment: str | None = None,
           expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """One of :data:`DECISIONS` by name (the review form's buttons)."""
    if decision not in DECISIONS:
        raise Invalid("decision", "Choose approve, request changes or reject.")
    return DECISIONS[decision](session, actor, contribution_id, comment=comment, expected_status=expected_status,
                               expected_revision=expected_revision)


@dataclass
class BulkOutcome:
    contribution_id: int
    approved: bool
    message: str
    title: str | None = None


def bulk_approve(session: Session, actor: User | None, items: Sequence[tuple[int, int | None]], *,
                 comment: str | None = None) -> list[BulkOutcome]:
    """Approve several contributions, each checked on its own: ``items`` are
    (contribution id, revision number seen). One refused item leaves the others
    approved; each gets its outcome."""
    reviewer = require_reviewer(actor)
    if not items:
        raise Invalid("ids", "Select the contributions to approve.")
    outcomes: list[BulkOutcome] = []
    for contribution_id, revision in dict(items).items():
        title = session.scalar(select(Contribution.title).where(Contribution.id == contribution_id))
        try:
            with session.begin_nested():
                approve_contribution(session, reviewer, contribution_id, comment=comment,
                                     expected_status="pending", expected_revision=revision)
        except (Conflict, Forbidden, Invalid, NotFound) as error:
            outcomes.append(BulkOutcome(contribution_id, False, error.message, title))
        else:
            outcomes.append(BulkOutcome(contribution_id, True, "Approved and published.", title))
    return outcomes


def _for_decision(session: Session, actor: User | None, contribution_id: int, expected_status: str | None,
                  expected_revision: int | None, allowed: tuple[str, ...]) -> tuple[User, Contribution]:
    reviewer = require_reviewer(actor)
    c = _lock(session, contribution_id)
    if c.contributor_id == reviewer.id:
        raise Forbidden("You cannot review your own contribution: another reviewer has to.")
    _check_expected(c, expected_status, expected_revision)
    if c.status not in allowed:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: "
                       "there is nothing to decide on it now.")
    return reviewer, c


def _lock(session: Session, contribution_id: int) -> Contribution:
    """The contribution, its row locked until the transaction ends (PostgreSQL; SQLite
    has one writer at a time anyway), and re-read so that its state is current."""
    try:
        contribution_id = int(contribution_id)
    except (TypeError, ValueError):
        raise NotFound("There is no such contribution.") from None
    c = session.get(Contribution, contribution_id, with_for_update=True, populate_existing=True)
    if c is None:
        raise NotFound("There is no such contribution.")
    return c


def _require_own(c: Contribution, actor: User) -> None:
    if c.contributor_id != actor.id:
        if can_review(actor) or is_admin(actor):
            raise Forbidden("Only the contributor can change this contribution.")
        raise NotFound("There is no such contribution.")


def _check_expected(c: Contribution, expected_status: str | None, expected_revision: int | None) -> None:
    if expected_status and c.status != expected_status:
        raise Conflict(f"This contribution changed while you were looking at it: it is now "
                       f"“{STATUS_LABELS[c.status]}” (it was “{STATUS_LABELS.get(expected_status, expected_status)}”). "
                       "Nothing was saved; reload the page to see what happened.")
    if expected_revision is not None and c.revision_number != int(expected_revision):
        raise Conflict(f"Revision {c.revision_number} was sent after you opened this page (you saw revision "
                       f"{expected_revision}). Nothing was saved; reload the page to see the latest revision.")


def _record(session: Session, c: Contribution, actor: User, action: str, from_status: str | None, to_status: str,
            comment: str | None) -> ReviewEvent:
    event = ReviewEvent(actor_id=actor.id, action=action, from_status=from_status, to_status=to_status,
                        comment=comment, revision_number=c.revision_number, created_at=utcnow())
    c.events.append(event)
    c.status = to_status
    forget_navigation_counts()
    return event


def _work(session: Session, work_id: int | None) -> Work:
    work = session.get(Work, work_id) if work_id is not None else None
    if work is None:
        raise NotFound("There is no such work.")
    return work


# --- reading contributions -----------------------------------------------------------------

def can_see(actor: User | None, c: Contribution) -> bool:
    """The contributor, reviewers and admins see a contribution; everyone sees approved ones."""
    return (c.status == "approved" or (actor is not None and getattr(actor, "id", None) == c.contributor_id)
            or can_review(actor) or is_admin(actor))


def get_contribution(session: Session, actor: User | None, contribution_id: int) -> Contribution:
    """A contribution with its revisions and history, if ``actor`` may see it."""
    c = session.scalar(select(Contribution).where(Contribution.id == contribution_id).options(
        selectinload(Contribution.revisions), selectinload(Contribution.events).joinedload(ReviewEvent.actor)))
    if c is None or not can_see(actor, c):
        raise NotFound("There is no such contribution.")
    return c


def allowed_actions(actor: User | None, c: Contribution) -> set[str]:
    """What ``actor`` may do with ``c`` now (pages hide the rest; the services decide)."""
    actions: set[str] = set()
    own = actor is not None and getattr(actor, "id", None) == c.contributor_id
    if own and c.status in OPEN_STATUSES:
        actions |= {"revise", "withdraw"}
        if c.status == "draft":
            actions.add("submit")
    if not own and can_review(actor):
        if c.status == "pending":
            actions |= {"approve", "request_changes", "reject"}
        elif c.status == "changes_requested":
            actions.add("reject")
    return actions


@dataclass
class ContributionView:
    """A contribution with what its pages show: the latest text beside the original,
    structure warnings, and, for an edit, its differences from the published text."""

    contribution: Contribution
    work: Work | None
    translation: Translation | None
    revision: ContributionRevision
    form: str
    aligned: AlignedText | None
    warnings: list[StructureWarning]
    edit_diff: SegmentDiff | None  # an edit against the published revision it is based on
    since_review: SegmentDiff | None  # the latest revision against the one reviewers last saw
    since_review_number: int | None
    original_changed: bool  # the work's original has a newer revision than the one translated
    base_changed: bool  # (edits) another revision of the translation was published meanwhile
    parse_error: str | None
    actions: set[str]
    line_count: int = 0
    block_count: int = 0
    author: Author | None = None

    @property
    def unit(self) -> str:
        """What a block of the text is called."""
        return BLOCK_UNITS.get(self.form, "stanza")


def contribution_view(session: Session, actor: User | None, contribution_id: int) -> ContributionView:
    """Everything the contribution and review pages show."""
    c = get_contribution(session, actor, contribution_id)
    work = session.get(Work, c.work_id) if c.work_id is not None else None
    translation = session.get(Translation, c.translation_id) if c.translation_id is not None else None
    revision = c.revisions[-1]
    form = work.form if work is not None else (c.details or {}).get("form", "poetry")
    original = load_text(session, c.original_revision_id or (work.current_revision_id if work else None)) \
        if c.kind != "new_work" else None
    base = load_text(session, c.base_revision_id) if c.kind == "edit_translation" else None
    model = base if c.kind == "edit_translation" else original
    aligned, warnings, edit_diff, parse_error = None, [], None, None
    lines = blocks = 0
    try:
        text = parse_submission(revision.body, form, model)
    except Invalid as error:
        text, parse_error = None, error.message
    if text is not None:
        lines, blocks = sum(1 for _ in text.iter_lines()), len(leaf_divisions(text))
        if original is not None:
            warnings = compare_structure(original, text, form)
        links = load_alignment(session, c.base_revision_id) if c.kind == "edit_translation" and c.base_revision_id \
            else None
        aligned = align_with_original(original, text, links=links, warnings=warnings)
        if base is not None:
            edit_diff = diff_by_segment(base, text)
    since, since_number = _since_review(c, form, model)
    return ContributionView(
        contribution=c, work=work, translation=translation, revision=revision, form=form, aligned=aligned,
        warnings=warnings, edit_diff=edit_diff, since_review=since, since_review_number=since_number,
        original_changed=bool(work and c.kind != "new_work" and c.original_revision_id
                              and work.current_revision_id != c.original_revision_id and c.status != "approved"),
        base_changed=bool(translation and c.kind == "edit_translation" and c.status in OPEN_STATUSES
                          and translation.current_revision_id != c.base_revision_id),
        parse_error=parse_error, actions=allowed_actions(actor, c), line_count=lines, block_count=blocks,
        author=session.get(Author, c.details["author_id"]) if c.kind == "new_work" and c.details.get("author_id")
        else None)


def _since_review(c: Contribution, form: str, model: Text | None) -> tuple[SegmentDiff | None, int | None]:
    """The latest revision against the one a reviewer last asked changes on."""
    asked = [e.revision_number for e in c.events if e.to_status == "changes_requested" and e.revision_number]
    if not asked or asked[-1] >= c.revision_number:
        return None, None
    before = next((r for r in c.revisions if r.number == asked[-1]), None)
    if before is None:
        return None, None
    try:
        return diff_by_segment(parse_submission(before.body, form, model),
                               parse_submission(c.revisions[-1].body, form, model)), before.number
    except Invalid:
        return None, None


@dataclass
class RevisionComparison:
    contribution: Contribution
    old: ContributionRevision
    new: ContributionRevision
    diff: SegmentDiff


def compare_contribution_revisions(session: Session, actor: User | None, contribution_id: int,
                                   old_number: int | None = None,
                                   new_number: int | None = None) -> RevisionComparison:
    """Two revisions of a contribution compared (by default the last two)."""
    c = get_contribution(session, actor, contribution_id)
    by_number = {r.number: r for r in c.revisions}
    new_number = new_number or c.revision_number
    old_number = old_number or max(new_number - 1, 1)
    if old_number not in by_number or new_number not in by_number:
        raise NotFound(f"This contribution has revisions 1 to {c.revision_number}.")
    work = session.get(Work, c.work_id) if c.work_id else None
    form = work.form if work is not None else (c.details or {}).get("form", "poetry")
    model = load_text(session, c.base_revision_id if c.kind == "edit_translation" else c.original_revision_id) \
        if c.kind != "new_work" else None
    try:
        old = parse_submission(by_number[old_number].body, form, model)
        new = parse_submission(by_number[new_number].body, form, model)
    except Invalid as error:
        raise Invalid("text", f"A revision cannot be read: {error.message}") from None
    return RevisionComparison(c, by_number[old_number], by_number[new_number], diff_by_segment(old, new, context=None))


# --- lists ---------------------------------------------------------------------------------

@dataclass
class Page:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _page_number(page: int | None, per_page: int) -> tuple[int, int]:
    page = max(1, int(page or 1))
    per_page = max(1, min(int(per_page or 50), 200))
    return page, per_page


@dataclass
class ContributionItem:
    """One line of a list of contributions (no text loaded)."""

    id: int
    kind: str
    status: str
    title: str
    language: str
    revision_number: int
    submitted_at: datetime | None
    updated_at: datetime
    work_slug: str | None
    work_title: str | None
    translation_key: str | None
    contributor: str | None = None
    contributor_username: str | None = None
    original_changed: bool = False
    base_changed: bool = False
    last_action: str | None = None
    last_comment: str | None = None
    last_actor: str | None = None
    last_at: datetime | None = None

    @property
    def waiting_days(self) -> int | None:
        if self.submitted_at is None:
            return None
        submitted = self.submitted_at if self.submitted_at.tzinfo else self.submitted_at.replace(tzinfo=utcnow().tzinfo)
        return max(0, (utcnow() - submitted).days)


@dataclass
class MyContributions:
    items: list[ContributionItem]
    counts: dict[str, int]  # status -> count, all of the user's contributions
    status: str | None
    pagination: Page


def _item_columns():
    return (Contribution.id, Contribution.kind, Contribution.status, Contribution.title, Contribution.language,
            Contribution.revision_number, Contribution.submitted_at, Contribution.updated_at,
            Contribution.original_revision_id, Contribution.base_revision_id, Work.slug.label("work_slug"),
            Work.title.label("work_title"), Work.current_revision_id.label("work_revision"),
            Translation.key.label("translation_key"), Translation.current_revision_id.label("translation_revision"),
            User.display_name, User.username)


def _items(session: Session, stmt) -> list[ContributionItem]:
    items = []
    for r in session.execute(stmt):
        items.append(ContributionItem(
            id=r.id, kind=r.kind, status=r.status, title=r.title, language=r.language,
            revision_number=r.revision_number, submitted_at=r.submitted_at, updated_at=r.updated_at,
            work_slug=r.work_slug, work_title=r.work_title, translation_key=r.translation_key,
            contributor=r.display_name, contributor_username=r.username,
            original_changed=(r.kind != "new_work" and r.original_revision_id is not None
                              and r.work_revision is not None and r.work_revision != r.original_revision_id),
            base_changed=(r.kind == "edit_translation" and r.translation_revision != r.base_revision_id)))
    _last_events(session, items)
    return items


def _joined(stmt):
    return (stmt.outerjoin(Work, Work.id == Contribution.work_id)
            .outerjoin(Translation, Translation.id == Contribution.translation_id)
            .outerjoin(User, User.id == Contribution.contributor_id))


def _last_events(session: Session, items: list[ContributionItem]) -> None:
    """Each item's latest event (one query for the page)."""
    if not items:
        return
    latest = (select(func.max(ReviewEvent.id)).where(ReviewEvent.contribution_id.in_([i.id for i in items]))
              .group_by(ReviewEvent.contribution_id))
    by_id = {i.id: i for i in items}
    for e_contribution, action, comment, at, name in session.execute(
            select(ReviewEvent.contribution_id, ReviewEvent.action, ReviewEvent.comment, ReviewEvent.created_at,
                   User.display_name).outerjoin(User, User.id == ReviewEvent.actor_id)
            .where(ReviewEvent.id.in_(latest))):
        item = by_id[e_contribution]
        item.last_action, item.last_comment, item.last_at, item.last_actor = action, comment, at, name


def my_contributions(session: Session, actor: User | None, *, status: str | None = None, page: int = 1,
                     per_page: int = 50) -> MyContributions:
    """The actor's own contributions, most recently changed first, with counts by status."""
    actor = require_user(actor)
    page, per_page = _page_number(page, per_page)
    if status is not None and status not in STATUS_LABELS:
        status = None
    counts = dict(session.execute(select(Contribution.status, func.count()).where(
        Contribution.contributor_id == actor.id).group_by(Contribution.status)).all())
    total = counts.get(status, 0) if status else sum(counts.values())
    stmt = _joined(select(*_item_columns())).where(Contribution.contributor_id == actor.id)
    if status:
        stmt = stmt.where(Contribution.status == status)
    stmt = stmt.order_by(Contribution.updated_at.desc(), Contribution.id.desc()) \
        .limit(per_page).offset((page - 1) * per_page)
    return MyContributions(_items(session, stmt), counts, status, Page(page, per_page, total))


AGES = {1: "waiting over a day", 7: "waiting over a week", 30: "waiting over a month"}
QUEUE_STATUSES = ("pending", "changes_requested")


@dataclass
class QueueFilters:
    language: str | None = None
    work: str | None = None  # a work's slug
    kind: str | None = None
    older_than_days: int | None = None
    status: str = "pending"

    def args(self, **changes: Any) -> dict[str, Any]:
        values = {"language": self.language, "work": self.work, "kind": self.kind, "age": self.older_than_days,
                  "status": None if self.status == "pending" else self.status, **changes}
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool(self.language or self.work or self.kind or self.older_than_days)


@dataclass
class ReviewQueue:
    items: list[ContributionItem]
    filters: QueueFilters
    pagination: Page
    languages: list[tuple[str, int]]  # languages waiting, with counts
    kinds: list[tuple[str, int]]
    work_title: str | None
    own_waiting: int  # the reviewer's own contributions waiting for someone else
    notices: list[str] = field(default_factory=list)


def clean_queue_filters(args: dict[str, Any]) -> tuple[QueueFilters, list[str]]:
    """Queue filters from URL arguments; what cannot be used is dropped and explained."""
    notices: list[str] = []
    filters = QueueFilters()
    raw_language = (args.get("language") or "").strip()
    if raw_language:
        try:
            filters.language = normalize_language(raw_language)
        except Invalid:
            notices.append(f"“{raw_language[:20]}” is not a language code; showing all languages.")
    filters.work = (args.get("work") or "").strip()[:200] or None
    kind = (args.get("kind") or "").strip()
    if kind in KINDS:
        filters.kind = kind
    elif kind:
        notices.append("Unknown kind of contribution; showing all kinds.")
    age = (args.get("age") or "").strip()
    if age:
        if age.isdigit() and int(age) in AGES:
            filters.older_than_days = int(age)
        else:
            notices.append("Unknown waiting time; showing all.")
    status = (args.get("status") or "pending").strip()
    filters.status = status if status in QUEUE_STATUSES else "pending"
    return filters, notices


def review_queue(session: Session, actor: User | None, filters: QueueFilters | None = None, *, page: int = 1,
                 per_page: int = 50, now: datetime | None = None) -> ReviewQueue:
    """Contributions waiting for a reviewer, oldest first, filtered; without the
    reviewer's own (four eyes). A fixed number of queries, whatever the page size."""
    reviewer = require_reviewer(actor)
    filters = filters or QueueFilters()
    page, per_page = _page_number(page, per_page)
    now = now or utcnow()
    not_own = or_(Contribution.contributor_id.is_(None), Contribution.contributor_id != reviewer.id)
    base = [Contribution.status == filters.status, not_own]
    conditions = list(base)
    work_title = None
    if filters.work:
        work_row = session.execute(select(Work.id, Work.title).where(Work.slug == filters.work)).first()
        conditions.append(Contribution.work_id == (work_row.id if work_row else -1))
        work_title = work_row.title if work_row else None
    if filters.language:
        conditions.append(Contribution.language == filters.language)
    if filters.kind:
        conditions.append(Contribution.kind == filters.kind)
    if filters.older_than_days:
        conditions.append(Contribution.submitted_at <= now - timedelta(days=filters.older_than_days))
    total = session.scalar(select(func.count(Contribution.id)).where(*conditions)) or 0
    stmt = (_joined(select(*_item_columns())).where(*conditions)
            .order_by(Contribution.submitted_at.asc(), Contribution.id.asc())
            .limit(per_page).offset((page - 1) * per_page))
    items = _items(session, stmt)
    facets = session.execute(
        select(Contribution.language, Contribution.kind, func.count()).where(*base)
        .group_by(Contribution.language, Contribution.kind)).all()
    languages: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for language, kind, count in facets:
        languages[language] = languages.get(language, 0) + count
        kinds[kind] = kinds.get(kind, 0) + count
    own = session.scalar(select(func.count(Contribution.id)).where(
        Contribution.status == "pending", Contribution.contributor_id == reviewer.id)) or 0
    return ReviewQueue(items, filters, Page(page, per_page, total), sorted(languages.items()),
                       [(k, kinds[k]) for k in KINDS if k in kinds], work_title, own)


# --- the navigation's counts -------------------------------------------------------------------

@dataclass
class NavigationCounts:
    unread: int  # unread notices
    review: int | None  # contributions waiting for this reviewer; None for non-reviewers


def navigation_counts(session: Session, actor: User | None) -> NavigationCounts | None:
    """Counts for the navigation, cached briefly; any state change or notice forgets them."""
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        return None
    reviewer = can_review(actor)
    key = f"contrib-nav:{_generation()}:{actor.id}:{int(reviewer)}"
    cached = cache.get(key)
    if cached is not None:
        return NavigationCounts(*cached)
    review = None
    if reviewer:
        review = session.scalar(select(func.count(Contribution.id)).where(
            Contribution.status == "pending",
            or_(Contribution.contributor_id.is_(None), Contribution.contributor_id != actor.id))) or 0
    counts = NavigationCounts(notifications.unread_count(session, actor.id), review)
    cache.set(key, (counts.unread, counts.review), timeout=NAV_TTL)
    return counts


def forget_navigation_counts() -> None:
    """Called on every state change and notice: cached counts are keyed by a generation."""
    try:
        cache.set("contrib-nav:generation", _generation() + 1, timeout=0)
    except RuntimeError:  # outside an application (no cache to forget)
        pass


def _generation() -> int:
    return cache.get("contrib-nav:generation") or 0


# --- finding works to translate ------------------------------------------------------------------

@dataclass
class WorkChoice:
    slug: str
    title: str
    language: str
    form: str
    authors: str
    translations: int


def find_works(session: Session, query: str, *, limit: int = 20) -> list[WorkChoice]:
    """Works with a text whose title contains ``query`` (for "what to translate")."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    pattern = f"%{query.lower().replace('%', '').replace('_', '')}%"
    rows = session.execute(
        select(Work.id, Work.slug, Work.title, Work.language, Work.form, Work.translation_count)
        .where(func.lower(Work.title).like(pattern), Work.current_revision_id.is_not(None))
        .order_by(func.lower(Work.title) != query.lower(), Work.sort_title).limit(limit)).all()
    names: dict[int, list[str]] = {}
    if rows:
        for work_id, name in session.execute(
                select(WorkAuthor.work_id, Author.name).join(Author, Author.id == WorkAuthor.author_id)
                .where(WorkAuthor.work_id.in_([r.id for r in rows])).order_by(WorkAuthor.position)):
            names.setdefault(work_id, []).append(name)
    return [WorkChoice(r.slug, r.title, r.language, r.form, ", ".join(names.get(r.id, [])), r.translation_count)
            for r in rows]


def work_by_slug(session: Session, slug: str) -> Work:
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound("There is no such work in the library.")
    return work


def translation_by_key(session: Session, slug: str, key: str) -> Translation:
    translation = session.scalar(select(Translation).join(Work, Work.id == Translation.work_id).where(
        Work.slug == slug, Translation.key == (key or "").lower(), Translation.status == "published"))
    if translation is None:
        raise NotFound("There is no such published translation.")
    return translation


# --- a preview while typing ------------------------------------------------------------------

@dataclass
class Preview:
    aligned: AlignedText | None
    warnings: list[StructureWarning]
    edit_diff: SegmentDiff | None
    error: str | None
    line_count: int = 0
    block_count: int = 0
    language: str | None = None  # the typed language's code, when it is one
    language_label: str | None = None
    original_language: str | None = None
    form: str = "poetry"

    @property
    def unit(self) -> str:
        """What a block of the text is called."""
        return BLOCK_UNITS.get(self.form, "stanza")


PREVIEW_MAX_ROWS = 2000


def preview(session: Session, actor: User | None, *, kind: str, text: str, work_id: int | None = None,
            translation_id: int | None = None, form: str | None = None, language: str | None = None) -> Preview:
    """How a text would be read: aligned with the original, with structure warnings,
    and for an edit its differences from the published text. Saves nothing."""
    require_contributor(actor)
    code = label = None
    if language and language.strip():
        try:
            code = normalize_language(language)
            label = language_name(code)
        except Invalid:
            code = None
    work = translation = model = original = None
    if kind == "edit_translation":
        translation = session.get(Translation, translation_id) if translation_id else None
        if translation is None:
            raise NotFound("There is no such translation.")
        work = translation.work
        model = load_text(session, translation.current_revision_id)
        original = load_text(session, work.current_revision_id)
    elif kind == "new_translation":
        work = _work(session, work_id)
        original = model = load_text(session, work.current_revision_id)
    elif kind != "new_work":
        raise Invalid("kind", "Unknown kind of contribution.")
    shape = work.form if work is not None else (form if form in FORMS else "poetry")
    try:
        check_body(text, text_limit(), "text")
        parsed = parse_submission(text, shape, model)
    except Invalid as error:
        return Preview(None, [], None, error.message, language=code, language_label=label,
                       original_language=work.language if work else None, form=shape)
    warnings = compare_structure(original, parsed, shape) if original is not None else []
    links = load_alignment(session, translation.current_revision_id) if translation is not None else None
    return Preview(
        aligned=align_with_original(original, parsed, links=links, warnings=warnings, max_rows=PREVIEW_MAX_ROWS),
        warnings=warnings, edit_diff=diff_by_segment(model, parsed) if kind == "edit_translation" else None,
        error=None, line_count=sum(1 for _ in parsed.iter_lines()), block_count=len(leaf_divisions(parsed)),
        language=code or (translation.language if translation else None), language_label=label,
        original_language=work.language if work else None, form=shape)


def original_alone(session: Session, work: Work) -> AlignedText | None:
    """The work's original, block by block, for the translator to read before typing."""
    original = load_text(session, work.current_revision_id)
    return align_with_original(None, original, max_rows=PREVIEW_MAX_ROWS) if original is not None else None


def editable_text(session: Session, translation: Translation) -> str:
    """The published text of a translation as plain text, to start an edit from."""
    text = load_text(session, translation.current_revision_id)
    return plain_text_for_editing(text, translation.work.form) if text is not None else ""


__all__ = [
    "KINDS", "OPEN_STATUSES", "KIND_LABELS", "STATUS_LABELS", "ACTION_LABELS", "FIELDS", "AGES", "DECISIONS",
    "text_limit", "parse_submission", "content_checksum", "plain_text_for_editing", "load_text",
    "propose_translation", "propose_edit", "propose_work", "revise_contribution", "submit_contribution",
    "withdraw_contribution", "current_fields", "approve_contribution", "reject_contribution", "request_changes",
    "decide", "bulk_approve", "BulkOutcome", "can_see", "get_contribution", "allowed_actions", "ContributionView",
    "contribution_view", "compare_contribution_revisions", "RevisionComparison", "my_contributions",
    "MyContributions", "ContributionItem", "QueueFilters", "ReviewQueue", "clean_queue_filters", "review_queue",
    "NavigationCounts", "navigation_counts", "forget_navigation_counts", "find_works", "find_authors",
    "WorkChoice", "work_by_slug", "translation_by_key", "Preview", "preview", "original_alone", "editable_text",
    "Page",
]
