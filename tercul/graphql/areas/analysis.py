"""Linguistic analysis: ``Text.analysis`` and ``compareForm``, from the stored results (no analysis runs here)."""
from __future__ import annotations

from typing import Any

import graphene
from graphql_sync_dataloaders import SyncDataLoader

from ...services import analysis as analysis_service
from ...services.errors import Invalid, NotFound
from ..core import ApiError, bad_input


class AnalysisCounts(graphene.ObjectType):
    """How much text there is."""

    lines = graphene.Int(description="Lines (verse lines, prose paragraphs, lines of speeches).")
    words = graphene.Int(description="Words.")
    sentences = graphene.Int(description="Sentences.")
    stanzas = graphene.Int(description="Stanzas (poetry).")
    paragraphs = graphene.Int(description="Paragraphs (prose).")
    characters = graphene.Int(description="Characters.")


class Readability(graphene.ObjectType):
    """A readability score, for languages that have a formula."""

    formula = graphene.String(required=True, description="E.g. `Flesch reading ease`.")
    score = graphene.Float(description="The formula's score.")
    band = graphene.String(description="`very easy` ... `very difficult`.")


class Meter(graphene.ObjectType):
    """The dominant meter of a poem."""

    name = graphene.String(required=True, description="E.g. `iambic pentameter`.")
    foot = graphene.String(description="E.g. `iambic`.")
    feet = graphene.Int(description="Feet per line, e.g. 5.")
    confidence = graphene.Float(description="Share of lines that scan this way, 0 to 1.")


class StanzaAnalysis(graphene.ObjectType):
    """A division holding lines: stanza, paragraph or speech."""

    key = graphene.String(required=True, description="The division's key.")
    lines = graphene.Int(required=True, description="Lines in it.")
    line_keys = graphene.List(graphene.NonNull(graphene.String), required=True, description="Keys of its lines.")
    syllables = graphene.List(graphene.Int, required=True, description="Syllables per line, in order.")
    rhyme_scheme = graphene.String(description="E.g. `ABAB CDCD EFEF GG`; null for prose.")
    certain = graphene.Boolean(required=True, description="False when the rhymes were guessed or partly missing.")


class SpeakerShare(graphene.ObjectType):
    """A speaker of a play and their share of its spoken lines."""

    name = graphene.String(required=True, description="As written in the text.")
    lines = graphene.Int(required=True, description="Lines spoken.")
    share = graphene.Float(required=True, description="Share of the play's spoken lines, 0 to 1.")


class LineAnalysis(graphene.ObjectType):
    """One line: what the margin of the reading view shows."""

    key = graphene.String(required=True, description="The line's key.")
    syllables = graphene.Int(description="Syllables.")
    rhyme = graphene.String(description="Rhyme letter within its stanza, e.g. `A`.")
    stress = graphene.String(description="Stress pattern (English verse): `0101010101`, 1 stressed.")


