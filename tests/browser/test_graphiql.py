"""GraphiQL renders from our own files, offline, under our CSP, with the examples in tabs."""
from .conftest import screenshot


def test_graphiql_renders_offline_and_runs_a_query(page):
    page.goto("/graphql")
    page.wait_for_selector(".graphiql-container", timeout=15000)
    assert page.locator(".graphiql-tab").count() >= 5
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(
        "() => document.querySelector('.result-window') && document.querySelector('.result-window').innerText.includes('stats')",
        timeout=15000)
    screenshot(page, "graphiql")
    assert [m for m in page.console_errors if "Content Security Policy" in m] == []


def test_graphiql_loads_the_schema_docs_and_autocomplete(page):
    """Introspection passes the limits: the docs explorer lists the root fields and the
    editor completes field names."""
    page.goto("/")
    page.get_by_role("link", name="API").click()
    page.wait_for_url("**/graphql")
    page.wait_for_selector(".graphiql-container", timeout=15000)
    page.get_by_role("button", name="Show Documentation Explorer").click()
    docs = page.locator(".graphiql-doc-explorer")
    docs.wait_for(timeout=15000)
    page.wait_for_function("document.querySelector('.graphiql-doc-explorer').innerText.includes('Query')",
                           timeout=15000)
    docs.get_by_text("Query", exact=True).first.click()
    page.wait_for_function("document.querySelector('.graphiql-doc-explorer').innerText.includes('readingView')",
                           timeout=15000)
    # autocomplete in a fresh tab's editor
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("{ readingV")
    hint = page.locator(".CodeMirror-hints .CodeMirror-hint", has_text="readingView").first
    hint.wait_for(timeout=15000)
    page.keyboard.press("Enter")
    assert "readingView" in editor.inner_text()
    assert [m for m in page.console_errors if "depth" in m.lower() or "introspection" in m.lower()] == []
