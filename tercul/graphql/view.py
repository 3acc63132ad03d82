"""HTTP for GraphQL: GET and POST /graphql, and GraphiQL for browsers.

Our own thin view over graphql-core rather than a framework view, because every
request goes through checks that must run before execution: batch size, depth,
cost and alias limits (with variables), per-client rate limits, CSRF for browser
sessions, "GET never mutates". Execution uses graphql-sync-dataloaders' execution
context, so DataLoaders batch without asyncio.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from graphql import (GraphQLError, GraphQLSyntaxError, NoSchemaIntrospectionCustomRule, OperationDefinitionNode,
                     OperationType, Visitor, execute, parse, specified_rules, validate, visit)
from sqlalchemy.exc import DataError

from .. import rate_tiers
from ..extensions import csrf, db
from ..observability.metrics import graphql_errors, graphql_execution
from ..observability.tracing import graphql_middleware
from ..security import CONTENT_SECURITY_POLICY, client_ip, has_nul, talisman
from ..services import tokens
from ..services.errors import DomainError
from . import ratelimit
from .core import ApiError, Context, to_api_error
from .execution import ExecutionContext
from .limits import analyse

bp = Blueprint("graphql", __name__)
log = logging.getLogger(__name__)
_SUGGESTION = re.compile(r" Did you mean .*\?$")


class RequestRejected(Exception):
    """The whole HTTP request is refused (bad JSON, too many operations, rate limit)."""

    def __init__(self, message: str, code: str, status: int, headers: dict | None = None):
        super().__init__(message)
        self.payload = {"errors": [{"message": message, "extensions": {"code": code}}]}
        self.status = status
        self.headers = headers or {}


# GraphiQL's stylesheet embeds its fonts as data: URLs; everything else stays as strict
_GRAPHIQL_CSP = {**CONTENT_SECURITY_POLICY, "font-src": "'self' data:"}


@bp.route("/graphql", methods=["GET", "POST"])
@csrf.exempt  # checked below, only where a browser session is used for a mutation
@talisman(content_security_policy=_GRAPHIQL_CSP, content_security_policy_nonce_in=["script-src"])
def graphql_endpoint():
    """Run GraphQL operations (GET: queries only), or show GraphiQL to a browser."""
    if request.method == "GET" and "query" not in request.args and request.accept_mimetypes.accept_html:
        return render_template("graphql/graphiql.html", examples=_examples())
    try:
        operations, batched = _read_operations()
        context = _make_context()
        results = [_run_one(op, context) for op in operations]
    except RequestRejected as exc:
        db.session.rollback()
        graphql_errors([exc.payload])
        return exc.payload, exc.status, exc.headers
    graphql_errors(results)
    body = results if batched else results[0]
    payload = json.dumps(body, ensure_ascii=False).encode()
    maximum = current_app.config.get("GRAPHQL_MAX_RESPONSE_BYTES", 0)
    if maximum and len(payload) > maximum:
        # the last line behind the cost estimate: never megabytes in one answer
        log.warning("GraphQL response of %d bytes refused (limit %d)", len(payload), maximum)
        payload = json.dumps({"data": None, "errors": [{
            "message": f"The response would be {len(payload)} bytes; the limit is {maximum}. "
                       "Ask for fewer fields or smaller pages.",
            "extensions": {"code": "BAD_USER_INPUT", "limit": "responseBytes", "actual": len(payload),
                           "maximum": maximum}}]}).encode()
    response = current_app.response_class(payload, mimetype="application/json")
    retry = [e["extensions"].get("retryAfter", 1) for r in results for e in r.get("errors", ())
             if e["extensions"].get("code") == "RATE_LIMITED"]
    if retry:
        response.status_code = 429
        response.headers["Retry-After"] = str(max(retry))
    return response


def _read_operations() -> tuple[list[dict[str, Any]], bool]:
    if request.method == "GET":
        variables = request.args.get("variables")
        try:
            variables = json.loads(variables) if variables else None
        except ValueError:
            raise RequestRejected("`variables` is not valid JSON.", "BAD_USER_INPUT", 400) from None
        return [{"query": request.args.get("query"), "variables": variables,
                 "operationName": request.args.get("operationName")}], False
    if request.mimetype == "application/graphql":
        return [{"query": request.get_data(as_text=True)}], False
    data = request.get_json(silent=True)
    if data is None:
        raise RequestRejected("Send a JSON body: {\"query\": ..., \"variables\": {...}}.", "BAD_USER_INPUT", 400)
    batched = isinstance(data, list)
    operations = data if batched else [data]
    limit = current_app.config["GRAPHQL_MAX_BATCH"]
    if batched and not 1 <= len(operations) <= limit:
        raise RequestRejected(f"A batch holds 1 to {limit} operations.", "BAD_USER_INPUT", 400)
    if not all(isinstance(op, dict) for op in operations):
        raise RequestRejected("Each operation is a JSON object.", "BAD_USER_INPUT", 400)
    return operations, batched


def _make_context() -> Context:
    header = request.headers.get("Authorization")
    user, auth = None, "anonymous"
    if header:
        try:
            user = tokens.user_from_bearer(db.session, header)
        except DomainError as exc:
            raise RequestRejected(exc.message or "Invalid access token.", "UNAUTHENTICATED", 401,
                                  {"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None
        auth = "bearer"
    elif current_user.is_authenticated:
        user, auth = current_user._get_current_object(), "session"
    return Context(session=db.session, user=user, auth=auth, client_ip=client_ip(),
                   config=current_app.config)


def _run_one(op: dict[str, Any], context: Context) -> dict[str, Any]:
    from .schema import get_schema

    schema = get_schema()
    query, variables, name = op.get("query"), op.get("variables"), op.get("operationName")
    if not isinstance(query, str) or not query.strip():
        return _errors(ApiError("Send a `query`.", "BAD_USER_INPUT"))
    if variables is not None and not isinstance(variables, dict):
        return _errors(ApiError("`variables` must be a JSON object.", "BAD_USER_INPUT"))
    if len(query) > current_app.config["GRAPHQL_MAX_QUERY_LENGTH"]:
        return _errors(ApiError("The query is too long.", "BAD_USER_INPUT"))
    try:
        document = parse(query)
        validation_errors = validate(schema.graphql_schema, document, _rules())
    except GraphQLSyntaxError as exc:
        return _errors(ApiError(exc.message, "GRAPHQL_PARSE_FAILED"))
    except RecursionError:
        return _errors(ApiError("The query is nested too deeply.", "BAD_USER_INPUT"))
    if has_nul(variables) or _has_nul_literal(document):
        return _errors(ApiError("A string contains a NUL character.", "BAD_USER_INPUT"))
    if validation_errors:
        return _errors(*[ApiError(_hide_suggestions(e.message), "GRAPHQL_VALIDATION_FAILED")
                         for e in validation_errors[:20]])
    operation = _pick_operation(document, name)
    if isinstance(operation, ApiError):
        return _errors(operation)
    is_mutation = operation.operation == OperationType.MUTATION
    if operation.operation == OperationType.SUBSCRIPTION:
        return _errors(ApiError("Subscriptions are not supported.", "BAD_USER_INPUT"))
    if is_mutation and request.method == "GET":
        return _errors(ApiError("Mutations need a POST request.", "BAD_USER_INPUT"))
    if is_mutation and context.auth == "session" and not _csrf_ok():
        return _errors(ApiError("A browser session needs the CSRF token (X-CSRFToken header) for mutations; "
                                "API clients send an access token instead.", "FORBIDDEN"))
    shape = analyse(document, operation, variables, schema.graphql_schema)
    config = current_app.config
    for what, actual, maximum in (("depth", shape.depth, config["GRAPHQL_MAX_DEPTH"]),
                                  ("cost", shape.cost, config["GRAPHQL_MAX_COST"]),
                                  ("aliases", shape.aliases, config["GRAPHQL_MAX_ALIASES"])):
        if actual > maximum:
            return _errors(ApiError(f"The query's {what} is {actual}; the limit is {maximum}.", "BAD_USER_INPUT",
                                    limit=what, actual=actual, maximum=maximum))
    _rate_limit(context, is_mutation)
    with graphql_execution(operation.name and operation.name.value, operation.operation.value, shape.cost):
        result = execute(schema.graphql_schema, document, context_value=context, variable_values=variables,
                         operation_name=name, execution_context_class=ExecutionContext,
                         middleware=graphql_middleware())
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [_format(e) for e in result.errors]
        if any(e["extensions"]["code"] == "INTERNAL" or isinstance(getattr(e0, "original_error", None), DataError)
               for e, e0 in zip(out["errors"], result.errors)):
            db.session.rollback()
    return out


def _rules():
    # GRAPHQL_INTROSPECTION off: __schema and __type are refused (the schema stays published
    # in schema.graphql); on, GraphiQL's documentation explorer works
    if current_app.config.get("GRAPHQL_INTROSPECTION", True):
        return specified_rules
    return (*specified_rules, NoSchemaIntrospectionCustomRule)


def _has_nul_literal(document) -> bool:
    """A NUL in a string written in the query itself (variables are checked apart)."""
    found = False

    class Finder(Visitor):
        def enter_string_value(self, node, *_):
            nonlocal found
            found = found or "\x00" in node.value

    visit(document, Finder())
    return found


def _pick_operation(document, name: str | None):
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        for op in operations:
            if op.name and op.name.value == name:
                return op
        return ApiError(f"No operation named {name!r}.", "BAD_USER_INPUT")
    if len(operations) != 1:
        return ApiError("Several operations: say which with `operationName`.", "BAD_USER_INPUT")
    return operations[0]


def _csrf_ok() -> bool:
    from flask_wtf.csrf import ValidationError, validate_csrf

    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def _rate_limit(context: Context, is_mutation: bool) -> None:
    """Anonymous clients per IP, signed-in clients per user; mutations stricter."""
    config = current_app.config
    if rate_tiers.bypasses(context.user):
        return
    who = f"user:{context.user.id}" if context.user is not None else f"ip:{context.client_ip}"
    rate_tiers.note_graphql(who)  # X-RateLimit-* headers of the GraphQL tier
    try:
        ratelimit.hit("graphql", config["GRAPHQL_RATE_LIMIT"], who)
        if is_mutation:
            ratelimit.hit("graphql-mutation", config["GRAPHQL_MUTATION_RATE_LIMIT"], who)
    except ratelimit.RateLimited as exc:
        raise RequestRejected(exc.message, "RATE_LIMITED", 429, {"Retry-After": str(exc.retry_after)}) from None


def _format(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    api_error = to_api_error(original) if original is not None else None
    if api_error is None and original is None and error.extensions and "code" in error.extensions:
        api_error = error
    if api_error is None and (original is None or isinstance(original, GraphQLError) or not error.path):
        # argument and variable coercion (an enum value that does not exist, a scalar that
        # cannot be parsed): the request's fault, found before or during execution
        api_error = ApiError(_hide_suggestions(error.message), "BAD_USER_INPUT")
    if api_error is None and isinstance(original, DataError):
        # a value the argument checks should have refused: the client's input all the same
        log.warning("database refused a value at %s: %s", error.path, str(original.orig).splitlines()[0])
        api_error = ApiError("A value is not allowed here (out of range or holding a control character).",
                             "BAD_USER_INPUT")
    if api_error is None:
        log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
        api_error = ApiError("Something went wrong on our side. It has been logged.", "INTERNAL")
    formatted = {"message": api_error.message, "extensions": dict(api_error.extensions or {})}
    if error.path:
        formatted["path"] = list(error.path)
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return formatted


def _errors(*errors: ApiError) -> dict[str, Any]:
    return {"data": None, "errors": [{"message": e.message, "extensions": dict(e.extensions)} for e in errors]}


def _hide_suggestions(message: str) -> str:
    if current_app.config.get("GRAPHQL_SUGGESTIONS", True):
        return message
    return _SUGGESTION.sub("", message)


def _examples() -> list[dict[str, str]]:
    from .examples import load_examples

    # the read-only examples as tabs; mutations need a token and are in api/EXAMPLES.md
    return [e for e in load_examples() if e["query"].lstrip().startswith(("query", "{"))]
