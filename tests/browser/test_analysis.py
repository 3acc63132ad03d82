"""The analysis in a real browser: the panel loaded by htmx, the margin toggled on and off."""
from __future__ import annotations

import re

import pytest
from literature import sonnet

from .conftest import screenshot

pytestmark = pytest.mark.browser

SONNET_18 = sonnet(18)  # read from the demo sources

SLUG = "browser-sonnet-18"


@pytest.fixture(scope="module")
def analysed_sonnet(live_app):
    """Sonnet 18, published and analysed, committed into the live database."""
    from sqlalchemy import select

    from tercul.extensions import cache, db
    from tercul.models import Work
    from tercul.services import analysis, catalog
    from tercul.texts.model import Division, Line, Text

    with live_app.app_context():
        work = db.session.scalar(select(Work).where(Work.slug == SLUG))
        if work is None:
            work, _ = catalog.upsert_work(db.session, catalog.WorkFields(
                slug=SLUG, title="Sonnet 18", language="en", form="poetry", authors=[], genres=[], tags=[]))
            catalog.set_work_text(db.session, work, Text(divisions=[Division(key="1", kind="poem", lines=[
                Line(key=f"l{n}", text=line) for n, line in enumerate(SONNET_18, start=1)])]))
            db.session.flush()
        analysis.analyse_revision(db.session, work.current_revision_id)
        db.session.commit()
        cache.clear()
        db.session.remove()
    return SLUG


def _margin(page, key: str) -> str:
    return page.evaluate("""key => getComputedStyle(document.getElementById('l-' + key), '::after').content""", key)


def test_the_panel_loads_and_the_margin_toggles(page, analysed_sonnet):
    page.goto(f"/works/{analysed_sonnet}")
    panel = page.locator("#analysis-panel")
    panel.wait_for()  # htmx replaced the link with the panel
    assert "ABAB CDCD EFEF GG" in panel.inner_text()
    assert "Iambic pentameter" in panel.inner_text()
    assert _margin(page, "l1") in ("none", "normal")

    page.get_by_role("link", name=re.compile("Show rhyme letters")).click()
    page.wait_for_url(re.compile(r"margin=1"))
    page.wait_for_function("getComputedStyle(document.getElementById('l-l1'), '::after').content !== 'none'")
    assert _margin(page, "l1") == '"A\u200210"'
    assert _margin(page, "l14").startswith('"G')
    page.locator("#l-l1").scroll_into_view_if_needed()
    screenshot(page, "analysis-margin")

    page.get_by_role("link", name=re.compile("Hide rhyme letters")).click()
    page.wait_for_url(re.compile(rf"/works/{analysed_sonnet}(#reader)?$"))
    assert _margin(page, "l1") in ("none", "normal")
    assert page.console_errors == []
