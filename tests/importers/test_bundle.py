"""The Tercul bundle format: loading is idempotent and export + import round-trips."""
import json

import pytest
from sqlalchemy import func, select

from tercul.importers.bundle_format import bundle_to_data, read_bundle, write_bundle
from samples import sample_bundle
from tercul.importers.bundle_model import BundleError
from tercul.importers.loader import export_library, load_bundle
from tercul.models import AlignmentLink, TextLine, TextRevision, Translation, Work


def counts(session):
    return {m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Work, Translation, TextRevision, TextLine, AlignmentLink)}


def test_loading_twice_changes_nothing(session):
    first = load_bundle(session, sample_bundle())
    assert first.created == {"authors": 1, "works": 3, "translations": 1}
    before = counts(session)
    second = load_bundle(session, sample_bundle())
    assert second.created == {} and second.updated == {}
    assert counts(session) == before


def test_changed_text_is_a_new_revision_and_keeps_the_old(session):
    load_bundle(session, sample_bundle())
    bundle = sample_bundle()
    bundle.works[1].text.divisions[1].lines[0].text = "The orchard speaks at last"
    report = load_bundle(session, bundle)
    assert report.updated["works"] == 1
    work = session.scalar(select(Work).where(Work.slug == "grey-stones"))
    numbers = session.scalars(select(TextRevision.number).where(TextRevision.work_id == work.id)).all()
    assert sorted(numbers) == [1, 2]


def test_export_then_import_into_an_empty_database_reproduces_the_library(session, tmp_path):
    load_bundle(session, sample_bundle())
    path = tmp_path / "library.json"
    write_bundle(export_library(session), path)
    exported = json.loads(path.read_text())
    # wipe and re-import
    for model in (Work,):
        for obj in session.scalars(select(model)):
            session.delete(obj)
    session.flush()
    assert counts(session)["Work"] == 0
    load_bundle(session, read_bundle(path))
    again = bundle_to_data(export_library(session))
    assert again == exported
    works = {w["slug"]: w for w in exported["works"]}
    assert works["grey-stones"]["translations"][0]["alignment"] == {"1.1": ["1.1", "1.2"]}
    assert works["grey-stones"]["parent"] == "collected"
    assert works["the-road"]["text"]["divisions"][0]["divisions"][0]["lines"][1]["speaker"] == "FIRST"


def test_yaml_and_json_read_the_same(tmp_path):
    bundle = sample_bundle()
    write_bundle(bundle, tmp_path / "a.json")
    write_bundle(bundle, tmp_path / "b.yaml")
    assert bundle_to_data(read_bundle(tmp_path / "a.json")) == bundle_to_data(read_bundle(tmp_path / "b.yaml"))


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d["works"][1]["text"]["divisions"][0]["lines"][0].pop("key"),
     "works[1].text.divisions[0].lines[0].key"),
    (lambda d: d["works"][1].update(form="opera"), "works[1].form"),
    (lambda d: d.update(version=99), "version"),
    (lambda d: d["works"][2]["text"]["divisions"][0].update(divisions="oops"), "works[2].text.divisions[0].divisions"),
])
def test_malformed_bundle_names_the_place(tmp_path, mutate, where):
    data = bundle_to_data(sample_bundle())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(BundleError) as err:
        read_bundle(path)
    assert str(path) in str(err.value) and where in str(err.value)


def test_truncated_json_reports_line_and_column(tmp_path):
    path = tmp_path / "cut.json"
    write_bundle(sample_bundle(), path)
    path.write_text(path.read_text()[:500])
    with pytest.raises(BundleError, match=r"cut\.json:\d+:\d+: invalid JSON"):
        read_bundle(path)


def test_semantic_errors_are_found_before_writing(session):
    bundle = sample_bundle()
    bundle.works[2].text.divisions[0].divisions[0].lines[2].key = "1.1.2"  # duplicate key
    with pytest.raises(BundleError, match="used twice"):
        load_bundle(session, bundle)
    assert counts(session)["Work"] == 0
    bundle = sample_bundle()
    bundle.works[1].translations[0].language = "xx"
    with pytest.raises(BundleError, match="translations\\[0\\].language"):
        load_bundle(session, bundle)
    assert counts(session)["Work"] == 0


def test_values_longer_than_their_column_are_refused_before_writing(session):
    bundle = sample_bundle()
    bundle.works[1].title = "x" * 501
    with pytest.raises(BundleError, match=r"works\[1\] \(grey-stones\)\.title: too long \(501 characters, at most 500\)"):
        load_bundle(session, bundle)
    bundle = sample_bundle()
    bundle.works[2].text.divisions[0].divisions[0].lines[1].speaker = "S" * 300
    with pytest.raises(BundleError, match=r"lines\[1\]\.speaker: too long"):
        load_bundle(session, bundle)
    assert counts(session)["Work"] == 0


def test_control_characters_are_stripped_on_import(session):
    bundle = sample_bundle()
    stanza = bundle.works[1].text.divisions[1]
    stanza.lines[0].text = "The orchard\x0c speaks"
    stanza.lines.append(type(stanza.lines[0])(key="eof", text="\x1a"))
    load_bundle(session, bundle)
    work = session.scalar(select(Work).where(Work.slug == "grey-stones"))
    texts = session.scalars(select(TextLine.text).where(TextLine.revision_id == work.current_revision_id)).all()
    assert "The orchard speaks" in texts
    assert not [t for t in texts if "\x1a" in t or "\x0c" in t or not t.strip()]
