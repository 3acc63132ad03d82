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
"""
from __future__ import annotations

from typing import Any

from graphql import is_leaf_type, is_non_null_type
from graphql_sync_dataloaders import DeferredExecutionContext

_NULL_DATA = object()


class ExecutionContext(DeferredExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._non_null_composites: set[tuple] = set()  # objects and lists that may not be null
        self._nulled: list[tuple] = []  # non-null fields that failed: their parents become null
        self._error_positions: set[tuple] = set()

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
