"""Structured logs: JSON lines with request/user/trace ids, redaction, sampling, access log."""
import io
import json
import logging

import pytest

from tercul.observability import logs


@pytest.fixture
def captured():
    """The app's log handler (JSON) writing into a buffer, on the ``tercul`` logger."""
    stream = io.StringIO()
    handler = logs.make_handler("json", stream=stream)
    logger = logging.getLogger("tercul")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_logs_one_json_access_line_with_its_request_id(client, captured):
    response = client.get("/works", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "abc-123"
    access = [r for r in lines(captured) if r["logger"] == "tercul.access"]
    assert len(access) == 1
    line = access[0]
    assert {"time", "level", "logger", "message", "request_id", "user_id", "trace_id", "span_id"} <= set(line)
    assert line["request_id"] == "abc-123" and line["status"] == 200 and line["path"] == "/works"
    assert line["message"] == "GET /works 200" and line["level"] == "INFO" and line["duration_ms"] >= 0


def test_a_request_without_or_with_a_bad_id_gets_a_new_one(client):
    first = client.get("/health").headers["X-Request-ID"]
    second = client.get("/health", headers={"X-Request-ID": "bad id <script>" + "x" * 200}).headers["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second


def test_the_signed_in_users_id_is_on_each_line(client, session, captured):
    import re

    from tercul.services import accounts

    user = accounts.create_user(session, email="ana@example.org", password="a long passphrase 42",
                                display_name="Ana", verified=True)
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/account/login", data={"csrf_token": token, "email": "ana@example.org",
                                        "password": "a long passphrase 42"})
    assert client.get("/me").status_code == 200
    access = [r for r in lines(captured) if r["logger"] == "tercul.access"]
    assert access[-1]["path"] == "/me" and access[-1]["user_id"] == user.id
    assert "ana@example.org" not in captured.getvalue() and "passphrase" not in captured.getvalue()


@pytest.mark.parametrize("message, secret", [
    ("login failed for reader@example.org", "reader@example.org"),
    ("password=hunter2 given", "hunter2"),
    ('payload {"password": "s3cr3t!", "name": "x"}', "s3cr3t!"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "c2lnbmF0dXJl"),
    ("connecting to postgresql+psycopg://tercul:pa55word@db/tercul", "pa55word"),
    ("reset link /account/password/reset/Xk3vQ9pLmN2rT7sW8yZa1bC4dE6fG", "Xk3vQ9pLmN2rT7sW8yZa1bC4dE6fG"),
    ("api_key: 0123456789abcdef", "0123456789abcdef"),
])
def test_secrets_and_email_addresses_are_never_written(captured, message, secret):
    logging.getLogger("tercul.test").warning(message)
    out = captured.getvalue()
    assert secret not in out and "redacted" in out or "[email]" in out or "[token]" in out
    assert json.loads(out)["message"] != message


def test_secrets_in_arguments_extra_fields_and_tracebacks_are_redacted(captured):
    log = logging.getLogger("tercul.test")
    log.info("user %s logged in", "ada@example.org", extra={"form": {"email": "ada@example.org", "password": "pw1"}})
    try:
        raise ValueError("token=abcdef0123456789 rejected")
    except ValueError:
        log.exception("failed")
    out = captured.getvalue()
    assert "ada@example.org" not in out and "pw1" not in out and "abcdef0123456789" not in out
    first, second = lines(captured)
    assert first["form"]["password"] == "[redacted]" and "ValueError" in second["exception"]


def test_the_access_log_hides_tokens_in_paths(client, captured):
    client.get("/account/password/reset/some-reset-token-value")
    access = [r for r in lines(captured) if r["logger"] == "tercul.access"]
    assert "some-reset-token-value" not in json.dumps(access) and access[-1]["path"].endswith("[redacted]")


def test_debug_records_are_sampled():
    stream = io.StringIO()
    handler = logs.make_handler("json", debug_sample=0.0, stream=stream)
    logger = logging.getLogger("tercul.sampled")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        for _ in range(50):
            logger.debug("noise")
        logger.info("kept")
    finally:
        logger.removeHandler(handler)
    assert [line["message"] for line in lines(stream)] == ["kept"]
    half = logs.DebugSampleFilter(0.5)
    record = logging.LogRecord("x", logging.DEBUG, "", 0, "m", None, None)
    kept = sum(half.filter(record) for _ in range(2000))
    assert 800 < kept < 1200


def test_plain_format_outside_production():
    stream = io.StringIO()
    handler = logs.make_handler("plain", stream=stream)
    logger = logging.getLogger("tercul.plain")
    logger.addHandler(handler)
    try:
        logger.warning("hello %s", "world")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().rstrip().endswith("WARNING tercul.plain [-]: hello world")


def test_log_format_follows_the_environment(monkeypatch):
    from tercul.config import ConfigError, DevelopmentConfig, ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SERVER_NAME", "tercul.example")
    assert DevelopmentConfig().LOG_FORMAT == "plain" and ProductionConfig().LOG_FORMAT == "json"
    monkeypatch.setenv("LOG_FORMAT", "plain")
    assert ProductionConfig().LOG_FORMAT == "plain"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        DevelopmentConfig()


def test_the_direct_access_line_is_the_one_the_logging_handler_would_write(app):
    """write_access formats the app's own JSON handler's line itself; any other handler gets a
    LogRecord through the filters and the formatter. Both must say the same, secrets masked alike."""
    class OtherFormatter(logs.JsonFormatter):  # not the app's handler: the logging path
        pass

    direct, through_logging, plain = io.StringIO(), io.StringIO(), io.StringIO()
    ours = logs.make_handler("json", stream=direct)
    other = logs.make_handler("json", stream=through_logging)
    other.setFormatter(OtherFormatter())
    logger = logging.getLogger("tercul")
    # a plain handler first (as a developer's console might be): it must not change the record
    logger.addHandler(logs.make_handler("plain", stream=plain))
    logger.addHandler(ours)
    logger.addHandler(other)
    path = "/shelf/reader@example.org/token=abc123def456"
    agent = "curl/8 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    try:
        with app.test_request_context(path, headers={"X-Request-ID": "req-7", "User-Agent": agent}):
            logs.write_access("GET", path, None, 404, 1.25, 123, "203.0.113.9", agent)
    finally:
        for handler in logger.handlers[-3:]:
            logger.removeHandler(handler)
    [fast], [slow] = lines(direct), lines(through_logging)
    assert "[req-7]" in plain.getvalue()
    assert abs(_seconds(fast["time"]) - _seconds(slow["time"])) < 2
    del fast["time"], slow["time"]
    assert list(fast.items()) == list(slow.items())  # the same fields, values and order
    assert fast["request_id"] == "req-7" and fast["status"] == 404 and fast["bytes"] == 123
    written = direct.getvalue()
    for secret in ("reader@example.org", "abc123def456", "c2lnbmF0dXJl"):
        assert secret not in written


def _seconds(stamp: str) -> float:
    import datetime as dt

    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
