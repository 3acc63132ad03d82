"""Traces: OpenTelemetry spans exported over OTLP/HTTP, off unless configured.

Tracing starts when ``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``
is set (and ``OTEL_SDK_DISABLED`` is not true); the exporter reads the other standard
``OTEL_*`` variables itself (headers, timeout, service name...). Spans:

- one per request (W3C ``traceparent`` from the client continues its trace),
- one per GraphQL operation and per top-level field,
- one per SQL statement (SQLAlchemy events: the contrib instrumentation refuses
  SQLAlchemy 2.1),
- one per search and one per outbox job; the request that wrote an outbox row leaves
  its ``traceparent`` in the row's payload, and the job's span continues that trace,
  whichever process runs it.

When tracing is off every helper here returns at once (no span objects are made).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask, request
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
_tracer: trace.Tracer | None = None
_provider = None


def enabled() -> bool:
    return _tracer is not None


def configured(environ=os.environ) -> bool:
    if (environ.get("OTEL_SDK_DISABLED") or "").strip().lower() == "true":
        return False
    if (environ.get("OTEL_TRACES_EXPORTER") or "otlp").strip().lower() == "none":
        return False
    return bool(environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def setup(service_name: str | None = None, exporter=None, *, batch: bool = True) -> None:
    """Start exporting spans (once per process; ``exporter`` replaces the OTLP one in tests)."""
    global _tracer, _provider
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    attributes = {"service.name": os.environ.get("OTEL_SERVICE_NAME") or service_name or "tercul"}
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    shutdown()
    _provider = provider
    _tracer = provider.get_tracer("tercul")


def shutdown() -> None:
    """Flush and stop exporting (tests; process exit flushes by itself)."""
    global _tracer, _provider
    if _provider is not None:
        _provider.shutdown()
    _tracer = _provider = None


def flush(timeout_millis: int = 5000) -> None:
    if _provider is not None:
        _provider.force_flush(timeout_millis)


@contextmanager
def span(name: str, attributes: dict[str, Any] | None = None, *, parent_traceparent: str | None = None,
         kind: SpanKind = SpanKind.INTERNAL) -> Iterator[Any]:
    """A span around the block, current inside it (nothing when tracing is off)."""
    if _tracer is None:
        yield None
        return
    ctx = _propagator.extract({"traceparent": parent_traceparent}) if parent_traceparent else None
    with _tracer.start_as_current_span(name, context=ctx, kind=kind, attributes=attributes) as current:
        yield current


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, to carry it elsewhere (an outbox row)."""
    if _tracer is None:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def start_sql_span(statement: str, dialect: str):
    """A span for one SQL statement, ended by the caller (None when off or outside a trace)."""
    if _tracer is None or not trace.get_current_span().is_recording():  # no trace, or not sampled
        return None
    operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
    return _tracer.start_span(f"db {operation}", kind=SpanKind.CLIENT, attributes={
        "db.system": "postgresql" if dialect == "postgresql" else dialect,
        "db.statement": statement[:1000]})


class GraphQLFieldSpans:
    """graphql-core middleware: a span per top-level field."""

    def resolve(self, next_, root, info, **args):
        if _tracer is None or info.path.prev is not None:
            return next_(root, info, **args)
        with _tracer.start_as_current_span(f"graphql.field {info.field_name}",
                                           attributes={"graphql.field.name": info.field_name}):
            return next_(root, info, **args)


def graphql_middleware() -> list | None:
    return [GraphQLFieldSpans()] if _tracer is not None else None


# --- requests -------------------------------------------------------------------------------

_TOKEN = "tercul.otel_token"
_SPAN = "tercul.otel_span"


def _start_request_span() -> None:
    if _tracer is None:
        return
    environ = request.environ
    parent = _propagator.extract({"traceparent": environ.get("HTTP_TRACEPARENT", "")})
    current = _tracer.start_span(f"{request.method} {request.path}", context=parent, kind=SpanKind.SERVER,
                                 attributes={"http.request.method": request.method, "url.path": request.path})
    environ[_SPAN] = current
    environ[_TOKEN] = otel_context.attach(trace.set_span_in_context(current))


def _name_request_span(response):
    current = request.environ.get(_SPAN)
    if current is not None:
        rule = request.url_rule.rule if request.url_rule is not None else request.path
        current.update_name(f"{request.method} {rule}")
        current.set_attribute("http.route", rule)
        current.set_attribute("http.response.status_code", response.status_code)
        if response.status_code >= 500:
            current.set_status(Status(StatusCode.ERROR))
    return response


def _end_request_span(exc=None) -> None:
    environ = request.environ
    current = environ.pop(_SPAN, None)
    token = environ.pop(_TOKEN, None)
    if current is not None:
        if exc is not None:
            current.record_exception(exc)
            current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
        current.end()
    if token is not None:
        otel_context.detach(token)


def init_app(app: Flask) -> None:
    """Start the exporter if ``OTEL_*`` says so, and trace each request."""
    if _tracer is None and configured():
        setup()
    # first of the before-request functions, so that the span covers the others' SQL too
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request_span)
    app.after_request(_name_request_span)
    app.teardown_request(_end_request_span)


def job_span(topic: str, entity: str, entity_id: int, traceparent: str | None):
    """The span of one outbox job, continuing the trace of the request that wrote the row."""
    return span(f"job {topic}", {"job.topic": topic, "job.entity": entity, "job.entity_id": entity_id},
                parent_traceparent=traceparent, kind=SpanKind.CONSUMER)
