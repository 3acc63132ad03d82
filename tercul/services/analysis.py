"""Linguistic analysis of texts: run by workers, stored per revision, read by pages and the API.

An analysis is stored per text revision and analyser version (``text_analyses``), with
``text_hash``: a hash of the text's checksum, its declared language and its form. A
revision whose text was already analysed under the same version (a re-import, the same
text published again) copies that result instead of analysing again; a new
``ANALYSER_VERSION`` makes every stored result stale, and :func:`schedule_reanalysis`
asks the workers (outbox rows) to analyse the current texts again.

The analysers are pure functions (:mod:`tercul.analysis`). Whatever they raise on a text
is a property of that text, not of the moment: the job stores a partial result with a
note instead of failing (a failed job would be retried, and fail again, forever).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..models import OutboxEntry, TextAnalysis, TextRevision, Translation, Work
from .errors import NotFound
from .outbox import enqueue
from .revisions import load_alignment, load_revision, rebuild_text

log = logging.getLogger("tercul.analysis")

TOPIC = "analyse"
# readability bands and form facets offered as filters (on /works, /search and in GraphQL)
FORM_FACETS = ("sonnet", "rhymed", "iambic", "free-verse")
FACET_LABELS = {"sonnet": "Sonnet", "rhymed": "Rhymed", "iambic": "Iambic", "free-verse": "Free verse"}


def analyser_version() -> str:
    from ..analysis import ANALYSER_VERSION

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


# ---------------------------------------------------------------------------- running

def run_analysers(text, *, language: str, form: str) -> dict[str, Any]:
    """The analysers' result as a dict; a partial result with a note when they fail on this text."""
    from ..analysis import analyse

    try:
        return analyse(text, language=language, form=form).to_dict()
    except Exception as exc:  # noqa: BLE001 - the analysers are pure: a failure is the text's, not transient
        log.warning("analysis failed on a text (%s, %s): %s", language, form, exc)
        return partial_result(text, language=language, form=form, note=f"The analysis stopped on this text ({type(exc).__name__}: "
                                                                 f"{str(exc)[:200]}); only simple counts are shown.")


def partial_result(text, *, language: str, form: str = "prose", note: str) -> dict[str, Any]:
    """Counts that need no analyser, for a text the analysers could not handle."""
    lines = [ln for ln in text.iter_lines() if ln.kind == "line"]
    words = sum(len(ln.text.split()) for ln in lines)
    return {"analyser_version": analyser_version(), "form": form, "language_detected": None,
            "language_declared": language, "language_supported": False,
            "language_mismatch": False, "counts": {"lines": len(lines), "words": words},
            "type_token_ratio": None, "rare_words": [], "keywords": [], "readability": None, "meter": None,
            "stanzas": [], "rhyme_scheme": None, "speakers": [], "lines": {}, "notes": [note], "partial": True}


def _slug(name: str) -> str:
    return "-".join(str(name).lower().split())


def facets_of(result: dict[str, Any], form: str) -> list[str]:
    """Form facets of one analysed text (sonnet, rhymed, iambic, free-verse) and its readability band.

    The analysers name the form facets; for a result that has none (an older or partial
    one) they are derived here from the stanzas and the meter.
    """
    if result.get("facets"):
        # the readability band is added below, in one spelling, whatever the analysers call it
        found = [_slug(f) for f in result["facets"] if not str(f).startswith("readability")]
    else:
        found = []
        if form == "poetry" and not result.get("partial"):
            stanzas = result.get("stanzas") or []
            schemes = [s["rhyme_scheme"].replace(" ", "") for s in stanzas if s.get("certain") and s.get("rhyme_scheme")]
            rhymed = any(len(set(sc)) < len(sc) for sc in schemes)
            meter = (result.get("meter") or {}).get("name") or ""
            if rhymed:
                found.append("rhymed")
            if meter.startswith("iambic"):
                found.append("iambic")
            if rhymed and (result.get("counts") or {}).get("lines") == 14:
                found.append("sonnet")
            if stanzas and not rhymed and not meter:
                found.append("free-verse")
    band = (result.get("readability") or {}).get("band")
    if band:
        found.append("readability-" + _slug(band))
    return found


