"""Prometheus metrics at ``/metrics``.

HTTP requests and latency by endpoint and status come from prometheus-flask-exporter;
the rest are defined here, once per process, and fed from one place each:

- GraphQL operations by name and type, errors by code, cost (:func:`graphql_execution`
  and :func:`graphql_errors`, called by the GraphQL view);
- SQL statement duration by kind and connections checked out of the pool (SQLAlchemy
  events, every engine);
- cache lookups by cache name, hit or miss (:func:`cache_lookup`, called by the wrapper
  around the app's cache, or by any cache that wants counting);
- outbox depth, oldest pending age and dead rows per topic (queried at scrape time);
  jobs by topic and outcome, from web and worker processes (:func:`job_finished`);
- search latency by mode (:func:`observe_search`);
- business counters: registrations, contributions submitted, approved and rejected
  (ORM events, counted after commit), work page views.

Under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder, one per server): every
worker process writes its values there and ``/metrics`` adds them up. ``tercul worker``
writes there too, or serves its own on ``WORKER_METRICS_PORT``. In production
``/metrics`` answers only clients in ``METRICS_ALLOW`` or with ``METRICS_TOKEN``.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import re
import time
from contextlib import contextmanager
from time import perf_counter
from typing import Iterator

from flask import Flask, Response, abort, current_app, has_app_context, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .http_metrics import HttpMetrics
from .request_hooks import not_counted, quiet
from .tracing import enabled as tracing_enabled
from .tracing import start_sql_span

log = logging.getLogger("tercul.metrics")

_FAST = (.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5)

GRAPHQL_OPERATIONS = Counter("tercul_graphql_operations_total", "GraphQL operations run",
                             ["operation", "type"])
GRAPHQL_ERRORS = Counter("tercul_graphql_errors_total", "GraphQL errors returned, by code", ["code"])
GRAPHQL_COST = Histogram("tercul_graphql_cost", "Computed cost of GraphQL operations", ["type"],
                         buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000))
GRAPHQL_DURATION = Histogram("tercul_graphql_duration_seconds", "GraphQL operation execution time",
                             ["type"], buckets=_FAST)
DB_STATEMENTS = Histogram("tercul_db_statement_duration_seconds", "SQL statement duration, by kind",
                          ["statement"], buckets=_FAST)
DB_POOL_IN_USE = Gauge("tercul_db_pool_connections_in_use", "Connections checked out of the pool",
                       multiprocess_mode="livesum")
CACHE_LOOKUPS = Counter("tercul_cache_lookups_total", "Cache lookups, by cache and result (hit or miss)",
                        ["cache", "result"])
JOBS = Counter("tercul_jobs_total", "Outbox jobs run, by topic and outcome (done, failed, dead, skipped)",
               ["topic", "outcome"])
JOB_DURATION = Histogram("tercul_job_duration_seconds", "Outbox job run time", ["topic"],
                         buckets=(.01, .05, .1, .5, 1, 5, 10, 30, 60, 300))
SEARCH_DURATION = Histogram("tercul_search_duration_seconds", "Search latency (query embedding and engine, cache misses), by mode",
                            ["mode"], buckets=_FAST)
REGISTRATIONS = Counter("tercul_registrations_total", "Accounts registered")
CONTRIBUTIONS = Counter("tercul_contributions_total", "Contributions by review event (submitted, approved, "
                        "rejected, changes_requested, withdrawn)", ["event"])
WORK_VIEWS = Counter("tercul_work_views_total", "Work pages served")

# a review event's new status -> the business event it counts as
_CONTRIBUTION_EVENTS = {"pending": "submitted", "approved": "approved", "rejected": "rejected",
                        "changes_requested": "changes_requested", "withdrawn": "withdrawn"}
_STATEMENT = re.compile(r"\s*(\w+)")
_OPERATION_NAME = re.compile(r"[^A-Za-z0-9_]")


# --- hooks the rest of the app calls -----------------------------------------------------

_cache_children: dict[tuple[str, bool], object] = {}


def cache_lookup(cache: str, hit: bool) -> None:
    """Count one cache lookup (the hook for any cache wrapper)."""
    child = _cache_children.get((cache, hit))
    if child is None:
        child = _cache_children[(cache, hit)] = CACHE_LOOKUPS.labels(cache[:40], "hit" if hit else "miss")
    child.inc()


@contextmanager
def graphql_execution(name: str | None, kind: str, cost: int | None) -> Iterator[None]:
    """Around executing one GraphQL operation: its span, count, cost and duration."""
    from .tracing import span

    label = _OPERATION_NAME.sub("", name or "")[:64] or "anonymous"
    started = time.perf_counter()
    with span(f"graphql.{kind} {label}", {"graphql.operation.name": label, "graphql.operation.type": kind,
                                          "graphql.cost": cost or 0}):
        yield
    GRAPHQL_OPERATIONS.labels(label, kind).inc()
    if cost is not None:
        GRAPHQL_COST.labels(kind).observe(cost)
    GRAPHQL_DURATION.labels(kind).observe(time.perf_counter() - started)


def graphql_errors(results) -> None:
    """Count the errors of GraphQL results (dicts with ``errors``) by their code."""
    for result in results:
        for error in (result.get("errors") or ()) if isinstance(result, dict) else ():
            GRAPHQL_ERRORS.labels(str((error.get("extensions") or {}).get("code") or "UNKNOWN")[:40]).inc()


def job_finished(topic: str, outcome: str, seconds: float) -> None:
    outcome = {"retry": "failed"}.get(outcome, outcome)
    JOBS.labels(topic, outcome).inc()
    if outcome != "skipped":
        JOB_DURATION.labels(topic).observe(seconds)


@contextmanager
def observe_search(mode: str) -> Iterator[None]:
    """Time one search engine call (metric and trace span)."""
    from .tracing import span

    started = time.perf_counter()
    with span("search", {"search.mode": mode}):
        yield
    SEARCH_DURATION.labels(mode).observe(time.perf_counter() - started)


# --- SQLAlchemy: statements, pool, business events ----------------------------------------

_listening = False


def _listen_sqlalchemy() -> None:
    global _listening
    if _listening:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import Pool

    event.listen(Engine, "before_cursor_execute", _before_statement)
    event.listen(Engine, "after_cursor_execute", _after_statement)
    event.listen(Engine, "handle_error", _statement_failed)
    event.listen(Pool, "checkout", lambda *_: DB_POOL_IN_USE.inc())
    event.listen(Pool, "checkin", lambda *_: DB_POOL_IN_USE.dec())
    event.listen(Session, "after_flush", _note_business_events)
    event.listen(Session, "after_commit", _count_business_events)
    event.listen(Session, "after_soft_rollback", _forget_business_events)
    _listening = True


_KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "WITH")
_statement_children: dict[str, object] = {}


def _statement_histogram(statement: str):
    """The histogram child of the statement's kind (looked up once per kind, not per statement)."""
    head = statement[:10].lstrip()[:9].upper()
    child = _statement_children.get(head)
    if child is None:
        kind = next((k for k in _KINDS if head.startswith(k)), None)
        if kind is None:
            match = _STATEMENT.match(statement)
            kind = match.group(1).upper()[:20] if match else "OTHER"
        child = _statement_children[head] = DB_STATEMENTS.labels(kind)
    return child


