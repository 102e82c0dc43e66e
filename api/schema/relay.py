"""Relay conventions: opaque global ids, `node(id:)`, and connections built from a Page.

Global ids are strawberry's (base64 of "Type:key"). Each Node type resolves its ids through
the request's loaders and access scope, so `node(id:)` can never read around the scope: an id
the viewer may not read answers null, exactly like an id that does not exist.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.context import Info
from api.errors import BadUserInput
from api.services.ids import parse_id
from api.services.pagination import Page

NodeT = TypeVar("NodeT", bound=relay.Node)
RowT = TypeVar("RowT")


class HasPatientId(Protocol):
    """What a field resolver attached to `Patient` from another domain needs of its root."""

    @property
    def id(self) -> int: ...


def global_id(type_name: str, key: int) -> strawberry.ID:
    """The opaque id clients see for row `key` of a Node type."""
    return strawberry.ID(str(relay.GlobalID(type_name, str(key))))


def parse_global_id(value: str, field: str = "id") -> relay.GlobalID:
    try:
        return relay.GlobalID.from_id(value)
    except GlobalIDValueError:
        raise BadUserInput("This id is not valid.", field=field) from None


def database_key(global_id: relay.GlobalID, expected_type: str, field: str = "id") -> int:
    """The primary key behind a global id of one known type (for mutation inputs)."""
    if global_id.type_name != expected_type:
        raise BadUserInput(f"Expected the id of a {expected_type}.", field=field)
    key = parse_id(global_id.node_id)
    if key is None:
        raise BadUserInput("This id is not valid.", field=field)
    return key


def database_keys(node_ids: Iterable[str]) -> list[int | None]:
    """Primary keys from the key part of global ids; a malformed key maps to None."""
    return [parse_id(node_id) for node_id in node_ids]


async def resolve_node(info: Info, value: str) -> relay.Node | None:
    global_id = parse_global_id(value)
    type_definition = info.schema.get_type_by_name(global_id.type_name)
    origin = getattr(type_definition, "origin", None)
    if not isinstance(origin, type) or not issubclass(origin, relay.Node):
        return None
    resolved = origin.resolve_nodes(info=info, node_ids=[global_id.node_id], required=False)
    nodes = await resolved if inspect.isawaitable(resolved) else resolved
    return next(iter(nodes), None)


def connection_from_page(
    page: Page[RowT], to_node: Callable[[RowT], NodeT]
) -> relay.Connection[NodeT]:
    edges = [
        relay.Edge(cursor=cursor, node=to_node(row))
        for row, cursor in zip(page.rows, page.cursors, strict=True)
    ]
    return relay.Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
    )
