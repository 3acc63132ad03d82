"""The reading pages lead to contributing and to the revision history."""
from factories import make_work


def test_work_and_translation_pages_link_to_contribute_and_history(client, session):
    make_work("linked", translations=("de",))
    html = client.get("/works/linked").get_data(as_text=True)
    assert 'href="/contribute/works/linked/translate"' in html
    assert 'href="/works/linked/history"' in html
    assert 'href="/contribute/works/linked/translations/de/edit"' in html
    assert 'href="/works/linked/translations/de/history"' in html
    alone = client.get("/works/linked/translations/de").get_data(as_text=True)
    assert 'href="/contribute/works/linked/translations/de/edit"' in alone
