"""Search benchmark: latency, index build and size, memory, and quality on a labelled set.

Usage (see bench/RESULTS.md for the figures of record)::

    .venv/bin/python bench/search.py --instance bench/out/search [--synthetic 100000]
        [--embed-sample 300] [--pad-vectors 500000] [--skip-build] [--skip-http]

Steps, each printed as it goes, all figures collected in ``<instance>/search-results.json``:

1. the library: ``tercul demo`` then ``tercul seed --synthetic N`` in a separate
   ``TERCUL_INSTANCE`` (skipped when it is there already);
2. the keyword index: ``tercul reindex --no-embed`` (timed), its size on disk;
3. embeddings: every demo passage, and a sample of synthetic works, timed (passages per
   second); the rest is extrapolated, not computed (2 cores: hours). To measure vector
   search at the scale of the whole library, the vector index can be padded with random
   unit vectors (``--pad-vectors``): they cost the HNSW search what real ones would, and
   are never returned (the keyword index does not know their ids);
4. in-process latency over a query mix (the labelled queries and lines drawn from the
   synthetic texts): keyword in the backend (with and without facets), hybrid including
   the query's embedding;
5. ``/search`` under 16 concurrent connections: gunicorn (2 sync workers, loopback),
   ``wrk`` (Debian package), distinct queries (cache misses) and repeated ones (cache
   hits); the serving processes' memory afterwards;
6. quality: recall@10 and nDCG@10 of keyword, semantic and hybrid (alpha 0.1 … 0.9)
   on the labelled queries below, built from the demo library, including cross-lingual
   ones (English query, non-English passage expected).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# bench/ holds other benchmarks (bench/graphql.py...) that must not shadow packages
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

UDHR = "universal-declaration-of-human-rights"
JOHN = "bible-gospel-of-john"
PS23 = "bible-psalms-23"
EUROPE = ("de", "fr", "es", "it", "ru")

# (query, relevant texts: (work slug, language, line-key prefix or None), kind)
LABELLED: list[tuple[str, list[tuple[str, str, str | None]], str]] = [
    ("Shall I compare thee to a summer's day", [("shakespeare-sonnet-18", "en", "1.1")], "line"),
    ("Let me not to the marriage of true minds", [("shakespeare-sonnet-116", "en", None)], "line"),
    ("My mistress' eyes are nothing like the sun", [("shakespeare-sonnet-130", "en", None)], "line"),
    ("When in disgrace with fortune and men's eyes", [("shakespeare-sonnet-29", "en", None)], "line"),
    ("To be, or not to be, that is the question", [("shakespeare-hamlet", "en", None)], "line"),
    ("Now is the winter of our discontent", [("shakespeare-richard-iii", "en", None)], "line"),
    ("The quality of mercy is not strained", [("shakespeare-merchant-of-venice", "en", None)], "line"),
    ("All the world's a stage, and all the men and women merely players",
     [("shakespeare-as-you-like-it", "en", None)], "line"),
    ("Friends, Romans, countrymen, lend me your ears", [("shakespeare-julius-caesar", "en", None)], "line"),
    ("Of Man's first disobedience, and the fruit of that forbidden tree", [("milton-paradise-lost", "en", None)],
     "line"),
    ("compare you to a summer day", [("shakespeare-sonnet-18", "en", None)], "half-remembered"),
    ("love is not love which alters when it alteration finds", [("shakespeare-sonnet-116", "en", None)],
     "half-remembered"),
    ("the winter of discontent made summer", [("shakespeare-richard-iii", "en", None)], "half-remembered"),
    ("All human beings are born free and equal in dignity and rights",
     [(UDHR, lang, "art.1") for lang in EUROPE], "cross-lingual"),
    ("Everyone has the right to life, liberty and security of person",
     [(UDHR, lang, "art.3") for lang in EUROPE], "cross-lingual"),
    ("No one shall be held in slavery or servitude", [(UDHR, lang, "art.4") for lang in EUROPE], "cross-lingual"),
    ("No one shall be subjected to torture or to cruel, inhuman or degrading treatment",
     [(UDHR, lang, "art.5") for lang in EUROPE], "cross-lingual"),
    ("Everyone has the right to education", [(UDHR, lang, "art.26") for lang in EUROPE], "cross-lingual"),
    ("The Lord is my shepherd; I shall not want", [(PS23, lang, "19.23.1") for lang in EUROPE], "cross-lingual"),
    ("In the beginning was the Word, and the Word was with God",
     [(JOHN, lang, "43.1.1") for lang in EUROPE], "cross-lingual"),
    ("I am the good shepherd: the good shepherd giveth his life for the sheep",
     [(JOHN, lang, "43.10.11") for lang in EUROPE], "cross-lingual"),
    ("Alle Menschen sind frei und gleich an Würde und Rechten geboren",
     [(UDHR, lang, "art.1") for lang in ("de", "en", "fr", "es")], "other-language"),
    ("Der Herr ist mein Hirte", [(PS23, lang, "19.23.1") for lang in ("de", "en", "fr")], "other-language"),
    ("Au commencement était la Parole", [(JOHN, lang, "43.1.1") for lang in ("fr", "en", "de")],
     "other-language"),
    # phrases from the plays
    ("Is this a dagger which I see before me", [("shakespeare-macbeth", "en", None)], "play"),
    ("Out, damned spot! out, I say", [("shakespeare-macbeth", "en", None)], "play"),
    ("But soft, what light through yonder window breaks", [("shakespeare-romeo-and-juliet", "en", None)], "play"),
    ("O Romeo, Romeo, wherefore art thou Romeo", [("shakespeare-romeo-and-juliet", "en", None)], "play"),
    ("Blow, winds, and crack your cheeks", [("shakespeare-king-lear", "en", None)], "play"),
    ("We are such stuff as dreams are made on", [("shakespeare-tempest", "en", None)], "play"),
    ("If music be the food of love, play on", [("shakespeare-twelfth-night", "en", None)], "play"),
    ("Once more unto the breach, dear friends, once more", [("shakespeare-henry-v", "en", None)], "play"),
    ("The course of true love never did run smooth", [("shakespeare-midsummer-nights-dream", "en", None)], "play"),
    ("A horse! a horse! my kingdom for a horse", [("shakespeare-richard-iii", "en", None)], "play"),
    # misspelled (the fuzzy matching and "Did you mean" of issue 13)
    ("whether tis nobel in the mynde to sufer", [("shakespeare-hamlet", "en", None)], "misspelled"),
    ("shall i compair thee to a sumers day", [("shakespeare-sonnet-18", "en", "1.1")], "misspelled"),
    ("let me not to the mariage of tru minds", [("shakespeare-sonnet-116", "en", None)], "misspelled"),
    ("my mistres eyes are nothing lik the sunn", [("shakespeare-sonnet-130", "en", None)], "misspelled"),
    ("now is the wintr of our discontant", [("shakespeare-richard-iii", "en", None)], "misspelled"),
    ("the qualty of mercy is not straind", [("shakespeare-merchant-of-venice", "en", None)], "misspelled"),
    ("frends romans contrymen lend me your ears", [("shakespeare-julius-caesar", "en", None)], "misspelled"),
    ("is this a dager which i see befor me", [("shakespeare-macbeth", "en", None)], "misspelled"),
    ("we are such stuf as dreems are made on", [("shakespeare-tempest", "en", None)], "misspelled"),
    ("the cours of tru love never did run smoth", [("shakespeare-midsummer-nights-dream", "en", None)],
     "misspelled"),
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def env_for(instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BROKER_URL", "REDIS_URL")}
    env.update(TERCUL_INSTANCE=str(instance), TERCUL_ENV="development", JOBS_IN_PROCESS="false",
               RATELIMIT_ENABLED="false", LOG_LEVEL="WARNING")
    return env


def tercul(instance: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "tercul"), *args], env=env_for(instance), check=True, cwd=ROOT)
    return time.perf_counter() - started


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------- steps

def build(instance: Path, synthetic: int, results: dict) -> None:
    marker = instance / "library.ready"
    if marker.exists():
        log("library: already built")
        return
    instance.mkdir(parents=True, exist_ok=True)
    tercul(instance, "db", "upgrade")
    results["demo_build_s"] = tercul(instance, "demo", "--offline")
    results["seed_s"] = tercul(instance, "seed", "--synthetic", str(synthetic))
    marker.touch()


def index(instance: Path, results: dict) -> None:
    log("keyword index: tercul reindex --no-embed")
    results["keyword_build_s"] = tercul(instance, "reindex", "--no-embed")
    results["keyword_index_bytes"] = dir_size(instance / "search" / "keyword")


def app_for(instance: Path):
    os.environ.update(env_for(instance))
    from tercul import create_app

    return create_app()


def embeddings(app, sample: int, pad: int, results: dict) -> None:
    import numpy as np
    from sqlalchemy import select

    from tercul.extensions import db
    from tercul.models import Work
    from tercul.search import documents, get_backend, indexer

    with app.app_context():
        backend = get_backend()
        demo_ids = list(db.session.scalars(select(Work.id).where(
            Work.current_revision_id.is_not(None), ~Work.slug.like("syn-%")).order_by(Work.id)))
        syn_ids = list(db.session.scalars(select(Work.id).where(Work.slug.like("syn-%")).order_by(Work.id)))
        total_passages = 0
        for batch in documents.iter_text_batches(db.session, demo_ids + syn_ids, with_passages=True):
            total_passages += sum(len(t.passages) for t in batch)
        results["passages_total"] = total_passages
        log(f"embeddings: {total_passages} passages in the library")
        started = time.perf_counter()
        done = sum(indexer.embed_missing(backend, batch) for batch in documents.iter_text_batches(db.session, demo_ids))
        if done:
            results["demo_embed_s"] = time.perf_counter() - started
            results["demo_embedded"] = done
        rng = random.Random(3)
        sample_ids = sorted(rng.sample(syn_ids, min(sample, len(syn_ids))))
        started = time.perf_counter()
        n = sum(indexer.embed_missing(backend, batch) for batch in documents.iter_text_batches(db.session, sample_ids))
        elapsed = time.perf_counter() - started
        if n:
            results["embed_sample_passages"] = n
            results["embed_passages_per_s"] = n / elapsed
            results["embed_all_estimate_h"] = total_passages / (n / elapsed) / 3600
            log(f"embeddings: {n} sample passages at {n / elapsed:.0f}/s; all would take "
                f"{results['embed_all_estimate_h']:.1f} h on this machine")
        store = backend.vectors
        have = store.count()
        if pad and have < pad:
            log(f"vectors: padding {have} real vectors with {pad - have} random ones (one HNSW segment)")
            gen = np.random.default_rng(7)
            x = gen.standard_normal((pad - have, 512)).astype(np.float32)
            x /= np.linalg.norm(x, axis=1, keepdims=True)
            keys = np.arange(1 << 62, (1 << 62) + len(x), dtype=np.uint64)  # uids no passage has
            started = time.perf_counter()
            with store._writing():
                manifest = store._read_manifest()
                # drop padding left by an earlier run, then add this one
                manifest["segments"] = [e for e in manifest["segments"] if not e.get("padding")]
                entry = store._write_segment(manifest, keys, x, ann=True)
                entry["padding"] = True
                manifest["segments"].append(entry)
                store._commit(manifest)
            results["pad_build_s"] = time.perf_counter() - started
            log(f"vectors: padding segment built in {results['pad_build_s']:.0f} s")
        started = time.perf_counter()
        state = backend.state()
        live = np.fromiter((u for uids in state.passages.values() for u in uids), dtype=np.uint64)
        with store._writing():
            manifest = store._read_manifest()
            real = [e for e in manifest["segments"] if not e.get("padding")]
            if len(real) > 1:  # the library's own vectors in one segment, as `tercul reindex` leaves them
                manifest = store._merge(manifest, real, live=live)
                store._commit(manifest)
        results["vector_compact_s"] = time.perf_counter() - started
        results["vectors"] = backend.vectors.count()
        results["vector_index_bytes"] = backend.vectors.size_bytes()
        log(f"vectors: {results['vectors']} (real ones merged in {results['vector_compact_s']:.0f} s)")


def query_mix(app, n: int = 200, *, seed: int = 11, labelled: bool = True) -> list[str]:
    """The labelled queries (unless not ``labelled``) and lines drawn from the library's
    texts (2 to 6 of their words)."""
    from sqlalchemy import func, select

    from tercul.extensions import db
    from tercul.models import TextLine

    rng = random.Random(seed)
    queries = [q for q, _r, _k in LABELLED] if labelled else []
    with app.app_context():
        top = db.session.scalar(select(func.max(TextLine.id))) or 1
        while len(queries) < n:
            line = db.session.get(TextLine, rng.randint(1, top))
            if line is None or not line.text:
                continue
            words = line.text.split()
            k = rng.randint(2, min(6, max(2, len(words))))
            start = rng.randint(0, max(0, len(words) - k))
            queries.append(" ".join(words[start:start + k]))
        db.session.remove()
    return queries


def latency(app, queries: list[str], alpha: float, results: dict) -> None:
    from tercul.search import get_backend
    from tercul.search import embedding
    from tercul.search.interface import SearchRequest
    from tercul.search.query import parse_query

    with app.app_context():
        backend = get_backend()
        embedding.embed_query("warm up")
        for q in queries[:20]:  # warm the OS cache and tantivy's
            backend.search(SearchRequest(query=parse_query(q)))
        for label, facets in (("keyword_nofacets", False), ("keyword", True)):
            times = []
            for q in queries:
                started = time.perf_counter()
                backend.search(SearchRequest(query=parse_query(q), facets=facets))
                times.append((time.perf_counter() - started) * 1000)
            results[f"{label}_p50_ms"], results[f"{label}_p95_ms"] = percentile(times, 50), percentile(times, 95)
            log(f"{label}: p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms")
        for label, mode in (("hybrid", "hybrid"), ("semantic", "semantic")):
            times, embed_times = [], []
            for q in queries:
                embedding._embed_query_cached.cache_clear()
                started = time.perf_counter()
                vector = embedding.embed_query(q)
                embedded = time.perf_counter()
                backend.search(SearchRequest(query=parse_query(q), mode=mode, alpha=alpha, query_vector=vector))
                times.append((time.perf_counter() - started) * 1000)
                embed_times.append((embedded - started) * 1000)
            results[f"{label}_p50_ms"], results[f"{label}_p95_ms"] = percentile(times, 50), percentile(times, 95)
            results["query_embed_p50_ms"] = percentile(embed_times, 50)
            log(f"{label} (with the query's embedding): p50 {percentile(times, 50):.2f} ms, "
                f"p95 {percentile(times, 95):.2f} ms; embedding alone p50 {percentile(embed_times, 50):.1f} ms")


def quality(app, results: dict) -> float:
    from tercul.search import get_backend
    from tercul.search.embedding import embed_query
    from tercul.search.interface import PassageHit, SearchRequest
    from tercul.search.query import parse_query

    def relevant(hit, targets) -> bool:
        if not isinstance(hit, PassageHit):
            return False
        for slug, lang, prefix in targets:
            if hit.work_slug == slug and hit.language.split("-")[0] == lang and (
                    prefix is None or any(k == prefix or k.startswith(prefix + ".") for k in hit.line_keys)):
                return True
        return False

    def scores(hits, targets) -> tuple[float, float, float]:
        gains = [1.0 if relevant(h, targets) else 0.0 for h in hits[:10]]
        ideal = min(len(targets), 10)
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        idcg = sum(1 / math.log2(i + 2) for i in range(ideal))
        return sum(gains) / ideal, dcg / idcg, sum(gains[:5]) / min(len(targets), 5)

    table: dict[str, dict[str, float]] = {}
    with app.app_context():
        backend = get_backend()
        vectors = {q: embed_query(q) for q, _t, _k in LABELLED}
        configs = [("keyword", "keyword", 0.0), ("semantic", "semantic", 1.0)] + [
            (f"hybrid a={a / 10:.1f}", "hybrid", a / 10) for a in range(1, 10)]
        for name, mode, alpha in configs:
            per_kind: dict[str, list[tuple[float, float]]] = {}
            for q, targets, kind in LABELLED:
                hits = backend.search(SearchRequest(query=parse_query(q), mode=mode, alpha=alpha, limit=10,
                                                    query_vector=vectors[q], facets=False)).hits
                per_kind.setdefault(kind, []).append(scores(hits, targets))
                per_kind.setdefault("all", []).append(scores(hits, targets))
            table[name] = {f"{kind} {m}": statistics.mean(v[i] for v in vals)
                           for kind, vals in per_kind.items()
                           for i, m in enumerate(("recall@10", "nDCG@10", "recall@5"))}
            log(f"quality {name}: recall@10 {table[name]['all recall@10']:.3f}, "
                f"nDCG@10 {table[name]['all nDCG@10']:.3f}")
    results["quality"] = table
    best = max((n for n in table if n.startswith("hybrid")), key=lambda n: table[n]["all nDCG@10"])
    results["best_alpha"] = float(best.split("=")[1])
    return results["best_alpha"]


def ann_comparison(app, results: dict, repeats: int = 3) -> None:
    """Exact search over the real passage embeddings (float32, float16, int8) against
    HNSW libraries, at the library's size and at ``repeats`` times it (real vectors with a
    little noise): latency, recall@10 against exact float32, build time, memory."""
    import numpy as np

    from tercul.search import get_backend
    from tercul.search.embedding import embed_query

    with app.app_context():
        store = get_backend().vectors
        keys = store.keys()
        real = [k for k in keys.tolist() if k < (1 << 62)]
        found, matrix = store.get(real)
        queries = np.asarray([embed_query(q) for q, _t, _k in LABELLED]
                             + [matrix[i] for i in np.random.default_rng(1).choice(len(matrix), 76)], np.float32)
    rng = np.random.default_rng(2)
    table = {}
    for scale in (1, repeats):
        x = matrix if scale == 1 else np.vstack([matrix] + [
            matrix + 0.05 * rng.standard_normal(matrix.shape).astype(np.float32) for _ in range(scale - 1)])
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        n = len(x)
        exact = [set(np.argsort(-(x @ q))[:10].tolist()) for q in queries]

        def run(search):
            times, recall = [], []
            for q, truth in zip(queries, exact):
                started = time.perf_counter()
                top = search(q)
                times.append((time.perf_counter() - started) * 1000)
                recall.append(len(set(top) & truth) / 10)
            return {"p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
                    "recall@10": round(statistics.mean(recall), 3)}

        def brute(m, cast):
            return lambda q: np.argpartition(-(m @ cast(q)).astype(np.float32), 10)[:10].tolist()

        rows = {"numpy float32 (exact)": {**run(brute(x, lambda q: q)), "MiB": round(x.nbytes / 2**20)}}
        x16 = x.astype(np.float16)
        rows["numpy float16"] = {**run(brute(x16, lambda q: q.astype(np.float16))), "MiB": round(x16.nbytes / 2**20)}
        x8 = np.clip(np.round(x * 127), -127, 127).astype(np.int8)
        rows["numpy int8 (as int32 product)"] = {
            **run(lambda q: np.argpartition(-(x8 @ np.round(q * 127).astype(np.int8).astype(np.int32)), 10)[:10]
                  .tolist()), "MiB": round(x8.nbytes / 2**20)}
        from usearch.index import Index

        for dtype in ("i8", "f16"):
            started = time.perf_counter()
            index = Index(ndim=512, metric="cos", dtype=dtype, connectivity=16, expansion_add=128,
                          expansion_search=96)
            index.add(np.arange(n, dtype=np.uint64), x, threads=0)
            built = time.perf_counter() - started
            rows[f"usearch HNSW {dtype}"] = {**run(lambda q: index.search(q, 10).keys.tolist()),
                                              "build_s": round(built, 1), "MiB": round(index.memory_usage / 2**20)}
        import hnswlib

        started = time.perf_counter()
        h = hnswlib.Index(space="ip", dim=512)
        h.init_index(max_elements=n, ef_construction=128, M=16)
        h.add_items(x, np.arange(n))
        built = time.perf_counter() - started
        h.set_ef(96)
        h.set_num_threads(1)
        rows["hnswlib f32"] = {**run(lambda q: h.knn_query(q, k=10)[0][0].tolist()), "build_s": round(built, 1)}
        table[str(n)] = rows
        for name, row in rows.items():
            log(f"ann n={n} {name}: {row}")
    results["ann"] = table


# ---------------------------------------------------------------------------- HTTP

WRK_SCRIPT = """
local paths = {%s}
local offset = 0
local threads = 0
setup = function(thread) thread:set("offset", threads * math.floor(#paths / 2)); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[((n + offset) %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def http(instance: Path, queries: list[str], fresh: list[str], alpha: float, duration: int,
         results: dict) -> None:
    """``queries`` are repeated (after a first round, cache hits); ``fresh`` are asked once
    each (more of them than the run can send), so every one is a cache miss."""
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install wrk): skipping the HTTP benchmark")
        return
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env_for(instance))
    try:
        import urllib.request

        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        rng = random.Random(5)
        modes = ["keyword"] * 6 + ["hybrid"] * 3 + ["semantic"]
        def paths(qs: list[str]) -> list[str]:
            return [f"/search?{urlencode({'q': q, 'mode': rng.choice(modes), 'alpha': alpha})}" for q in qs]

        repeated = paths(queries[:20])
        for path in repeated * 3:  # each worker loads the model, opens the index and caches these
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
        cases = {"repeated (cache hits)": repeated, "distinct (cache misses)": paths(fresh)}
        results["http"] = {}
        for label, paths in cases.items():
            script = instance / "search-paths.lua"
            script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
            out = subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", f"{duration}s", "--latency", "-s", str(script),
                                  f"http://127.0.0.1:{port}"], capture_output=True, text=True).stdout
            figures = parse_wrk(out)
            results["http"][label] = figures
            log(f"/search {label}: {figures}")
        children = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                   text=True).stdout.split()]
        results["serving_rss_mib"] = [round(rss_kib(pid) / 1024) for pid in children]
        log(f"serving processes' memory (RSS): {results['serving_rss_mib']} MiB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def parse_wrk(out: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    figures = {}
    for label in ("50%", "99%"):
        m = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", out, re.M)
        if m:
            figures[f"p{label[:-1]}_ms"] = round(ms(m.group(1)), 2)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        figures["rps"] = float(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] = int(m.group(1)) if m else 0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", type=Path, default=ROOT / "bench" / "out" / "search")
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--embed-sample", type=int, default=300, help="synthetic works embedded to time it")
    parser.add_argument("--pad-vectors", type=int, default=0, help="pad the vector index to this many vectors")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--skip-build", action="store_true", help="use the instance's index as it is")
    parser.add_argument("--skip-index", action="store_true", help="keep the keyword index that is there")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--alpha", type=float, default=None, help="hybrid alpha for the latency runs")
    parser.add_argument("--ann", action="store_true", help="compare exact and HNSW vector search on real vectors")
    args = parser.parse_args()
    instance = args.instance.resolve()
    out = instance / "search-results.json"
    results: dict = json.loads(out.read_text()) if out.exists() else {}
    results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["load_average_start"] = os.getloadavg()[0]
    if not args.skip_build:
        build(instance, args.synthetic, results)
        if not args.skip_index:
            index(instance, results)
    app = app_for(instance)
    if not args.skip_build:
        embeddings(app, args.embed_sample, args.pad_vectors, results)
    if args.ann:
        ann_comparison(app, results)
    alpha = args.alpha if args.alpha is not None else quality(app, results)
    queries = query_mix(app)
    latency(app, queries, alpha, results)
    if not args.skip_http:
        http(instance, queries, query_mix(app, 4000, seed=12, labelled=False), alpha, args.duration, results)
    results["load_average_end"] = os.getloadavg()[0]
    out.write_text(json.dumps(results, indent=2))
    log(f"results in {out}")


if __name__ == "__main__":
    main()
