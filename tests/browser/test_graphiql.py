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
