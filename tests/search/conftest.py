"""Search tests: a fresh index folder per test, filled from the per-test database."""
from __future__ import annotations

import pytest

from tercul.search.tantivy_backend import TantivyBackend


@pytest.fixture
def backend(tmp_path):
    backend = TantivyBackend(tmp_path / "index", writer_heap=15_000_000)
    yield backend
    backend.close()
