"""Errors, the request context and mutation payloads shared by every area."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import graphene
from graphql import GraphQLError

from ..services.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unauthenticated

ERROR_CODES = ("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CONFLICT", "RATE_LIMITED",
               "INTERNAL", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED")


class ApiError(GraphQLError):
    """An error for the client, with a code in ``extensions``."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT", **extensions):
        super().__init__(message, extensions={"code": code, **extensions})


def enum_value(value):
    """The plain value of a graphene enum argument (graphene passes enum members)."""
    return getattr(value, "value", value)


def int_id(value, name: str = "id") -> int:
    """A GraphQL ID argument as a database id."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_input(f"`{name}` must be a number.", name) from None


def bad_input(message: str, field_name: str | None = None) -> ApiError:
    return ApiError(message, "BAD_USER_INPUT", **({"field": field_name} if field_name else {}))


@dataclass
class Context:
    """What every resolver may use: the acting user, the session, per-request loaders."""

    session: Any
    user: Any | None
    auth: str  # "bearer" | "session" | "anonymous"
    client_ip: str
    config: dict
    loaders: dict[str, Any] = field(default_factory=dict)
    # names of mutation fields run in this request, for rate limiting per alias
    extras: dict[str, Any] = field(default_factory=dict)

    def loader(self, name: str, factory: Callable[[], Any]):
        if name not in self.loaders:
            self.loaders[name] = factory()
        return self.loaders[name]

    def require_user(self):
        if self.user is None:
            raise ApiError("You need to sign in (send an access token).", "UNAUTHENTICATED")
        return self.user


class UserError(graphene.ObjectType):
    """A problem with the input of a mutation, to show next to a form field."""

    field = graphene.String(description="The input field concerned, or null for the whole input.")
    message = graphene.String(required=True, description="What is wrong, in words for people.")
    code = graphene.String(required=True, description="A stable code: BAD_USER_INPUT or CONFLICT.")


def user_errors_from(exc: DomainError) -> list[UserError]:
    field_name = exc.field if isinstance(exc, Invalid) else None
    return [UserError(field=_camel(field_name) if field_name else None, message=exc.message, code=exc.code)]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def run_mutation(payload_cls, action: Callable[[], dict]):
    """Run a service call for a mutation: input problems become payload errors.

    ``Forbidden``, ``Unauthenticated`` and ``NotFound`` stay top-level errors with
    their codes (the request itself was not allowed); ``Invalid`` and ``Conflict``
    are returned in ``errors`` with nothing changed.
    """
    from ..extensions import db

    try:
        result = action()
        db.session.commit()
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        failed = {"ok": False} if "ok" in payload_cls._meta.fields else {}
        return payload_cls(errors=user_errors_from(exc), **failed)
    except (Forbidden, Unauthenticated, NotFound) as exc:
        db.session.rollback()
        raise ApiError(exc.message, exc.code) from None
    return payload_cls(errors=[], **(result or {}))


def user_errors_field() -> graphene.List:
    """The ``errors`` field of every mutation payload."""
    return graphene.List(graphene.NonNull(UserError), required=True,
                         description="Problems with the input; empty when it worked.")


def service_mutation(name: str, doc: str, output, arguments: dict[str, Any], run: Callable[..., dict | None]):
    """A mutation class that calls one service: ``run(context, **arguments)`` returns the
    payload's fields, inside :func:`run_mutation` (one commit; input errors go in ``errors``).

    Most mutations differ only in their arguments and the service they call; this
    writes each of them as one declaration (the schema is the same as a class's).
    """
    def mutate(root, info, **kwargs):
        return run_mutation(output, lambda: run(info.context, **kwargs))

    return type(name, (graphene.Mutation,), {"__doc__": doc, "Arguments": type("Arguments", (), arguments),
                                             "Output": output, "mutate": mutate})


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, DomainError):
        return ApiError(exc.message, exc.code)
    return None
