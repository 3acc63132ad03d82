"""The dominant meter of English verse, from CMU dictionary stresses.

Each line's syllables are marked: stressed and unstressed syllables of words of two or
more syllables as the dictionary gives them; one-syllable words are free, leaning
unstressed for function words (``the``, ``of``, ``and``) and stressed for the others.
Every line is fitted to iambic, trochaic, anapestic and dactylic lines of one to
eight feet (with a feminine ending, a catalectic last foot, and an inverted first foot
allowed); the meter most lines fit best is the poem's, and its share is the confidence.
Below ``MIN_SHARE`` of the lines, or with fewer than ``MIN_LINES`` lines, no meter is
named (free verse, or too little to tell).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .syllables import english_syllables
from .tokens import WORD

FEET = {"iambic": "01", "trochaic": "10", "anapestic": "001", "dactylic": "100"}
LENGTHS = {1: "monometer", 2: "dimeter", 3: "trimeter", 4: "tetrameter", 5: "pentameter", 6: "hexameter",
           7: "heptameter", 8: "octameter"}
MIN_SHARE = 0.5
MIN_LINES = 4
MAX_COST_PER_SYLLABLE = 0.2
FUNCTION_WORDS = frozenset("""
a an the and but or nor for so yet of to in on at by with from as into upon than that this these those
i me my mine thou thee thy thine you ye your he him his she her it its we us our they them their who whom
whose which what is am are was were be been art hath has had have doth does did do shall should will would
may might can could must not no if then when where while though all some such o oh
""".split())


@dataclass
class LineMeter:
    foot: str
    feet: int
    cost: float
    marks: str  # the syllables' marks: 1 stressed, 0 unstressed, s/w free one-syllable words
    template: str  # the meter's beats over the line's syllables: "0101010101"


def marks(line: str) -> str | None:
    """Syllable marks of a line: 1/0 from the dictionary, s/w for one-syllable words
    (w: function word), ? for unknown words' syllables."""
    out = []
    for word in WORD.findall(line):
        n, stresses = english_syllables(word)
        if stresses is None:
            out.append("s" if n == 1 else "?" * n)
        elif n == 1:
            out.append("w" if word.lower().replace("’", "'") in FUNCTION_WORDS else "s")
        else:
            out.append(stresses.replace("2", "?"))
    return "".join(out) if out else None


_COST = {  # (mark, position stressed?) -> cost
    ("1", True): 0.0, ("1", False): 1.0, ("0", True): 0.5, ("0", False): 0.0,
    ("s", True): 0.0, ("s", False): 0.25, ("w", True): 0.25, ("w", False): 0.0,
    ("?", True): 0.0, ("?", False): 0.0,
}


def _cost(pattern: str, template: str) -> float:
    total = 0.0
    for i, (mark, position) in enumerate(zip(pattern, template)):
        total += _COST[(mark, position == "1")]
    return total


def fit_line(pattern: str) -> LineMeter | None:
    best: LineMeter | None = None
    n = len(pattern)
    for foot, unit in FEET.items():
        for feet in LENGTHS:
            template = unit * feet
            variants = [(template, 0.0)]
            if unit.endswith("1"):
                variants.append((template + "0", 0.1))  # feminine ending
                if unit == "001":
                    variants.append((template[1:], 0.1))  # first foot an iamb
            else:
                variants.append((template.rstrip("0"), 0.05))  # catalectic
            for variant, penalty in variants:
                if len(variant) != n:
                    continue
                candidates = [(variant, penalty)]
                if foot == "iambic":
                    # an inverted first foot (trochee for iamb) is the commonest licence
                    candidates.append(("10" + variant[2:], penalty + 0.25))
                for beats, extra in candidates:
                    cost = _cost(pattern, beats) + extra
                    if cost / n <= MAX_COST_PER_SYLLABLE and (best is None or cost < best.cost):
                        best = LineMeter(foot, feet, cost, pattern, beats)
    return best


def meter_name(foot: str, feet: int) -> str:
    return f"{foot} {LENGTHS.get(feet, f'{feet}-foot')}"


def dominant_meter(lines: list[str]) -> tuple[dict | None, dict[int, LineMeter | None]]:
    """({name, foot, feet, confidence} or None, fitted meter per line index)."""
    fitted: dict[int, LineMeter | None] = {}
    for i, line in enumerate(lines):
        pattern = marks(line)
        fitted[i] = fit_line(pattern) if pattern and len(pattern) <= 24 else None
    counted = Counter((m.foot, m.feet) for m in fitted.values() if m is not None)
    spoken = sum(1 for line in lines if WORD.search(line))
    if not counted or spoken < MIN_LINES:
        return None, fitted
    (foot, feet), n = counted.most_common(1)[0]
    share = n / spoken
    if share < MIN_SHARE:
        return None, fitted
    return {"name": meter_name(foot, feet), "foot": foot, "feet": feet, "confidence": round(share, 3)}, fitted
