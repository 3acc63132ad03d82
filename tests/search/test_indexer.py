"""Verification finds every difference between the database and the index; repair fixes them."""
from sqlalchemy import select

from tercul.models import Translation
from tercul.search import indexer
from tercul.services import catalog

from .conftest import text_of


def test_a_fresh_index_has_no_differences(indexed, session, backend):
    assert indexer.verify(session, backend) == []


def test_differences_are_found_and_repaired(indexed, session, backend):
    autumn = indexed["autumn"]
    catalog.upsert_translation(session, autumn, language="it", title="All'autunno",
                               text=text_of(["Stagione di nebbie e morbida abbondanza,"]), translator_name="T")
    backend.replace_texts([], delete=["w:%d" % indexed["waves"].id])
    session.commit()
    found = {(d.kind, d.key) for d in indexer.verify(session, backend)}
    it_key = "t:%d" % session.scalar(select(Translation.id).where(Translation.language == "it"))
    assert ("missing", it_key) in found and ("missing", "w:%d" % indexed["waves"].id) in found
    # a new translation changes "available in" for the original and the other translations
    assert ("stale", "w:%d" % autumn.id) in found
    indexer.repair(session, backend, indexer.verify(session, backend))
    assert indexer.verify(session, backend) == []


def test_missing_vectors_and_extra_texts(indexed, session, backend):
    from tercul.search.documents import load_texts

    texts = load_texts(session, [indexed["night"].id])
    backend.vectors.compact(live=set())  # lose every embedding
    backend.replace_texts([], delete=[])
    extra = texts[0]
    extra.key, extra.entity_id = "w:999999", 999999
    backend.replace_texts([extra])
    kinds = {d.kind for d in indexer.verify(session, backend)}
    assert kinds == {"vectors", "extra"}
    indexer.repair(session, backend, indexer.verify(session, backend))
    assert indexer.verify(session, backend) == []
