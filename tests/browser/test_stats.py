"""/trending in Chromium: the period tabs swap the list in place; the admin plots render."""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a long enough passphrase 42"


@pytest.fixture(scope="module")
def trending_library(reading_library):
    """The reading library with views: one work read a lot today, another steadily for weeks."""
    from sqlalchemy import select

    from tercul.extensions import cache, db
    from tercul.models import ViewDaily, Work
    from tercul.services import stats

    with reading_library.app_context():
        works = db.session.execute(select(Work.id, Work.slug).where(Work.parent_id.is_(None)).order_by(Work.id)
                                   .limit(2)).all()
        today = stats.today()
        db.session.add(ViewDaily(kind="work", target_id=works[0].id, day=today, views=80))
        db.session.add_all(ViewDaily(kind="work", target_id=works[1].id, day=today - timedelta(days=ago), views=10)
                           for ago in range(40))
        stats.compute_trending(db.session)
        db.session.commit()
        cache.clear()
        db.session.remove()
    return [w.slug for w in works]


def test_trending_tabs_swap_the_list_in_place(page, trending_library):
    burst, steady = trending_library
    page.goto("/trending?period=day")
    page.evaluate("window.__notReloaded = true")
    first = page.locator(".trending-works .work-card-title a").first
    assert burst in first.get_attribute("href")
    page.get_by_role("link", name="This month").click()
    page.wait_for_url(re.compile(r"period=month"))
    page.wait_for_function(f"document.querySelector('.trending-works .work-card-title a').href.includes('{steady}')")
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped the list
    assert page.locator('.tabs a[aria-current="page"]').inner_text() == "This month"
    screenshot(page, "trending-month")
    page.get_by_role("link", name="Today").click()  # the swapped list has its tabs (and its target) again
    page.wait_for_url(re.compile(r"period=day"))
    page.wait_for_function(f"document.querySelector('.trending-works .work-card-title a').href.includes('{burst}')")
    page.select_option("#trending-lang", "en")
    page.wait_for_url(re.compile(r"period=day&lang=en"))
    assert page.locator('.tabs a[aria-current="page"]').inner_text() == "Today"
    assert page.evaluate("window.__notReloaded") is True
    assert page.console_errors == [], page.console_errors


def test_admin_sees_the_plots(page, trending_library, live_app):
    from tercul.extensions import db
    from tercul.models import User
    from tercul.services.passwords import hash_password

    address = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    with live_app.app_context():
        db.session.add(User(email=address, username=address.split("@")[0], display_name="Stats Admin", role="admin",
                            password_hash=hash_password(PASSWORD), email_verified_at=db.func.now()))
        db.session.commit()
        db.session.remove()
    page.goto("/account/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me")
    page.goto("/admin/stats?days=30")
    plot = page.locator('[data-series="views"] svg')
    assert plot.is_visible() and plot.bounding_box()["height"] > 50
    assert page.locator('[data-series="views"] rect').count() == 30
    screenshot(page, "admin-stats")
    assert page.console_errors == [], page.console_errors
