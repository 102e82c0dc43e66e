"""Keyset pagination on a sort key of several columns (name, then id), for ordered directories.

`services/pagination.paginate` pages by primary key only. Lists people browse by name (the
therapist directory, the exercise catalogue) sort on a composite key whose last column is the
primary key, so the order is total. The cursor carries the last row's whole key, and the next
page is `(a, b, id) > (a0, b0, id0)` written out as OR-ed comparisons, which both SQLite and
PostgreSQL answer from the same index scan, with no OFFSET.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from api.errors import BadUserInput
from api.services.ids import is_storable_int
from api.services.pagination import Page, page_size

T = TypeVar("T")
SortValue = str | int
_CURSOR_TAG = "ks"


@dataclass(frozen=True, slots=True)
class SortKey:
    """ORM paths, most significant first; the last must be unique (the primary key).

    `kinds` says what each cursor value must be (str or int), so a forged cursor is refused
    as bad input instead of reaching the database.
    """

    paths: tuple[str, ...]
    kinds: tuple[type[str] | type[int], ...]

    def __post_init__(self) -> None:
        if len(self.paths) != len(self.kinds) or not self.paths:
            raise ValueError("a sort key needs one kind per path")


def encode_cursor(values: Sequence[SortValue]) -> str:
    raw = orjson.dumps([_CURSOR_TAG, *values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key: SortKey) -> tuple[SortValue, ...]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, orjson.JSONDecodeError):
        raise _bad_cursor() from None
    if not isinstance(raw, list) or len(raw) != len(key.paths) + 1 or raw[0] != _CURSOR_TAG:
        raise _bad_cursor()
    values = raw[1:]
    for value, kind in zip(values, key.kinds, strict=True):
        # bool is an int subclass: `true` must not pass for an id.
        if isinstance(value, bool) or not isinstance(value, kind):
            raise _bad_cursor()
        if isinstance(value, int) and not is_storable_int(value):
            raise _bad_cursor()
    return tuple(values)


def after_condition(key: SortKey, values: Sequence[SortValue]) -> Q:
    """Rows strictly after `values` in the key's ascending order."""
    alternatives: list[Q] = []
    for position, path in enumerate(key.paths):
        conditions: dict[str, Any] = {key.paths[i]: values[i] for i in range(position)}
        conditions[f"{path}__gt"] = values[position]
        alternatives.append(Q(**conditions))
    return Q(*alternatives, join_type=Q.OR)


async def keyset_page(
    queryset: QuerySet[Any],
    key: SortKey,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
    fetch: Callable[[QuerySet[Any]], Awaitable[Sequence[T]]],
    key_of: Callable[[T], Sequence[SortValue]],
) -> Page[T]:
    """One page in one statement: `fetch` runs the ordered, limited query (e.g. `.values()`)."""
    size = page_size(first, max_page_size)
    if after is not None:
        queryset = queryset.filter(after_condition(key, decode_cursor(after, key)))
    rows = list(await fetch(queryset.order_by(*key.paths).limit(size + 1)))
    has_next = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        cursors=[encode_cursor(key_of(row)) for row in rows],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )


def _bad_cursor() -> BadUserInput:
    return BadUserInput("This page cursor is not valid.", field="after")
