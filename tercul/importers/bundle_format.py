"""The Tercul bundle: a JSON or YAML file (or a directory of them) holding a library.

Documented in ``docs/bundle-format.md``. ``read_bundle`` validates while it reads and
reports the file and the place of the first problem (``works[3].text.divisions[0]``);
``write_bundle`` writes what ``tercul export`` produces, which reads back the same.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..texts.model import FORMS, Division, Line, Text
from .bundle_model import AuthorData, Bundle, BundleError, TranslationData, WorkData

FORMAT_NAME = "tercul-bundle"
FORMAT_VERSION = 1
SUFFIXES = (".json", ".yaml", ".yml")


def read_bundle(path: str | Path) -> Bundle:
    """Read a bundle file, or every bundle file in a directory (sorted by name)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        if not files:
            raise BundleError(str(path), "no .json or .yaml bundle files in this directory")
        merged = Bundle(origin=str(path))
        for file in files:
            part = read_bundle(file)
            merged.authors.extend(part.authors)
            merged.works.extend(part.works)
        return merged
    if not path.is_file():
        raise BundleError(str(path), "no such file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}:byte {exc.start}", "not UTF-8 text") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{path}:{exc.lineno}:{exc.colno}", f"invalid JSON ({exc.msg})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise BundleError(where, f"invalid YAML ({getattr(exc, 'problem', exc)})") from None
    return bundle_from_data(data, str(path))


def bundle_from_data(data: Any, origin: str) -> Bundle:
    r = _Reader(origin)
    obj = r.mapping(data, "")
    if obj.get("format") != FORMAT_NAME:
        r.fail("format", f"expected format: {FORMAT_NAME}")
    if obj.get("version") != FORMAT_VERSION:
        r.fail("version", f"unsupported version {obj.get('version')!r} (this Tercul reads {FORMAT_VERSION})")
    bundle = Bundle(origin=origin)
    for i, a in enumerate(r.list(obj.get("authors", []), "authors")):
        bundle.authors.append(r.author(a, f"authors[{i}]"))
    for i, w in enumerate(r.list(obj.get("works", []), "works")):
        bundle.works.append(r.work(w, f"works[{i}]"))
    return bundle


