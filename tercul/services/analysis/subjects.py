"""What an analysis is of: a text revision's subject, the analyser version and the text hash."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ...models import TextRevision, Translation, Work

TOPIC = "analyse"


def analyser_version() -> str:
    from ...analysis import ANALYSER_VERSION

    return str(ANALYSER_VERSION)


def text_hash(checksum: str, language: str, form: str) -> str:
    """What an analysis depends on besides the analyser: the text, its declared language and form."""
    return hashlib.sha256(f"{checksum}\x00{language}\x00{form}".encode()).hexdigest()


@dataclass(frozen=True)
class RevisionSubject:
    """A text revision and what the analysers need to know about its owner."""

    revision_id: int
    entity: str  # "work" | "translation"
    entity_id: int
    language: str
    form: str
    checksum: str


def _subjects(session: Session, revision_ids: Iterable[int]) -> dict[int, RevisionSubject]:
    ids = list(revision_ids)
    if not ids:
        return {}
    owner = aliased(Work)
    rows = session.execute(
        select(TextRevision.id, TextRevision.work_id, TextRevision.translation_id, TextRevision.checksum,
               Work.language, Work.form, Translation.language, owner.form)
        .outerjoin(Work, Work.id == TextRevision.work_id)
        .outerjoin(Translation, Translation.id == TextRevision.translation_id)
        .outerjoin(owner, owner.id == Translation.work_id)
        .where(TextRevision.id.in_(ids)))
    found = {}
    for rid, work_id, translation_id, checksum, w_lang, w_form, t_lang, t_form in rows:
        if work_id is not None:
            found[rid] = RevisionSubject(rid, "work", work_id, w_lang, w_form, checksum)
        elif t_lang is not None:
            found[rid] = RevisionSubject(rid, "translation", translation_id, t_lang, t_form, checksum)
    return found
