"""The demo library meets its promised size, and building it twice adds nothing."""
import pytest
from sqlalchemy import func, select

from tercul.importers import demo
from tercul.models import Translation, Work


@pytest.fixture
def sources(app):
    with app.app_context():
        try:
            return demo.fetch_sources(offline=True)
        except demo.SourceUnavailable as exc:
            pytest.skip(f"demo sources not downloaded (make setup fetches them): {exc}")


def test_demo_library_counts_and_idempotence(session, sources):
    demo.build(session, offline=True, echo=lambda _: None)
    works = session.scalar(select(func.count(Work.id)).where(Work.current_revision_id.is_not(None)))
    translated = session.scalar(select(func.count(Work.id)).where(Work.translation_count > 0))
    languages = set(session.scalars(select(Translation.language).distinct()))
    assert works >= 200 and translated >= 100 and len(languages) >= 20

    def languages_of(slug):
        return set(session.scalars(select(Translation.language).join(Work).where(Work.slug == slug)))

    assert len(languages_of("universal-declaration-of-human-rights")) >= 30
    assert {"de", "fr", "es", "it", "ru"} <= languages_of("bible-gospel-of-john")
    assert len(languages_of("bible-psalms-23")) >= 5 and len(languages_of("bible-song-of-songs")) >= 5
    sonnet = session.scalar(select(Work).where(Work.title == "Sonnet 18"))
    assert sonnet is not None and sonnet.parent is not None and "shakespeare" in sonnet.source.lower()
    assert all(w.source for w in session.scalars(select(Work).where(Work.current_revision_id.is_not(None))))

    report = demo.build(session, offline=True, echo=lambda _: None)
    assert report.created == {} and report.updated == {}
