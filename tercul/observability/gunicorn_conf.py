"""gunicorn settings for Tercul: ``gunicorn -c python:tercul.observability.gunicorn_conf wsgi:app``.

- With ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder), a worker that exits is marked dead
  so that its gauges leave /metrics (its counters stay counted).
- gunicorn's own log lines use the app's format (JSON in production); the app writes the
  access log itself (``LOG_ACCESS``), so gunicorn's is off.
"""
import os

_json = (os.environ.get("LOG_FORMAT") or ("json" if os.environ.get("TERCUL_ENV") == "production" else "plain")) == "json"

accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"app": {"()": "tercul.observability.logs.JsonFormatter" if _json
                           else "tercul.observability.logs.PlainFormatter"}},
    "filters": {"context": {"()": "tercul.observability.logs.ContextFilter"},
                "redact": {"()": "tercul.observability.logs.RedactingFilter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "app", "filters": ["context", "redact"],
                            "stream": "ext://sys.stderr"}},
    # the root logger stays without handlers: the app's loggers have their own (no duplicates)
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
                "gunicorn.access": {"handlers": [], "propagate": False}},
}


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
