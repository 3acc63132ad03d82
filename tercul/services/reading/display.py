"""How reading pages show things: text direction, centuries, dates, first lines."""
from __future__ import annotations

from functools import lru_cache

import langcodes


@lru_cache(maxsize=2048)
def text_direction(code: str) -> str:
    """``rtl`` for languages written right to left (by their likely script), else ``ltr``."""
    try:
        script = langcodes.Language.get(code).maximize().script
    except Exception:  # noqa: BLE001 - direction is presentation; never fail a page for it
        return "ltr"
    return "rtl" if script in {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr",
                               "Mend", "Yezi"} else "ltr"


def century_label(century: int) -> str:
    n = abs(century)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} century" + (" BCE" if century < 0 else "")


def century_of(year: int) -> int:
    """1850 -> 19, 1900 -> 19, 1901 -> 20; -500 (500 BCE) -> -5, -1 -> -1."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year - 1) // 100 + 1)


def century_years(century: int) -> tuple[int, int]:
    """First and last year of a century, BCE years negative (there is no year 0)."""
    if century > 0:
        return (century - 1) * 100 + 1, century * 100
    n = -century
    return -(n * 100), -((n - 1) * 100) - 1


def format_dates(start: int | None, end: int | None) -> str | None:
    def year(y: int) -> str:
        return f"{-y} BCE" if y < 0 else str(y)

    if start is None and end is None:
        return None
    if start is None or end is None or start == end:
        return year(start if start is not None else end)
    return f"{year(start)}–{year(end)}"


def incipit(text: str | None, limit: int = 90) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def language_choices(counts: list[tuple[str, int]], name=None) -> list[tuple[str, str, int]]:
    """(code, label, works) for a language filter: two codes that would read the same
    ("English" for ``en`` and ``EN``-like variants, or a code without a name) get the
    code after the name, so that no two entries look alike."""
    from ..languages import language_name

    name = name or language_name
    labels = [(code, name(code), n) for code, n in counts]
    seen: dict[str, int] = {}
    for _code, label, _n in labels:
        seen[label.casefold()] = seen.get(label.casefold(), 0) + 1
    return [(code, f"{label} ({code})" if seen[label.casefold()] > 1 and label != code else label, n)
            for code, label, n in labels]
