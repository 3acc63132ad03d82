"""Analysis benchmark: the whole demo library through ``tercul.analysis.analyse``.

Usage::

    .venv/bin/python bench/analysis.py [--workers 2] [--accuracy] [--limit N]

Reads every text of the demo library straight from the demo sources (the importers,
no database: ``tests/analysis/corpus.py``), analyses each in a pool of worker
processes (2 by default, the machine's cores), and prints texts per second, wall time,
the slowest texts, the language check over every text, and peak memory (the parent
holding the parsed library, and each worker). ``--accuracy`` also scores the labelled
set (``tests/analysis/labels.py``). Goal: the whole demo under 5 minutes and 1 GB.

``--enrich`` measures the real command instead: ``tercul enrich --all --jobs 2`` on a demo
library in ``bench/out/analysis-instance`` (built once; its stored analyses are deleted
before each run), sampling the total PSS of the command and its worker processes.
The in-process mode above overstates memory: its parent holds the whole parsed library,
where the command reads a few texts at a time from the database.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.analysis import corpus  # noqa: E402


def _rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pss_mb() -> float:
    """Proportional set size: pages shared with the parent after fork count by half."""
    try:
        with open("/proc/self/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _warm(_: int) -> float:
    from tercul.analysis import analyse
    from tercul.texts.model import Division, Line, Text

    started = time.perf_counter()
    analyse(Text([Division("1", "stanza", lines=[Line("1.1", "Shall I compare thee to a summer's day?")])]),
            language="en", form="poetry")
    return time.perf_counter() - started


def _analyse(item: corpus.DemoText) -> tuple:
    from tercul.analysis import analyse

    started = time.perf_counter()
    result = analyse(item.text, language=item.language, form=item.form)
    elapsed = time.perf_counter() - started
    return (item.name, item.language, item.form, elapsed, result.counts.get("lines", 0),
            result.language_supported, result.language_mismatch, result.language_detected,
            len(result.notes), os.getpid(), _rss_peak_mb(), _pss_mb())


def _tree_pss_mb(root: int) -> float:
    """Total PSS of a process and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0) / 1024
        except OSError:
            pass
    return total


