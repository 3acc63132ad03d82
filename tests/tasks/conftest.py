"""Job tests: the app's backend points at a fresh index folder per test."""
import pytest

from tercul.search import forget_backends, get_backend


@pytest.fixture
def app_backend(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    yield get_backend(app)
    forget_backends()
