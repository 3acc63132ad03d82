"""Accounts: who is asking, public profiles, and signing in with tokens."""
from __future__ import annotations

from typing import TYPE_CHECKING

import graphene

from ...services import accounts, tokens
from ...services import search as search_service
from ...services.errors import Invalid
from .. import ratelimit
from ..core import enum_value, int_id, service_mutation, user_errors_field

if TYPE_CHECKING:
    from ...models import User


class Role(graphene.Enum):
    """What a user may do."""

    READER = "reader"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def description(self):
        return {"READER": "Reads, collects and comments.",
                "CONTRIBUTOR": "Also submits translations and edits (needs a verified email).",
                "REVIEWER": "Also approves, rejects or asks for changes.",
                "ADMIN": "Also manages users and roles."}[self.name]


class UserType(graphene.ObjectType):
    """A Tercul user, as others see them."""

    class Meta:
        name = "User"

    id = graphene.ID(required=True, description="Database id (admins change roles by it).")
    username = graphene.String(required=True, description="URL name: /users/<username>.")
    display_name = graphene.String(required=True, description="Name shown on the site.")
    role = graphene.Field(Role, required=True, description="The user's role.")
    bio = graphene.String(description="What the user says about themselves.")
    created_at = graphene.DateTime(required=True, description="When the account was created.")

    def resolve_role(user, info):
        return user.role


class Me(UserType):
    """The signed-in user, with what only they may see."""

    email = graphene.String(required=True, description="Email address (private).")
    email_verified = graphene.Boolean(required=True, description="True once the address is confirmed.")
    can_contribute = graphene.Boolean(required=True, description="May submit translations now.")
    can_review = graphene.Boolean(required=True, description="May review contributions.")
    saved_searches = graphene.List(graphene.NonNull(lambda: SavedSearchType), required=True,
                                   description="Saved searches, newest first (at most 100).")

    def resolve_saved_searches(user, info):
        return search_service.saved_searches(info.context.session, user)

    def resolve_email_verified(user, info):
        return user.is_verified

    def resolve_can_contribute(user, info):
        return accounts.can_contribute(user)

    def resolve_can_review(user, info):
        return accounts.can_review(user)


class SavedSearchType(graphene.ObjectType):
    """A search kept under a name, to run again."""

    class Meta:
        name = "SavedSearch"

    id = graphene.ID(required=True, description="Database id.")
    name = graphene.String(required=True, description="The name given to it.")
    query_string = graphene.String(required=True, description="The search page's query string (`q=...&lang=...`).")
    created_at = graphene.DateTime(required=True, description="When it was saved.")


class Query(graphene.ObjectType):
    me = graphene.Field(Me, description="The signed-in user, or null for anonymous requests.")
    user = graphene.Field(UserType, description="A user by user name.",
                          username=graphene.String(required=True, description="The user name."))

    def resolve_me(root, info):
        return info.context.user

    def resolve_user(root, info, username):
        return accounts.visible_user(info.context.session, username)


# --- mutations ---------------------------------------------------------------------------

_ERRORS = user_errors_field()


class TokensPayload(graphene.ObjectType):
    """Tokens for API clients: send `Authorization: Bearer <accessToken>`; refresh before it expires."""

    access_token = graphene.String(description="Short-lived access token (JWT).")
    access_expires_at = graphene.DateTime(description="When the access token expires.")
    refresh_token = graphene.String(description="Single-use refresh token; store it safely.")
    refresh_expires_at = graphene.DateTime(description="When the refresh token expires.")
    user = graphene.Field(Me, description="Who the tokens are for.")
    errors = _ERRORS


def _tokens(pair: tokens.TokenPair, user: User) -> dict:
    return {"access_token": pair.access_token, "access_expires_at": pair.access_expires_at,
            "refresh_token": pair.refresh_token, "refresh_expires_at": pair.refresh_expires_at, "user": user}


class OkPayload(graphene.ObjectType):
    """The result of an action that returns nothing else."""

    ok = graphene.Boolean(required=True, description="True when the request was accepted.")
    errors = _ERRORS


class UserPayload(graphene.ObjectType):
    """The account after the change."""

    user = graphene.Field(Me, description="The account.")
    errors = _ERRORS


def _text(description: str) -> graphene.String:
    return graphene.String(required=True, description=description)


_NEW_PASSWORD = "8 to 128 characters; not a common password."
_MAIL_TOKEN = "The token from the link in the mail."


