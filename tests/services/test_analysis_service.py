"""Analysis storage and jobs: idempotence by text hash, version bumps, bad input, the enrich command."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from literature import sonnet
import tercul.analysis
from factories import make_work
from tercul.models import OutboxEntry, TextAnalysis, TextRevision
from tercul.services import analysis, catalog
from tercul.tasks import jobs
from tercul.texts.model import Division, Line, Text

SONNET_18 = sonnet(18)  # read from the demo sources


def sonnet_text() -> Text:
    return Text(divisions=[Division(key="1", kind="poem", lines=[
        Line(key=f"l{n}", text=line) for n, line in enumerate(SONNET_18, start=1)])])


def make_sonnet(session, slug="sonnet-18"):
    work, _ = catalog.upsert_work(session, catalog.WorkFields(slug=slug, title="Sonnet 18", language="en",
                                                              form="poetry", authors=[], genres=[], tags=[]))
    catalog.set_work_text(session, work, sonnet_text())
    session.flush()
    return work


@pytest.fixture
def calls(monkeypatch):
    """Counts the texts the analysers are run on."""
    seen = []
    real = tercul.analysis.analyse

    def counting(text, **kwargs):
        seen.append(kwargs)
        return real(text, **kwargs)

    monkeypatch.setattr(tercul.analysis, "analyse", counting)
    return seen


def _analyse_rows(session, entity=None, entity_id=None):
    q = select(OutboxEntry).where(OutboxEntry.topic == "analyse")
    if entity is not None:
        q = q.where(OutboxEntry.entity == entity, OutboxEntry.entity_id == entity_id)
    return list(session.scalars(q))


def test_publishing_asks_for_an_analysis_and_the_job_stores_it(session, calls):
    work = make_sonnet(session)
    [entry] = _analyse_rows(session, "work", work.id)
    assert analysis.pending_count(session) >= 1
    assert jobs.run_entry(session, entry.id) == "done"
    stored = session.scalar(select(TextAnalysis).where(TextAnalysis.revision_id == work.current_revision_id))
    assert stored.analyzer_version == tercul.analysis.ANALYSER_VERSION
    assert stored.summary["rhyme_scheme"] == "ABAB CDCD EFEF GG"
    assert stored.summary["meter"]["name"] == "iambic pentameter"
    assert stored.lines["l1"]["rhyme"] == "A" and stored.lines["l14"]["rhyme"] == "G"
    assert " sonnet " in stored.facets and " iambic " in stored.facets
    checksum = session.get(TextRevision, work.current_revision_id).checksum
    assert stored.text_hash == analysis.text_hash(checksum, "en", "poetry")
    assert len(calls) == 1
    session.refresh(entry)
    assert entry.processed_at is not None


def test_the_same_text_is_never_analysed_twice(session, calls):
    work = make_sonnet(session)
    first = analysis.analyse_revision(session, work.current_revision_id)
    again = analysis.analyse_revision(session, work.current_revision_id)
    assert again.id == first.id
    # the same text published as another work: same hash, copied rather than analysed
    twin = make_sonnet(session, slug="sonnet-18-copy")
    copied = analysis.analyse_revision(session, twin.current_revision_id)
    assert copied.id != first.id and copied.text_hash == first.text_hash
    assert copied.summary == first.summary
    assert len(calls) == 1
    # the job for a text already analysed runs no analyser either
    for entry in _analyse_rows(session):
        assert jobs.run_entry(session, entry.id) in ("done", "skipped")
    assert len(calls) == 1


def test_a_new_analyser_version_reanalyses_in_the_background(session, calls, monkeypatch):
    work = make_work(translations=("de",))
    for entry in _analyse_rows(session):
        jobs.run_entry(session, entry.id)
    assert analysis.stale_texts(session, work_ids=[work.id]) == []
    assert len(calls) == 2
    assert analysis.schedule_after_upgrade(session) == 0  # same version: nothing to do

    monkeypatch.setattr(tercul.analysis, "ANALYSER_VERSION", "test-next")
    stale = analysis.stale_texts(session, work_ids=[work.id])
    assert {e for e, _i, _r in stale} == {"work", "translation"}
    before = analysis.pending_count(session)
    jobs.on_start(session)  # what a worker (or the embedded relay) does when it starts
    assert analysis.pending_count(session) >= before + 2
    assert analysis.schedule_reanalysis(session) == 0  # already asked
    for entry in _analyse_rows(session):
        if entry.processed_at is None:
            jobs.run_entry(session, entry.id)
    assert len(calls) == 4
    versions = set(session.scalars(select(TextAnalysis.analyzer_version).where(
        TextAnalysis.revision_id == work.current_revision_id)))
    assert versions == {"test-next"}  # the stale result is replaced, not kept beside
    assert analysis.pending_count(session) == 0


def test_an_analyser_failure_stores_a_partial_result_and_is_not_retried(session, monkeypatch):
    work = make_work(stanzas=1, lines=3)

    def broken(text, **kwargs):
        raise ValueError("cannot read this script")

    monkeypatch.setattr(tercul.analysis, "analyse", broken)
    [entry] = _analyse_rows(session, "work", work.id)
    assert jobs.run_entry(session, entry.id) == "done"
    session.refresh(entry)
    assert entry.attempts == 0 and entry.dead_at is None and entry.processed_at is not None
    stored = analysis.analysis_for_revision(session, work.current_revision_id)
    assert stored.summary["partial"] is True
    assert stored.summary["counts"]["lines"] == 3
    assert "cannot read this script" in stored.summary["notes"][0]


@pytest.mark.parametrize("lines", [
    ["ᚠᚢᚦᚨᚱᚲ ᚷᚹᚺᚾ ᛁᛃᛇᛈ"],  # runes: a script no analyser knows
    ["word " * 3000],  # a very long line
    [""],  # an empty line only
])
def test_bad_input_gives_a_result_with_notes(session, lines):
    work, _ = catalog.upsert_work(session, catalog.WorkFields(slug="odd", title="Odd", language="en", form="poetry",
                                                              authors=[], genres=[], tags=[]))
    catalog.set_work_text(session, work, Text(divisions=[Division(key="1", kind="stanza", lines=[
        Line(key=f"1.{n}", text=t) for n, t in enumerate(lines, start=1)])]))
    session.flush()
    [entry] = _analyse_rows(session, "work", work.id)
    assert jobs.run_entry(session, entry.id) == "done"
    stored = analysis.analysis_for_revision(session, work.current_revision_id)
    assert stored is not None and stored.current


def test_enrich_all_leaves_nothing_pending_and_is_idempotent(session, cli_runner, calls):
    make_sonnet(session)
    make_work(translations=("fr", "de"))
    session.commit()
    assert analysis.pending_count(session) >= 4
    result = cli_runner.invoke(args=["enrich", "--all", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert analysis.pending_count(session) == 0
    assert "0 analyse job(s) pending" in result.output
    analysed = len(calls)
    assert analysed >= 4
    again = cli_runner.invoke(args=["enrich", "--all", "--no-progress"])
    assert again.exit_code == 0 and "analysed 0 of" in again.output
    assert len(calls) == analysed


def test_enrich_named_works_and_their_parts(session, cli_runner, calls):
    sonnet = make_sonnet(session)
    other = make_work()
    session.commit()
    result = cli_runner.invoke(args=["enrich", "sonnet-18", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert analysis.analysis_for_revision(session, sonnet.current_revision_id) is not None
    assert analysis.analysis_for_revision(session, other.current_revision_id) is None
    assert len(calls) == 1


def test_enrich_unknown_work_fails_clearly(session, cli_runner):
    result = cli_runner.invoke(args=["enrich", "no-such-work"])
    assert result.exit_code == 1
    assert "no work with the slug 'no-such-work'" in result.output
    usage = cli_runner.invoke(args=["enrich"])
    assert usage.exit_code == 2 and "--all" in usage.output


def test_enrich_stale_only_writes_outbox_rows(session, cli_runner, calls, monkeypatch):
    make_sonnet(session)
    session.commit()
    cli_runner.invoke(args=["enrich", "--all", "--no-progress"])
    monkeypatch.setattr(tercul.analysis, "ANALYSER_VERSION", "test-next")
    calls.clear()
    result = cli_runner.invoke(args=["enrich", "--stale"])
    assert result.exit_code == 0, result.output
    assert "1 text(s) to analyse again" in result.output
    assert calls == [] and analysis.pending_count(session) == 1


def test_enrich_in_two_processes_stores_the_same_results(session, cli_runner):
    sonnet = make_sonnet(session)
    works = [make_work(translations=("fr",)) for _ in range(3)]
    session.commit()
    result = cli_runner.invoke(args=["enrich", "--all", "--no-progress", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "analysed 7 of 7" in result.output and analysis.pending_count(session) == 0
    stored = analysis.analysis_for_revision(session, sonnet.current_revision_id)
    assert stored.summary["rhyme_scheme"] == "ABAB CDCD EFEF GG"
    for work in works:
        assert analysis.analysis_for_revision(session, work.current_revision_id).summary["counts"]["lines"] == 8


def test_a_result_stored_meanwhile_by_another_worker_is_kept(session, calls):
    work = make_sonnet(session)
    planned = analysis.plan_analysis(session, work.current_revision_id)
    result = analysis.run_pending(planned.arguments)
    # another worker stores its result first: the unique (revision, version) refuses a second row
    first = analysis._store(session, planned.subject, planned.version, planned.digest, result)
    second = analysis._store(session, planned.subject, planned.version, planned.digest, result)
    assert second.id == first.id
    assert session.scalar(select(func.count()).select_from(TextAnalysis).where(
        TextAnalysis.revision_id == work.current_revision_id)) == 1


def test_form_features_find_works_and_their_collections(session):
    from tercul.models import Work
    from tercul.services.errors import Invalid

    collection, _ = catalog.upsert_work(session, catalog.WorkFields(slug="the-sonnets", title="The Sonnets",
                                                                    language="en", form="poetry", authors=[],
                                                                    genres=[], tags=[]))
    sonnet = make_sonnet(session)
    sonnet.parent_id = collection.id
    plain = make_work(stanzas=2, lines=4)
    for work in (sonnet, plain):
        analysis.analyse_revision(session, work.current_revision_id)
    session.flush()
    counts = {f: n for f, _label, n in analysis.feature_counts(session)}
    assert counts["sonnet"] == 1 and counts["iambic"] == 1 and "sonnet" in dict(
        (f, label) for f, label, _n in analysis.feature_counts(session))
    top = set(session.scalars(select(Work.slug).where(Work.id.in_(analysis.works_with_feature("sonnet")))))
    assert top == {"the-sonnets"}
    parts = set(session.scalars(select(Work.slug).where(Work.id.in_(analysis.works_with_feature("sonnet",
                                                                                                parts=True)))))
    assert parts == {"sonnet-18"}
    assert analysis.clean_feature(" Free verse ") == "free-verse"
    assert analysis.clean_feature("") is None
    with pytest.raises(Invalid):
        analysis.clean_feature("limerick")
    assert analysis.feature_label("readability-fairly-easy") == "Readability: fairly easy"
