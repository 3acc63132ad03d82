"""Forms: fields, labels and the CSRF token (Flask-WTF). The rules live in the services,
which raise ``Invalid(field, message)``; :func:`show_error` puts that next to the field."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField

from ..services.errors import Invalid


class BaseForm(FlaskForm):
    """A form whose service errors can be shown on its fields."""

    # a service field name -> the form field showing it, where the two differ
    error_fields: dict[str, str] = {}

    def show_error(self, error: Invalid) -> None:
        name = self.error_fields.get(error.field, error.field)
        field = self._fields.get(name)
        if field is None:
            self.form_errors.append(error.message)
        else:
            field.errors = [*field.errors, error.message]


# "autocomplete" values let password managers do their work
_email = {"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}
_new_password = {"autocomplete": "new-password", "minlength": 8, "maxlength": 128}


class RegisterForm(BaseForm):
    name = StringField("Display name", render_kw={"autocomplete": "name", "maxlength": 100},
                       description="Shown with your contributions. You can change it later.")
    email = EmailField("Email address", render_kw=_email,
                       description="We send a link to confirm it. It is never shown to others.")
    password = PasswordField("Password", render_kw=_new_password,
                             description="At least 8 characters. A few unrelated words make a strong one.")


class LoginForm(BaseForm):
    email = EmailField("Email address", render_kw={**_email, "autocomplete": "username"})
    password = PasswordField("Password", render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me logged in on this device")


class EmailForm(BaseForm):
    """One email address: a new verification link, a password reset."""

    email = EmailField("Email address", render_kw=_email)


class ResetPasswordForm(BaseForm):
    password = PasswordField("New password", render_kw=_new_password,
                             description="At least 8 characters.")


class ChangePasswordForm(BaseForm):
    current_password = PasswordField("Current password", render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("New password", render_kw=_new_password,
                                 description="At least 8 characters. Your other sessions will end.")


class ChangeEmailForm(BaseForm):
    email = EmailField("New email address", render_kw=_email,
                       description="We send a link to the new address; the change happens when you follow it.")
    password = PasswordField("Your password", render_kw={"autocomplete": "current-password"})


class ProfileForm(BaseForm):
    name = StringField("Display name", render_kw={"autocomplete": "name", "maxlength": 100})
    bio = TextAreaField("About you", render_kw={"rows": 5, "maxlength": 2000},
                        description="Optional; shown on your public page.")
    comment_mail = BooleanField("Mail me about replies and comments on my works, translations and collections "
                                "(they are always listed in your notifications)")


class DeleteAccountForm(BaseForm):
    password = PasswordField("Your password", render_kw={"autocomplete": "current-password"})


class SubmitForm(BaseForm):
    """A form that is only a button (logout, resend): it carries the CSRF token."""


class RoleForm(BaseForm):
    # the admin table renders its own <select>; the service checks the value
    role = StringField("Role")