class TextAnalysis(graphene.ObjectType):
    """What the analysers found in one text (stored per revision and analyser version)."""

    analyser_version = graphene.String(required=True, description="Version of the analysers that made it.")
    current = graphene.Boolean(required=True, description="False while a newer analyser version has not redone it.")
    partial = graphene.Boolean(required=True, description="True when the analysers failed on the text: see `notes`.")
    language_declared = graphene.String(description="The text's declared language.")
    language_detected = graphene.String(description="The language detected, null when not detected.")
    language_supported = graphene.Boolean(required=True, description="The detector knows the declared language.")
    language_mismatch = graphene.Boolean(required=True, description="Detected, and not the declared language.")
    counts = graphene.Field(AnalysisCounts, required=True, description="Lines, words, sentences...")
    type_token_ratio = graphene.Float(description="Different words / words, 0 to 1.")
    rare_words = graphene.List(graphene.NonNull(graphene.String), required=True, description="Rare words (by frequency).")
    keywords = graphene.List(graphene.NonNull(graphene.String), required=True, description="Keywords, most telling first.")
    readability = graphene.Field(Readability, description="Null for languages without a formula.")
    meter = graphene.Field(Meter, description="Null when no meter dominates (or for prose).")
    rhyme_scheme = graphene.String(description="The whole poem's, e.g. `ABAB CDCD EFEF GG`.")
    rhyme_certain = graphene.Boolean(required=True, description="False when uncertain.")
    stanzas = graphene.List(graphene.NonNull(StanzaAnalysis), required=True, description="Stanzas, in order.")
    speakers = graphene.List(graphene.NonNull(SpeakerShare), required=True, description="Speakers (drama).")
    facets = graphene.List(graphene.NonNull(graphene.String), required=True,
                           description="Form facets: `sonnet`, `rhymed`, `iambic`, `free-verse`, `readability-<band>`.")
    lines = graphene.List(graphene.NonNull(LineAnalysis), required=True,
                          description="Per line: syllables, rhyme letter, stresses.",
                          keys=graphene.List(graphene.NonNull(graphene.String),
                                             description="Only these line keys (default: every line)."))
    notes = graphene.List(graphene.NonNull(graphene.String), required=True,
                          description="What could not be analysed, and why.")

    @staticmethod
    def from_stored(stored) -> TextAnalysis | None:
        if stored is None:
            return None
        return TextAnalysis.from_result(stored.result, version=stored.version, current=stored.current,
                                        facets=stored.facets)

    @staticmethod
    def from_result(s: dict[str, Any], *, version: str | None = None, current: bool = True,
                    facets: list[str] | None = None) -> TextAnalysis:
        counts = s.get("counts") or {}
        result = TextAnalysis(
            analyser_version=version or str(s.get("analyser_version") or ""), current=current,
            partial=bool(s.get("partial")), language_declared=s.get("language_declared"),
            language_detected=s.get("language_detected"), language_supported=bool(s.get("language_supported")),
            language_mismatch=bool(s.get("language_mismatch")),
            counts=AnalysisCounts(**{k: counts.get(k) for k in AnalysisCounts._meta.fields}),
            type_token_ratio=s.get("type_token_ratio"), rare_words=list(s.get("rare_words") or []),
            keywords=list(s.get("keywords") or []),
            readability=Readability(**_pick(s.get("readability"), Readability)) if s.get("readability") else None,
            meter=Meter(**_pick(s.get("meter"), Meter)) if (s.get("meter") or {}).get("name") else None,
            rhyme_scheme=s.get("rhyme_scheme"), rhyme_certain=bool(s.get("rhyme_certain")),
            stanzas=[StanzaAnalysis(key=st.get("key"), lines=st.get("lines") or 0, line_keys=list(st.get("line_keys") or []),
                                    syllables=list(st.get("syllables") or []), rhyme_scheme=st.get("rhyme_scheme"),
                                    certain=bool(st.get("certain"))) for st in s.get("stanzas") or []],
            speakers=[SpeakerShare(**_pick(sp, SpeakerShare)) for sp in s.get("speakers") or []],
            facets=facets if facets is not None else analysis_service.facets_of(s, s.get("form") or ""),
            notes=list(s.get("notes") or []))
        result._lines = s.get("lines") or {}
        return result

    def resolve_lines(self, info, keys=None):
        lines = self._lines
        chosen = keys if keys is not None else list(lines)
        return [LineAnalysis(key=k, **_pick(lines[k], LineAnalysis)) for k in chosen if k in lines]


def _pick(data: dict | None, type_) -> dict[str, Any]:
    names = set(type_._meta.fields) - {"key"} if type_ is LineAnalysis else set(type_._meta.fields)
    return {k: v for k, v in (data or {}).items() if k in names}


def analysis_loader(ctx) -> SyncDataLoader:
    """Revision id -> stored analysis: one query for every text in the response."""

    def load(revision_ids):
        found = analysis_service.analyses_for_revisions(ctx.session, revision_ids)
        return [found.get(r) for r in revision_ids]

    return ctx.loader("analysis_of_revision", lambda: SyncDataLoader(load))


