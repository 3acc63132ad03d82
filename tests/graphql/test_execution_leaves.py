"""Plain leaf fields are completed directly (tercul/graphql/execution.py); what they
answer and the errors they report are those of the general path."""
from __future__ import annotations

import graphene
from graphql import execute, parse

from tercul.graphql.execution import ExecutionContext, plain


class Item(graphene.ObjectType):
    name = graphene.String(required=True)
    note = graphene.String()
    count = graphene.Int()
    shout = graphene.String(required=True)

    @plain
    def resolve_shout(item, info):
        return (item["name"] or "").upper()


class Query(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(Item))

    def resolve_items(root, info):
        return info.context


SCHEMA = graphene.Schema(query=Query).graphql_schema


def run(items):
    result = execute(SCHEMA, parse("{ items { __typename name note count shout } }"), context_value=items,
                     execution_context_class=ExecutionContext)
    return result.data, [(e.message, e.path) for e in result.errors or ()]


def test_plain_leaves_read_attributes_keys_and_plain_resolvers():
    data, errors = run([{"name": "ode", "note": None, "count": 3}, {"name": "elegy", "count": None}])
    assert errors == []
    assert data == {"items": [
        {"__typename": "Item", "name": "ode", "note": None, "count": 3, "shout": "ODE"},
        {"__typename": "Item", "name": "elegy", "note": None, "count": None, "shout": "ELEGY"}]}


def test_a_null_in_a_non_null_leaf_and_a_value_that_cannot_serialize_are_reported_on_their_field():
    data, errors = run([{"name": None, "count": 1}])
    # the non-null `name` failed, so its non-null item is null, so the list is null
    assert data == {"items": None}
    assert errors == [("Cannot return null for non-nullable field Item.name.", ["items", 0, "name"])]
    data, errors = run([{"name": "ode", "count": "many"}])
    assert data["items"][0]["count"] is None
    assert errors and errors[0][1] == ["items", 0, "count"] and "Int cannot represent" in errors[0][0]
