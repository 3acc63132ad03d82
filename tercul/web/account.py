"""Accounts: registration, login, email verification, passwords, profile, administration."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..extensions import db, limiter
from ..security import (REMEMBER, acting_user, check_login_allowed, client_ip, configured_limit,
                        count_failed_login, end_session, form_account_key, ip_key, start_session,
                        user_or_form_account_key)
from ..services import accounts
from ..services.reading import parse_page
from ..services.social import dashboard
from ..services.errors import DomainError, Forbidden, Invalid, NotFound
from .forms import (ChangeEmailForm, ChangePasswordForm, DeleteAccountForm, EmailForm, LoginForm, ProfileForm,
                    RegisterForm, ResetPasswordForm, RoleForm, SubmitForm)
from .responses import fail, see_other

bp = Blueprint("account", __name__)

_SENT = "_mail_sent"  # what the "check your mail" page says, kept in the session across the redirect


def _succeeded(response) -> bool:
    """Limits on mail-sending forms count submissions that sent something (they redirect)."""
    return response.status_code == 303


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _limit(config_name: str, key_func, deduct_when=_succeeded):
    return limiter.limit(configured_limit(config_name), key_func=key_func, methods=["POST"],
                         deduct_when=deduct_when)


# a stolen session must not become a way to guess the password: the forms that ask for
# it share the per-account login limit, counting wrong passwords
_password_guesses = limiter.shared_limit(configured_limit("RATELIMIT_LOGIN_ACCOUNT"), scope="password-check",
                                         key_func=user_or_form_account_key(), methods=["POST"],
                                         deduct_when=_login_failed)


def _show_error(form, error: Invalid) -> None:
    if error.field in ("password", "current_password"):
        g.login_failed = True
    form.show_error(error)


def _submitted(form, action, show_error=None) -> bool:
    """For a valid submission, run ``action`` (a service call) and commit: True when it did.

    An ``Invalid`` from the service is shown on the form instead (by ``show_error``,
    default ``form.show_error``) and nothing is committed.
    """
    if not form.validate_on_submit():
        return False
    try:
        action()
    except Invalid as error:
        (show_error or form.show_error)(error)
        return False
    db.session.commit()
    return True


def _link_invalid(error: Invalid, kind: str):
    """The page for a mailed link that does not work (expired, used, mistyped)."""
    return render_template("account/link_invalid.html", message=error.message, kind=kind, form=SubmitForm()), 400


def _follow_link(confirm, token: str, kind: str, template: str):
    """A link from a mail: ``confirm(session, token)`` gives the user, shown with ``template``."""
    try:
        user = confirm(db.session, token)
    except Invalid as error:
        return _link_invalid(error, kind)
    db.session.commit()
    return render_template(template, user=user)


def _safe_next(target: str | None) -> str | None:
    """A path on this site to go back to after login, or None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _mail_sent(kind: str, email: str):
    session[_SENT] = {"kind": kind, "email": email}
    return see_other("account.mail_sent")


# --- registration and verification -------------------------------------------------------

@bp.route("/account/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER_IP", ip_key)
@_limit("RATELIMIT_REGISTER_ACCOUNT", form_account_key())
def register():
    """Create an account; a link to verify the address goes by mail."""
    if current_user.is_authenticated:
        return see_other("account.me")
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            _register(form)
        except Invalid as error:
            form.show_error(error)
        else:
            return _mail_sent("register", form.email.data.strip())
    return render_template("account/register.html", form=form)


def _register(form: RegisterForm) -> None:
    for attempt in (1, 2):
        try:
            accounts.register(db.session, email=form.email.data, password=form.password.data,
                              display_name=form.name.data)
            db.session.commit()
            return
        except IntegrityError:
            # someone took the address or the URL name at the same moment: the second
            # pass sees them and answers like any taken address does
            db.session.rollback()
            if attempt == 2:
                raise


@bp.get("/account/sent")
def mail_sent():
    """"Check your mail", after anything that sends a link."""
    return render_template("account/mail_sent.html", sent=session.pop(_SENT, None) or {}, form=SubmitForm())


