"""The security baseline of every page.

- Headers (Flask-Talisman): CSP with nonces, no framing, nosniff, HSTS in production.
- Login sessions (Flask-Login on Flask's signed cookie). A cookie cannot be taken
  back, so the session names the user *and* their ``session_version``; logging out,
  changing the password or being disabled bumps the version, and every cookie issued
  before (copied or not) stops working. A login clears the session first, so nothing
  from before it (an attacker's planted cookie, an old CSRF token) carries over.
  Sessions end after ``SESSION_IDLE_MINUTES`` without a request and
  ``SESSION_ABSOLUTE_HOURS`` after login; "remember me" makes the cookie outlive the
  browser for ``REMEMBER_ME_DAYS`` (the same cookie, so the same revocation).
- Rate limits (Flask-Limiter) per client IP and per account, limits from config;
  over a limit, a 429 page that says when to try again, with ``Retry-After``.
"""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from time import monotonic as _monotonic  # not the module's `time`, which tests replace with a clock

from flask import Flask, Request, current_app, render_template, request, session
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_talisman import Talisman
from werkzeug.exceptions import BadRequest, TooManyRequests
from werkzeug.routing import IntegerConverter

talisman = Talisman()

# Only our own scripts (each carries the page's nonce) and our own styles.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# session keys (Flask-Login's own start with "_" too)
LOGIN_AT, SEEN_AT, REMEMBER = "_login_at", "_seen_at", "_remember_me"
# how often the last-seen time is written back (each write re-sends the cookie)
SEEN_RESOLUTION = 60


