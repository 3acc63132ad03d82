"""How long comparing two revisions takes (tercul.texts.diff): a 5,000-line text in 500 stanzas.

Prints, for each case, the median of 5 runs of ``diff_by_segment`` and its summary:

- **small edits**: a line inserted, one changed, one removed, one moved (the usual review);
- **stanzas swapped**: the first and last 50 stanzas exchanged (moves everywhere);
- **every line rewritten**: each line changed (the worst case: every line paired and
  compared word by word).

    .venv/bin/python bench/diff.py

Made-up lines only (no literature): words drawn at random with a fixed seed.
"""
from __future__ import annotations

import random
import statistics
import time

from tercul.texts.diff import diff_by_segment
from tercul.texts.parsing import parse_plain_text

WORDS = ("bell rings over hill grey stone crow field river counsel evening elms lamp mill miller sack tide "
         "gull stair keeper pane dawn dusk sea salt reed heron moss slate").split()


def poem(lines: list[str]) -> object:
    return parse_plain_text("\n\n".join("\n".join(lines[i:i + 10]) for i in range(0, len(lines), 10)), "poetry")


def timed(old, new) -> tuple[float, dict]:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        result = diff_by_segment(old, new)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result.summary


def main() -> None:
    rng = random.Random(14)
    lines = [" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(5000)]
    small = list(lines)
    small.insert(100, "a line inserted here")
    small[2000] = "changed " + small[2000]
    del small[3000]
    small.insert(4000, small.pop(10))
    stanzas = [lines[i:i + 10] for i in range(0, 5000, 10)]
    swapped = [line for block in stanzas[-50:] + stanzas[50:-50] + stanzas[:50] for line in block]
    cases = {"small edits": small, "stanzas swapped": swapped, "every line rewritten": [f"{line} x" for line in lines]}
    old = poem(lines)
    for name, new_lines in cases.items():
        seconds, summary = timed(old, poem(new_lines))
        print(f"{name:22} {seconds * 1000:8.1f} ms  {summary}")


if __name__ == "__main__":
    main()
