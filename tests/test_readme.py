"""The README's configuration table lists every variable the config reads."""
from pathlib import Path

from tercul.config import VARIABLES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_variable_is_documented():
    missing = [name for name, _, _ in VARIABLES if f"`{name}`" not in README]
    assert missing == []


def test_readme_starts_with_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1][:600]
    assert "make run" in quick_start and "make test" in quick_start


def test_every_variable_read_by_the_config_is_listed():
    import re

    source = (Path(__file__).resolve().parent.parent / "tercul" / "config.py").read_text()
    read = set(re.findall(r'_(?:env|choice|int|bool|database_url)\(\s*"([A-Z0-9_]+)"', source))
    listed = " ".join(name for name, _, _ in VARIABLES)
    assert read and sorted(n for n in read if n not in listed) == []
