"""HTTP requests and latency by endpoint, method and status.

The metric families are prometheus-flask-exporter's (same names, labels and buckets:
``tercul_http_request_duration_seconds``, ``tercul_http_request_total``,
``tercul_http_request_exceptions_total``, ``tercul_exporter_info``), in the exporter's
registry, which multiprocess mode fills like any other. What differs is the per-request
work: the exporter's three hooks build label dicts and look the children up on every
request; here each (method, endpoint, status) resolves its histogram and counter
children once, and :mod:`.request_hooks` calls :meth:`HttpMetrics.observe` from the one
``after_request`` every request already pays.
"""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

BUCKETS = (.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5)
# methods whose children are kept; any other (clients may send anything) is looked up each time
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class HttpMetrics:
    """One app's HTTP metric families and their resolved children."""

    def __init__(self, registry: CollectorRegistry, prefix: str = "tercul"):
        self.duration = Histogram(f"{prefix}_http_request_duration_seconds", "Flask HTTP request duration in seconds",
                                  ("method", "endpoint", "status"), registry=registry, buckets=BUCKETS)
        self.total = Counter(f"{prefix}_http_request_total", "Total number of HTTP requests", ("method", "status"),
                             registry=registry)
        self.exceptions = Counter(f"{prefix}_http_request_exceptions_total",
                                  "Total number of HTTP requests which resulted in an exception",
                                  ("method", "status"), registry=registry)
        self._children: dict[tuple[str, str | None, int], tuple] = {}

    def _resolve(self, method: str, endpoint: str | None, status: int) -> tuple:
        key = (method, endpoint, status)
        children = self._children.get(key)
        if children is None:
            children = (self.duration.labels(method, str(endpoint), str(status)),
                        self.total.labels(method, str(status)))
            if method in _METHODS:
                self._children[key] = children
        return children

    def observe(self, method: str, endpoint: str | None, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        duration, total = self._resolve(method, endpoint, status)
        duration.observe(max(seconds, 0.0))
        total.inc()

    def exception(self, method: str) -> None:
        """Count a request that ended in an unhandled exception (its 500 is counted by ``observe``)."""
        self.exceptions.labels(method, "500").inc()
