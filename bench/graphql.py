"""Benchmark of the GraphQL API next to the web pages that show the same data, in one run.

On the demo library (built once by ``bench/pages.py``'s helper under ``bench/out/``),
under gunicorn (2 sync workers, loopback) and ``wrk`` (16 connections), it measures
requests per second and p50/p99 latency of:

- GraphQL: 50 works with their authors and translations (with translators);
- the web page with the same 50 works: ``/works?parts=1&sort=translated`` (first 50);
- GraphQL: a keyword search (first 20 hits with facets);
- the web page with the same search: ``/search?q=...``.

The search index is built once (keyword only, ``tercul reindex --no-embed``) if the
bench instance has none. Usage::

    .venv/bin/python bench/graphql.py [--duration 10] [--connections 16]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import BIN, OUT, ROOT, Server, _wrk_ms, build_library, log, tercul_env  # noqa: E402

WORKS_QUERY = """{ works(first: 50, orderBy: TRANSLATED, filter: {includeParts: true}) {
  edges { node { slug title authors { name } translations { key language { code } translator { name } } } } } }"""
SEARCH_TERMS = "human dignity"
SEARCH_QUERY = """query($q: String) { search(query: $q) { facets { name values { value count } }
  hits(first: 20) { totalCount edges { node { title workSlug hitKey lines { key pieces { text matched } } } } } } }"""

WRK_POST = """
wrk.method = "POST"
wrk.body = %s
wrk.headers["Content-Type"] = "application/json"
"""


def measure(port: int, path: str, connections: int, duration: int, body: dict | None = None):
    script: list[str] = []
    if body is not None:
        lua = OUT / "graphql-post.lua"
        lua.write_text(WRK_POST % json.dumps(json.dumps(body)))
        script = ["-s", str(lua)]
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "2s", *script, url],
                   capture_output=True, check=True)  # warm caches
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", *script,
                          url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _wrk_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _wrk_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    return rps, p50, p99, errors


def check(port: int, body: dict) -> None:
    """The query must answer with data and no errors before it is measured."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/graphql", json.dumps(body), {"Content-Type": "application/json"})
    answer = json.loads(conn.getresponse().read())
    if answer.get("errors"):
        raise RuntimeError(f"GraphQL answered errors: {answer['errors'][:2]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    database = build_library("demo", 0)
    env = tercul_env(database)
    index = Path(env["TERCUL_INSTANCE"]) / "search"
    if not index.exists() or not any(index.iterdir()):
        log("building the keyword index of the demo library (once)...")
        subprocess.run([str(BIN / "tercul"), "reindex", "--no-embed"], env=env, check=True)
    server = Server("tercul:create_app()", env, args.workers, ROOT)
    works_body = {"query": WORKS_QUERY}
    search_body = {"query": SEARCH_QUERY, "variables": {"q": SEARCH_TERMS}}
    rows = []
    try:
        server.wait("/works")
        check(server.port, works_body)
        check(server.port, search_body)
        for name, path, body in (
                ("GraphQL: 50 works + authors + translations", "/graphql", works_body),
                ("web: /works, 50 works, same order", "/works?parts=1&sort=translated", None),
                ("GraphQL: search, 20 hits + facets", "/graphql", search_body),
                ("web: /search, same query", f"/search?q={quote(SEARCH_TERMS)}", None)):
            log(f"  {name} ...")
            rows.append((name, *measure(server.port, path, args.connections, args.duration, body)))
    finally:
        server.stop()
    lines = [f"GraphQL vs web pages on the demo library ({dt.date.today()}, {platform.node()}, "
             f"wrk {args.connections} connections x {args.duration} s, gunicorn {args.workers} sync workers)",
             f"{'what':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"]
    for name, rps, p50, p99, errors in rows:
        lines.append(f"{name:<44} {rps:>8.1f} {p50:>8.2f} {p99:>8.2f} {errors:>7}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
