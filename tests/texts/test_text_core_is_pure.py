"""The text core stays pure: no web framework, no database, nothing from importers or the app."""
from __future__ import annotations

import ast
from pathlib import Path

import tercul.texts

CORE = Path(tercul.texts.__file__).parent
# the only outside modules it may use: the domain errors and language names (leaf modules)
ALLOWED_OUTSIDE = {"tercul.services.errors", "tercul.services.languages"}
FORBIDDEN_LIBRARIES = {"flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug"}


def imports_of(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["tercul", "texts"][: 3 - node.level]  # the package this relative import starts from
                names.add(".".join(base + ([node.module] if node.module else [])))
            else:
                names.add(node.module or "")
    return names


def test_the_text_core_imports_no_framework_and_nothing_from_the_app():
    modules = sorted(CORE.glob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        for name in imports_of(path):
            assert name.split(".")[0] not in FORBIDDEN_LIBRARIES, f"{path.name} imports {name}"
            if name.startswith("tercul.") and not name.startswith("tercul.texts"):
                assert name in ALLOWED_OUTSIDE, f"{path.name} imports {name}"
