"""Proposing translations, edits and works; changing, submitting, withdrawing one's own.

Verified contributors propose; only the contributor revises, submits or withdraws.
A proposal is checked by :func:`.validation.prepare`; texts are stored exactly as
typed (:class:`ContributionRevision.body`).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ...models import Contribution, ContributionRevision, Translation, User
from ...models._base import utcnow
from .. import notifications
from ..accounts import require_contributor, require_user
from ..errors import Conflict, Invalid, NotFound
from .lifecycle import (OPEN_STATUSES, STATUS_LABELS, check_expected, clean_comment, lock_contribution, record_event,
                        require_own, require_work)
from .validation import FIELDS, Prepared, prepare


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
    work = require_work(session, work_id)
    prepared = prepare(session, actor, "new_translation", {
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
    prepared = prepare(session, actor, "edit_translation", {"title": title}, text, translation=translation)
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
    prepared = prepare(session, actor, "new_work", {
        "title": title, "language": language, "form": form, "author_id": author_id, "author": author,
        "author_name": author_name, "author_birth_year": author_birth_year, "author_death_year": author_death_year,
        "date_from": date_from, "date_to": date_to, "source": source, "licence": licence}, text)
    return _create(session, actor, prepared, note, submit)


def _create(session: Session, actor: User, p: Prepared, note: str | None, submit: bool) -> Contribution:
    note = clean_comment(note, "note")
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
    record_event(session, contribution, actor, "submitted" if submit else "created", None, contribution.status,
                 note if submit else None)
    return contribution


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
    c = _own_contribution(session, actor, contribution_id, expected_status, expected_revision)
    if c.status not in OPEN_STATUSES:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: it can no longer be changed.")
    unknown = set(changes) - set(FIELDS[c.kind])
    if unknown:
        raise Invalid(sorted(unknown)[0], "This cannot be changed for this kind of contribution.")
    latest = c.revisions[-1]
    fields = {**current_fields(c), **changes}
    body = latest.body if text is None else text
    work = require_work(session, c.work_id) if c.kind == "new_translation" else None
    translation = session.get(Translation, c.translation_id) if c.kind == "edit_translation" else None
    if c.kind == "edit_translation" and translation is None:
        raise NotFound("The translation this edit was for is no longer in the library.")
    prepared = prepare(session, actor, c.kind, fields, body, work=work, translation=translation, exclude_id=c.id)
    comment = clean_comment(comment)
    now = utcnow()
    text_changed = prepared.checksum != latest.checksum or prepared.body != latest.body
    facts_changed = (prepared.title != c.title or prepared.language != c.language
                     or {**prepared.details, "note": None} != {**c.details, "note": None})
    if c.status == "draft":
        latest.body, latest.checksum, latest.created_at = prepared.body, prepared.checksum, now
        _apply(c, prepared, note=comment if comment is not None else c.details.get("note"))
        if submit:
            c.submitted_at = now
            record_event(session, c, actor, "submitted", "draft", "pending", c.details.get("note"))
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
    event = record_event(session, c, actor, "revised" if text_changed else "updated", from_status, "pending", comment)
    session.flush()
    if from_status == "changes_requested":
        notifications.revision_submitted(session, c, event)
    return c


def submit_contribution(session: Session, actor: User | None, contribution_id: int, *,
                        expected_status: str | None = None, expected_revision: int | None = None) -> Contribution:
    """Send a draft to the reviewers (checked again, as when it was saved)."""
    actor = require_contributor(actor)
    c = _own_contribution(session, actor, contribution_id, expected_status, expected_revision)
    if c.status != "draft":
        raise Conflict(f"This contribution is already {STATUS_LABELS[c.status].lower()}.")
    return revise_contribution(session, actor, contribution_id, submit=True)


def withdraw_contribution(session: Session, actor: User | None, contribution_id: int, *, comment: str | None = None,
                          expected_status: str | None = None,
                          expected_revision: int | None = None) -> Contribution:
    """Take one's contribution back (a draft, or one under review). It stays in the history."""
    actor = require_user(actor)
    c = _own_contribution(session, actor, contribution_id, expected_status, expected_revision)
    if c.status not in OPEN_STATUSES:
        raise Conflict(f"This contribution is {STATUS_LABELS[c.status].lower()}: it can no longer be withdrawn.")
    from_status = c.status
    c.status, c.decided_at = "withdrawn", utcnow()
    record_event(session, c, actor, "withdrawn", from_status, "withdrawn", clean_comment(comment))
    session.flush()
    return c


def _own_contribution(session: Session, actor: User, contribution_id: int, expected_status: str | None,
                      expected_revision: int | None) -> Contribution:
    """The actor's own contribution, locked, in the state the actor saw (``Conflict`` otherwise)."""
    c = lock_contribution(session, contribution_id)
    require_own(c, actor)
    check_expected(c, expected_status, expected_revision)
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


def _apply(c: Contribution, p: Prepared, *, note: str | None) -> None:
    c.title, c.language = p.title, p.language
    c.details = {**p.details, "note": note}  # a new dict: JSON columns do not track changes inside
    c.original_revision_id, c.base_revision_id = p.original_revision_id, p.base_revision_id
