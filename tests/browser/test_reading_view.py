"""The reading view in a real browser: four texts side by side, phones, citing a range,
and changing a column without highlighting a line the reader did not choose.

Saves ``reading-four-columns`` and ``reading-phone`` under ``tests/screenshots/``.
"""
from __future__ import annotations

import re

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(page, reading_library):
    return page


def _highlighted(page) -> int:
    return page.evaluate("document.querySelectorAll('.ln.is-active, .ln.is-linked, .ln:target').length")


def test_changing_a_column_highlights_no_line_the_reader_did_not_choose(reader):
    page = reader
    page.goto("/works/the-ferrymans-daughter?with=de")
    page.mouse.wheel(0, 900)
    page.wait_for_timeout(200)
    page.mouse.move(2, 2)
    page.select_option("#with-1", "")
    page.wait_for_url(re.compile(r"with=(?!de)"))
    page.wait_for_function("!document.querySelector('.seg .cell.c-translation')")
    assert "#" not in page.url
    assert _highlighted(page) == 0
    assert page.console_errors == []


def test_four_texts_side_by_side_with_a_sticky_bar_of_at_most_80_px(reader):
    page = reader
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto("/works/the-lantern-keeper?with=de&with=fr&with=ar")
    assert page.locator(".reader.cols-4").count() == 1
    lefts = page.evaluate("""() => Array.from(document.querySelector('.seg:has(#l-1\\\\.1)').children)
                             .map(c => Math.round(c.getBoundingClientRect().left))""")
    assert len(lefts) == 4 and lefts == sorted(lefts) and len(set(lefts)) == 4
    bar = page.locator(".reader-bar")
    screenshot(page, "reading-four-columns")
    assert bar.bounding_box()["height"] <= 80
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(200)
    assert abs(bar.bounding_box()["y"]) < 1  # it stays at the top while reading
    assert page.console_errors == []


def test_on_a_phone_headings_and_pickers_stay_readable(reader):
    page = reader
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/works/the-lantern-keeper?with=de&with=fr&with=ar#reader")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    heads = page.locator(".col-head")
    assert heads.count() == 4
    boxes = [heads.nth(i).bounding_box() for i in range(4)]
    # one heading a line, each on a single line of text, none overlapping the next
    for box, following in zip(boxes, boxes[1:]):
        assert following["y"] >= box["y"] + box["height"] - 1
    assert all(b["height"] < 30 for b in boxes)
    for i in range(1, 4):
        select = page.locator(f"#with-{i}").bounding_box()
        assert select["width"] >= 120 and select["x"] + select["width"] <= 390
    screenshot(page, "reading-phone")


def test_select_a_range_and_copy_its_citation(reader):
    page = reader
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/works/the-ferrymans-daughter?with=de")
    page.locator("#l-1\\.1\\.2 a.num").click()
    page.wait_for_url(re.compile(r"#l-1\.1\.2$"))
    page.locator("#l-1\\.1\\.4 a.num").click(modifiers=["Shift"])
    page.wait_for_url(re.compile(r"#l-1\.1\.2~l-1\.1\.4$"))
    assert page.locator("#l-1\\.1\\.2, #l-1\\.1\\.3, #l-1\\.1\\.4").evaluate_all(
        "els => els.every(e => e.classList.contains('is-active'))")
    bar = page.locator("#cite-bar")
    assert bar.is_visible()
    citation = page.locator("#cite-text").input_value()
    assert citation.split(", The Ferryman's Daughter, ")[1].startswith(
        "Act 1, scene 1, line 2 – line 4 (lines 1.1.2–1.1.4)"), citation
    assert "Die Tochter des Fährmanns, translated by Hanna Weiss" in citation
    permalink = citation.splitlines()[-1]
    assert permalink.endswith("/works/the-ferrymans-daughter?with=de#l-1.1.2~l-1.1.4")
    page.get_by_role("button", name="Copy citation").click()
    page.wait_for_function("document.querySelector('.cite-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    # the range permalink, opened afresh, highlights the range and its counterparts
    page.goto(permalink)
    page.locator("#l-1\\.1\\.3.is-active").wait_for()
    assert page.locator(".ln.is-active").count() == 3
    assert page.locator('.cell[lang="de"] .ln.is-linked').count() >= 3
    assert "#l-1.1.2~l-1.1.4" in page.url
    assert page.console_errors == []


def test_a_line_link_is_announced_once_with_its_number(reader):
    page = reader
    page.goto("/works/the-lantern-keeper")
    link = page.locator("#l-1\\.1 a.num")
    assert link.get_attribute("aria-label") == "Line 1"
    snapshot = page.locator("#l-1\\.1").aria_snapshot()
    assert snapshot.count("Line 1") == 1 and "link, link" not in snapshot


def test_selecting_lines_cites_them_and_a_single_line_link_cites_its_line(reader):
    page = reader
    page.goto("/works/the-lantern-keeper?with=de#l-1.1")
    assert page.locator("#cite-bar").is_visible()
    assert "(lines 1.1)" in page.locator("#cite-text").input_value()
    first = page.locator("#l-2\\.1").bounding_box()
    last = page.locator("#l-2\\.3").bounding_box()
    page.mouse.move(first["x"] + 60, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + 90, last["y"] + last["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(r"#l-2\.1~l-2\.3$"))
    assert "Line 5 – line 7 (lines 2.1–2.3)" in page.locator("#cite-text").input_value()
    assert page.console_errors == []
