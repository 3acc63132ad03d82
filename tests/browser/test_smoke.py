def test_home_page_renders_without_console_errors(page):
    page.goto("/")
    assert page.locator("h1").first.inner_text() == "Tercul"
    assert page.console_errors == []
