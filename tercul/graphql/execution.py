"""The execution context: synchronous DataLoader batching with field errors kept per field.

graphql-sync-dataloaders resolves DataLoader-loaded values in callbacks. graphql-core
propagates an error in a non-null field by *raising* it up to the nearest nullable
parent; raised inside one of those callbacks, the error escaped the future that the
parent waited on, so the whole request failed ("deferred execution failed to
complete", an HTTP 500) instead of reporting the field, as it does when the parent was
not loaded through a DataLoader.

Here a field error never raises. It is recorded with its path, the field resolves to
null, and when the response is built, the null is moved up to the nearest position
that may be null (the spec's null propagation), from the non-null positions recorded
while values were completed. The result is the same wherever the parent came from.

Plain leaf fields (a scalar or enum read from an attribute or key by graphene's default
resolver, without arguments) are completed directly: no resolve info, argument
coercion, resolver call or completion machinery. They are most of the fields of a
catalogue query (857 translations with their keys, language codes, translator names).
Anything unusual (a null in a non-null field, a value the scalar cannot serialize)
falls back to the general path, which reports it as before. The tracing middleware
only wraps top-level fields, which are never plain leaves of an object.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from graphene.types.resolver import dict_or_attr_resolver
from graphql import GraphQLObjectType, Undefined, is_leaf_type, is_non_null_type
from graphql_sync_dataloaders import DeferredExecutionContext

_NULL_DATA = object()
_SLOW = object()  # a field that needs the general path


class ExecutionContext(DeferredExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._non_null_composites: set[tuple] = set()  # objects and lists that may not be null
        self._nulled: list[tuple] = []  # non-null fields that failed: their parents become null
        self._error_positions: set[tuple] = set()
        # collect_fields memoizes each selection's field nodes for the whole operation, so
        # (parent type, id of the node list) names a field of the query (the lists live as
        # long as this context)
        self._leaves: dict[tuple, Any] = {}

    def execute_field(self, parent_type: GraphQLObjectType, source, field_nodes, path):
        key = (parent_type, id(field_nodes))
        leaf = self._leaves.get(key)
        if leaf is None:
            leaf = self._leaves[key] = _leaf_field(parent_type, field_nodes)
        if leaf is not _SLOW:
            read, serialize, non_null = leaf
            try:
                value = read(source)
                if value is None or value is Undefined:
                    if not non_null:
                        return None
                else:
                    serialized = serialize(value)
                    if serialized is not None and serialized is not Undefined:
                        return serialized
            except Exception:  # noqa: BLE001 - the general path below reports it, located on its field
                pass
        return super().execute_field(parent_type, source, field_nodes, path)

    def complete_value(self, return_type, field_nodes, info, path, result):
        if is_non_null_type(return_type) and not is_leaf_type(return_type.of_type):
            self._non_null_composites.add(tuple(path.as_list()))
        return super().complete_value(return_type, field_nodes, info, path, result)

    def handle_field_error(self, error, return_type, path=None):
        position = tuple(error.path or ())
        if is_non_null_type(return_type):
            self._nulled.append(position)
        # one error per position: none for positions under one that already failed
        if not any(position[:n] in self._error_positions for n in range(len(position) + 1)):
            self._error_positions.add(position)
            self.collected_errors.errors.append(error)
        return None

    def build_response(self, data, errors):
        for position in self._nulled:
            data = _null_nearest_nullable(data, position, self._non_null_composites)
            if data is None:
                break
        return DeferredExecutionContext.build_response(data, errors)


def _null_nearest_nullable(data: dict | None, position: tuple, non_null: set[tuple]) -> dict | None:
    """Set to null the nearest parent of ``position`` that may be null (``data`` itself if none)."""
    parent = position[:-1]
    while parent and parent in non_null:
        parent = parent[:-1]
    if not parent:
        return None
    container: Any = data
    for key in parent[:-1]:
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            return data  # already gone with an ancestor
        if container is None:
            return data
    try:
        container[parent[-1]] = None
    except (KeyError, IndexError, TypeError):
        pass
    return data


def plain(resolver):
    """Mark a leaf field's resolver as a pure function of its parent (it reads no
    ``info`` and takes no arguments), so that the leaf is completed directly."""
    resolver.plain_leaf = True
    return resolver


def _leaf_field(parent_type: GraphQLObjectType, nodes: list):
    """(read(source), serialize, non-null) of a plain leaf field, or _SLOW."""
    node = nodes[0]
    field = parent_type.fields.get(node.name.value)
    if field is None or node.arguments or node.selection_set is not None:
        return _SLOW
    resolve = field.resolve
    default_resolver = (isinstance(resolve, partial) and resolve.func is dict_or_attr_resolver
                        and len(resolve.args) == 2 and not resolve.keywords)
    if not (default_resolver or getattr(resolve, "plain_leaf", False)):
        return _SLOW
    read = partial(resolve, info=None)  # graphene's own resolver (or the @plain one), without resolve info
    non_null = is_non_null_type(field.type)
    leaf = field.type.of_type if non_null else field.type
    if not is_leaf_type(leaf):
        return _SLOW
    return read, leaf.serialize, non_null
