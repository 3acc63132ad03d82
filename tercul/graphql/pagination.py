"""Relay-style connections with a total count, and strict page-size checks.

``first``/``last`` must be between 1 and 100 (``MAX_PAGE``); an explicit ``null``,
zero, a negative or a larger value is a ``BAD_USER_INPUT`` error, never a 500.
Cursors are opaque (base64 of an offset): lists are ordered by stable keys.
"""
from __future__ import annotations

import base64
from typing import Any, Callable, Sequence

import graphene

from .core import bad_input

MAX_PAGE = 100
DEFAULT_PAGE = 20


class PageInfo(graphene.ObjectType):
    """Where this page sits in the whole list."""

    has_next_page = graphene.Boolean(required=True, description="True when more items follow this page.")
    has_previous_page = graphene.Boolean(required=True, description="True when items precede this page.")
    start_cursor = graphene.String(description="Cursor of the first item on this page.")
    end_cursor = graphene.String(description="Cursor of the last item on this page.")


_connections: dict[str, type] = {}


def connection(node_type, name: str, description: str):
    """The ``<name>Connection`` type for ``node_type`` (one per name)."""
    if name in _connections:
        return _connections[name]
    edge = type(f"{name}Edge", (graphene.ObjectType,), {
        "__doc__": f"One {name[0].lower() + name[1:]} in a list, with its cursor.",
        "node": graphene.Field(node_type, required=True, description="The item."),
        "cursor": graphene.String(required=True, description="Pass as `after`/`before` to page from here."),
    })
    conn = type(f"{name}Connection", (graphene.ObjectType,), {
        "__doc__": description,
        "edges": graphene.List(graphene.NonNull(edge), required=True, description="The items of this page."),
        "page_info": graphene.Field(PageInfo, required=True, description="Paging information."),
        "total_count": graphene.Int(required=True, description="How many items the whole list has."),
    })
    conn.edge_type = edge
    _connections[name] = conn
    return conn


def connection_args() -> dict[str, graphene.Argument]:
    return {
        "first": graphene.Int(description=f"Return the first n items (1 to {MAX_PAGE}; default {DEFAULT_PAGE})."),
        "after": graphene.String(description="Return items after this cursor."),
        "last": graphene.Int(description=f"Return the last n items (1 to {MAX_PAGE})."),
        "before": graphene.String(description="Return items before this cursor."),
    }


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str, name: str) -> int:
    try:
        kind, value = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)
        offset = int(value)
        if kind != "o" or offset < 0:
            raise ValueError
    except (ValueError, UnicodeDecodeError, base64.binascii.Error):
        raise bad_input(f"`{name}` is not a valid cursor.", name) from None
    return offset


def page_window(args: dict[str, Any], total: int) -> tuple[int, int]:
    """(offset, limit) for the Relay arguments in ``args`` over ``total`` items."""
    for name in ("first", "last"):
        if name in args:
            value = args[name]
            if value is None or value < 1 or value > MAX_PAGE:
                raise bad_input(f"`{name}` must be between 1 and {MAX_PAGE}.", name)
    if "first" in args and "last" in args:
        raise bad_input("Pass either `first` or `last`, not both.", "last")
    start, end = 0, total
    if args.get("after") is not None:
        start = max(start, decode_cursor(args["after"], "after") + 1)
    if args.get("before") is not None:
        end = min(end, decode_cursor(args["before"], "before"))
    end = max(start, end)
    if "last" in args:
        return max(start, end - args["last"]), min(args["last"], end - start)
    return start, min(args.get("first", DEFAULT_PAGE), end - start)


def build_connection(conn_type, items: Sequence[Any], offset: int, total: int):
    edges = [conn_type.edge_type(node=item, cursor=encode_cursor(offset + i)) for i, item in enumerate(items)]
    return conn_type(
        edges=edges, total_count=total,
        page_info=PageInfo(has_previous_page=offset > 0, has_next_page=offset + len(items) < total,
                           start_cursor=edges[0].cursor if edges else None,
                           end_cursor=edges[-1].cursor if edges else None))


def paginate(conn_type, args: dict[str, Any], count: Callable[[], int],
             fetch: Callable[[int, int], Sequence[Any]]):
    """A connection page: ``count()`` gives the total, ``fetch(offset, limit)`` the items."""
    total = count()
    offset, limit = page_window(args, total)
    items = fetch(offset, limit) if limit > 0 else []
    return build_connection(conn_type, items, offset, total)


def paginate_pages(conn_type, args: dict[str, Any], fetch: Callable[[int, int], tuple[Sequence[Any], int]]):
    """A connection over a service that pages by number: ``fetch(page, per_page)`` gives
    (items, total). At most three small reads, whatever the cursor."""
    page_window({k: args[k] for k in ("first", "last") if k in args}, 0)  # checks page sizes
    if "last" not in args and args.get("after") is None and args.get("before") is None:
        items, total = fetch(1, args.get("first", DEFAULT_PAGE))
        return build_connection(conn_type, list(items), 0, total)
    total = fetch(1, 1)[1]
    offset, limit = page_window(args, total)
    if limit <= 0:
        return build_connection(conn_type, [], offset, total)
    page = offset // limit + 1
    items = list(fetch(page, limit)[0])
    start = offset - (page - 1) * limit
    if start:
        items = (items + list(fetch(page + 1, limit)[0]))[start:start + limit]
    return build_connection(conn_type, items, offset, total)