class _Reader:
    def __init__(self, origin: str):
        self.origin = origin

    def fail(self, where: str, problem: str):
        raise BundleError(f"{self.origin}: {where}" if where else self.origin, problem)

    def mapping(self, value, where) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "expected a mapping")
        return value

    def list(self, value, where) -> list:
        if not isinstance(value, list):
            self.fail(where, "expected a list")
        return value

    def string(self, obj: dict, name: str, where: str, required: bool = True) -> str | None:
        value = obj.get(name)
        if value is None:
            if required:
                self.fail(f"{where}.{name}", "missing")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{where}.{name}", "expected a non-empty string")
        return value

    def integer(self, obj: dict, name: str, where: str) -> int | None:
        value = obj.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            self.fail(f"{where}.{name}", "expected a whole number")
        return value

    def strings(self, obj: dict, name: str, where: str) -> list[str]:
        values = obj.get(name, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.fail(f"{where}.{name}", "expected a list of strings")
        return values

    def author(self, value, where) -> AuthorData:
        a = self.mapping(value, where)
        names = a.get("names", {})
        if not isinstance(names, dict):
            self.fail(f"{where}.names", "expected a mapping of language to name")
        return AuthorData(
            slug=self.string(a, "slug", where), name=self.string(a, "name", where), names=names,
            birth_year=self.integer(a, "birth_year", where), death_year=self.integer(a, "death_year", where),
            country=self.string(a, "country", where, False), biography=self.string(a, "biography", where, False),
        )

    def text(self, value, where) -> Text:
        t = self.mapping(value, where)
        return Text(divisions=[self.division(d, f"{where}.divisions[{i}]")
                               for i, d in enumerate(self.list(t.get("divisions"), f"{where}.divisions"))])

    def division(self, value, where) -> Division:
        d = self.mapping(value, where)
        lines = []
        for i, ln in enumerate(self.list(d.get("lines", []), f"{where}.lines")):
            lw = f"{where}.lines[{i}]"
            ln = self.mapping(ln, lw)
            text = ln.get("text")
            if not isinstance(text, str):
                self.fail(f"{lw}.text", "missing")
            lines.append(Line(key=self.string(ln, "key", lw), text=text,
                              speaker=self.string(ln, "speaker", lw, False),
                              indent=self.integer(ln, "indent", lw) or 0, kind=ln.get("kind", "line")))
        return Division(
            key=self.string(d, "key", where), kind=self.string(d, "kind", where),
            title=self.string(d, "title", where, False),
            divisions=[self.division(c, f"{where}.divisions[{i}]")
                       for i, c in enumerate(self.list(d.get("divisions", []), f"{where}.divisions"))],
            lines=lines,
        )

    def translation(self, value, where) -> TranslationData:
        t = self.mapping(value, where)
        alignment = t.get("alignment", {})
        if not isinstance(alignment, dict) or not all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in alignment.values()):
            self.fail(f"{where}.alignment", "expected a mapping of translation key to a list of original keys")
        if "text" not in t:
            self.fail(f"{where}.text", "missing")
        return TranslationData(
            language=self.string(t, "language", where), title=self.string(t, "title", where),
            text=self.text(t["text"], f"{where}.text"),
            translator_name=self.string(t, "translator_name", where, False),
            source=self.string(t, "source", where, False), licence=self.string(t, "licence", where, False),
            alignment=alignment,
        )

    def work(self, value, where) -> WorkData:
        w = self.mapping(value, where)
        form = self.string(w, "form", where)
        if form not in FORMS:
            self.fail(f"{where}.form", f"{form!r} is not one of {', '.join(FORMS)}")
        return WorkData(
            slug=self.string(w, "slug", where), title=self.string(w, "title", where),
            language=self.string(w, "language", where), form=form,
            text=self.text(w["text"], f"{where}.text") if w.get("text") is not None else None,
            authors=self.strings(w, "authors", where), genres=self.strings(w, "genres", where),
            tags=self.strings(w, "tags", where), period=self.string(w, "period", where, False),
            date_from=self.integer(w, "date_from", where), date_to=self.integer(w, "date_to", where),
            parent=self.string(w, "parent", where, False), position=self.integer(w, "position", where),
            source=self.string(w, "source", where, False), licence=self.string(w, "licence", where, False),
            translations=[self.translation(t, f"{where}.translations[{i}]")
                          for i, t in enumerate(self.list(w.get("translations", []), f"{where}.translations"))],
        )


# --- writing ---------------------------------------------------------------------

def _compact(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, [], {}, "") and not (k == "indent" and v == 0)
            and not (k == "kind" and v == "line")}


def _text_data(text: Text) -> dict:
    def division(d: Division) -> dict:
        return _compact({
            "key": d.key, "kind": d.kind, "title": d.title,
            "lines": [_compact({"key": ln.key, "text": ln.text, "speaker": ln.speaker, "indent": ln.indent,
                                "kind": ln.kind}) | {"text": ln.text} for ln in d.lines],
            "divisions": [division(c) for c in d.divisions],
        })

    return {"divisions": [division(d) for d in text.divisions]}


def bundle_to_data(bundle: Bundle) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "authors": [_compact(vars(a).copy()) for a in bundle.authors],
        "works": [
            _compact({
                "slug": w.slug, "title": w.title, "language": w.language, "form": w.form,
                "authors": w.authors, "genres": w.genres, "tags": w.tags, "period": w.period,
                "date_from": w.date_from, "date_to": w.date_to, "parent": w.parent, "position": w.position,
                "source": w.source, "licence": w.licence,
                "text": _text_data(w.text) if w.text else None,
                "translations": [_compact({
                    "language": t.language, "title": t.title, "translator_name": t.translator_name,
                    "source": t.source, "licence": t.licence, "alignment": t.alignment,
                    "text": _text_data(t.text),
                }) for t in w.translations],
            })
            for w in bundle.works
        ],
    }


def write_bundle(bundle: Bundle, path: str | Path) -> None:
    """Write a bundle as JSON (``.json``) or YAML (``.yaml``/``.yml``)."""
    path = Path(path)
    data = bundle_to_data(bundle)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        if path.suffix in (".yaml", ".yml"):
            yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False, width=120)
        else:
            json.dump(data, fh, ensure_ascii=False, indent=1)
    tmp.replace(path)
