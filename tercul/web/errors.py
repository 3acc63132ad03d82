"""Designed error pages; never a traceback to the client."""
from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from ..extensions import db


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, "The form expired or was not sent from this site. Go back, reload it and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500, error.description, getattr(error, "headers", None))

    @app.errorhandler(DataError)
    def refused_by_database(error: DataError):
        # a value the edges should have refused (tercul.security checks NUL and integer
        # ranges): still the client's input, so a 400, logged to find the missing check
        app.logger.warning("database refused a value on %s %s: %s", request.method, request.path,
                           str(error.orig).splitlines()[0] if error.orig else error)
        db.session.rollback()
        return _render(400, "A value in the request is not allowed (out of range or holding a control character).")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500, "Something went wrong on our side. It has been logged.")


TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 405: "Not allowed",
          413: "Too large", 429: "Too many requests", 500: "Server error"}


def _render(code: int, message: str | None, headers=None):
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/graphql"):
        return {"error": {"code": code, "message": message}}, code
    try:
        body = render_template("errors/error.html", code=code, title=TITLES.get(code, "Error"), message=message)
    except Exception:  # noqa: BLE001 - the error page itself failed: answer plainly
        current_app.logger.exception("error page failed")
        body = f"{code} {TITLES.get(code, 'Error')}"
        return body, code, {"Content-Type": "text/plain; charset=utf-8"}
    return body, code, headers or {}
