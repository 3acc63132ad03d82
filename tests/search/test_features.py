"""Form features (issue 17) as a search facet: indexed from the stored analyses, filtered on
in the page's arguments and the API, and kept fresh when an analysis lands."""
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tercul.models import OutboxEntry, TextAnalysis
from tercul.search import indexer
from tercul.services import analysis
from tercul.services import search as service


def analysed(session, work, facets: str | None):
    """Store an analysis of ``work``'s published text with these facets (as the analysers would)."""
    session.add(TextAnalysis(revision_id=work.current_revision_id, analyzer_version=analysis.analyser_version(),
                             summary={}, lines={}, facets=facets))
    session.commit()


def search(session, backend, **args):
    return service.search(session, service.parse_search_args(MultiDict(args)), backend=backend, use_cache=False)


def test_features_are_a_facet_and_a_filter(indexed, session, backend):
    analysed(session, indexed["autumn"], " rhymed iambic readability-fairly-easy ")
    analysed(session, indexed["night"], " rhymed ")
    indexer.reindex(session, backend, embed=False)
    browse = search(session, backend)
    features = {f.name: f for f in browse.facets}["feature"]
    assert {(v.value, v.count) for v in features.values} == {("rhymed", 2), ("iambic", 1),
                                                              ("readability-fairly-easy", 1)}
    assert {v.label for v in features.values} >= {"Rhymed", "Readability: fairly easy"}
    assert [i.work_slug for i in search(session, backend, feature="iambic").items] == ["to-autumn"]
    rhymed = search(session, backend, q="sun", feature="Rhymed")  # spelled as shown is fine too
    assert rhymed.items and {i.work_slug for i in rhymed.items} == {"to-autumn"}
    # features are the text's own: the originals are rhymed, their (unanalysed) translations not yet
    unrhymed = {(i.work_slug, i.translation_key) for i in search(session, backend, not_feature="rhymed").items}
    assert unrhymed and not unrhymed & {("to-autumn", None), ("wanderers-nightsong", None)}
    unknown = search(session, backend, feature="limerick")
    assert ("Form features", "limerick") in unknown.params.unknown


def test_features_count_in_the_index_fingerprint(indexed, session, backend):
    assert indexer.verify(session, backend, vectors=False) == []
    analysed(session, indexed["waves"], " readability-standard ")
    assert [d.key for d in indexer.verify(session, backend, vectors=False)] == [f"w:{indexed['waves'].id}"]


def waiting_index_rows(session):
    return session.scalars(select(OutboxEntry).where(OutboxEntry.topic == "index", OutboxEntry.entity == "work",
                                                     OutboxEntry.processed_at.is_(None))).all()


def test_an_analysis_with_features_asks_for_its_work_once(indexed, session):
    for row in session.scalars(select(OutboxEntry)):
        row.processed_at = row.created_at  # the library's own requests are done
    session.commit()
    autumn, night = indexed["autumn"], indexed["night"]
    analysed(session, night, None)  # nothing the index would show
    assert analysis.request_search_refresh(session, {("work", night.id): night.current_revision_id}) == []
    analysed(session, autumn, " rhymed ")
    translation = autumn.translations[0]
    covered = {("work", autumn.id): autumn.current_revision_id}
    assert analysis.request_search_refresh(session, covered) == [autumn.id]
    session.add(TextAnalysis(revision_id=translation.current_revision_id, summary={}, lines={}, facets=" rhymed ",
                             analyzer_version=analysis.analyser_version()))
    # the translation's analysis lands while the work's request waits: no second request
    assert analysis.request_search_refresh(
        session, {("translation", translation.id): translation.current_revision_id}) == []
    session.commit()
    rows = waiting_index_rows(session)
    assert [r.entity_id for r in rows] == [autumn.id] and rows[0].available_at > rows[0].created_at


def test_the_analyse_job_ends_by_asking_for_an_index(indexed, session, app):
    from tercul.tasks import jobs

    for row in session.scalars(select(OutboxEntry)):
        row.processed_at = row.created_at
    autumn = indexed["autumn"]
    session.add(OutboxEntry(topic="analyse", entity="work", entity_id=autumn.id, version=autumn.current_revision_id,
                            payload={}))
    session.commit()
    entry = session.scalars(select(OutboxEntry).where(OutboxEntry.topic == "analyse",
                                                      OutboxEntry.processed_at.is_(None))).one()
    covered = jobs.HANDLERS["analyse"](session, entry)
    session.commit()
    assert covered == {("work", autumn.id): autumn.current_revision_id}
    stored = session.scalar(select(TextAnalysis.facets).where(TextAnalysis.revision_id == autumn.current_revision_id))
    assert bool(waiting_index_rows(session)) == bool(stored)
