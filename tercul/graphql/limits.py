"""Limits checked before execution: depth, cost, aliases.

Cost: every field costs 1, and a list multiplies the cost of what is selected in each
of its items by how many items it may hold:

- a connection by its page size (``first``/``last``, else the default page size);
- its ``edges``/``nodes`` by 1 (already counted by the connection's page size);
- any other list by its declared realistic maximum (:data:`LIST_SIZES`), else
  :data:`DEFAULT_LIST_SIZE`. A work's translations, a text's divisions and a
  division's lines are not paginated and can be long (the Universal Declaration has
  hundreds of translations): reading them all in one request is costed as such.

Variables are taken into account, so a query cannot hide a large ``first`` in a
variable. The response size guard (``GRAPHQL_MAX_RESPONSE_BYTES``, in the view) is the
last line behind this estimate.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLList,
                     GraphQLNonNull, GraphQLSchema, InlineFragmentNode, IntValueNode, OperationDefinitionNode,
                     OperationType, SelectionSetNode, VariableNode, get_named_type)

from .pagination import DEFAULT_PAGE

# how many items an unpaginated list may realistically hold, "Type.field" -> items
LIST_SIZES = {
    "Work.authors": 5, "Work.genres": 10, "Work.tags": 20, "Work.translations": 60, "Work.parts": 160,
    "Author.names": 20, "Author.works": 50, "Text.divisions": 50, "Division.lines": 50,
    "ReadingView.columns": 4, "ReadingView.rows": 100, "ReadingView.parts": 20, "ReadingRow.cells": 4,
    "ReadingCell.lines": 3, "SearchResults.facets": 10, "Facet.values": 25, "SearchHit.authors": 5,
    "SearchHit.lines": 5, "SnippetLine.pieces": 10,
    "Me.savedSearches": 100, "CollectionItem.languages": 2,
    "Comment.replies": 20, "Query.commentLines": 100,
    "Contribution.lineComments": 50, "LineCommentThread.comments": 10,
    "Query.viewCounts": 100, "AdminStatistics.days": 366, "AdminStatistics.topQueries": 20,
    "AdminStatistics.emptyQueries": 20,
}
DEFAULT_LIST_SIZE = DEFAULT_PAGE


# Introspection (GraphiQL's documentation) reads the static schema: its depth (the
# standard query nests ``ofType`` seven times) and size do not count here; graphql-core's
# MaxIntrospectionDepthRule refuses types expanded inside types without end.
INTROSPECTION_ROOTS = ("__schema", "__type")


@dataclass
class QueryShape:
    depth: int
    cost: int
    aliases: int
    root_fields: list[str]  # field names at the root (aliases resolved), for per-field limits


def analyse(document: DocumentNode, operation: OperationDefinitionNode,
            variables: dict[str, Any] | None, schema: GraphQLSchema | None = None) -> QueryShape:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    variables = variables or {}
    aliases = 0

    def page_size(node: FieldNode) -> int | None:
        for arg in node.arguments or ():
            if arg.name.value in ("first", "last"):
                value = arg.value
                if isinstance(value, IntValueNode):
                    return max(int(value.value), 1)
                if isinstance(value, VariableNode):
                    v = variables.get(value.name.value)
                    return v if isinstance(v, int) and v > 0 else DEFAULT_PAGE
                return DEFAULT_PAGE
        return None

    def items(node: FieldNode, parent, field_type) -> tuple[int | None, Any]:
        """(how many items the field's selection is repeated for, the type of each item)."""
        size = page_size(node)
        if field_type is None:
            return size, None
        named = get_named_type(field_type)
        if size is None and _is_connection(named):
            size = DEFAULT_PAGE
        if size is None and _is_list(field_type):
            if _is_connection(parent) and node.name.value in ("edges", "nodes"):
                size = 1
            else:
                size = LIST_SIZES.get(f"{parent.name}.{node.name.value}", DEFAULT_LIST_SIZE)
        return size, named

    def walk(selection_set: SelectionSetNode | None, parent, depth: int,
             seen: frozenset[str]) -> tuple[int, int]:
        """(max depth, cost) of a selection set on ``parent`` (a schema type, or None)."""
        nonlocal aliases
        if selection_set is None:
            return depth, 0
        max_depth, cost = depth, 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                if sel.alias is not None:
                    aliases += 1
                if sel.name.value in INTROSPECTION_ROOTS:
                    cost += 1  # bounded by the schema, and by graphql-core's MaxIntrospectionDepthRule
                    continue
                field = _field(parent, sel.name.value)
                size, child_type = items(sel, parent, field.type if field is not None else None)
                child_depth, child_cost = walk(sel.selection_set, child_type, depth + 1, seen)
                cost += 1 + (child_cost * size if size else child_cost)
                max_depth = max(max_depth, child_depth)
            elif isinstance(sel, InlineFragmentNode):
                on = _type(schema, sel.type_condition.name.value) if sel.type_condition else parent
                d, c = walk(sel.selection_set, on, depth, seen)
                max_depth, cost = max(max_depth, d), cost + c
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in seen or name not in fragments:
                    continue  # cycles and unknown fragments are reported by validation
                fragment = fragments[name]
                d, c = walk(fragment.selection_set, _type(schema, fragment.type_condition.name.value),
                            depth, seen | {name})
                max_depth, cost = max(max_depth, d), cost + c
        return max_depth, cost

    root = None
    if schema is not None:
        root = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
                OperationType.SUBSCRIPTION: schema.subscription_type}.get(operation.operation)
    depth, cost = walk(operation.selection_set, root, 0, frozenset())
    roots = [sel.name.value for sel in operation.selection_set.selections if isinstance(sel, FieldNode)]
    return QueryShape(depth=depth, cost=cost, aliases=aliases, root_fields=roots)


def _type(schema: GraphQLSchema | None, name: str):
    return schema.get_type(name) if schema is not None else None


def _field(parent, name: str):
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields else None


def _is_list(field_type) -> bool:
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def _is_connection(named) -> bool:
    fields = getattr(named, "fields", None)
    return bool(fields) and "pageInfo" in fields and ("edges" in fields or "nodes" in fields)
