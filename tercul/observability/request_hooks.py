"""What every request pays for observability: one ``before_request``, one ``after_request``
and one ``teardown_request`` (each hook Flask calls has a cost of its own), doing in turn
the request span, the request id header, the HTTP metrics, the work-view counter and the
access line. Each part is skipped when it is off (``LOG_ACCESS``, ``METRICS_ENABLED``,
no ``OTEL_*``).

Views that must not be logged (health probes, scrapes) call :func:`quiet`; ``/metrics``
also calls :func:`not_counted`, so that scrapes are not counted as traffic.
"""
from __future__ import annotations

import logging
from time import perf_counter

from flask import Flask, Response, request

from . import logs, tracing
from .http_metrics import HttpMetrics

STARTED = "tercul.started"
_QUIET = "tercul.quiet"
_NOT_COUNTED = "tercul.not_counted"
_COUNTED = "tercul.counted"
_WORK_ENDPOINTS = frozenset({"reading.work"})


def quiet() -> None:
    """No access line for this request (probes and scrapes every few seconds would drown the log)."""
    request.environ[_QUIET] = True


def not_counted() -> None:
    """Leave this request out of the HTTP metrics too."""
    request.environ[_NOT_COUNTED] = True


def init_app(app: Flask, http: HttpMetrics | None, work_views=None) -> None:
    """Register the three hooks; ``http`` None when metrics are off."""
    access = logs.ACCESS

    def start() -> None:
        environ = request.environ
        environ[STARTED] = perf_counter()
        if tracing.enabled():
            tracing.start_request_span(environ)

    def finish(response: Response) -> Response:
        environ = request.environ
        response.headers[logs.REQUEST_ID_HEADER] = logs.current_request_id()
        started = environ.get(STARTED)
        elapsed = perf_counter() - started if started is not None else None
        status = response.status_code
        tracing.name_request_span(environ, response)
        method = environ["REQUEST_METHOD"]
        endpoint = request.endpoint
        if http is not None and elapsed is not None and not environ.get(_NOT_COUNTED):
            environ[_COUNTED] = True
            http.observe(method, endpoint, status, elapsed)
            if work_views is not None and status == 200 and endpoint in _WORK_ENDPOINTS:
                work_views.inc()
        if not environ.get(_QUIET) and access.isEnabledFor(logging.INFO):
            logs.write_access(method, logs.redacted_path(), endpoint, status,
                              round(elapsed * 1000, 2) if elapsed is not None else None, response.content_length,
                              request.remote_addr, (environ.get("HTTP_USER_AGENT") or "")[:200] or None)
        return response

    def end(exc: BaseException | None = None) -> None:
        environ = request.environ
        if exc is not None and http is not None and not environ.get(_NOT_COUNTED):
            method = environ["REQUEST_METHOD"]
            http.exception(method)
            if not environ.get(_COUNTED) and environ.get(STARTED) is not None:
                http.observe(method, request.endpoint, 500, perf_counter() - environ[STARTED])
        tracing.end_request_span(environ, exc)

    # first of the before-request functions, so that the timer and the span cover the others
    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request(finish)
    app.teardown_request(end)
