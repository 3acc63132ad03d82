"""Job tests: the app's backend points at a fresh index folder per test."""
import pytest

from tercul.search import forget_backends, get_backend


@pytest.fixture(autouse=True)
def _index_jobs_only():
    """These tests are about the relay (claims, leases, retries, coalescing), told with index
    jobs; analyse jobs have their own tests (tests/services/test_analysis_service.py).
    A patch of its own: tests that undo their ``monkeypatch`` keep this one."""
    from tercul.tasks import jobs

    with pytest.MonkeyPatch.context() as patch:
        patch.delitem(jobs.HANDLERS, "analyse", raising=False)
        yield


@pytest.fixture
def app_backend(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    yield get_backend(app)
    forget_backends()