def _register(ctx, email, password, display_name):
    ratelimit.hit("register-ip", ctx.config["RATELIMIT_REGISTER_IP"], ctx.client_ip)
    ratelimit.hit("register-account", ctx.config["RATELIMIT_REGISTER_ACCOUNT"], email.strip().lower())
    accounts.register(ctx.session, email=email, password=password, display_name=display_name)
    return {"ok": True}


Register = service_mutation(
    "Register", "Create an account; a verification link is mailed. The answer is the same whether or\n"
    "    not the address already had an account.", OkPayload,
    {"email": _text("Email address."), "password": _text(_NEW_PASSWORD),
     "display_name": _text("Name shown on the site.")}, _register)


def _login(ctx, email, password):
    ratelimit.check_login(ctx.client_ip, email)  # the same limits as the login form
    try:
        user = accounts.authenticate(ctx.session, email, password)
    except Invalid:
        ratelimit.count_failed_login(ctx.client_ip, email)
        raise
    return _tokens(tokens.issue_tokens(ctx.session, user), user)


Login = service_mutation(
    "Login", "Check an email and password and return a new pair of tokens.\n\n"
    "    Failed calls count against the login limits of the form, aliases included.", TokensPayload,
    {"email": _text("Email address."), "password": _text("Password.")}, _login)


def _refresh(ctx, refresh_token):
    pair = tokens.refresh_tokens(ctx.session, refresh_token)
    return _tokens(pair, tokens.user_for_access_token(ctx.session, pair.access_token))


RefreshToken = service_mutation(
    "RefreshToken", "Exchange a refresh token for a new pair. A refresh token works once: presenting a\n"
    "    used one revokes every token issued from the same login.", TokensPayload,
    {"refresh_token": _text("The refresh token.")}, _refresh)


def _logout(ctx, refresh_token):
    tokens.revoke_token(ctx.session, refresh_token)
    return {"ok": True}


Logout = service_mutation(
    "Logout", "Revoke the tokens of one login (its refresh token and the access tokens issued with it).", OkPayload,
    {"refresh_token": _text("The refresh token of the login to end.")}, _logout)

VerifyEmail = service_mutation(
    "VerifyEmail", "Confirm an email address with the token from the verification mail.", UserPayload,
    {"token": _text(_MAIL_TOKEN)}, lambda ctx, token: {"user": accounts.verify_email(ctx.session, token)})


def _request_reset(ctx, email):
    ratelimit.hit("reset-ip", ctx.config["RATELIMIT_RESET_IP"], ctx.client_ip)
    ratelimit.hit("reset-account", ctx.config["RATELIMIT_RESET_ACCOUNT"], email.strip().lower())
    accounts.request_password_reset(ctx.session, email)
    return {"ok": True}


RequestPasswordReset = service_mutation(
    "RequestPasswordReset",
    "Mail a password reset link if the address has an account (the answer is the same either way).", OkPayload,
    {"email": _text("Email address of the account.")}, _request_reset)


def _reset(ctx, token, new_password):
    accounts.reset_password(ctx.session, token, new_password)
    return {"ok": True}


ResetPassword = service_mutation(
    "ResetPassword", "Set a new password with the token from the reset mail (single use); ends every session.",
    OkPayload, {"token": _text(_MAIL_TOKEN), "new_password": _text(_NEW_PASSWORD)}, _reset)


# --- one's own account (signed in) ---------------------------------------------------------

def _signed_in(ctx):
    return ctx.require_user()


def _password_checked(ctx, check):
    """Run ``check()`` (a service call that verifies the password) under the login limits:
    a stolen token must not become a way to guess the password."""
    user = _signed_in(ctx)
    ratelimit.check_login(ctx.client_ip, user.email)
    try:
        return check(user)
    except Invalid as exc:
        if exc.field in ("password", "current_password"):
            ratelimit.count_failed_login(ctx.client_ip, user.email)
        raise


UpdateProfile = service_mutation(
    "UpdateProfile", "Change one's display name and biography (the user name stays).", UserPayload,
    {"display_name": _text("Name shown on the site."), "bio": graphene.String(description="Up to 2000 characters.")},
    lambda ctx, display_name, bio=None: {"user": accounts.update_profile(ctx.session, _signed_in(ctx),
                                                                          display_name=display_name, bio=bio)})


def _change_password(ctx, current_password, new_password):
    _password_checked(ctx, lambda user: accounts.change_password(ctx.session, user, current_password, new_password))
    return {"ok": True}


