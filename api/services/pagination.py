"""Keyset pagination for every connection: `first`/`after`, capped, with opaque cursors.

Cursors encode the last row's primary key, so a page is one indexed range scan however deep
the client pages, and rows inserted meanwhile neither repeat nor vanish.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.queryset import QuerySet

from api.errors import BadUserInput
from api.services.ids import parse_id

T = TypeVar("T")
_CURSOR_PREFIX = "k:"
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{key}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        key = parse_id(text.removeprefix(_CURSOR_PREFIX))
        if not text.startswith(_CURSOR_PREFIX) or key is None:
            raise ValueError(cursor)
        return key
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput("This page cursor is not valid.", field="after") from None


def page_size(first: int | None, max_page_size: int) -> int:
    if first is None:
        return min(DEFAULT_PAGE_SIZE, max_page_size)
    if first < 1 or first > max_page_size:
        raise BadUserInput(f"`first` must be between 1 and {max_page_size}.", field="first")
    return first


async def paginate(
    queryset: QuerySet[Any],
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
    descending: bool = False,
) -> Page[Any]:
    """One page of ``queryset`` ordered by primary key; one statement, one extra row peeked."""
    size = page_size(first, max_page_size)
    pk = queryset.model._meta.pk_attr
    if after is not None:
        key = decode_cursor(after)
        queryset = queryset.filter(**{f"{pk}__lt" if descending else f"{pk}__gt": key})
    ordered = queryset.order_by(f"-{pk}" if descending else pk)
    rows = list(await ordered.limit(size + 1))
    has_next = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        cursors=[encode_cursor(row.pk) for row in rows],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )
