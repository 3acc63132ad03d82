"""Responses the HTML views share: a domain error that no form field shows, and 303 redirects."""
from __future__ import annotations

from flask import abort, redirect, url_for

from ..extensions import db, login_manager
from ..services.errors import Conflict, DomainError, Forbidden, NotFound, Unauthenticated


def fail(error: DomainError):
    """Roll back and answer a domain error: log in, 403, 404, 409 or 400, with its message."""
    db.session.rollback()
    if isinstance(error, Unauthenticated):
        return login_manager.unauthorized()
    if isinstance(error, Forbidden):
        abort(403, error.message)
    if isinstance(error, NotFound):
        abort(404, error.message)
    if isinstance(error, Conflict):
        abort(409, error.message)
    abort(400, error.message)


def require_valid(form) -> None:
    """A button's form (a CSRF token, a comment): 400 when it cannot be read, i.e. it expired."""
    if not form.validate_on_submit():
        abort(400, "The form expired. Reload the page and try again.")


def see_other(endpoint: str, **values):
    """Redirect after a POST (303), so that reloading does not send the form again."""
    return redirect(url_for(endpoint, **values), code=303)
