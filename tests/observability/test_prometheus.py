"""Debian's Prometheus scrapes a running Tercul; the rules pass promtool's check and tests."""
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"
missing = pytest.mark.skipif(not Path(PROMETHEUS).exists(),
                             reason="Debian's prometheus is not installed (make test installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query(port: int, expr: str) -> list:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    assert body["status"] == "success", body
    return body["data"]["result"]


@missing
def test_prometheus_scrapes_the_app_and_answers_queries(app, tmp_path):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app_port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    prom_port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(f"""
global: {{scrape_interval: 1s, evaluation_interval: 1s}}
rule_files: ["{RULES / 'rules.yml'}"]
scrape_configs:
  - job_name: tercul
    static_configs: [{{targets: ["127.0.0.1:{app_port}"]}}]
""")
    log = tmp_path / "prometheus.log"
    with log.open("wb") as log_file:
        prometheus = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}",
             f"--web.listen-address=127.0.0.1:{prom_port}", "--log.level=warn"],
            stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        assert [_get_status(app_port, p) for p in ("/works", "/works", "/health", "/nope")] == [200, 200, 200, 404]
        deadline = time.monotonic() + 60
        up = requests = []
        while time.monotonic() < deadline:
            assert prometheus.poll() is None, log.read_text()[-2000:]
            try:
                up = query(prom_port, 'up{job="tercul"}')
                requests = query(prom_port, 'tercul_http_request_duration_seconds_count{endpoint="reading.works"}')
            except OSError:
                pass
            if up and up[0]["value"][1] == "1" and requests:
                break
            time.sleep(0.5)
        assert up and up[0]["value"][1] == "1", "Prometheus never scraped the app"
        assert float(requests[0]["value"][1]) >= 2 and requests[0]["metric"]["status"] == "200"
        not_found = query(prom_port, 'tercul_http_request_duration_seconds_count{status="404"}')
        assert not_found and float(not_found[0]["value"][1]) >= 1
        assert query(prom_port, "tercul_db_statement_duration_seconds_count")
        assert query(prom_port, 'tercul_cache_lookups_total{cache="page"}')
        # the recording rules evaluate against what was scraped
        with urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/api/v1/rules", timeout=5) as response:
            rules = json.load(response)
        names = {r["name"] for group in rules["data"]["groups"] for r in group["rules"]}
        assert {"tercul:http_requests:rate5m", "TerculDown", "TerculOutboxBacklog"} <= names
    finally:
        prometheus.terminate()
        try:
            prometheus.wait(10)
        except subprocess.TimeoutExpired:
            prometheus.kill()
        server.shutdown()
        server.server_close()


def _get_status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


@pytest.mark.skipif(not Path(PROMTOOL).exists(), reason="Debian's promtool is not installed (make test installs it)")
def test_rules_pass_promtool_check_and_tests():
    check = subprocess.run([PROMTOOL, "check", "rules", str(RULES / "rules.yml")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS" in check.stdout + check.stderr
    tests = subprocess.run([PROMTOOL, "test", "rules", "rules_test.yml"], cwd=RULES, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "SUCCESS" in tests.stdout + tests.stderr
    config = subprocess.run([PROMTOOL, "check", "config", str(RULES / "prometheus.yml")], capture_output=True,
                            text=True)
    assert config.returncode == 0, config.stdout + config.stderr


def test_the_dashboard_covers_the_golden_signals_the_outbox_and_search():
    dashboard = json.loads((RULES.parent / "grafana" / "tercul.json").read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", ()))
    for metric in ("tercul_http_request_duration_seconds_count", "tercul_http_request_duration_seconds_bucket",
                   "tercul_db_pool_connections_in_use", "tercul_outbox_pending",
                   "tercul_outbox_oldest_pending_age_seconds", "tercul_jobs_total", "tercul_search_duration_seconds",
                   "tercul_cache_lookups_total", "tercul_graphql_errors_total"):
        assert metric in exprs, metric
