"""A field error is a field error, wherever its parent came from (a DataLoader included):
reported with its code and path, nulls moved up to the nearest nullable parent, and
never a 500 for the whole request."""
from __future__ import annotations

from factories import make_work


def run(client, query):
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_an_error_under_a_dataloader_parent_is_reported_on_its_field(client, session):
    work = make_work(translations=("fr",))
    translation_id = work.translations[0].id
    body = run(client, '{ ok: work(slug: "%s") { slug } t: translation(id: %d) { key work { slug '
                       'translations(language: "!!") { key } } } }' % (work.slug, translation_id))
    assert body["data"] == {"ok": {"slug": work.slug}, "t": None}  # Work.translations and Translation.work are non-null
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["path"] == ["t", "work", "translations"]
    # the same field under a parent that was not loaded through a DataLoader
    direct = run(client, '{ work(slug: "%s") { translations(language: "!!") { key } } }' % work.slug)
    assert direct["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and direct["data"] == {"work": None}


def test_errors_in_several_loaded_parents_are_each_reported(client, session):
    first, second = make_work(translations=("fr",)), make_work(translations=("de",))
    ids = [first.translations[0].id, second.translations[0].id]
    body = run(client, "{ %s }" % " ".join(
        f'a{i}: translation(id: {i}) {{ work {{ translations(language: "!!") {{ key }} }} }}' for i in ids))
    assert body["data"] == {f"a{i}": None for i in ids}
    assert sorted(e["path"][0] for e in body["errors"]) == sorted(f"a{i}" for i in ids)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