@bp.get("/account/verify/<token>")
def verify_email(token: str):
    """Follow the link from the verification mail."""
    return _follow_link(accounts.verify_email, token, "verify", "account/verified.html")


@bp.route("/account/verify/resend", methods=["GET", "POST"])
@_limit("RATELIMIT_RESEND_IP", ip_key)
@_limit("RATELIMIT_RESEND_ACCOUNT", user_or_form_account_key())
def resend_verification():
    """A new verification link: for the logged-in user, or for an address typed in."""
    user = acting_user()
    if user is not None:
        form = SubmitForm()
        if form.validate_on_submit():
            accounts.send_verification(db.session, user)
            db.session.commit()
            return _mail_sent("verify", user.email)
        if user.is_verified:
            flash("Your email address is already verified.", "info")
            return see_other("account.me")
        return render_template("account/resend.html", form=form, user=user)
    form = EmailForm()
    if _submitted(form, lambda: accounts.resend_verification(db.session, form.email.data)):
        return _mail_sent("verify", form.email.data.strip())
    return render_template("account/resend.html", form=form, user=None)


# --- logging in and out -----------------------------------------------------------------

@bp.route("/account/login", methods=["GET", "POST"])
def login():
    """Log in with email and password."""
    next_url = _safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("account.me"), code=303)
    form = LoginForm()
    if form.validate_on_submit():
        # one pair of limits for every door (the GraphQL login counts in the same ones)
        check_login_allowed(client_ip(), form.email.data)
        try:
            user = accounts.authenticate(db.session, form.email.data, form.password.data)
        except Invalid as error:
            count_failed_login(client_ip(), form.email.data)
            form.show_error(error)
        except Forbidden as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            start_session(user, remember=bool(form.remember.data))
            return redirect(next_url or url_for("account.me"), code=303)
    return render_template("account/login.html", form=form, next_url=next_url)


@bp.post("/account/logout")
def logout():
    """Log out: ends this user's sessions everywhere, copied cookies included."""
    user = acting_user()
    if user is not None:
        accounts.end_sessions(db.session, user)
        db.session.commit()
    end_session()
    flash("You have logged out.", "info")
    return see_other("account.login")


# --- passwords --------------------------------------------------------------------------

@bp.route("/account/password/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET_IP", ip_key)
@_limit("RATELIMIT_RESET_ACCOUNT", form_account_key())
def forgot_password():
    """Ask for a password reset link."""
    form = EmailForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    if _submitted(form, lambda: accounts.request_password_reset(db.session, form.email.data)):
        return _mail_sent("reset", form.email.data.strip())
    return render_template("account/forgot.html", form=form)


