"""Form features (sonnet, rhymed, iambic, free verse, readability bands): derived, labelled, filtered on."""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import and_, exists, func, select

from ...models import TextAnalysis, Work
from .subjects import analyser_version

# readability bands and form facets offered as filters (on /works, /search and in GraphQL)
FORM_FACETS = ("sonnet", "rhymed", "iambic", "free-verse")
FACET_LABELS = {"sonnet": "Sonnet", "rhymed": "Rhymed", "iambic": "Iambic", "free-verse": "Free verse"}


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
        from ..errors import Invalid

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
