"""axe-core (npm, ``node_modules/axe-core``) on every page type: no serious or critical violations.

axe is injected by the test into pages served as usual; the browser context bypasses
our Content Security Policy for that one script only (the pages themselves are the
real ones). The GraphQL explorer is GraphiQL's (third-party) and is left out.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "lantern orchard thunder"
ANONYMOUS_PAGES = [
    "/", "/works", "/works?author=tobias-renn&form=drama", "/authors", "/authors/mara-vell",
    "/works/the-lantern-keeper", "/works/the-lantern-keeper?with=de&with=fr&with=ar",
    "/works/the-ferrymans-daughter?with=de&part=2", "/works/the-lantern-keeper/translations/de",
    "/works/harbour-songs", "/search?q=lantern", "/account/login", "/account/register",
]


@pytest.fixture(scope="module")
def people(live_app, reading_library):
    """A contributor with a translation waiting for review, and a reviewer (committed)."""
    from sqlalchemy import select

    from tercul.extensions import cache, db
    from tercul.models import Work
    from tercul.services import accounts
    from tercul.services.contributions.submitting import propose_translation

    run = uuid.uuid4().hex[:6]
    with live_app.app_context():
        session = db.session
        contributor = accounts.create_user(session, email=f"ana-{run}@example.org", password=PASSWORD,
                                           display_name=f"Ana {run}", role="contributor", verified=True)
        accounts.create_user(session, email=f"ben-{run}@example.org", password=PASSWORD,
                             display_name=f"Ben {run}", role="reviewer", verified=True)
        work = session.scalar(select(Work).where(Work.slug == "the-lantern-keeper"))
        contribution = propose_translation(session, contributor, work.id, language="it", title="Il guardiano",
                                           text="Una riga\nun'altra riga")
        ids = {"contribution": contribution.id, "Ana": f"ana-{run}@example.org", "Ben": f"ben-{run}@example.org"}
        session.commit()
        cache.clear()
        db.session.remove()
    return ids


@pytest.fixture
def axe_page(browser, live_server):
    contexts = []

    def open_page(email: str | None = None):
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900},
                                      bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        if email:
            log_in(page, email, PASSWORD)
        return page

    yield open_page
    for context in contexts:
        context.close()


def serious_violations(page, path: str) -> list[str]:
    """axe's serious and critical violations (and heading order) on ``path``, one line each."""
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        // heading order is "moderate" for axe; we hold it to the same bar (h2 then h4 hides a level)
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
          .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': '
                      + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
    }""")
    return [f"{path}: {v['id']} ({v['impact']}) {json.dumps(v['nodes'])}" for v in result]


def test_axe_finds_nothing_serious_on_the_reading_pages(axe_page, reading_library):
    page = axe_page()
    found = []
    for path in ANONYMOUS_PAGES:
        found += serious_violations(page, path)
    assert found == [], "\n".join(found)


def test_axe_finds_nothing_serious_on_the_contribution_and_review_pages(axe_page, people):
    contributor = axe_page(people["Ana"])
    found = []
    for path in ["/contribute", "/contribute/works/the-lantern-keeper/translate", f"/contribute/{people['contribution']}",
                 "/me"]:
        found += serious_violations(contributor, path)
    reviewer = axe_page(people["Ben"])
    for path in ["/review", f"/review/{people['contribution']}"]:
        found += serious_violations(reviewer, path)
    assert found == [], "\n".join(found)


def test_there_is_a_favicon(page):
    page.goto("/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon.startswith("data:image/svg+xml,")  # inline: the page asks for no icon file
    assert page.evaluate("""src => new Promise(done => { const img = new Image();
        img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); img.src = src; })""", icon) > 0
    # for clients that ask anyway: redirected to the same icon, a static file
    response = page.request.get("/favicon.ico")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