def _store(session: Session, subject: RevisionSubject, version: str, digest: str, result: dict[str, Any]
           ) -> TextAnalysis:
    summary = {k: v for k, v in result.items() if k != "lines"}
    facets = facets_of(result, subject.form)
    row = TextAnalysis(revision_id=subject.revision_id, analyzer_version=version,
                       language=result.get("language_detected"), summary=summary, lines=result.get("lines") or {},
                       text_hash=digest, facets=(" " + " ".join(facets) + " ")[:200] if facets else None)
    try:
        # a savepoint: two workers may analyse the same revision at once (duplicate requests)
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        stored = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == subject.revision_id,
                                                           TextAnalysis.analyzer_version == version))
        if stored is None:
            raise
        return stored
    # results of other analyser versions for this revision are stale now
    session.execute(delete(TextAnalysis).where(TextAnalysis.revision_id == subject.revision_id,
                                               TextAnalysis.analyzer_version != version))
    return row


@dataclass
class PendingAnalysis:
    """A text to run the analysers on (outside the database), then to store with :func:`store_analysis`."""

    subject: RevisionSubject
    version: str
    digest: str
    text: Any  # tercul.texts.model.Text

    @property
    def arguments(self) -> tuple[Any, str, str]:
        return self.text, self.subject.language, self.subject.form


def plan_analysis(session: Session, revision_id: int) -> TextAnalysis | PendingAnalysis | None:
    """What analysing a revision takes: nothing (stored, or copied from the same text), or a run.

    Returns the stored analysis when there is one under the current version (copying
    that of another revision with the same text hash, if any), a
    :class:`PendingAnalysis` when the analysers must run, None when the revision is gone.
    """
    version = analyser_version()
    stored = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == revision_id,
                                                       TextAnalysis.analyzer_version == version))
    if stored is not None:
        return stored
    subject = _subjects(session, [revision_id]).get(revision_id)
    if subject is None:
        return None
    digest = text_hash(subject.checksum, subject.language, subject.form)
    twin = session.scalar(select(TextAnalysis).where(TextAnalysis.text_hash == digest,
                                                     TextAnalysis.analyzer_version == version).limit(1))
    if twin is not None:
        return _store(session, subject, version, digest, dict(twin.summary, lines=twin.lines))
    divisions, lines = load_revision(session, revision_id)
    return PendingAnalysis(subject, version, digest, rebuild_text(divisions, lines))


def run_pending(arguments: tuple[Any, str, str]) -> dict[str, Any]:
    """The analysers on one planned text (pure: may run in another process)."""
    text, language, form = arguments
    return run_analysers(text, language=language, form=form)


def store_analysis(session: Session, pending: PendingAnalysis, result: dict[str, Any]) -> TextAnalysis:
    """Store what the analysers found for a planned text (replacing older versions' results)."""
    existing = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == pending.subject.revision_id,
                                                         TextAnalysis.analyzer_version == pending.version))
    if existing is not None:  # stored meanwhile by a worker
        return existing
    return _store(session, pending.subject, pending.version, pending.digest, result)


def analyse_revision(session: Session, revision_id: int) -> TextAnalysis | None:
    """Analyse one text revision under the current analyser version, unless that is done.

    Idempotent: a stored result for the revision is returned as it is; one for the same
    text (same hash, same version) under another revision is copied. Returns None when
    the revision no longer exists. Flushes; the caller commits.
    """
    planned = plan_analysis(session, revision_id)
    if isinstance(planned, PendingAnalysis):
        return store_analysis(session, planned, run_pending(planned.arguments))
    return planned


def analyse_entity(session: Session, entity: str, entity_id: int) -> dict[tuple[str, int], int]:
    """Analyse the published text of a work or translation (the ``analyse`` job).

    Returns what it covered, ``{(entity, id): revision_id}``, so that pending requests
    about that revision or older ones are done too; nothing when there is no text.
    """
    model = Work if entity == "work" else Translation if entity == "translation" else None
    if model is None:
        return {}
    revision_id = session.scalar(select(model.current_revision_id).where(model.id == entity_id))
    if revision_id is None:
        return {}
    analyse_revision(session, revision_id)
    return {(entity, entity_id): revision_id}


# ---------------------------------------------------------------------------- the backlog

def stale_texts(session: Session, *, work_ids: Iterable[int] | None = None) -> list[tuple[str, int, int]]:
    """Published texts without an analysis under the current version: (entity, id, revision_id)."""
    version = analyser_version()
    done = exists().where(TextAnalysis.revision_id == TextRevision.id, TextAnalysis.analyzer_version == version)
    q = (select(TextRevision.work_id, TextRevision.translation_id, TextRevision.id)
         .outerjoin(Work, Work.current_revision_id == TextRevision.id)
         .outerjoin(Translation, and_(Translation.current_revision_id == TextRevision.id,
                                      Translation.status == "published"))
         .where(or_(Work.id.is_not(None), Translation.id.is_not(None)), ~done))
    if work_ids is not None:
        ids = list(work_ids)
        q = q.where(or_(Work.id.in_(ids), Translation.work_id.in_(ids)))
    rows = session.execute(q.order_by(TextRevision.id)).all()
    return [("work", w, r) if w is not None else ("translation", t, r) for w, t, r in rows]


