"""A translation's form against its original's: published texts, and submissions under review."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ...models import Translation, Work
from ..revisions import load_alignment
from .reading import StoredAnalysis, analyses_for_revisions, analysis_for_revision, find_text
from .storing import run_analysers
from .subjects import analyser_version, text_hash

log = logging.getLogger("tercul.analysis")


@dataclass
class FormComparisonView:
    """An original's and a translation's form side by side (None parts: not analysed yet)."""

    work_slug: str
    work_title: str
    original_language: str
    translation_language: str
    translation_title: str
    original: StoredAnalysis | dict | None
    translated: StoredAnalysis | dict | None
    comparison: dict[str, Any] | None
    stanzas: list[dict[str, Any]]  # see pair_stanzas

    @property
    def ready(self) -> bool:
        return self.original is not None and self.translated is not None


def _summary(analysis) -> dict[str, Any]:
    if analysis is None:
        return {}
    return analysis.summary if isinstance(analysis, StoredAnalysis) else analysis


def _lines(analysis) -> dict[str, Any]:
    if analysis is None:
        return {}
    return analysis.lines if isinstance(analysis, StoredAnalysis) else (analysis.get("lines") or {})


def _side(analysis, stanza: dict | None) -> dict[str, Any] | None:
    if not stanza:
        return None
    syllables = stanza.get("syllables")
    if not syllables:
        lines = _lines(analysis)
        keys = stanza.get("line_keys") or []
        syllables = [(lines.get(k) or {}).get("syllables") for k in keys]
    return {"key": stanza.get("key"), "lines": stanza.get("lines"), "syllables": syllables,
            "rhyme_scheme": stanza.get("rhyme_scheme")}


def pair_stanzas(original, translated) -> list[dict[str, Any]]:
    """Stanzas paired by key (the comparison's own pairing is used when there is one).

    Each pair: ``{original, translation, lines_kept, rhyme_kept}``, a side being
    ``{key, lines, syllables, rhyme_scheme}`` or None.
    """
    o_list = list(_summary(original).get("stanzas") or [])
    t_list = list(_summary(translated).get("stanzas") or [])
    t_by_key = {s.get("key"): s for s in t_list}
    o_keys = {s.get("key") for s in o_list}
    pairs = []
    for o in o_list:
        t = t_by_key.get(o.get("key"))
        pairs.append(_pair(_side(original, o), _side(translated, t)))
    pairs += [_pair(None, _side(translated, t)) for t in t_list if t.get("key") not in o_keys]
    return pairs


def _pair(o: dict | None, t: dict | None) -> dict[str, Any]:
    both = o is not None and t is not None
    return {"original": o, "translation": t, "lines_kept": both and o["lines"] == t["lines"],
            "rhyme_kept": (o["rhyme_scheme"] == t["rhyme_scheme"]) if both and o["rhyme_scheme"] else None}


def _comparison(original, translated, alignment: dict[str, list[str]] | None) -> dict[str, Any] | None:
    from ...analysis import compare_form

    from ...analysis.results import TextAnalysisResult
    try:
        return compare_form(TextAnalysisResult.from_dict(original), TextAnalysisResult.from_dict(translated),
                            alignment=alignment or None).to_dict()
    except Exception as exc:  # noqa: BLE001 - a comparison that fails must not take the page down
        log.warning("form comparison failed: %s", exc)
        return {"notes": [f"The comparison could not be made ({type(exc).__name__})."]}


def _stanza_rows(comparison: dict | None, original, translated) -> list[dict[str, Any]]:
    if comparison and comparison.get("stanzas"):
        return comparison["stanzas"]
    return pair_stanzas(original, translated)


def compare_form_for(session: Session, work: Work, translation: Translation) -> FormComparisonView:
    """A translation's form against its original's, from stored analyses (no analysis runs here)."""
    found = analyses_for_revisions(session, [work.current_revision_id, translation.current_revision_id])
    original = found.get(work.current_revision_id) if work.current_revision_id else None
    translated = found.get(translation.current_revision_id) if translation.current_revision_id else None
    comparison = None
    if original is not None and translated is not None:
        alignment = load_alignment(session, translation.current_revision_id)
        comparison = _comparison(original.result, translated.result, alignment)
    return FormComparisonView(work_slug=work.slug, work_title=work.title, original_language=work.language,
                              translation_language=translation.language,
                              translation_title=translation.title, original=original, translated=translated,
                              comparison=comparison, stanzas=_stanza_rows(comparison, original, translated))


def compare_form_by_slug(session: Session, slug: str, key: str) -> FormComparisonView:
    work, translation = find_text(session, slug, key)
    return compare_form_for(session, work, translation)


def compare_submission(session: Session, work: Work, text, *, language: str,
                       alignment: dict[str, list[str]] | None = None) -> FormComparisonView:
    """A proposed translation (not published, so not analysed by the workers) against the original.

    The proposal is analysed here, once per text and analyser version: the caller caches
    the view by :func:`text_hash` (it is small: one submission is read by a few reviewers).
    """
    original = analysis_for_revision(session, work.current_revision_id)
    translated = run_analysers(text, language=language, form=work.form)
    comparison = _comparison(original.result, translated, alignment) if original is not None else None
    return FormComparisonView(work_slug=work.slug, work_title=work.title, original_language=work.language,
                              translation_language=language, translation_title="Proposed translation",
                              original=original, translated=translated, comparison=comparison,
                              stanzas=_stanza_rows(comparison, original, translated))


@dataclass
class SubmissionForm:
    """A submission's form against its original's, for its reviewers."""

    contribution_id: int
    view: FormComparisonView | None  # None: nothing to compare (no text, or a new work)
    language_mismatch: bool
    language_detected: str | None
    language_declared: str
    note: str | None = None


# a proposal longer than this is not analysed in the request: it waits for publication
SUBMISSION_MAX_LINES = 3000


def compare_contribution(session: Session, actor, contribution_id: int) -> SubmissionForm:
    """Form comparison of a submitted translation (before approval) with its original.

    Reviewers only (``Forbidden``/``NotFound`` otherwise). The proposal is analysed here,
    once per text and analyser version (kept in the cache), since the workers analyse
    published texts only.
    """
    from ...extensions import cache
    from ..accounts import require_reviewer
    from ...texts.parsing import parse_submission
    from ..contributions import get_contribution, load_text
    from ..errors import Invalid

    require_reviewer(actor)
    c = get_contribution(session, actor, contribution_id)
    language = c.language
    work = session.get(Work, c.work_id) if c.work_id is not None else None
    if work is None or c.kind == "new_work" or work.current_revision_id is None:
        return SubmissionForm(c.id, None, False, None, language, "A new work has no original to compare with.")
    revision = c.revisions[-1]
    original_text = load_text(session, c.original_revision_id or work.current_revision_id)
    try:
        text = parse_submission(revision.body, work.form, original_text)
    except Invalid as exc:
        return SubmissionForm(c.id, None, False, None, language, exc.message)
    if sum(1 for _ in text.iter_lines()) > SUBMISSION_MAX_LINES:
        return SubmissionForm(c.id, None, False, None, language,
                              f"Texts over {SUBMISSION_MAX_LINES} lines are compared once published.")
    key = "analysis:submission:" + text_hash(f"{revision.checksum}:{work.current_revision_id}", language,
                                             work.form) + ":" + analyser_version()
    view = cache.get(key)
    if view is None:
        links = None
        if c.kind == "edit_translation" and c.base_revision_id:
            links = load_alignment(session, c.base_revision_id)
        view = compare_submission(session, work, text, language=language, alignment=links)
        view.translation_title = c.title
        cache.set(key, view, timeout=3600)
    translated = view.translated if isinstance(view.translated, dict) else {}
    return SubmissionForm(c.id, view, bool(translated.get("language_mismatch")), translated.get("language_detected"),
                          language)
