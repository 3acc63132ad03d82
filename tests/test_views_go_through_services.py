"""The HTML views and the GraphQL API query nothing themselves: they call services.

Models may be imported for type hints only (under ``if TYPE_CHECKING:``); SQLAlchemy
only for its exceptions.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tercul

PACKAGE = Path(tercul.__file__).parent
VIEW_MODULES = sorted([*PACKAGE.glob("web/*.py"), *PACKAGE.glob("graphql/**/*.py")])


def _runtime_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every import not under ``if TYPE_CHECKING:``, relative ones resolved to tercul.*."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            # relative imports in these packages all lead back to tercul (..models, ...models)
            base = ("tercul." if node.level else "") + (node.module or "")
            if node.module is None:  # from .. import models
                found.extend((node.lineno, base + alias.name) for alias in node.names)
            else:
                found.append((node.lineno, base))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_import_no_models_and_no_query_builder(path: Path):
    imports = _runtime_imports(ast.parse(path.read_text(), str(path)))
    wrong = [(line, module) for line, module in imports
             if module.endswith(".models") or ".models." in module or module == "tercul.models"
             or (module.startswith("sqlalchemy") and module != "sqlalchemy.exc")]
    assert not wrong, f"{path.relative_to(PACKAGE)} queries by itself (move it into a service): {wrong}"


def test_the_check_sees_the_modules():
    assert any(p.name == "loaders.py" for p in VIEW_MODULES) and any(p.parent.name == "areas" for p in VIEW_MODULES)
    tree = ast.parse("from ..models import Work\nfrom .. import models\n"
                     "if TYPE_CHECKING:\n    from ...models import User\n")
    assert _runtime_imports(tree) == [(1, "tercul.models"), (2, "tercul.models")]
