"""Analysis pages: the panel, the margin (a query parameter, no script), the compare view, the review page."""
from __future__ import annotations

import re

import pytest
from contribution_helpers import login, page_client, text
from factories import UserFactory, make_work

from literature import sonnet
from tercul.extensions import cache
from tercul.services import analysis, catalog
from tercul.services import contributions as contributions_service
from tercul.texts.model import Division, Line, Text

SONNET_18 = sonnet(18)  # read from the demo sources

# a made-up unrhymed German text (not a translation): every line ends in another word
GERMAN_LINES = [f"Zeile {n} sieht heute den {word}" for n, word in enumerate(
    "Haus Baum Tisch Wald Berg Fluss Stadt Brot Licht Hand Weg Feld Stein Kind".split(), start=1)]


def _text(lines, prefix="l"):
    return Text(divisions=[Division(key="1", kind="poem", lines=[
        Line(key=f"{prefix}{n}", text=line) for n, line in enumerate(lines, start=1)])])


@pytest.fixture
def client(app, session):
    return page_client(app)


@pytest.fixture
def sonnet(session):
    work, _ = catalog.upsert_work(session, catalog.WorkFields(slug="sonnet-18", title="Sonnet 18", language="en",
                                                              form="poetry", authors=[], genres=[], tags=[]))
    catalog.set_work_text(session, work, _text(SONNET_18))
    catalog.upsert_translation(session, work, language="de", title="Sonett 18", text=_text(GERMAN_LINES),
                               translator_name="Niemand")
    session.flush()
    return work


def enrich(session):
    for entity, _id, revision_id in analysis.published_texts(session):
        analysis.analyse_revision(session, revision_id)
    session.commit()
    cache.clear()


def test_the_work_page_loads_the_panel_and_offers_the_margin(client, session, sonnet):
    page = text(client.get("/works/sonnet-18"))
    assert 'hx-get="/works/sonnet-18/analysis"' in page
    assert 'href="/works/sonnet-18?margin=1#reader"' in page
    assert "margin.css" not in page  # no margin unless asked for


def test_the_panel_before_and_after_the_analysis(client, session, sonnet):
    before = text(client.get("/works/sonnet-18/analysis", headers={"HX-Request": "true"}))
    assert "not been analysed yet" in before
    enrich(session)
    panel = text(client.get("/works/sonnet-18/analysis", headers={"HX-Request": "true"}))
    assert "<html" not in panel  # a fragment for htmx
    assert "ABAB CDCD EFEF GG" in panel
    assert "Iambic pentameter" in panel
    assert re.search(r"<dt>Lines</dt><dd>14</dd>", panel)
    assert "Readability" in panel
    page = text(client.get("/works/sonnet-18/analysis"))  # without JavaScript: a page
    assert "<html" in page and "ABAB CDCD EFEF GG" in page


def test_the_translation_panel_and_its_link_to_the_comparison(client, session, sonnet):
    enrich(session)
    page = text(client.get("/works/sonnet-18/translations/de"))
    assert 'hx-get="/works/sonnet-18/translations/de/analysis"' in page
    assert 'href="/works/sonnet-18/translations/de/form"' in page
    panel = text(client.get("/works/sonnet-18/translations/de/analysis"))
    assert "German detected" in panel


def test_the_margin_is_a_stylesheet_asked_for_by_a_query_parameter(client, session, sonnet):
    enrich(session)
    page = text(client.get("/works/sonnet-18?margin=1"))
    assert '<link rel="stylesheet" href="/works/sonnet-18/margin.css">' in page
    assert "Hide rhyme letters" in page
    assert 'href="/works/sonnet-18#reader"' in page  # the toggle switches it off again
    css = client.get("/works/sonnet-18/margin.css")
    assert css.mimetype == "text/css"
    body = css.get_data(as_text=True)
    assert '.ln[id="l-l1"]::after{content:"A\u200210"}' in body
    assert '.ln[id="l-l14"]::after{content:"G\u200210"}' in body
    # the page without the parameter is not served from the cached page with it, nor the reverse
    assert "margin.css" not in text(client.get("/works/sonnet-18"))
    assert "margin.css" in text(client.get("/works/sonnet-18?margin=1"))


def test_the_compare_view_sets_the_figures_side_by_side(client, session, sonnet):
    pending = text(client.get("/works/sonnet-18/translations/de/form"))
    assert "has not been analysed yet" in pending
    enrich(session)
    page = text(client.get("/works/sonnet-18/translations/de/form"))
    assert "Stanza by stanza" in page
    assert "ABAB CDCD EFEF GG" in page
    assert "iambic pentameter" in page
    assert re.search(r'<td class="syl">10 9 10', page)  # syllables per line of the original


def test_unknown_texts_are_404(client, session, sonnet):
    assert client.get("/works/nothing/analysis").status_code == 404
    assert client.get("/works/sonnet-18/translations/xx/analysis").status_code == 404
    assert client.get("/works/sonnet-18/translations/xx/form").status_code == 404
    assert client.get("/works/nothing/margin.css").status_code == 404


def test_the_review_page_compares_a_submission_and_flags_a_language_mismatch(client, session, sonnet):
    ana = UserFactory(role="contributor")
    ben = UserFactory(role="reviewer")
    enrich(session)
    # declared French, written in English: the reviewer is warned
    c = contributions_service.propose_translation(session, ana, sonnet.id, language="fr", title="Sonnet 18 (fr)",
                                                  text="\n".join(SONNET_18))
    session.commit()
    assert "/account/login" in (client.get(f"/review/{c.id}/form").location or "")
    login(client, ana)
    assert client.get(f"/review/{c.id}/form").status_code == 403
    login(client, ben)
    review = text(client.get(f"/review/{c.id}"))
    assert f'hx-get="/review/{c.id}/form"' in review
    fragment = text(client.get(f"/review/{c.id}/form", headers={"HX-Request": "true"}))
    assert "declared French" in fragment
    assert "Stanza by stanza" in fragment and fragment.count("ABAB CDCD EFEF GG") >= 2


def test_works_can_be_filtered_by_form_feature(client, session, sonnet):
    make_work("plain-poem", title="Plain Poem")
    enrich(session)
    page = text(client.get("/works"))
    assert '<option value="sonnet">Sonnet (1)</option>' in page
    found = text(client.get("/works?feature=sonnet"))
    assert "Sonnet 18" in found and "Plain Poem" not in found
    assert re.search(r'class="chip"[^>]*><span>Sonnet</span>', found)  # the active filter, removable
    iambic = text(client.get("/works?feature=iambic&form=poetry"))
    assert "Sonnet 18" in iambic and "Plain Poem" not in iambic
    odd = text(client.get("/works?feature=limerick"))
    assert "is not a form feature" in odd and "Plain Poem" in odd  # dropped and explained, not a 500
