"""Publishing an approved contribution: its text goes live, in the reviewer's transaction.

- A new translation becomes a published :class:`Translation` credited to the
  contributor, or to the named historical translator with the source and licence.
- An edit becomes a new published revision of the translation; earlier revisions stay.
- A new work is created (with its proposed author when there is one) and its text
  published as the work's first revision.

Every published revision records the revision of the original it was made from
(``TextRevision.original_revision_id``): when the work's original later gets a newer
revision, the translation is "possibly out of date". In the same transaction, outbox
rows ask for indexing and analysis, the work's translation count is refreshed and the
reading caches are told (by name) that the library changed.
"""
from __future__ import annotations

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Author, Contribution, TextRevision, Translation, Work
from ..models._base import utcnow
from ..texts.model import Text
from ..texts.parsing import parse_submission
from . import catalog, outbox
from .errors import Conflict
from .revisions import load_alignment, load_text, store_revision


def publish_contribution(session: Session, contribution: Contribution) -> TextRevision:
    """Make the contribution's latest revision live and return the published revision.

    Raises :class:`Conflict` when that cannot be done safely any more (the translation
    an edit was based on got another revision meanwhile; the work is gone).
    """
    publish = {"new_translation": _publish_translation, "edit_translation": _publish_edit,
               "new_work": _publish_work}[contribution.kind]
    revision = publish(session, contribution)
    contribution.published_revision_id = revision.id
    work_id = contribution.work_id
    catalog.refresh_translation_count(session, work_id)
    _invalidate_reading(work_id)
    return revision


def _body(contribution: Contribution) -> str:
    return contribution.revisions[-1].body


def _note(contribution: Contribution) -> str:
    return f"Contribution #{contribution.id}"


def _publish_translation(session: Session, c: Contribution) -> TextRevision:
    work = session.get(Work, c.work_id)
    if work is None:
        raise Conflict("The work of this translation is no longer in the library.")
    original_revision_id = c.original_revision_id or work.current_revision_id
    text = parse_submission(_body(c), work.form, load_text(session, original_revision_id))
    details = c.details or {}
    historical = details.get("translator") == "historical"
    translator_id = None if historical else c.contributor_id
    translator_name = details.get("translator_name") if historical else None
    translation = (catalog.find_translation(session, work, c.language, translator_name, translator_id)
                   if translator_id is not None or translator_name else None)
    if translation is None or translation.status != "published":
        translation = Translation(
            work_id=work.id, key=catalog.new_translation_key(session, work.id, c.language), language=c.language,
            status="published", translator_id=translator_id, translator_name=translator_name)
        session.add(translation)
    translation.title = c.title
    translation.source = details.get("source")
    translation.licence = details.get("licence")
    session.flush()
    revision = _store(session, c, translation, text, original_revision_id, alignment=None)
    c.translation_id = translation.id
    return revision


def _publish_edit(session: Session, c: Contribution) -> TextRevision:
    translation = session.get(Translation, c.translation_id, with_for_update=True)
    if translation is None or translation.status != "published":
        raise Conflict("The translation this edit was for is no longer published.")
    if translation.current_revision_id != c.base_revision_id:
        raise Conflict("Another revision of this translation was published after this edit was proposed, so "
                       "approving it would undo those changes. Ask the contributor to revise the edit against "
                       "the published text.")
    work = translation.work
    base = load_text(session, c.base_revision_id)
    text = parse_submission(_body(c), work.form, base)
    keys = {line.key for line in text.iter_lines()}
    # the explicit alignment of the published text carries over for the lines still there
    alignment = {t_key: o_keys for t_key, o_keys in load_alignment(session, c.base_revision_id).items()
                 if t_key in keys} if c.base_revision_id else None
    translation.title = c.title
    return _store(session, c, translation, text, c.original_revision_id or work.current_revision_id,
                  alignment=alignment or None)


def _store(session: Session, c: Contribution, translation: Translation, text: Text, original_revision_id: int | None,
           alignment: dict[str, list[str]] | None) -> TextRevision:
    revision = store_revision(session, text, translation_id=translation.id, created_by_id=c.contributor_id,
                              original_revision_id=original_revision_id, alignment=alignment, note=_note(c))
    translation.current_revision_id = revision.id
    translation.published_at = translation.published_at or utcnow()
    outbox.request_text_jobs(session, "translation", translation.id, revision.id)
    return revision


def _publish_work(session: Session, c: Contribution) -> TextRevision:
    details = c.details or {}
    author = None
    if details.get("author_id"):
        author = session.get(Author, details["author_id"])
        if author is None:
            raise Conflict("The author picked for this work is no longer in the library: "
                           "ask the contributor to pick another.")
    else:
        author = catalog.upsert_author(
            session, slug=_free_slug(session, Author, details.get("author_name") or "author"),
            name=details["author_name"], birth_year=details.get("author_birth_year"),
            death_year=details.get("author_death_year"))
    work, _ = catalog.upsert_work(session, catalog.WorkFields(
        slug=_free_slug(session, Work, f"{c.title}"), title=c.title, language=c.language, form=details["form"],
        authors=[author.slug], genres=[], tags=[], date_from=details.get("date_from"), date_to=details.get("date_to"),
        source=details.get("source"), licence=details.get("licence")), created_by_id=c.contributor_id)
    # set_work_text writes the outbox rows for the new text
    catalog.set_work_text(session, work, parse_submission(_body(c), details["form"]), created_by_id=c.contributor_id,
                          note=_note(c))
    c.work_id = work.id
    session.flush()
    return session.get(TextRevision, work.current_revision_id)


def _free_slug(session: Session, model, value: str) -> str:
    base = slugify(value, max_length=180, word_boundary=True) or "untitled"
    taken = set(session.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _invalidate_reading(work_id: int | None) -> None:
    """Tell the reading pages' caches, by name, that the library changed."""
    from . import reading

    for name, args in (("invalidate_library", ()), ("invalidate_work", (work_id,))):
        invalidate = getattr(reading, name, None)
        if callable(invalidate) and (not args or args[0] is not None):
            invalidate(*args)
