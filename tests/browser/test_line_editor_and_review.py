"""In a real browser: translating line by line with the keyboard only, and commenting on lines in review.

Screenshots of the editor and of the review page with a line comment go to
``docs/screenshots/`` (the README shows them).
"""
from __future__ import annotations

import re
from pathlib import Path

from browser.test_contribution_flow import cast, open_as  # noqa: F401 - the same made-up poem and people

DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def docs_screenshot(page, name: str) -> None:
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"), full_page=False, caret="initial")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.name || ''")


def test_translating_line_by_line_with_the_keyboard_only(cast, open_as):  # noqa: F811
    ana = open_as(cast["Ana"])
    ana.goto(f"/contribute/works/{cast['slug']}/translate?editor=lines")
    ana.wait_for_load_state("networkidle")
    ana.get_by_label("Language", exact=True).focus()  # from here on, only keys
    ana.keyboard.type("de")
    ana.keyboard.press("Tab")
    ana.keyboard.type("Der Laternenanzünder")
    ana.get_by_label("At dusk the keeper climbs the stair").focus()
    for n, line in enumerate(["Am Abend steigt der Wärter auf", "  und zündet still das Licht",
                              "das Meer hört ihm beim Steigen zu"], start=1):
        assert focused(ana) == f"ln-1-{n}"
        ana.keyboard.type(line)
        ana.keyboard.press("Enter")  # the next line, never a submit
    assert focused(ana) == "ln-2-1"
    ana.keyboard.press("Shift+Enter")
    assert focused(ana) == "ln-1-3"
    ana.keyboard.press("Tab")
    ana.keyboard.type("Am Morgen löscht er Glas um Glas, und dann noch einmal, und noch einmal, "
                      "und noch einmal ganz, bis der Tag kommt und die Möwen schreien")
    # the line's own check, while typing (htmx)
    note = ana.locator("#ln-2-1-check .c-line-note")
    note.wait_for()
    assert "more than one line?" in note.inner_text()
    assert ana.locator("#lines-progress").inner_text() == "4 of 6 lines translated"
    # autosaved as a draft; the page now continues it
    ana.wait_for_url(re.compile(r"/contribute/\d+/revise\?editor=lines$"))
    assert "Draft saved at" in ana.locator("#autosave-status").inner_text()
    ana.keyboard.press("Control+Enter")  # save now, and say so
    ana.locator("#autosave-announce", has_text="Draft saved at").wait_for()
    docs_screenshot(ana, "line-editor")
    # submitting with two lines missing asks first
    ana.get_by_role("button", name="Submit for review").focus()
    ana.keyboard.press("Enter")
    ana.locator("#confirm").wait_for()
    assert "Stanza 2 has 1 lines; the original has 3." in ana.locator("#confirm").inner_text()
    ana.get_by_role("button", name="Submit anyway").focus()
    ana.keyboard.press("Enter")
    ana.wait_for_url(re.compile(r"/contribute/\d+$"))
    assert ana.locator(".flash").count() == 1
    assert ana.locator(".c-head .c-status").text_content() == "Waiting for review"
    assert ana.console_errors == [], ana.console_errors


def test_commenting_on_a_line_in_review(cast, open_as):  # noqa: F811
    ana = open_as(cast["Ana"])
    ana.goto(f"/contribute/works/{cast['slug']}/translate")
    ana.get_by_label("Language", exact=True).fill("fr")
    ana.get_by_label("Title of the translation").fill("L'Allumeur")
    ana.get_by_label("Text", exact=True).fill(
        "Le soir monte le gardien\n  et allume seul\nla mer le suit\n\n"
        "Au matin il éteint\n  et dort aux cris des mouettes\nles marches se souviennent")
    ana.get_by_role("button", name="Submit for review").click()
    ana.wait_for_url(re.compile(r"/contribute/\d+$"))
    contribution_id = int(ana.url.rsplit("/", 1)[1])

    ben = open_as(cast["Ben"])
    ben.goto(f"/review/{contribution_id}")
    ben.wait_for_load_state("networkidle")
    ben.keyboard.press("j")
    ben.keyboard.press("j")  # the second line
    ben.keyboard.press("c")
    assert ben.locator("#line_key").input_value() == "1.2"
    ben.keyboard.type("“allume seul”: the original says “alone”, keep it at the end?")
    ben.get_by_role("button", name="Add the comment").focus()
    ben.keyboard.press("Enter")
    ben.wait_for_url(re.compile(rf"/review/{contribution_id}#thread-\d+$"))
    thread = ben.locator(".c-thread")
    assert "Line 1.2 · 1 comment" in thread.inner_text() and "keep it at the end?" in thread.inner_text()
    ben.evaluate("document.getElementById('text-heading').scrollIntoView()")
    docs_screenshot(ben, "review")

    ana.goto(f"/contribute/{contribution_id}")
    thread = ana.locator(".c-thread")
    assert "keep it at the end?" in thread.inner_text()
    thread.locator("summary", has_text="Reply").click()
    ana.get_by_label("Your reply").fill("Yes: « et seul allume ».")
    thread.get_by_role("button", name="Reply").click()
    ana.locator(".c-thread", has_text="et seul allume").get_by_role("button", name="Resolve").click()
    assert "resolved" in ana.locator(".c-thread").inner_text()

    # a revision under review is kept in the browser until sent, and offered back
    ana.goto(f"/contribute/{contribution_id}/revise?editor=lines")
    ana.wait_for_load_state("networkidle")
    line = ana.get_by_label("and lights the lamp alone")
    line.focus()
    ana.keyboard.press("End")
    ana.keyboard.type(", à la fin")
    ana.reload()
    ana.get_by_role("button", name="Restore them").click()
    assert ana.get_by_label("and lights the lamp alone").input_value() == "  et allume seul, à la fin"
    assert ana.console_errors == [] and ben.console_errors == []

