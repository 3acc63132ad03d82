# Tercul: `make run` (app with demo content) and `make test` (whole suite, SQLite then PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: setup run test test-sqlite test-postgres coverage services browser demo bench bench-search clean

setup: $(VENV)/.deps static/vendor/.stamp
	@$(BIN)/tercul demo --download-only >/dev/null
	@$(BIN)/tercul db upgrade 2>&1 | grep -v "^INFO  \[alembic.runtime.migration\] \(Context\|Will assume\)" || true

$(VENV)/.deps: requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# third-party front-end files, copied from node_modules so that pages never need a CDN
static/vendor/.stamp: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/react/umd/react.production.min.js node_modules/react-dom/umd/react-dom.production.min.js \
	   node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css static/vendor/
	@touch $@

demo: setup
	$(BIN)/tercul demo

run: demo
	$(BIN)/tercul serve --host $(HOST) --port $(PORT)

# PostgreSQL and Redis for the second test run, started if they are not running
services:
	@command -v redis-server >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || \
	  (command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2) || true
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || \
	  (command -v redis-server >/dev/null && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) || true

# Debian's Chromium for the browser tests (Playwright drives it; no downloaded browser)
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Debian's Prometheus (prometheus, promtool) for the metrics scrape and alert-rule tests
prometheus:
	@test -x /usr/bin/prometheus -a -x /usr/bin/promtool || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null)

test: setup services browser prometheus
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL ($(TEST_DATABASE_URL)) =="
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# line coverage of tercul/ over the whole suite on SQLite: each file's figure, then the total
coverage: setup services browser
	env -u TEST_DATABASE_URL COVERAGE_FILE=.cache/coverage $(BIN)/python -m pytest --cov=tercul \
	  --cov-report=term:skip-covered $(PYTEST_ARGS)

# load generator for the benchmarks (Debian's wrk)
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/graphql.py

# search: latency, index build and size, memory, recall/nDCG (builds bench/out/search once; long)
bench-search: setup
	$(BIN)/python bench/search.py --ann --pad-vectors 1000000

clean:
	rm -rf $(VENV) node_modules static/vendor instance .cache
