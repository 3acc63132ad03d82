"""Operations: metrics (Prometheus), traces (OpenTelemetry), structured logs, health checks."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire logs, traces, metrics and the health endpoints into ``app`` (from create_app)."""
    from . import health, logs, metrics, request_hooks, tracing

    logs.init_app(app)
    tracing.init_app(app)
    http = metrics.init_app(app)
    health.init_app(app)
    request_hooks.init_app(app, http, metrics.WORK_VIEWS if http is not None else None)
