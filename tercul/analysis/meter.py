"""The dominant meter of English verse, from CMU dictionary stresses.

Each line's syllables are marked: stressed and unstressed syllables of words of two or
more syllables as the dictionary gives them; one-syllable words are free, leaning
unstressed for function words (``the``, ``of``, ``and``) and stressed for the others.
Every line is fitted to iambic, trochaic, anapestic and dactylic lines of one to
eight feet (with a feminine ending, a catalectic last foot, and an inverted first foot
allowed); the meter with the least cost over all the lines is the poem's, and the
share of lines that fit it well is the confidence.
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


def _variants(foot: str, feet: int) -> list[tuple[str, float]]:
    unit = FEET[foot]
    template = unit * feet
    out = [(template, 0.0)]
    if unit.endswith("1"):
        out.append((template + "0", 0.1))  # feminine ending
        if unit == "001":
            out.append((template[1:], 0.1))  # first foot an iamb
    else:
        out.append((template.rstrip("0"), 0.05))  # catalectic
    if foot == "iambic":
        # an inverted first foot (trochee for iamb) is the commonest licence
        out += [("10" + t[2:], p + 0.25) for t, p in list(out)]
    return out


_METERS = [(foot, feet) for foot in FEET for feet in LENGTHS]
_BY_LENGTH: dict[int, list[tuple[str, int, str, float]]] = {}  # syllables -> (foot, feet, beats, penalty)
for _foot, _feet in _METERS:
    for _beats, _penalty in _variants(_foot, _feet):
        _BY_LENGTH.setdefault(len(_beats), []).append((_foot, _feet, _beats, _penalty))
# Triple meters and trochees are rarer in English verse than iambs: a line that fits
# several equally is read as iambic.
_PRIOR = {"iambic": 0.0, "trochaic": 0.1, "anapestic": 0.3, "dactylic": 0.3}
MISS = 3.0  # cost of a line whose syllable count does not fit the meter at all


def line_costs(pattern: str) -> dict[tuple[str, int], tuple[float, str]]:
    """(foot, feet) -> (cost, beats) for each meter the line's length fits."""
    out: dict[tuple[str, int], tuple[float, str]] = {}
    for foot, feet, beats, penalty in _BY_LENGTH.get(len(pattern), ()):
        cost = _cost(pattern, beats) + penalty
        if (foot, feet) not in out or cost < out[(foot, feet)][0]:
            out[(foot, feet)] = (cost, beats)
    return out


def fit_line(pattern: str) -> LineMeter | None:
    """The meter one line fits best on its own (within ``MAX_COST_PER_SYLLABLE``)."""
    best: LineMeter | None = None
    for (foot, feet), (cost, beats) in line_costs(pattern).items():
        cost += _PRIOR[foot]
        if cost / len(pattern) <= MAX_COST_PER_SYLLABLE + _PRIOR[foot] and (best is None or cost < best.cost):
            best = LineMeter(foot, feet, cost, pattern, beats)
    return best


def meter_name(foot: str, feet: int) -> str:
    return f"{foot} {LENGTHS.get(feet, f'{feet}-foot')}"


def dominant_meter(lines: list[str]) -> tuple[dict | None, dict[int, LineMeter | None]]:
    """({name, foot, feet, confidence} or None, each line's fit to that meter).

    The poem's meter is the one with the least total cost over its lines (a line whose
    length does not fit costs ``MISS``); its confidence is the share of lines that fit
    it within ``MAX_COST_PER_SYLLABLE``."""
    costs: list[tuple[str, dict]] = []
    for line in lines:
        pattern = marks(line)
        costs.append((pattern, line_costs(pattern) if pattern and len(pattern) <= 24 else {}))
    spoken = [c for c in costs if c[0]]
    fitted: dict[int, LineMeter | None] = {i: None for i in range(len(lines))}
    if len(spoken) < MIN_LINES:
        return None, fitted
    totals: Counter = Counter()
    for key in _METERS:
        foot = key[0]
        totals[key] = sum(c[key][0] if key in c else MISS for _, c in spoken) + _PRIOR[foot] * len(spoken)
    (foot, feet), _ = min(totals.items(), key=lambda item: item[1])
    good = 0
    for i, (pattern, c) in enumerate(costs):
        if pattern and (foot, feet) in c and c[(foot, feet)][0] / len(pattern) <= MAX_COST_PER_SYLLABLE:
            good += 1
            cost, beats = c[(foot, feet)]
            fitted[i] = LineMeter(foot, feet, cost, pattern, beats)
    share = good / len(spoken)
    if share < MIN_SHARE:
        return None, fitted
    return {"name": meter_name(foot, feet), "foot": foot, "feet": feet, "confidence": round(share, 3)}, fitted
