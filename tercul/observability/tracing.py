"""Traces: OpenTelemetry spans exported over OTLP/HTTP, off unless configured.

Tracing starts when ``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``
is set (and ``OTEL_SDK_DISABLED`` is not true); the exporter reads the other standard
``OTEL_*`` variables itself (headers, timeout, service name...). Spans:

- one per request (W3C ``traceparent`` from the client continues its trace),
- one per GraphQL operation and per top-level field,
- one per SQL statement (SQLAlchemy events: the contrib instrumentation refuses
  SQLAlchemy 2.1), only inside a sampled trace, and made without the SDK's span
  machinery (a statement span is a leaf: it is handed to the exporter when it ends),
- one per search and one per outbox job; the request that wrote an outbox row leaves
  its ``traceparent`` in the row's payload, and the job's span continues that trace,
  whichever process runs it.

Traces are sampled: unless ``OTEL_TRACES_SAMPLER`` says otherwise, 10% of the requests
that come without a sampled ``traceparent`` start a trace (parent-based: a client's or a
publishing request's sampling decision is followed, so a trace is never cut in half).
``OTEL_TRACES_SAMPLER=parentbased_always_on`` traces every request (bench/RESULTS.md
gives its cost). When tracing is off every helper here returns at once (no span objects
are made).
"""
from __future__ import annotations

import os
import random
import time
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask, request
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
_tracer: trace.Tracer | None = None
_provider = None
_processor = None  # the span processor statement spans are handed to when they end
_scope = None
DEFAULT_SAMPLE_RATIO = 0.1  # share of traces started here when OTEL_TRACES_SAMPLER is not set


def enabled() -> bool:
    return _tracer is not None


def configured(environ=os.environ) -> bool:
    if (environ.get("OTEL_SDK_DISABLED") or "").strip().lower() == "true":
        return False
    if (environ.get("OTEL_TRACES_EXPORTER") or "otlp").strip().lower() == "none":
        return False
    return bool(environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def default_sampler(environ=os.environ):
    """None when ``OTEL_TRACES_SAMPLER`` is set (the SDK reads it), else parent-based 10%."""
    if (environ.get("OTEL_TRACES_SAMPLER") or "").strip():
        return None
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    return ParentBased(TraceIdRatioBased(DEFAULT_SAMPLE_RATIO))


def setup(service_name: str | None = None, exporter=None, *, batch: bool = True, sampler=None) -> None:
    """Start exporting spans (once per process; ``exporter`` replaces the OTLP one in tests).

    ``sampler`` defaults to :func:`default_sampler`'s choice."""
    global _tracer, _provider, _processor, _scope
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    from opentelemetry.sdk.util.instrumentation import InstrumentationScope

    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    attributes = {"service.name": os.environ.get("OTEL_SERVICE_NAME") or service_name or "tercul"}
    provider = TracerProvider(resource=Resource.create(attributes), sampler=sampler or default_sampler())
    processor = BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    shutdown()
    _provider, _processor = provider, processor
    _tracer = provider.get_tracer("tercul")
    _scope = InstrumentationScope("tercul")


def shutdown() -> None:
    """Flush and stop exporting (tests; process exit flushes by itself)."""
    global _tracer, _provider, _processor
    if _provider is not None:
        _provider.shutdown()
    _tracer = _provider = _processor = None


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


_SAMPLED = TraceFlags(TraceFlags.SAMPLED)
_OK = Status(StatusCode.UNSET)


class StatementSpan:
    """One SQL statement's span. A statement span has no children and is never current,
    so it needs none of the SDK span's machinery (locks, attribute checks, processors'
    ``on_start``, context): it keeps its start time and becomes a ``ReadableSpan`` for
    the exporter when it ends, which costs a few microseconds instead of some fifty."""

    __slots__ = ("parent", "name", "attributes", "started", "status")

    def __init__(self, parent: SpanContext, name: str, attributes: dict[str, Any]):
        self.parent, self.name, self.attributes = parent, name, attributes
        self.status = _OK
        self.started = time.time_ns()

    def set_status(self, status: Status) -> None:
        self.status = status

    def end(self) -> None:
        from opentelemetry.sdk.trace import ReadableSpan

        processor = _processor
        if processor is None:  # tracing stopped meanwhile
            return
        parent = self.parent
        span_id = random.getrandbits(64) or 1  # what the SDK's RandomIdGenerator does
        context = SpanContext(parent.trace_id, span_id, is_remote=False, trace_flags=_SAMPLED,
                              trace_state=parent.trace_state)
        processor.on_end(ReadableSpan(self.name, context, parent, _provider.resource, self.attributes,
                                      kind=SpanKind.CLIENT, status=self.status, start_time=self.started,
                                      end_time=time.time_ns(), instrumentation_scope=_scope))


def start_sql_span(statement: str, dialect: str) -> StatementSpan | None:
    """A span for one SQL statement, ended by the caller (None when off or outside a sampled trace)."""
    if _tracer is None:
        return None
    parent = trace.get_current_span().get_span_context()
    if not parent.trace_flags.sampled:  # no trace, or not sampled
        return None
    head = statement.lstrip()[:20].split(None, 1)
    return StatementSpan(parent, f"db {head[0].upper()}" if head else "db SQL", {
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


def start_request_span(environ) -> None:
    """Start the request's span and make it current (from request_hooks, when tracing is on)."""
    traceparent = environ.get("HTTP_TRACEPARENT")
    parent = _propagator.extract({"traceparent": traceparent}) if traceparent else None
    method, path = environ["REQUEST_METHOD"], request.path
    current = _tracer.start_span(f"{method} {path}", context=parent, kind=SpanKind.SERVER,
                                 attributes={"http.request.method": method, "url.path": path})
    environ[_SPAN] = current
    environ[_TOKEN] = otel_context.attach(trace.set_span_in_context(current))


def name_request_span(environ, response) -> None:
    """Name the request's span by its route and note the status (a no-op when not recording)."""
    current = environ.get(_SPAN)
    if current is not None and current.is_recording():
        rule = request.url_rule.rule if request.url_rule is not None else request.path
        current.update_name(f"{request.method} {rule}")
        current.set_attributes({"http.route": rule, "http.response.status_code": response.status_code})
        if response.status_code >= 500:
            current.set_status(Status(StatusCode.ERROR))


def end_request_span(environ, exc=None) -> None:
    current = environ.pop(_SPAN, None)
    token = environ.pop(_TOKEN, None)
    if current is not None:
        if exc is not None and current.is_recording():
            current.record_exception(exc)
            current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
        current.end()
    if token is not None:
        otel_context.detach(token)


def init_app(app: Flask) -> None:  # noqa: ARG001 - the same signature as the other parts
    """Start the exporter if ``OTEL_*`` says so (the request spans are made by request_hooks)."""
    if _tracer is None and configured():
        setup()


def job_span(topic: str, entity: str, entity_id: int, traceparent: str | None):
    """The span of one outbox job, continuing the trace of the request that wrote the row."""
    return span(f"job {topic}", {"job.topic": topic, "job.entity": entity, "job.entity_id": entity_id},
                parent_traceparent=traceparent, kind=SpanKind.CONSUMER)
