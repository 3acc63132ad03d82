"""Traces: a small OTLP/HTTP receiver gets one trace from a publishing request to its index job."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from factories import AuthorFactory, UserFactory
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (ExportTraceServiceRequest,
                                                                      ExportTraceServiceResponse)
from sqlalchemy import select

from tercul.models import OutboxEntry
from tercul.observability import tracing
from tercul.services import tokens


class Receiver:
    """An OTLP/HTTP trace receiver on loopback (protobuf bodies), keeping every span it gets."""

    def __init__(self):
        self.spans = []
        self.paths = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.paths.append((self.path, self.headers["Content-Type"]))
                request = ExportTraceServiceRequest.FromString(body)
                for resource_spans in request.resource_spans:
                    service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                    for scope in resource_spans.scope_spans:
                        for span in scope.spans:
                            receiver.spans.append((service.get("service.name"), span))
                reply = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/traces"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    tracing.setup("tercul-test", OTLPSpanExporter(endpoint=receiver.url, timeout=5))
    yield receiver
    tracing.shutdown()
    receiver.close()


def attrs(span):
    out = {}
    for a in span.attributes:
        value = a.value
        out[a.key] = value.string_value or value.int_value or value.bool_value
    return out


def test_one_trace_from_the_publishing_request_to_the_index_job(client, session, app, receiver, tmp_path,
                                                                   monkeypatch):
    from tercul.search import forget_backends
    from tercul.tasks import jobs

    monkeypatch.setitem(app.config, "SEARCH_INDEX_PATH", tmp_path / "index")
    AuthorFactory(slug="ann")
    editor = UserFactory(role="reviewer")
    token = tokens.issue_tokens(session, editor).access_token
    session.commit()
    mutation = """mutation Publish($input: WorkInput!) { createWork(input: $input) { work { slug } errors { message } } }"""
    work_input = {"title": "Night Harbour", "language": "en", "form": "POETRY", "authors": ["ann"],
                  "text": "lamps on the water\nropes and tar\n\nthe tide turns"}
    response = client.post("/graphql", json={"query": mutation, "variables": {"input": work_input}},
                           headers={"Authorization": f"Bearer {token}",
                                    "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
    assert response.json["data"]["createWork"]["errors"] == []
    row = session.scalars(select(OutboxEntry).where(OutboxEntry.topic == "index", OutboxEntry.entity == "work")
                          .order_by(OutboxEntry.id.desc())).first()
    assert row.payload["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")
    try:
        outcomes = jobs.drain(session)
    finally:
        forget_backends()
    assert outcomes.get("done", 0) >= 1
    tracing.flush()

    assert receiver.paths and receiver.paths[0] == ("/v1/traces", "application/x-protobuf")
    assert {service for service, _ in receiver.spans} == {"tercul-test"}
    trace = [s for _, s in receiver.spans if s.trace_id.hex() == "0af7651916cd43dd8448eb211c80319c"]
    by_name = {}
    for span in trace:
        by_name.setdefault(span.name, []).append(span)
    request_span = by_name["POST /graphql"][0]
    assert request_span.parent_span_id.hex() == "b7ad6b7169203331"  # the client's traceparent continued
    operation = by_name["graphql.mutation Publish"][0]
    field = by_name["graphql.field createWork"][0]
    assert operation.parent_span_id == request_span.span_id and field.parent_span_id == operation.span_id
    statements = [s for s in trace if s.name.startswith("db ")]
    assert any(s.name == "db INSERT" for s in statements)
    assert all(attrs(s)["db.system"] in ("sqlite", "postgresql") for s in statements)
    job = by_name["job index"][0]  # run later, outside the request: the outbox row carried the trace
    assert attrs(job)["job.entity"] == "work" and attrs(job)["job.outcome"] == "done"
    assert job.parent_span_id == field.span_id  # the span that wrote the row
    assert any(s.parent_span_id == job.span_id and s.name.startswith("db ") for s in trace)


def test_tracing_is_off_unless_configured(client, monkeypatch):
    assert not tracing.enabled()
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    assert not tracing.configured()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    assert tracing.configured()
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert not tracing.configured()
    assert tracing.current_traceparent() is None and tracing.graphql_middleware() is None
    assert client.get("/health").status_code == 200


def test_traces_are_sampled_at_ten_percent_unless_otel_traces_sampler_says_otherwise(monkeypatch):
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    assert tracing.default_sampler().get_description() == \
        "ParentBased{root:TraceIdRatioBased{0.1},remoteParentSampled:AlwaysOnSampler,"\
        "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"\
        "localParentNotSampled:AlwaysOffSampler}"
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_always_on")
    assert tracing.default_sampler() is None  # the SDK reads the variable itself


def test_a_callers_sampling_decision_is_followed_down_to_the_statements(client, receiver):
    unsampled, sampled = "1af7651916cd43dd8448eb211c80319c", "2af7651916cd43dd8448eb211c80319c"
    for trace_id, flags in ((unsampled, "00"), (sampled, "01")):
        response = client.get("/works", headers={"traceparent": f"00-{trace_id}-b7ad6b7169203331-{flags}"})
        assert response.status_code == 200
    tracing.flush()
    spans = [s for _, s in receiver.spans]
    assert not [s for s in spans if s.trace_id.hex() == unsampled]
    mine = [s for s in spans if s.trace_id.hex() == sampled]
    request_span = next(s for s in mine if s.name == "GET /works")
    statements = [s for s in mine if s.name.startswith("db ")]
    assert statements and all(s.parent_span_id == request_span.span_id for s in statements)
    assert all(s.end_time_unix_nano >= s.start_time_unix_nano > 0 for s in statements)
    assert len({s.span_id for s in mine}) == len(mine)
