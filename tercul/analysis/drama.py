"""Drama: who speaks, and how many of the spoken lines each speaker has."""
from __future__ import annotations

from collections import Counter

from .results import Speaker


def speakers(lines) -> list[Speaker]:
    """Speakers of ``lines`` (text-core lines with ``speaker``), most lines first."""
    counts = Counter((line.speaker or "").strip() for line in lines
                     if line.kind == "line" and (line.speaker or "").strip())
    total = sum(counts.values())
    return [Speaker(name, n, round(n / total, 4))
            for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
