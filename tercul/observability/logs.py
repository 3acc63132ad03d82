"""Logs: one JSON object per line in production, plain text in development.

Every record carries the request id (``X-Request-ID`` from the client or generated,
returned in the response), the signed-in user's id and the current trace and span
ids. One handler on the ``tercul`` logger does the work; its filters add those
fields, drop a share of debug records (``LOG_DEBUG_SAMPLE``) and redact secrets:
passwords, tokens, keys, bearer credentials, passwords in URLs and email addresses
never reach the output, whether in the message, an extra field or a traceback.
``tercul.access`` writes one line per request in the same format: for the app's own
JSON handler that line is formatted and written directly (:func:`write_access`, the same
fields and the same redaction, a fifth of the cost); any other handler (a test's, an
operator's) gets an ordinary ``LogRecord``.
"""
from __future__ import annotations

import json
import logging
import random
import re
import sys
import time
from typing import Any

from flask import Flask, g, has_request_context, request
from opentelemetry.trace import get_current_span

ACCESS = logging.getLogger("tercul.access")
_HANDLER_FLAG = "_tercul_handler"
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

# attributes every LogRecord has; anything else on a record is an ``extra`` field
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_CONTEXT = ("request_id", "user_id", "trace_id", "span_id")


# --- redaction ------------------------------------------------------------------------

_SECRET_NAMES = r"(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|authorization|cookie|session)"
_REDACTIONS: list[tuple[re.Pattern[str], str]] = [
    # name=value, name: value, "name": "value" (the value, whatever quotes it has)
    (re.compile(r"(?i)(\b[\w-]*" + _SECRET_NAMES + r"[\w-]*[\"']?\s*[=:]\s*[\"']?)([^\s\"'&,;}]+)"), r"\1[redacted]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [redacted]"),
    # JSON web tokens and itsdangerous-style signed tokens
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[token]"),
    # user:password@ in URLs (database, Redis, SMTP)
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@"), r"\1[redacted]@"),
    (re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), "[email]"),
    # random-looking path segments or words (reset/verification tokens): 24+ URL-safe
    # characters mixing upper case, lower case and digits
    (re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[0-9])"
                r"[A-Za-z0-9_-]{24,}"), "[token]"),
]


_SECRET_NAME = re.compile(_SECRET_NAMES, re.I)
# one search over all the patterns first: most log lines have nothing to mask
_ANY = re.compile("|".join(f"(?:{pattern.pattern.replace('(?i)', '')})" for pattern, _ in _REDACTIONS), re.I)
# fields of the access log that never hold free text
_SAFE_FIELDS = frozenset({"method", "endpoint", "status", "duration_ms", "bytes", "remote_addr"})
_STANDARD_AND_CONTEXT = frozenset(_STANDARD | set(_CONTEXT))
_NOT_FREE_TEXT = _STANDARD_AND_CONTEXT | _SAFE_FIELDS