ChangePassword = service_mutation(
    "ChangePassword", "Change one's password; every session and API token ends (log in again).", OkPayload,
    {"current_password": _text("The password now."), "new_password": _text(_NEW_PASSWORD)}, _change_password)


def _change_email(ctx, new_email, password):
    user = _signed_in(ctx)
    ratelimit.hit("email-change-account", ctx.config["RATELIMIT_EMAIL_CHANGE_ACCOUNT"], f"user:{user.id}")
    _password_checked(ctx, lambda u: accounts.request_email_change(ctx.session, u, new_email, password))
    return {"ok": True}


ChangeEmail = service_mutation(
    "ChangeEmail", "Ask to move the account to another address: a link goes there, and the change\n"
    "    happens when it is followed (`verifyEmail` does not apply; the link opens the site).", OkPayload,
    {"new_email": _text("The new address."), "password": _text("Your password.")}, _change_email)


def _delete_account(ctx, password):
    _password_checked(ctx, lambda user: accounts.delete_account(ctx.session, user, password))
    return {"ok": True}


DeleteAccount = service_mutation(
    "DeleteAccount", "Delete one's account: collections, likes, bookmarks and saved searches go; what one\n"
    "    gave the library stays, credited to \"Deleted user\". The last admin cannot.", OkPayload,
    {"password": _text("Your password.")}, _delete_account)


def _resend(ctx):
    user = _signed_in(ctx)
    ratelimit.hit("resend-account", ctx.config["RATELIMIT_RESEND_ACCOUNT"], f"user:{user.id}")
    accounts.send_verification(ctx.session, user)
    return {"ok": True}


ResendVerification = service_mutation(
    "ResendVerification", "Mail the signed-in user a new verification link (nothing if already verified).",
    OkPayload, {}, _resend)


class SavedSearchPayload(graphene.ObjectType):
    """The search saved."""

    saved_search = graphene.Field(SavedSearchType, description="The saved search.")
    errors = _ERRORS


SaveSearch = service_mutation(
    "SaveSearch", "Keep a search (the search page's query string) under a name.", SavedSearchPayload,
    {"name": graphene.String(description="A name (default: the query)."),
     "query_string": _text("The query string, e.g. `q=love&lang=de`.")},
    lambda ctx, query_string, name=None: {"saved_search": search_service.save_search(
        ctx.session, _signed_in(ctx), name or "", query_string)})


def _delete_search(ctx, id):
    search_service.delete_saved_search(ctx.session, _signed_in(ctx), int_id(id))
    return {"ok": True}


DeleteSavedSearch = service_mutation("DeleteSavedSearch", "Delete one of one's saved searches.", OkPayload,
                                     {"id": graphene.ID(required=True, description="The saved search's id.")},
                                     _delete_search)


class AdminUserPayload(graphene.ObjectType):
    """The user after the change."""

    user = graphene.Field(UserType, description="The user.")
    errors = _ERRORS


SetUserRole = service_mutation(
    "SetUserRole", "Admins: give a user a role (not oneself).", AdminUserPayload,
    {"user_id": graphene.ID(required=True, description="The user's id."),
     "role": Role(required=True, description="The new role.")},
    lambda ctx, user_id, role: {"user": accounts.set_role(ctx.session, ctx.user, int_id(user_id, "userId"),
                                                          enum_value(role))})


class Mutation(graphene.ObjectType):
    register = Register.Field(description=Register.__doc__)
    login = Login.Field(description=Login.__doc__)
    refresh_token = RefreshToken.Field(description=RefreshToken.__doc__)
    logout = Logout.Field(description=Logout.__doc__)
    verify_email = VerifyEmail.Field(description=VerifyEmail.__doc__)
    request_password_reset = RequestPasswordReset.Field(description=RequestPasswordReset.__doc__)
    reset_password = ResetPassword.Field(description=ResetPassword.__doc__)
    update_profile = UpdateProfile.Field(description=UpdateProfile.__doc__)
    change_password = ChangePassword.Field(description=ChangePassword.__doc__)
    change_email = ChangeEmail.Field(description=ChangeEmail.__doc__)
    delete_account = DeleteAccount.Field(description=DeleteAccount.__doc__)
    resend_verification = ResendVerification.Field(description=ResendVerification.__doc__)
    save_search = SaveSearch.Field(description=SaveSearch.__doc__)
    delete_saved_search = DeleteSavedSearch.Field(description=DeleteSavedSearch.__doc__)
    set_user_role = SetUserRole.Field(description=SetUserRole.__doc__)
