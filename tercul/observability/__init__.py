"""Operations: metrics (Prometheus), traces (OpenTelemetry), structured logs, health checks."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire logs, traces, metrics and the health endpoints into ``app`` (from create_app)."""
    from . import health, logs, metrics, tracing

    logs.init_app(app)
    tracing.init_app(app)
    metrics.init_app(app)
    health.init_app(app)
