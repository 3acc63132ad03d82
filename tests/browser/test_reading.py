"""Reading in a real browser: browse with htmx, open a work, align, permalinks.

Runs against the live server seeded with ``tests/reading_samples.py``; saves the
screenshots named in the README under ``tests/screenshots/``.
"""
from __future__ import annotations

import re

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(page, reading_library):
    return page


def test_home_page_shows_the_library(reader):
    page = reader
    page.goto("/")
    assert page.locator("h1").first.inner_text() == "Tercul"
    assert page.locator(".language-table").is_visible()
    page.get_by_role("link", name=re.compile("Poetry")).first.is_visible()
    screenshot(page, "home")
    assert page.console_errors == []


def test_filtering_the_browse_page_updates_results_in_place(reader):
    page = reader
    page.goto("/works")
    page.evaluate("window.__notReloaded = true")
    total = page.locator(".work-card").count()
    assert total > 5
    screenshot(page, "browse")
    page.select_option("#f-lang", "de")
    page.wait_for_url(re.compile(r"/works\?.*lang=de"))
    page.wait_for_function("document.querySelectorAll('.work-card').length < %d" % total)
    titles = page.locator(".work-card-title").all_inner_texts()
    assert titles and all(t in ("Die Glocke im Nebel", "Der Brief") for t in titles)
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped the results, no reload
    assert page.locator(".chip", has_text="Written in German").is_visible()
    page.check("#f-form-prose")
    page.wait_for_url(re.compile(r"form=prose"))
    page.wait_for_function("document.querySelectorAll('.work-card').length === 1")
    assert page.locator(".work-card-title").inner_text() == "Der Brief"
    # the back button restores the previous filter state
    page.go_back()
    page.wait_for_url(re.compile(r"lang=de(?!.*form=)"))
    page.wait_for_function("document.querySelectorAll('.work-card').length === 2")
    assert page.console_errors == []


def test_open_a_work_choose_a_translation_and_see_aligned_lines(reader):
    page = reader
    page.goto("/works")
    page.get_by_role("link", name="The Lantern Keeper").click()
    page.wait_for_url(re.compile(r"/works/the-lantern-keeper"))
    assert page.locator("h1").inner_text() == "The Lantern Keeper"
    page.select_option("#with-1", "de")
    page.wait_for_url(re.compile(r"with=de"))
    german = page.locator('.seg:not(.col-heads) .cell.c-translation[lang="de"]').first
    german.wait_for()
    assert "Am Abend steigt der Wärter auf" in german.inner_text()
    # line 2.3 beside its German counterpart, in the same row
    original = page.locator("#l-2\\.3")
    row = original.locator("xpath=ancestor::div[contains(@class,'seg')][1]")
    assert "er putzt den Docht" in row.locator('.cell[lang="de"]').inner_text()
    # hovering the original line highlights it and its counterpart together
    original.hover()
    counterpart = row.locator('.cell[lang="de"] .ln')
    assert "is-active" in original.get_attribute("class")
    assert "is-linked" in counterpart.get_attribute("class")
    # and hovering the translation highlights the original
    page.mouse.move(0, 0)
    counterpart.hover()
    assert "is-linked" in original.get_attribute("class")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/works/the-lantern-keeper?with=de&with=fr")
    screenshot(page, "reading-desktop")
    assert page.console_errors == []


def test_swapping_columns_keeps_the_place(reader):
    page = reader
    page.set_viewport_size({"width": 1200, "height": 500})
    page.goto("/works/the-ferrymans-daughter?with=de#l-1.2.20")
    line = page.locator("#l-1\\.2\\.20")
    before = line.bounding_box()["y"]
    page.get_by_role("link", name="Swap columns").click()
    page.wait_for_url(re.compile(r"swap=1"))
    page.locator(".seg:not(.col-heads) .cell").first.wait_for()
    page.wait_for_function("() => document.querySelector('.seg:not(.col-heads):not(.seg-head) .cell')"
                           ".classList.contains('c-translation')")
    assert "#l-1.2.20" in page.url
    after = page.locator("#l-1\\.2\\.20").bounding_box()["y"]
    assert abs(after - before) < 40


def test_a_line_permalink_highlights_the_line_and_its_counterpart(reader):
    page = reader
    page.goto("/works/the-lantern-keeper?with=de#l-3.2")
    target = page.locator("#l-3\\.2")
    assert page.evaluate("document.querySelector(':target').id") == "l-3.2"
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    row = target.locator("xpath=ancestor::div[contains(@class,'seg')][1]")
    assert "is-linked" in row.locator('.cell[lang="de"] .ln').get_attribute("class")
    # a permalink to a line in another part of a long text finds its part
    page.goto("/works/the-ferrymans-daughter?with=de#l-2.3.5")
    page.wait_for_url(re.compile(r"line=l-2\.3\.5"))
    page.locator("#l-2\\.3\\.5").wait_for()
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == "l-2.3.5"
    assert page.console_errors == []


def test_section_level_alignment_is_marked_and_explained(reader):
    page = reader
    page.goto("/works/the-lantern-keeper?with=fr")
    assert "aligned by section" in page.locator(".align-note").inner_text()
    assert page.locator(".cell.coarse").count() == 1


def test_right_to_left_translation_and_narrow_screen(reader):
    page = reader
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/works/the-lantern-keeper?with=ar")
    arabic = page.locator('.cell[lang="ar"]').first
    assert arabic.get_attribute("dir") == "rtl"
    # interleaved: each original line is directly above its translation
    o = page.locator("#l-1\\.1").bounding_box()
    t = page.locator('.seg:has(#l-1\\.1) .cell[lang="ar"]').bounding_box()
    assert t["y"] >= o["y"] + o["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("/works/the-lantern-keeper?with=de#reader")
    screenshot(page, "reading-narrow")
    page.goto("/works")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pages_work_without_javascript(browser, live_server, reading_library):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/works")
        page.select_option("#f-lang", "fr")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"lang=fr"))
        assert page.locator(".work-card-title").all_inner_texts() == ["Chanson du Passeur", "La Maison des Vents"]
        page.goto("/works/the-lantern-keeper")
        page.select_option("#with-1", "fr")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(re.compile(r"with=fr"))
        assert page.locator('.cell[lang="fr"]').count() > 0
        page.goto("/works/the-ferrymans-daughter?with=de")
        page.get_by_role("link", name=re.compile("Act 2")).last.click()
        page.wait_for_url(re.compile(r"part=2"))
        assert page.locator("#l-2\\.1\\.1").count() == 1
    finally:
        context.close()