def run_enrich(workers: int) -> int:
    """``tercul enrich --all`` on the demo library, with its wall time and peak total PSS."""
    import sqlite3
    import subprocess
    import threading

    instance = ROOT / "bench" / "out" / "analysis-instance"
    tercul = [sys.executable, "-c", "from tercul.cli import main; main()"]
    env = {**os.environ, "TERCUL_INSTANCE": str(instance), "JOBS_IN_PROCESS": "false",
           "OPENBLAS_NUM_THREADS": "1"}
    env.pop("DATABASE_URL", None)
    if not (instance / "tercul.sqlite").exists():
        instance.mkdir(parents=True, exist_ok=True)
        print("building the demo library once (tercul db upgrade, tercul demo --offline)...")
        for command in (["db", "upgrade"], ["demo", "--offline"]):
            subprocess.run(tercul + command, env=env, check=True, stdout=subprocess.DEVNULL)
    with sqlite3.connect(instance / "tercul.sqlite") as conn:
        conn.execute("DELETE FROM text_analyses")
    started = time.perf_counter()
    process = subprocess.Popen(tercul + ["enrich", "--all", "--jobs", str(workers)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_pss_mb(process.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0]
    wall = time.perf_counter() - started
    sampler.join()
    print(output.strip().splitlines()[-1] if output.strip() else "(no output)")
    print(f"tercul enrich --all --jobs {workers}: {wall:.1f} s, peak total PSS {peak[0]:.0f} MB "
          f"(the command and its workers, sampled every 0.25 s)")
    print(f"goal: under 300 s and 1024 MB -> time {'met' if wall < 300 else 'NOT met'}, "
          f"memory {'met' if peak[0] < 1024 else 'NOT met'}")
    return process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="analyse only the first N texts")
    parser.add_argument("--accuracy", action="store_true", help="also score the labelled set")
    parser.add_argument("--enrich", action="store_true",
                        help="measure `tercul enrich --all` on a demo database instead")
    args = parser.parse_args()
    if args.enrich:
        return run_enrich(args.workers)
    if not corpus.available():
        print("the demo sources are missing: run `make setup` (or `tercul demo --download-only`)")
        return 1

    started = time.perf_counter()
    items = list(corpus.demo_texts())
    read = time.perf_counter() - started
    if args.limit:
        items = items[:args.limit]
    # by language (a worker keeps one language's lemma dictionary and frequency list
    # loaded: see tercul/analysis/tokens.py), the longest texts first within each
    items.sort(key=lambda d: (d.language.split("-")[0], -sum(1 for _ in d.text.iter_lines())))
    print(f"read {len(items)} texts from the demo sources in {read:.1f} s "
          f"(parent peak RSS {_rss_peak_mb():.0f} MB)")

    # load the analysers (models, the CMU dictionary) once before forking, as a worker
    # process with threads would: the workers share those pages
    print(f"the analysers loaded in {_warm(0):.1f} s (parent peak RSS {_rss_peak_mb():.0f} MB)")
    context = get_context("fork")
    rows = []
    with context.Pool(args.workers, maxtasksperchild=None) as pool:
        began = time.perf_counter()
        for row in pool.imap_unordered(_analyse, items, chunksize=1):
            rows.append(row)
        wall = time.perf_counter() - began
    worker_peaks: dict[int, float] = {}
    worker_pss: dict[int, float] = {}
    for row in rows:
        worker_peaks[row[9]] = max(worker_peaks.get(row[9], 0), row[10])
        worker_pss[row[9]] = max(worker_pss.get(row[9], 0), row[11])

    by_form = Counter()
    time_by_form = Counter()
    for name, language, form, elapsed, *_ in rows:
        by_form[form] += 1
        time_by_form[form] += elapsed
    print(f"\nanalysed {len(rows)} texts in {wall:.1f} s on {args.workers} worker(s): "
          f"{len(rows) / wall:.1f} texts/s; CPU time in analyse {sum(r[3] for r in rows):.1f} s")
    for form in sorted(by_form):
        print(f"  {form:7} {by_form[form]:5} texts  {time_by_form[form]:7.1f} s  "
              f"{time_by_form[form] / by_form[form] * 1000:8.1f} ms/text")
    print("slowest:", ", ".join(f"{r[0]} {r[3]:.1f} s ({r[4]} lines)" for r in sorted(rows, key=lambda r: -r[3])[:5]))
    supported = [r for r in rows if r[5]]
    mismatched = [r for r in supported if r[6] or r[7] is None]
    print(f"language: {len(supported)} texts in a language the detector supports, "
          f"{len(supported) - len(mismatched)} detected as declared ({len(mismatched)} not: "
          f"{', '.join(f'{r[0]}={r[7]}' for r in mismatched[:10])}); {len(rows) - len(supported)} unsupported")
    print(f"texts with notes (partial results): {sum(1 for r in rows if r[8])}")
    total_peak = _rss_peak_mb() + sum(worker_peaks.values())
    total_pss = _pss_mb() + sum(worker_pss.values())
    print(f"peak RSS: parent {_rss_peak_mb():.0f} MB, workers "
          f"{', '.join(f'{v:.0f}' for v in worker_peaks.values())} MB; together {total_peak:.0f} MB "
          f"(an upper bound: forked workers share the parent's pages); workers' largest PSS "
          f"{', '.join(f'{v:.0f}' for v in worker_pss.values())} MB, with the parent's {total_pss:.0f} MB")
    print(f"goal: under 300 s and 1024 MB -> time {'met' if wall < 300 else 'NOT met'}, memory "
          f"{'met' if total_pss < 1024 else 'NOT met'} (PSS), {'met' if total_peak < 1024 else 'NOT met'} (RSS sum)")

    if args.accuracy:
        from tests.analysis import accuracy

        print("\naccuracy on the labelled set:")
        for score in (accuracy.sonnet_rhymes(), accuracy.english_meters(), accuracy.facets(),
                      accuracy.udhr_articles(), accuracy.psalm_languages()):
            print("  " + score.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