def published_texts(session: Session, *, work_ids: Iterable[int] | None = None) -> list[tuple[str, int, int]]:
    """Every published text (or those of ``work_ids``): (entity, id, revision_id)."""
    wq = select(Work.id, Work.current_revision_id).where(Work.current_revision_id.is_not(None))
    tq = select(Translation.id, Translation.current_revision_id).where(
        Translation.current_revision_id.is_not(None), Translation.status == "published")
    if work_ids is not None:
        ids = list(work_ids)
        wq, tq = wq.where(Work.id.in_(ids)), tq.where(Translation.work_id.in_(ids))
    return ([("work", i, r) for i, r in session.execute(wq.order_by(Work.id))]
            + [("translation", i, r) for i, r in session.execute(tq.order_by(Translation.id))])


def by_language(session: Session, texts: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Texts grouped by language (then in reading order): the analysers load each language's data once."""
    languages = {rid: s.language for rid, s in _subjects(session, [r for _e, _i, r in texts]).items()}
    return sorted(texts, key=lambda t: (languages.get(t[2]) or "", t[2]))


def schedule_reanalysis(session: Session) -> int:
    """Ask the workers to analyse every published text whose analysis is missing or stale.

    Writes one ``analyse`` outbox row per such text, unless one is already pending; run
    after a new analyser version is deployed (``tercul enrich --stale``). Returns the
    number of rows written; the caller commits.
    """
    pending = {(e, i) for e, i in session.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id).where(*pending_condition()))}
    written = 0
    for entity, entity_id, revision_id in stale_texts(session):
        if (entity, entity_id) not in pending:
            enqueue(session, TOPIC, entity, entity_id, revision_id, reason="analyser version")
            written += 1
    session.flush()
    return written


def pending_condition():
    return (OutboxEntry.topic == TOPIC, OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))


def pending_count(session: Session) -> int:
    """``analyse`` outbox rows neither processed nor dead."""
    return session.scalar(select(func.count()).select_from(OutboxEntry).where(*pending_condition())) or 0


def mark_done(session: Session, covered: dict[tuple[str, int], int]) -> int:
    """Mark pending ``analyse`` rows about these texts (at these revisions or older) processed."""
    from sqlalchemy import update

    from ..models._base import utcnow

    items = sorted(covered.items())
    marked = 0
    for start in range(0, len(items), 200):
        result = session.execute(update(OutboxEntry).where(*pending_condition(), or_(*(
            and_(OutboxEntry.entity == e, OutboxEntry.entity_id == i, OutboxEntry.version <= rev)
            for (e, i), rev in items[start:start + 200]))).values(processed_at=utcnow(), last_error=None)
            .execution_options(synchronize_session=False))
        marked += result.rowcount or 0
    return marked


# ---------------------------------------------------------------------------- reading results

@dataclass
class StoredAnalysis:
    """An analysis as pages and the API show it."""

    revision_id: int
    version: str
    current: bool  # made by the analyser version running now
    summary: dict[str, Any]
    lines: dict[str, Any]
    facets: list[str] = field(default_factory=list)

    @property
    def result(self) -> dict[str, Any]:
        return dict(self.summary, lines=self.lines)


def _view(row: TextAnalysis, version: str) -> StoredAnalysis:
    return StoredAnalysis(revision_id=row.revision_id, version=row.analyzer_version,
                          current=row.analyzer_version == version, summary=row.summary or {},
                          lines=row.lines or {}, facets=(row.facets or "").split())


def analyses_for_revisions(session: Session, revision_ids: Iterable[int]) -> dict[int, StoredAnalysis]:
    """Stored analyses of these revisions in one query (the current version first, else the latest)."""
    ids = list({r for r in revision_ids if r is not None})
    if not ids:
        return {}
    version = analyser_version()
    found: dict[int, StoredAnalysis] = {}
    for row in session.scalars(select(TextAnalysis).where(TextAnalysis.revision_id.in_(ids))
                               .order_by(TextAnalysis.revision_id, TextAnalysis.id)):
        if row.revision_id not in found or row.analyzer_version == version:
            found[row.revision_id] = _view(row, version)
    return found


def analysis_for_revision(session: Session, revision_id: int | None) -> StoredAnalysis | None:
    return analyses_for_revisions(session, [revision_id]).get(revision_id) if revision_id else None


