"""The developer documents name only modules that exist: a reader following
docs/ARCHITECTURE.md or docs/DEVELOPMENT.md finds each one."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["docs/ARCHITECTURE.md", "docs/DEVELOPMENT.md"]
PATH = re.compile(r"\btercul/[\w/.]*\w/?")


def named_paths(doc: str) -> set[str]:
    return set(PATH.findall((ROOT / doc).read_text(encoding="utf-8")))


@pytest.mark.parametrize("doc", DOCS)
def test_every_tercul_path_named_exists(doc):
    paths = named_paths(doc)
    assert len(paths) >= 10
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


def test_the_architecture_names_every_package():
    named = {p.split("/")[1] for p in named_paths("docs/ARCHITECTURE.md") if p.count("/") >= 2 or p.endswith("/")}
    packages = {d.name for d in (ROOT / "tercul").iterdir() if (d / "__init__.py").exists()}
    assert sorted(packages - named) == []


def test_the_readme_links_both():
    layout = (ROOT / "README.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    assert "docs/ARCHITECTURE.md" in layout and "docs/DEVELOPMENT.md" in layout


def test_modules_named_in_the_architecture_table_exist_in_their_package():
    missing = []
    for row in (ROOT / "docs/ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        package = re.match(r"\| `(tercul/[\w/]+/)`", row)
        if package is None:
            continue
        base = ROOT / package.group(1)
        for name in re.findall(r"`(\w+(?:\.py|/))`", row):
            if not any(base.rglob(name.rstrip("/"))):
                missing.append(package.group(1) + name)
    assert missing == []