def resolve_text_analysis(revision, info):
    """``Text.analysis``: null until the workers have analysed the text."""
    from ..loaders import then

    return then(analysis_loader(info.context).load(revision.id), TextAnalysis.from_stored)


class StanzaSide(graphene.ObjectType):
    """One side of a stanza pair."""

    key = graphene.String(description="The stanza's key.")
    lines = graphene.Int(description="Lines.")
    syllables = graphene.List(graphene.Int, required=True, description="Syllables per line.")
    rhyme_scheme = graphene.String(description="Rhyme scheme.")


class StanzaPair(graphene.ObjectType):
    """An original stanza beside the translation stanza aligned with it."""

    original = graphene.Field(StanzaSide, description="Null: the translation has a stanza more.")
    translation = graphene.Field(StanzaSide, description="Null: the translation lacks this stanza.")
    lines_kept = graphene.Boolean(required=True, description="Same number of lines.")
    rhyme_kept = graphene.Boolean(description="Same rhyme scheme; null when the original has none.")
    syllables_kept = graphene.Boolean(description="Syllables per line within 15%; null without lines.")


class FormKept(graphene.ObjectType):
    """What the translation kept of the original's form (null: cannot tell)."""

    stanzas = graphene.Boolean(description="As many stanzas.")
    lines = graphene.Boolean(description="As many lines.")
    rhyme_scheme = graphene.Boolean(description="The same rhyme schemes, stanza by stanza (letters renamed).")
    syllables = graphene.Boolean(description="Mean syllables per line within 15%.")
    meter = graphene.Boolean(description="The same meter; null when the original has none.")


class FormComparison(graphene.ObjectType):
    """An original's and a translation's form side by side, stanza by stanza."""

    ready = graphene.Boolean(required=True, description="False until both texts are analysed.")
    original = graphene.Field(TextAnalysis, description="The original's analysis.")
    translation = graphene.Field(TextAnalysis, description="The translation's analysis.")
    kept = graphene.Field(FormKept, required=True, description="What was kept.")
    stanzas = graphene.List(graphene.NonNull(StanzaPair), required=True, description="Stanza by stanza.")
    notes = graphene.List(graphene.NonNull(graphene.String), required=True, description="Remarks on the comparison.")


def _side(data: dict | None) -> StanzaSide | None:
    if not data:
        return None
    return StanzaSide(key=data.get("key"), lines=data.get("lines"), syllables=list(data.get("syllables") or []),
                      rhyme_scheme=data.get("rhyme_scheme"))


def comparison_payload(view) -> FormComparison:
    comparison = view.comparison or {}
    kept = comparison.get("kept") or {}
    return FormComparison(
        ready=view.ready, original=TextAnalysis.from_stored(view.original),
        translation=TextAnalysis.from_stored(view.translated),
        kept=FormKept(**{k: kept.get(k) for k in FormKept._meta.fields}),
        stanzas=[StanzaPair(original=_side(p.get("original")), translation=_side(p.get("translation")),
                            lines_kept=bool(p.get("lines_kept")), rhyme_kept=p.get("rhyme_kept"),
                            syllables_kept=p.get("syllables_kept")) for p in view.stanzas],
        notes=list(comparison.get("notes") or []))


def feature_filter(value: str | None) -> str | None:
    """The ``feature`` of a works filter, checked (BAD_USER_INPUT names the values offered)."""
    try:
        return analysis_service.clean_feature(value, "feature")
    except Invalid as exc:
        raise bad_input(exc.message, "filter.feature") from None


class Query(graphene.ObjectType):
    compare_form = graphene.Field(
        FormComparison, description="A translation's form beside its original's (from stored analyses).",
        work=graphene.String(required=True, description="The work's slug."),
        translation=graphene.String(required=True, description="The translation's key within the work: `de`, `de-2`."))

    def resolve_compare_form(root, info, work, translation):
        try:
            view = analysis_service.compare_form_by_slug(info.context.session, work, translation)
        except NotFound as exc:
            raise ApiError(exc.message, "NOT_FOUND") from None
        return comparison_payload(view)


class Mutation(graphene.ObjectType):
    pass