@dataclass
class TextAnalysisPage:
    """The analysis of one published text and what it belongs to."""

    work: Work
    translation: Translation | None
    language: str
    analysis: StoredAnalysis | None  # None: not analysed yet

    @property
    def revision_id(self) -> int | None:
        return (self.translation or self.work).current_revision_id


def find_text(session: Session, slug: str, key: str | None = None) -> tuple[Work, Translation | None]:
    """A work by slug and, with ``key``, one of its published translations; NotFound otherwise."""
    work = session.scalar(select(Work).where(Work.slug == slug))
    if work is None:
        raise NotFound(f"There is no work “{slug[:80]}” in the library.")
    if key is None:
        return work, None
    translation = session.scalar(select(Translation).where(Translation.work_id == work.id, Translation.key == key,
                                                           Translation.status == "published"))
    if translation is None:
        raise NotFound(f"“{work.title}” has no translation “{key[:40]}”.")
    return work, translation


def analysis_for_text(session: Session, slug: str, key: str | None = None) -> TextAnalysisPage:
    """The stored analysis of a work's original (or, with ``key``, of a translation)."""
    work, translation = find_text(session, slug, key)
    owner = translation or work
    return TextAnalysisPage(work=work, translation=translation, language=owner.language,
                            analysis=analysis_for_revision(session, owner.current_revision_id))


# ---------------------------------------------------------------------------- comparing form

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
    from ..analysis import compare_form

    from ..analysis.results import TextAnalysisResult
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
    from ..extensions import cache
    from .accounts import require_reviewer
    from ..texts.parsing import parse_submission
    from .contributions import get_contribution, load_text
    from .errors import Invalid

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


# ---------------------------------------------------------------------------- facets

READABILITY_BANDS = ("very-easy", "easy", "fairly-easy", "standard", "fairly-difficult", "difficult", "very-difficult")
FEATURES = FORM_FACETS + tuple(f"readability-{band}" for band in READABILITY_BANDS)


def feature_label(feature: str) -> str:
    """``readability-fairly-easy`` -> ``Readability: fairly easy``; ``free-verse`` -> ``Free verse``."""
    if feature.startswith("readability-"):
        return "Readability: " + feature[len("readability-"):].replace("-", " ")
    return FACET_LABELS.get(feature, feature.replace("-", " ").capitalize())


def clean_feature(raw: str | None, field: str = "feature") -> str | None:
    """A form feature filter's value, or None; ``Invalid`` for one that is not offered."""
    value = "-".join((raw or "").strip().lower().split())
    if not value:
        return None
    if value not in FEATURES:
        from .errors import Invalid

        raise Invalid(field, f"“{(raw or '')[:40]}” is not a form feature; choose one of: {', '.join(FEATURES)}.")
    return value


def works_with_feature(feature: str, *, parts: bool = False):
    """Ids of works whose published original has ``feature``, as a subquery computed once.

    Without ``parts``, a collection counts when one of its parts has it (as for
    translations on the browse page): "sonnet" finds Shakespeare's Sonnets.
    """
    owner = Work.id if parts else func.coalesce(Work.parent_id, Work.id)
    return (select(owner).join(TextAnalysis, TextAnalysis.revision_id == Work.current_revision_id)
            .where(TextAnalysis.analyzer_version == analyser_version(),
                   TextAnalysis.facets.like(f"% {feature} %")).scalar_subquery())


def feature_counts(session: Session) -> list[tuple[str, str, int]]:
    """(feature, label, top-level works) for every feature some work has, in the order of FEATURES."""
    owners: dict[str, set[int]] = {}
    for owner, facets in session.execute(
            select(func.coalesce(Work.parent_id, Work.id), TextAnalysis.facets)
            .join(TextAnalysis, TextAnalysis.revision_id == Work.current_revision_id)
            .where(TextAnalysis.analyzer_version == analyser_version(), TextAnalysis.facets.is_not(None))):
        for facet in facets.split():
            owners.setdefault(facet, set()).add(owner)
    return [(f, feature_label(f), len(owners[f])) for f in FEATURES if f in owners]


def facet_condition(facets: Iterable[str], revision_column):
    """SQL condition: the text at ``revision_column`` has every facet (current analyser version)."""
    version = analyser_version()
    conditions = [exists().where(TextAnalysis.revision_id == revision_column,
                                 TextAnalysis.analyzer_version == version,
                                 TextAnalysis.facets.like(f"% {facet} %")) for facet in facets]
    return and_(*conditions)
