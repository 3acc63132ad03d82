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

Modules: ``subjects`` (what is analysed, the version, the text hash), ``storing`` (running
and storing, the ``analyse`` job), ``reanalysis`` (the backlog), ``reading`` (stored results
for pages and the API), ``comparison`` (form of a translation against its original) and
``features`` (form features as filters), ``indexing`` (features reach the search index). Callers import from this package.
"""
from __future__ import annotations

from .comparison import (SUBMISSION_MAX_LINES, FormComparisonView, SubmissionForm, compare_contribution,
                         compare_form_by_slug, compare_form_for, compare_submission, pair_stanzas)
from .features import (FACET_LABELS, FEATURES, FORM_FACETS, READABILITY_BANDS, clean_feature, facet_condition,
                       facets_of, feature_counts, feature_label, works_with_feature)
from .indexing import REINDEX_DELAY, request_reindex_of_works, request_search_refresh
from .reading import (StoredAnalysis, TextAnalysisPage, analyses_for_revisions, analysis_for_revision,
                      analysis_for_text, find_text)
from .reanalysis import (by_language, mark_done, pending_condition, pending_count, published_texts,
                         schedule_after_upgrade, schedule_reanalysis, stale_texts)
from .storing import (PendingAnalysis, _store, analyse_entity, analyse_revision, partial_result, plan_analysis,
                      run_analysers, run_pending, store_analysis)
from .subjects import TOPIC, RevisionSubject, analyser_version, text_hash

__all__ = [
    "FACET_LABELS", "FEATURES", "FORM_FACETS", "READABILITY_BANDS", "REINDEX_DELAY", "SUBMISSION_MAX_LINES", "TOPIC",
    "FormComparisonView", "PendingAnalysis", "RevisionSubject", "StoredAnalysis", "SubmissionForm",
    "TextAnalysisPage", "analyse_entity", "analyse_revision", "analyses_for_revisions", "analyser_version",
    "analysis_for_revision", "analysis_for_text", "by_language", "clean_feature", "compare_contribution",
    "compare_form_by_slug", "compare_form_for", "compare_submission", "facet_condition", "facets_of",
    "feature_counts", "feature_label", "find_text", "mark_done", "partial_result", "pair_stanzas",
    "pending_condition", "pending_count", "plan_analysis", "published_texts", "request_reindex_of_works",
    "request_search_refresh", "run_analysers", "run_pending", "schedule_after_upgrade", "schedule_reanalysis",
    "stale_texts", "store_analysis", "text_hash", "works_with_feature",
]
