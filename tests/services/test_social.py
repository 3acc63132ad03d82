"""Collections, likes, bookmarks and /me: the rules, in the services."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tercul.models import Collection, Like
from tercul.services import accounts
from tercul.services.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from tercul.services.social import bookmarks, collection_page, collections, dashboard, likes
from tests.factories import make_work

PASSWORD = "lantern orchard thunder"


def user(session, name="Ana", **kw):
    return accounts.create_user(session, email=f"{name.lower()}@example.org", password=PASSWORD, display_name=name,
                                verified=True, **kw)


def test_private_collections_exist_only_for_their_owner(session):
    ana, ben = user(session), user(session, "Ben")
    work = make_work(translations=("de",))
    mine = collections.create_collection(session, ana, title="  Night <script>poems</script> ", description="*x*")
    assert mine.title == "Night <script>poems</script>" and not mine.is_public and mine.slug.startswith("night")
    collections.add_item(session, ana, mine.id, work_id=work.id)
    for viewer in (ben, None):
        with pytest.raises(NotFound, match="no such collection"):
            collection_page.collection_page(session, viewer, mine.id)
        with pytest.raises((NotFound, Unauthenticated)):
            collections.add_item(session, viewer, mine.id, work_id=work.id)
    with pytest.raises(NotFound):
        collections.update_collection(session, ben, f"{mine.id}-night", is_public=True)
    with pytest.raises(NotFound):
        likes.set_like(session, ben, "collection", mine.id, True)
    assert collections.public_collections(session).pagination.total == 0
    assert collections.collections_of(session, ben, ana.id).pagination.total == 0
    assert collections.collections_of(session, ana, ana.id).pagination.total == 1

    collections.update_collection(session, ana, mine.id, is_public=True)
    view = collection_page.collection_page(session, ben, f"{mine.id}-anything")
    assert [i.work_slug for i in view.items] == [work.slug] and not view.is_owner
    with pytest.raises(Forbidden):  # public: seen by all, changed by its owner alone
        collections.add_item(session, ben, mine.id, work_id=work.id)
    assert collections.public_collections(session, query="NIGHT").cards[0].owner_username == ana.username
    assert collections.public_collections(session, query="100%").pagination.total == 0


def test_items_are_added_once_moved_reordered_and_removed(session):
    ana = user(session)
    w1, w2, w3 = make_work(translations=("fr",)), make_work(), make_work()
    c = collections.create_collection(session, ana, title="Reading", is_public=True)
    a = collections.add_item(session, ana, c.id, work_id=w1.id)
    t = collections.add_item(session, ana, c.id, translation_id=w1.translations[0].id, note="the French one")
    b = collections.add_item(session, ana, c.id, work_id=w2.id)
    with pytest.raises(Conflict, match="already in “Reading”"):
        collections.add_item(session, ana, c.id, work_id=w1.id)
    with pytest.raises(Invalid, match="not of that work"):
        collections.add_item(session, ana, c.id, work_id=w3.id, translation_id=w1.translations[0].id)
    with pytest.raises(NotFound):
        collections.add_item(session, ana, c.id, work_id=999999)

    assert collections.move_item(session, ana, c.id, b.id, offset=-1, expected_index=2) == 1
    with pytest.raises(Conflict, match="changed meanwhile"):  # the page still showed it last
        collections.move_item(session, ana, c.id, b.id, offset=-1, expected_index=2)
    view = collection_page.collection_page(session, ana, c.id)
    assert [i.id for i in view.items] == [a.id, b.id, t.id] and view.items[2].note == "the French one"
    assert view.items[2].languages == [w1.language, "fr"] and view.items[0].authors

    with pytest.raises(Conflict):
        collections.reorder_items(session, ana, c.id, [a.id, b.id])
    collections.reorder_items(session, ana, c.id, [t.id, a.id, b.id])
    collections.remove_item(session, ana, c.id, a.id)
    with pytest.raises(Conflict, match="no longer"):
        collections.remove_item(session, ana, c.id, a.id)
    view = collection_page.collection_page(session, ana, c.id)
    assert [i.id for i in view.items] == [t.id, b.id] and view.collection.item_count == 2


def test_likes_are_idempotent_and_counted(session):
    ana, ben = user(session), user(session, "Ben")
    work = make_work(translations=("de",))
    tr = work.translations[0]
    for who in (ana, ana, ben):
        state = likes.set_like(session, who, "work", work.id, True)
    assert state.count == 2 and state.liked
    assert likes.set_like(session, ana, "work", work.id, False).count == 1
    assert likes.set_like(session, ana, "work", work.id, False).count == 1
    likes.set_like(session, ana, "translation", tr.id, True)
    assert likes.liked_ids(session, ana, "translation", [tr.id, 5]) == {tr.id}
    assert likes.viewer_likes(session, ben, [("work", work.id), ("translation", tr.id)]) == [True, False]
    with pytest.raises(Invalid):
        likes.set_like(session, ana, "author", 1, True)
    with pytest.raises(Unauthenticated):
        likes.set_like(session, None, "work", work.id, True)
    items, pages = likes.likes_of(session, ana)
    assert [(i.kind, i.work_slug, i.key) for i in items] == [("translation", work.slug, tr.key)]
    assert session.scalar(select(Like.work_id).where(Like.user_id == ben.id)) == work.id  # trending counts per work


def test_bookmarks_remember_the_line_reached(session):
    ana = user(session)
    work = make_work(translations=("de",))
    assert bookmarks.save_position(session, ana, work.id, line_key="1.2") is None  # not on the list: not tracked
    assert bookmarks.set_bookmark(session, ana, work.id, True).count == 1
    assert bookmarks.set_bookmark(session, ana, work.id, True).count == 1
    assert bookmarks.continue_reading(session, ana) == []
    bookmarks.save_position(session, ana, work.id, translation_key="de", line_key="1.3")
    [item] = bookmarks.continue_reading(session, ana)
    assert (item.work_slug, item.translation_key, item.line_key) == (work.slug, "de", "1.3")
    with pytest.raises(Invalid):
        bookmarks.save_position(session, ana, work.id, line_key="<script>")
    with pytest.raises(Invalid):
        bookmarks.save_position(session, ana, work.id, translation_key="xx")
    assert bookmarks.set_bookmark(session, ana, work.id, False).count == 0
    assert bookmarks.reading_list(session, ana)[1].total == 0


def test_featuring_is_for_admins_and_public_collections(session):
    ana, admin = user(session), user(session, "Root", role="admin")
    c = collections.create_collection(session, ana, title="Mine", is_public=True)
    with pytest.raises(Forbidden):
        collections.set_featured(session, ana, c.id, True)
    collections.set_featured(session, admin, c.id, True)
    assert [f.id for f in collections.featured_collections(session)] == [c.id]
    collections.update_collection(session, ana, c.id, is_public=False)
    assert collections.featured_collections(session) == []
    with pytest.raises(NotFound):
        collections.set_featured(session, admin, c.id, True)


def test_dashboard_and_account_deletion(session, count_queries):
    ana, ben = user(session), user(session, "Ben")
    work = make_work()
    c = collections.create_collection(session, ana, title="Mine", is_public=True)
    collections.add_item(session, ana, c.id, work_id=work.id)
    likes.set_like(session, ana, "work", work.id, True)
    likes.set_like(session, ben, "collection", c.id, True)
    bookmarks.set_bookmark(session, ana, work.id, True)
    with count_queries as counter:
        board = dashboard.dashboard(session, ana, {"likes": "1"})
    assert counter.count <= 16
    assert board.collections.cards[0].title == "Mine" and board.reading[1].total == 1 and board.likes[0]
    assert board.comments is None

    accounts.delete_account(session, ana, PASSWORD)
    session.refresh(work)
    assert (work.like_count, work.bookmark_count) == (0, 0)
    assert session.scalar(select(func.count()).select_from(Collection)) == 0
    assert session.scalar(select(func.count()).select_from(Like)) == 0