# Each statement's start (and span, in a sampled trace) rides on its execution context,
# which SQLAlchemy hands to both events: no per-connection bookkeeping.
_MARK = "_tercul_statement"


def _before_statement(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    span = start_sql_span(statement, conn.dialect.name) if tracing_enabled() else None
    mark = (perf_counter(), span)
    if context is not None:
        setattr(context, _MARK, mark)
    else:  # a statement outside any execution context (rare): the connection keeps it
        conn.info.setdefault("tercul_statements", []).append(mark)


def _after_statement(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    mark = getattr(context, _MARK, None) if context is not None else None
    if mark is None:
        stack = conn.info.get("tercul_statements")
        if not stack:
            return
        mark = stack.pop()
    else:
        setattr(context, _MARK, None)
    started, span = mark
    _statement_histogram(statement).observe(perf_counter() - started)
    if span is not None:
        span.end()


def _statement_failed(exception_context) -> None:
    context = exception_context.execution_context
    mark = getattr(context, _MARK, None) if context is not None else None
    if mark is not None:
        setattr(context, _MARK, None)
    else:
        conn = exception_context.connection
        stack = conn.info.get("tercul_statements") if conn is not None else None
        mark = stack.pop() if stack else None
    span = mark[1] if mark else None
    if span is not None:
        from opentelemetry.trace import Status, StatusCode

        span.set_status(Status(StatusCode.ERROR, type(exception_context.original_exception).__name__))
        span.end()


def _note_business_events(session, _flush_context) -> None:
    from ..models import ReviewEvent, User

    events = session.info.setdefault("tercul_business", [])
    for obj in session.new:
        if isinstance(obj, User):
            events.append(("registration", None))
        elif isinstance(obj, ReviewEvent) and obj.to_status in _CONTRIBUTION_EVENTS:
            events.append(("contribution", _CONTRIBUTION_EVENTS[obj.to_status]))


def _forget_business_events(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop("tercul_business", None)


def _count_business_events(session) -> None:
    for kind, value in session.info.pop("tercul_business", ()):
        if kind == "registration":
            REGISTRATIONS.inc()
        else:
            CONTRIBUTIONS.labels(value).inc()


# --- the cache -------------------------------------------------------------------------------

def _name_of(key) -> str | None:
    key = str(key)
    if key.endswith(":generation"):  # version stamps, read on every request: not a cache
        return None
    return key.split(":", 1)[0][:40] if ":" in key else "other"


def instrument_cache(cache) -> None:
    """Count hits and misses of ``cache.get`` by the key's prefix (``page``, ``html``, ``search``...)."""
    if getattr(cache, "_tercul_counted", False):
        return
    get = cache.get

    def counted_get(key, *args, **kwargs):
        value = get(key, *args, **kwargs)
        name = _name_of(key)
        if name is not None:
            cache_lookup(name, value is not None)
        return value

    cache.get = counted_get
    cache._tercul_counted = True


# --- scrape-time collectors -----------------------------------------------------------------

class OutboxCollector:
    """Pending rows, the oldest pending row's age and dead rows, per topic, read when scraped."""

    def __init__(self, app: Flask):
        self.app = app

    def describe(self):
        return []

    def collect(self):
        from sqlalchemy import func, select

        from ..extensions import db
        from ..models import OutboxEntry
        from ..models._base import utcnow

        pending = GaugeMetricFamily("tercul_outbox_pending", "Outbox rows not yet processed (nor dead)",
                                    labels=["topic"])
        oldest = GaugeMetricFamily("tercul_outbox_oldest_pending_age_seconds",
                                   "Age of the oldest pending outbox row", labels=["topic"])
        dead = GaugeMetricFamily("tercul_outbox_dead", "Outbox rows that failed too often", labels=["topic"])
        # the scrape's own session (in /metrics: the request's; in a worker: a new context)
        context = None if has_app_context() else self.app.app_context()
        if context is not None:
            context.push()
        try:
            rows = db.session.execute(select(OutboxEntry.topic, func.count(), func.min(OutboxEntry.created_at))
                                      .where(OutboxEntry.processed_at.is_(None), OutboxEntry.dead_at.is_(None))
                                      .group_by(OutboxEntry.topic)).all()
            dead_rows = db.session.execute(select(OutboxEntry.topic, func.count())
                                           .where(OutboxEntry.dead_at.is_not(None))
                                           .group_by(OutboxEntry.topic)).all()
        except Exception as exc:  # noqa: BLE001 - a scrape must not fail because the database did
            db.session.rollback()
            log.warning("outbox metrics unavailable: %s", exc)
            return
        finally:
            if context is not None:
                db.session.remove()
                context.pop()
        now = utcnow()
        for topic, count, first in rows:
            pending.add_metric([topic], count)
            if first is not None:
                if first.tzinfo is None:
                    from datetime import timezone

                    first = first.replace(tzinfo=timezone.utc)
                oldest.add_metric([topic], max(0.0, (now - first).total_seconds()))
        for topic, count in dead_rows:
            dead.add_metric([topic], count)
        yield pending
        yield oldest
        yield dead


class _Combined:
    """Collects from several registries at once (the app's HTTP metrics and the process's)."""

    def __init__(self, *registries):
        self.registries = registries

    def collect(self):
        for registry in self.registries:
            yield from registry.collect()


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def render(app: Flask, http_registry: CollectorRegistry | None = None) -> bytes:
    """The exposition text: this process's metrics (or every process's), plus the outbox."""
    registry = CollectorRegistry()
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.MultiProcessCollector(registry)
    else:
        registry.register(_Combined(*(r for r in (http_registry, REGISTRY) if r is not None)))
    registry.register(OutboxCollector(app))
    return generate_latest(registry)


# --- access to /metrics ---------------------------------------------------------------------

def parse_networks(value: str) -> list:
    """``METRICS_ALLOW``: comma-separated CIDRs or addresses (ValueError names a bad one)."""
    networks = []
    for part in (p.strip() for p in (value or "").split(",")):
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return networks


def allowed(config, remote_addr: str | None, authorization: str | None) -> bool:
    token = config.get("METRICS_TOKEN")
    if token and authorization and authorization.startswith("Bearer "):
        if hmac.compare_digest(authorization[7:].strip().encode(), token.encode()):
            return True
    networks = config.get("METRICS_ALLOW_NETWORKS")
    if networks is None:  # nothing configured: open outside production, loopback in production
        if config.get("TERCUL_ENV") != "production" and not token:
            return True
        networks = parse_networks("127.0.0.0/8,::1/128")
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


def init_app(app: Flask) -> HttpMetrics | None:
    """HTTP metrics (prometheus-flask-exporter's families), the /metrics view and the counters' hooks.

    Returns the app's :class:`HttpMetrics` for request_hooks (None when metrics are off)."""
    if not app.config.get("METRICS_ENABLED", True):
        return None
    from prometheus_flask_exporter import PrometheusMetrics

    from ..extensions import cache

    _listen_sqlalchemy()
    try:  # the app's cache reports its lookups (tercul.cache), else count at cache.get
        from ..cache import on_lookup
    except ImportError:
        instrument_cache(cache)
    else:
        on_lookup(cache_lookup)
    # one registry per app for the HTTP metrics (several apps in one test process each get
    # their own); under gunicorn their values go to the shared folder
    http_registry = CollectorRegistry(auto_describe=True)
    exporter = PrometheusMetrics(app=None, path=None, registry=http_registry, export_defaults=False,
                                 defaults_prefix="tercul")
    exporter.init_app(app)
    exporter.info("tercul_exporter_info", "Information about the Prometheus Flask exporter",
                  version=exporter.version)
    app.extensions["tercul.metrics"] = exporter
    http = app.extensions["tercul.http_metrics"] = HttpMetrics(http_registry)

    def metrics_view():
        if not allowed(current_app.config, request.remote_addr, request.headers.get("Authorization")):
            abort(403)
        quiet()  # scrapes every few seconds would drown the access log
        not_counted()  # nor are they traffic
        return Response(render(current_app._get_current_object(), http_registry), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics_view)
    from ..extensions import limiter

    limiter.exempt(app.view_functions["metrics"])
    return http


def start_worker_server(app: Flask):
    """``tercul worker``: serve this process's metrics on ``WORKER_METRICS_PORT`` (if set).

    Returns the HTTP server (``shutdown()`` stops it), or None when there is no port.
    """
    port = app.config.get("WORKER_METRICS_PORT")
    if not port or not app.config.get("METRICS_ENABLED", True):
        return None
    from prometheus_client import start_http_server

    _listen_sqlalchemy()
    registry = CollectorRegistry()
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.MultiProcessCollector(registry)
    else:
        registry.register(_Combined(REGISTRY))
    registry.register(OutboxCollector(app))
    server, _thread = start_http_server(int(port), addr=app.config.get("WORKER_METRICS_HOST", "0.0.0.0"),
                                        registry=registry)
    log.info("worker metrics on port %s", port)
    return server