def init_security(app: Flask) -> None:
    production = app.config["TERCUL_ENV"] == "production"
    talisman.init_app(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        force_https=production,
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.register_error_handler(TooManyAttempts, too_many_attempts)
    init_input_checks(app)


def init_login(app: Flask) -> None:
    """Flask-Login: load the user of a session, if its version is still current."""
    from .extensions import db, login_manager
    from .models import User

    login_manager.login_view = "account.login"
    login_manager.login_message = "Log in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):
        user_id, _, version = (identity or "").partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None  # a bare id (from login_user alone) is never enough
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user if user.disabled_at is None and user.deleted_at is None else None

    app.before_request(enforce_session_lifetimes)
    app.context_processor(_permission_helpers)


def session_identity(user) -> str:
    return f"{user.id}:{user.session_version}"


def start_session(user, remember: bool = False) -> None:
    """Log ``user`` in on this browser, in a brand-new session."""
    session.clear()
    login_user(user, remember=False, fresh=True)
    session["_user_id"] = session_identity(user)
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[REMEMBER] = bool(remember)
    session.permanent = bool(remember)


def end_session() -> None:
    """Forget the login on this browser (the caller bumps the version to end the others)."""
    logout_user()
    session.clear()


def enforce_session_lifetimes() -> None:
    """End a login session that was idle or open for too long."""
    if "_user_id" not in session:
        return
    config = current_app.config
    if session.get(REMEMBER):
        absolute = idle = config["REMEMBER_ME_DAYS"] * 86400
    else:
        absolute, idle = config["SESSION_ABSOLUTE_HOURS"] * 3600, config["SESSION_IDLE_MINUTES"] * 60
    now = time.time()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if (not isinstance(login_at, int) or not isinstance(seen_at, int)
            or now - login_at > absolute or now - seen_at > idle):
        end_session()
        return
    if now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = int(now)


def acting_user():
    """The logged-in user, or None: what views pass to services as the actor."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def _permission_helpers() -> dict[str, Callable[[], bool]]:
    # templates hide what a user cannot do; the services decide
    from .services import accounts

    return {
        "can_contribute": lambda: accounts.can_contribute(acting_user()),
        "can_review": lambda: accounts.can_review(acting_user()),
        "is_admin": lambda: accounts.is_admin(acting_user()),
    }


# --- rate limits ---------------------------------------------------------------------------

def client_ip() -> str:
    """The client's address as every limit keys it (behind PROXY_HOPS, the forwarded one)."""
    return get_remote_address() or "unknown"


def ip_key() -> str:
    return "ip:" + client_ip()


def form_account_key(field: str = "email") -> Callable[[], str]:
    """Key a limit on the account named in a form field (lower-cased email)."""
    def key() -> str:
        return "account:" + (request.form.get(field) or "").strip().lower()[:254]
    return key


def user_or_form_account_key(field: str = "email") -> Callable[[], str]:
    """Key a limit on the logged-in user, else on the account named in the form."""
    by_form = form_account_key(field)

    def key() -> str:
        return f"user:{current_user.id}" if current_user.is_authenticated else by_form()
    return key


def configured_limit(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


# Limits counted by our own code (GraphQL, the login of every door). Flask-Limiter's
# strategy (Redis in production) when it answers; while it does not, an in-process
# strategy per application, retried every LIMITS_RETRY_SECONDS: limits keep holding
# through a Redis outage, per process, instead of the request failing.
LIMITS_RETRY_SECONDS = 5.0
LOGIN_SCOPE_IP, LOGIN_SCOPE_ACCOUNT = "login-ip", "login-account"
_limits_log = logging.getLogger("tercul.ratelimit")


class TooManyAttempts(TooManyRequests):
    """Over a limit counted by :func:`hit_limit`; ``retry_after`` in seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"Too many attempts. Please wait {_duration(retry_after)} and try again.",
                         retry_after=retry_after)


class _LimitState:
    def __init__(self) -> None:
        from limits.storage import MemoryStorage
        from limits.strategies import FixedWindowRateLimiter

        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self.retry_at = 0.0
        self.down = False


def _with_limiter(operation: Callable):
    from .extensions import limiter

    state = current_app.extensions.get("tercul.limits")
    if state is None:  # built once: a MemoryStorage starts a timer thread
        state = current_app.extensions.setdefault("tercul.limits", _LimitState())
    if _monotonic() >= state.retry_at:
        try:
            result = operation(limiter.limiter)
        except Exception as error:  # noqa: BLE001 - any storage failure: count in memory
            if not state.down:
                _limits_log.warning("rate limit storage unreachable (%s); counting in process memory", error)
            state.down, state.retry_at = True, _monotonic() + LIMITS_RETRY_SECONDS
        else:
            if state.down:
                _limits_log.warning("rate limit storage is back")
                state.down = False
            return result
    return operation(state.fallback)


def _parsed(spec: str):
    from limits import parse_many

    return parse_many(spec)


def hit_limit(scope: str, spec: str, key: str) -> None:
    """Count one event for ``key`` under every limit in ``spec``; :class:`TooManyAttempts` when over."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    for item in _parsed(spec):
        if not _with_limiter(lambda strategy: strategy.hit(item, scope, key)):
            _over(item, scope, key)


def check_limit(scope: str, spec: str, key: str) -> None:
    """Raise :class:`TooManyAttempts` if ``key`` has no event left under ``spec`` (counts nothing)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    for item in _parsed(spec):
        if not _with_limiter(lambda strategy: strategy.test(item, scope, key)):
            _over(item, scope, key)


def _over(item, scope: str, key: str):
    reset, _ = _with_limiter(lambda strategy: strategy.get_window_stats(item, scope, key))
    raise TooManyAttempts(max(1, math.ceil(reset - time.time())))


def login_account(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def check_login_allowed(client_ip: str, email: str | None) -> None:
    """Before checking a password, from any door (form, GraphQL): refuse when the client
    or the account has used up its failed logins."""
    config = current_app.config
    check_limit(LOGIN_SCOPE_IP, config["RATELIMIT_LOGIN_IP"], client_ip)
    check_limit(LOGIN_SCOPE_ACCOUNT, config["RATELIMIT_LOGIN_ACCOUNT"], login_account(email))


def count_failed_login(client_ip: str, email: str | None) -> None:
    """A wrong address or password, from any door; successful logins count nothing."""
    config = current_app.config
    for scope, spec, key in ((LOGIN_SCOPE_IP, config["RATELIMIT_LOGIN_IP"], client_ip),
                             (LOGIN_SCOPE_ACCOUNT, config["RATELIMIT_LOGIN_ACCOUNT"], login_account(email))):
        try:
            hit_limit(scope, spec, key)
        except TooManyAttempts:
            pass  # this attempt is already answered; the next one is refused


def too_many_attempts(error: TooManyAttempts):
    """Our own limits: the same 429 page (or JSON) as Flask-Limiter's."""
    message = error.description
    headers = {"Retry-After": str(error.retry_after)}
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/graphql"):
        return {"error": {"code": 429, "message": message, "retry_after": error.retry_after}}, 429, headers
    return render_template("errors/error.html", code=429, title="Too many requests", message=message), 429, headers


def too_many_requests(error: RateLimitExceeded):
    """429 with ``Retry-After`` and a page that says when to try again."""
    from .extensions import limiter

    limit = limiter.current_limit
    retry_after = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
    message = f"Too many attempts. Please wait {_duration(retry_after)} and try again."
    headers = {"Retry-After": str(retry_after)}
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/graphql"):
        return {"error": {"code": 429, "message": message, "retry_after": retry_after}}, 429, headers
    return render_template("errors/error.html", code=429, title="Too many requests", message=message), 429, headers


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{round(minutes / 60)} hours"


# --- input at the edges --------------------------------------------------------------------
# Checked once for every request, so that no bad value reaches a service or the database
# as an error (PostgreSQL refuses NUL in text and integers beyond its columns: a 500).

DB_INT_MAX = 2**31 - 1  # the largest id or number an INTEGER column holds


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in every route: 0 to the INTEGER column's maximum; beyond, the URL
    matches nothing (404), instead of reaching the database."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=0 if min is None else min,
                         max=DB_INT_MAX if max is None else max, signed=signed)


class MalformedInput(BadRequest):
    """A request no form or API could mean (a NUL character, a nesting too deep)."""


def has_nul(value) -> bool:
    """Whether a NUL character is in a string, or in any key or value of nested dicts and lists."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def reject_malformed_input() -> None:
    """Before every view: the path, query and form fields (names and values) must not hold NUL.

    Invalid UTF-8 is already decoded with replacement characters by Werkzeug; sizes are
    bounded by ``MAX_CONTENT_LENGTH`` and ``MAX_FORM_MEMORY_SIZE`` (413)."""
    if "\x00" in request.path:
        raise MalformedInput("The address contains a NUL character.")
    for where, values in (("query", request.args), ("form", request.form if request.method != "GET" else None)):
        if values and any("\x00" in k or "\x00" in v for k, v in values.items(multi=True)):
            raise MalformedInput(f"A {where} field contains a NUL character.")


class _SafeJsonRequest(Request):
    """JSON nested beyond Python's recursion limit is a bad request, not a RecursionError."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            raise MalformedInput("The JSON body is nested too deeply.") from None


def init_input_checks(app: Flask) -> None:
    # the converter must be in place before the blueprints add their rules
    app.url_map.converters["int"] = DatabaseIntConverter
    # sizes: a form field may hold a whole text (TEXT_MAX_BYTES), a request two of them;
    # beyond, 413 before anything is parsed (Werkzeug reads any length otherwise)
    text_bytes = int(app.config.get("TEXT_MAX_BYTES", 2 * 1024 * 1024))
    app.config["MAX_FORM_MEMORY_SIZE"] = max(app.config.get("MAX_FORM_MEMORY_SIZE") or 0, text_bytes + 64 * 1024)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = 2 * text_bytes + 1024 * 1024
    if app.request_class is Request or issubclass(_SafeJsonRequest, app.request_class):
        app.request_class = _SafeJsonRequest
    app.before_request(reject_malformed_input)