@bp.route("/account/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from a reset link (the link works once)."""
    try:
        user = accounts.user_for_reset_token(db.session, token)
    except Invalid as error:
        return _link_invalid(error, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db.session, token, form.password.data)
        except Invalid as error:
            if error.field == "token":
                return _link_invalid(error, "reset")
            form.show_error(error)
        else:
            db.session.commit()
            end_session()
            flash("Your password has been changed. Log in with the new one.", "success")
            return see_other("account.login")
    return render_template("account/reset.html", form=form, user=user)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@_password_guesses
def change_password():
    """Change one's password; other sessions end, this one goes on."""
    form, user = ChangePasswordForm(), acting_user()
    if _submitted(form, lambda: accounts.change_password(db.session, user, form.current_password.data,
                                                         form.new_password.data), lambda e: _show_error(form, e)):
        start_session(user, remember=bool(session.get(REMEMBER)))
        flash("Your password has been changed. You were logged out everywhere else.", "success")
        return see_other("account.me")
    return render_template("account/password.html", form=form)


# --- email change, profile, deletion ---------------------------------------------------------

@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@_limit("RATELIMIT_EMAIL_CHANGE_ACCOUNT", user_or_form_account_key())
@_password_guesses
def change_email():
    """Move the account to another address, which must be verified."""
    form = ChangeEmailForm()
    if _submitted(form, lambda: accounts.request_email_change(db.session, acting_user(), form.email.data,
                                                              form.password.data), lambda e: _show_error(form, e)):
        return _mail_sent("email_change", form.email.data.strip())
    return render_template("account/email.html", form=form)


@bp.get("/account/email/confirm/<token>")
def confirm_email(token: str):
    """Follow the link sent to a new address."""
    return _follow_link(accounts.confirm_email_change, token, "email_change", "account/email_confirmed.html")


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Change one's display name, biography and mail preference."""
    user = acting_user()
    form = ProfileForm(name=user.display_name, bio=user.bio or "", comment_mail=user.comment_mail)
    if _submitted(form, lambda: accounts.update_profile(db.session, user, display_name=form.name.data,
                                                        bio=form.bio.data, comment_mail=form.comment_mail.data)):
        flash("Your profile has been saved.", "success")
        return see_other("account.me")
    return render_template("account/profile.html", form=form)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@_password_guesses
def delete_account():
    """Delete one's account; contributions stay, credited to "Deleted user"."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            accounts.delete_account(db.session, acting_user(), form.password.data)
        except Invalid as error:
            _show_error(form, error)
        except Forbidden as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            end_session()
            return see_other("account.deleted")
    return render_template("account/delete.html", form=form)


@bp.get("/account/deleted")
def deleted():
    """Goodbye."""
    return render_template("account/deleted.html")


# --- pages about users ----------------------------------------------------------------------

@bp.get("/me")
@login_required
def me():
    """The logged-in user's own page: account, collections, reading list, likes, comments,
    contributions and saved searches, each list paged by ``<section>_page``."""
    user = acting_user()
    pages = {name: parse_page(request.args.get(f"{name}_page")) for name in dashboard.SECTIONS}
    return render_template("account/me.html", user=user, form=SubmitForm(),
                           can_contribute_now=accounts.can_contribute(user),
                           board=dashboard.dashboard(db.session, user, pages))


@bp.get("/users/<username>")
def profile(username: str):
    """A user's public page."""
    try:
        data = accounts.public_profile(db.session, username)
    except NotFound as error:
        abort(404, error.message)
    return render_template("users/profile.html", profile=data)


# --- administration -----------------------------------------------------------------------

@bp.get("/admin/users")
@login_required
def admin_users():
    """Admins: find users, grant roles, disable accounts."""
    try:
        page = accounts.list_users(db.session, acting_user(), query=request.args.get("q", ""),
                                   role=request.args.get("role", ""),
                                   page=request.args.get("page", 1, type=int) or 1)
    except DomainError as error:
        return fail(error)
    return render_template("admin/users.html", page=page, roles=accounts.ROLES, form=SubmitForm(),
                           back=request.full_path.rstrip("?"))


def _admin_change(change, done):
    """An admin's change to a user: ``change()`` calls the service, ``done(user)`` says what
    happened; then back to the list the admin came from."""
    try:
        user = change()
    except DomainError as error:
        return fail(error)
    db.session.commit()
    flash(done(user), "success")
    return redirect(_safe_next(request.form.get("next")) or url_for("account.admin_users"), code=303)


@bp.post("/admin/users/<int:user_id>/role")
@login_required
def admin_set_role(user_id: int):
    """Give a user a role."""
    form = RoleForm()  # CSRFProtect checked the token before the view; the service checks the role
    return _admin_change(lambda: accounts.set_role(db.session, acting_user(), user_id, form.role.data),
                         lambda user: f"{user.display_name} is now {user.role}.")


@bp.post("/admin/users/<int:user_id>/disabled")
@login_required
def admin_set_disabled(user_id: int):
    """Disable a user (their sessions and tokens end) or enable them again."""
    disable = request.form.get("disabled") == "1"
    return _admin_change(lambda: accounts.set_disabled(db.session, acting_user(), user_id, disable),
                         lambda user: f"{user.display_name} is {'disabled' if disable else 'enabled again'}.")
