"""Security headers (Flask-Talisman): CSP with nonces, no framing, nosniff, HSTS in production."""
from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

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


def init_login(app: Flask) -> None:
    """Flask-Login: load the user of a session (the accounts work adds session revocation)."""
    from .extensions import db, login_manager
    from .models import User

    login_manager.login_view = "account.login" if "account.login" in app.view_functions else None

    @login_manager.user_loader
    def load_user(user_id: str):
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.disabled_at is None and user.deleted_at is None else None