def redact(text: str) -> str:
    """``text`` with passwords, tokens, credentials in URLs and email addresses masked."""
    if not _ANY.search(text):
        return text
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: "[redacted]" if re.search(_SECRET_NAMES, str(k), re.I) else _redact_value(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact_value(v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """Masks secrets in the message, its arguments, extra fields and the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # the redacted text is what gets written
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        fields = record.__dict__
        for key in [k for k in fields if k not in _NOT_FREE_TEXT]:
            value = fields[key]
            if isinstance(value, (str, dict, list, tuple)):
                fields[key] = _redact_value(value)
        return True


class DebugSampleFilter(logging.Filter):
    """Keeps each DEBUG record with probability ``rate``; other levels always pass."""

    def __init__(self, rate: float):
        super().__init__()
        self.rate = rate

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno != logging.DEBUG or self.rate >= 1 or random.random() < self.rate


class ContextFilter(logging.Filter):
    """Adds request_id, user_id, trace_id and span_id (None where there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = user_id = None
        if has_request_context():
            request_id = current_request_id()
            user = g.get("_login_user")  # only if Flask-Login already loaded it: no query here
            if user is not None and getattr(user, "is_authenticated", False):
                user_id = getattr(user, "id", None)
        trace_id, span_id = _trace_ids()
        for name, value in (("request_id", request_id), ("user_id", user_id), ("trace_id", trace_id),
                            ("span_id", span_id)):
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


def _trace_ids() -> tuple[str | None, str | None]:
    context = get_current_span().get_span_context()
    if not context.is_valid:
        return None, None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def _timestamp(created: float, msecs: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, then extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = record.__dict__
        out: dict[str, Any] = {
            "time": _timestamp(record.created, record.msecs),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": fields.get("request_id"),
            "user_id": fields.get("user_id"),
            "trace_id": fields.get("trace_id"),
            "span_id": fields.get("span_id"),
        }
        for key in fields:
            if key not in _STANDARD_AND_CONTEXT:
                out[key] = fields[key]
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exception"] = record.exc_text
        if record.stack_info:
            out["stack"] = record.stack_info
        return _ENCODER.encode(out)


class PlainFormatter(logging.Formatter):
    """Text for development: time, level, logger, [request id], message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request)s]: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # the request id goes in through a copy: other handlers (a JSON one) see the record unchanged
        shown = logging.makeLogRecord(record.__dict__)
        shown.request = getattr(record, "request_id", None) or "-"
        text = super().format(shown)
        record.exc_text = shown.exc_text
        return text


def make_handler(log_format: str, debug_sample: float = 1.0, stream=None) -> logging.Handler:
    """The handler the app installs: filters (sample, context, redaction), then the format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(DebugSampleFilter(debug_sample))
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else PlainFormatter())
    setattr(handler, _HANDLER_FLAG, True)
    return handler


# --- request ids and the access log ------------------------------------------------------

def current_request_id() -> str:
    """This request's id: the client's ``X-Request-ID`` if it is sane, else a new one."""
    request_id = g.get("request_id")
    if request_id is None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        # not a secret, only unique: no system call per request (uuid4 reads os.urandom)
        request_id = given if given and _VALID_REQUEST_ID.match(given) else f"{random.getrandbits(128):032x}"
        g.request_id = request_id
    return request_id


def _handlers(logger: logging.Logger):
    """The handlers a record of ``logger`` reaches, as ``Logger.callHandlers`` walks them."""
    current: logging.Logger | None = logger
    while current is not None:
        yield from current.handlers
        current = current.parent if current.propagate else None


def write_access(method: str, path: str, endpoint: str | None, status: int, duration_ms: float | None,
                 size: int | None, remote_addr: str | None, user_agent: str | None) -> None:
    """One access line for the current request (the caller checked that ``tercul.access`` logs INFO).

    The app's JSON handler gets the line written directly, without the logging machinery
    (record, filters, formatter): the same fields in the same order as :class:`JsonFormatter`
    writes, and the same redaction as :class:`RedactingFilter` applies (the message, the
    path and the user agent are free text; the other fields never are). Other handlers
    get a ``LogRecord`` through their own filters.
    """
    user = g.get("_login_user")  # only if Flask-Login already loaded it: no query here
    trace_id, span_id = _trace_ids()
    fields = {"request_id": current_request_id(),
              "user_id": getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None,
              "trace_id": trace_id, "span_id": span_id,
              "method": method, "path": redact(path), "endpoint": endpoint, "status": status,
              "duration_ms": duration_ms, "bytes": size, "remote_addr": remote_addr,
              "user_agent": redact(user_agent) if user_agent else None}
    record = None
    line = None
    for handler in _handlers(ACCESS):
        if logging.INFO < handler.level:
            continue
        if getattr(handler, _HANDLER_FLAG, False) and type(handler.formatter) is JsonFormatter and not ACCESS.filters:
            if line is None:
                line = _ENCODER.encode({"time": _now(), "level": "INFO", "logger": "tercul.access",
                                        "message": redact(f"{method} {path} {status}"), **fields}) + "\n"
            handler.acquire()
            try:
                handler.stream.write(line)
                handler.flush()
            except Exception:  # noqa: BLE001 - as StreamHandler.emit: logging never breaks a request
                handler.release()
                record = record or _access_record(method, path, status, fields)
                handler.handleError(record)
            else:
                handler.release()
        else:
            record = record or _access_record(method, path, status, fields)
            handler.handle(record)


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)  # made once: json.dumps with options makes one per call
_second: tuple[int, str] = (0, "")


def _now() -> str:
    """The current time as JsonFormatter writes it (the seconds part formatted once per second)."""
    global _second
    now = time.time()
    second, text = _second  # one tuple, replaced whole: threads never see half of it
    if second != int(now):
        second = int(now)
        _second = (second, text := time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return f"{text}.{int((now - second) * 1000):03d}Z"


def _access_record(method, path, status, fields) -> logging.LogRecord:
    record = ACCESS.makeRecord(ACCESS.name, logging.INFO, __file__, 0, "%s %s %s", (method, path, status), None)
    record.__dict__.update(fields)
    return record


def redacted_path() -> str:
    """The request's path with view arguments named like secrets (reset tokens...) masked."""
    path = request.path
    if request.view_args:
        for name, value in request.view_args.items():
            if isinstance(value, str) and _SECRET_NAME.search(name):
                path = path.replace(value, "[redacted]")
    return path


def init_app(app: Flask) -> None:
    """Install the handler on the ``tercul`` logger and set the levels."""
    config = app.config
    log_format = config.get("LOG_FORMAT") or ("json" if config.get("TERCUL_ENV") == "production" else "plain")
    logger = logging.getLogger("tercul")
    logger.setLevel(config.get("LOG_LEVEL", "INFO"))
    ACCESS.setLevel(logging.INFO if config.get("LOG_ACCESS", True) else logging.WARNING)
    if not app.testing:
        for old in [h for h in logger.handlers if getattr(h, _HANDLER_FLAG, False)]:
            logger.removeHandler(old)
        logger.addHandler(make_handler(log_format, config.get("LOG_DEBUG_SAMPLE", 1.0)))
    # the request id header and the access line are written by request_hooks
