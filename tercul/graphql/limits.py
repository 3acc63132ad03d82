"""Limits checked before execution: depth, cost, aliases.

Cost: every field costs 1; a list field's selection is multiplied by its page size
(``first``/``last``, or the default page size when not given). Variables are taken
into account, so a query cannot hide a large ``first`` in a variable.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode,
                     IntValueNode, OperationDefinitionNode, SelectionSetNode, VariableNode)

from .pagination import DEFAULT_PAGE


@dataclass
class QueryShape:
    depth: int
    cost: int
    aliases: int
    root_fields: list[str]  # field names at the root (aliases resolved), for per-field limits


def analyse(document: DocumentNode, operation: OperationDefinitionNode,
            variables: dict[str, Any] | None) -> QueryShape:
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

    def walk(selection_set: SelectionSetNode | None, depth: int, seen: frozenset[str]) -> tuple[int, int]:
        """(max depth, cost) of a selection set."""
        nonlocal aliases
        if selection_set is None:
            return depth, 0
        max_depth, cost = depth, 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                if sel.alias is not None:
                    aliases += 1
                child_depth, child_cost = walk(sel.selection_set, depth + 1, seen)
                size = page_size(sel)
                cost += 1 + (child_cost * size if size else child_cost)
                max_depth = max(max_depth, child_depth)
            elif isinstance(sel, InlineFragmentNode):
                d, c = walk(sel.selection_set, depth, seen)
                max_depth, cost = max(max_depth, d), cost + c
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in seen or name not in fragments:
                    continue  # cycles and unknown fragments are reported by validation
                d, c = walk(fragments[name].selection_set, depth, seen | {name})
                max_depth, cost = max(max_depth, d), cost + c
        return max_depth, cost

    depth, cost = walk(operation.selection_set, 0, frozenset())
    roots = [sel.name.value for sel in operation.selection_set.selections if isinstance(sel, FieldNode)]
    return QueryShape(depth=depth, cost=cost, aliases=aliases, root_fields=roots)
