"""Mail: messages are written by services and delivered once their transaction commits.

The backend is flask-mailman's, chosen by ``MAIL_BACKEND``: ``file`` (the embedded
default) writes each message to a file in ``MAIL_FILE_PATH``, ``smtp`` sends it,
``locmem`` keeps it in ``mail.outbox`` for tests. Every delivery is logged (address
and subject, never the body: it holds sign-in links).

A message queued in a transaction that rolls back is never sent. With
``MAIL_SEND_ASYNC`` the delivery runs on a small background thread pool, so that a
slow SMTP server neither delays the response nor tells by its timing whether a
message was sent at all (which would reveal whether an address has an account).
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app, render_template
from flask_mailman import EmailMessage
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING = "tercul.mail.pending"
_executor: ThreadPoolExecutor | None = None


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail: host and scheme from the configuration (``SERVER_NAME``,
    ``PREFERRED_URL_SCHEME``), never from the request, whose ``Host`` and
    ``X-Forwarded-Host`` the client chooses (a reset link must not point elsewhere).
    Without ``SERVER_NAME`` (development only: production refuses to start) ``localhost``."""
    config = current_app.config
    adapter = current_app.url_map.bind(config.get("SERVER_NAME") or "localhost",
                                       script_name=config.get("APPLICATION_ROOT") or "/",
                                       url_scheme=config.get("PREFERRED_URL_SCHEME") or "http")
    return adapter.build(endpoint, values, force_external=True)


def compose(to: str, subject: str, template: str, **context) -> EmailMessage:
    """A plain-text message rendered from ``template`` (a Jinja template under templates/)."""
    body = render_template(template, **context)
    return EmailMessage(subject=subject, body=body, to=[to],
                        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"))


def send_after_commit(session: Session, message: EmailMessage) -> None:
    """Deliver ``message`` when ``session`` commits; drop it if the session rolls back."""
    session.info.setdefault(_PENDING, []).append(message)


def pending(session: Session) -> list[EmailMessage]:
    """Messages waiting for the commit of ``session``."""
    return list(session.info.get(_PENDING, ()))


def deliver(messages: list[EmailMessage]) -> None:
    """Send now, in this thread (needs an app context); failures are logged, not raised."""
    if not messages:
        return
    backend = current_app.config.get("MAIL_BACKEND")
    for message in messages:
        try:
            message.send()
        except Exception:  # noqa: BLE001 - a mail server problem must not fail the user's action
            log.exception("mail to %s (%r) could not be sent via %s", ", ".join(message.to), message.subject,
                          backend)
        else:
            where = f" in {current_app.config.get('MAIL_FILE_PATH')}" if backend == "file" else ""
            log.info("mail to %s: %r (%s backend%s)", ", ".join(message.to), message.subject, backend, where)


def _deliver_in_app(app: Flask, messages: list[EmailMessage]) -> None:
    with app.app_context():
        deliver(messages)


def _executor_pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tercul-mail")
    return _executor


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    messages = session.info.pop(_PENDING, None)
    if not messages:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("MAIL_SEND_ASYNC"):
        _executor_pool().submit(_deliver_in_app, app, messages)
    else:
        deliver(messages)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    # after_commit has taken the messages of a committed transaction: whatever is left
    # when the outermost transaction ends belongs to one that rolled back or was closed
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
