"""Reading threads: a viewer's inbox, the overdue list, and messages for live subscribers.

The inbox is newest activity first; the overdue list the longest overdue first. Both page by
keyset on (moment, id) with opaque cursors, so a page is one statement however deep.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden
from api.loaders.messaging import MessageRow, message_rows
from api.models.accounts import Role
from api.models.messaging import Message, MessageThread, ThreadStatus
from api.services.pagination import Page, page_size

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TAG = "mt"
CATCH_UP_LIMIT = 100
_KEY_LIMIT = 2**63


@dataclass(frozen=True, slots=True)
class ThreadFilter:
    patient_id: int | None = None
    status: ThreadStatus | None = None
    awaiting_reply: bool | None = None
    urgent_only: bool = False  # threads with an urgent message nobody of the clinic has read


def _encode(at: datetime, key: int) -> str:
    micros = (at.astimezone(UTC) - _EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{_TAG}:{micros}:{key}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        tag, micros, key = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        if tag != _TAG:
            raise ValueError(tag)
        row_id = int(key)
        if not 0 <= row_id < _KEY_LIMIT:  # past a bigint the driver fails, not the filter
            raise ValueError(key)
        return _EPOCH + timedelta(microseconds=int(micros)), row_id
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput("This page cursor is not valid.", field="after") from None


async def _page(
    rows: QuerySet[MessageThread],
    column: str,
    *,
    descending: bool,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[MessageThread]:
    size = page_size(first, max_page_size)
    if after is not None:
        at, key = _decode(after)
        op = "lt" if descending else "gt"
        before: dict[str, Any] = {f"{column}__{op}": at}
        tied: dict[str, Any] = {column: at, f"id__{op}": key}
        rows = rows.filter(Q(**before) | Q(**tied))
    order = (f"-{column}", "-id") if descending else (column, "id")
    found = list(await rows.order_by(*order).limit(size + 1))
    has_next = len(found) > size
    found = found[:size]
    return Page(
        rows=found,
        cursors=[_encode(getattr(row, column), row.id) for row in found],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )


def _readable(scope: AccessScope) -> QuerySet[MessageThread]:
    scope.require_authenticated()
    patient_ids = scope.readable_patient_ids(Need.MESSAGES)
    rows = MessageThread.all()
    return rows if patient_ids is None else rows.filter(patient_id__in=list(patient_ids))


async def threads_page(
    scope: AccessScope,
    where: ThreadFilter,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[MessageThread]:
    """The viewer's threads (own, or their care team's patients'), newest activity first."""
    rows = _readable(scope)
    if where.patient_id is not None:
        scope.require_patient(where.patient_id, Need.MESSAGES)
        rows = rows.filter(patient_id=where.patient_id)
    if where.status is not None:
        rows = rows.filter(status=where.status)
    if where.awaiting_reply is not None:
        rows = rows.filter(awaiting_reply_since__isnull=not where.awaiting_reply)
    if where.urgent_only:
        pending = Message.filter(urgent=True, acknowledged_at=None).values("thread_id")
        rows = rows.filter(id__in=Subquery(pending))
    return await _page(
        rows,
        "last_message_at",
        descending=True,
        first=first,
        after=after,
        max_page_size=max_page_size,
    )


async def overdue_page(
    scope: AccessScope, *, first: int | None, after: str | None, max_page_size: int
) -> Page[MessageThread]:
    """Threads still waiting after their response promise ran out: admins see every one,
    a clinician their care team's; the longest overdue first."""
    scope.require_authenticated()
    if not (scope.is_admin or scope.viewer.has_role(Role.THERAPIST)):
        raise Forbidden("Only the clinic sees overdue conversations.")
    rows = MessageThread.filter(overdue_at__isnull=False, awaiting_reply_since__isnull=False)
    if not scope.is_admin:
        rows = rows.filter(patient_id__in=list(scope.care_team))
    return await _page(
        rows,
        "response_due_at",
        descending=False,
        first=first,
        after=after,
        max_page_size=max_page_size,
    )


def readable_threads(
    scope: AccessScope, rows: list[MessageThread | None]
) -> list[MessageThread | None]:
    return [
        row if row is not None and scope.can_read_patient(row.patient_id, Need.MESSAGES) else None
        for row in rows
    ]


def readable_message(scope: AccessScope, row: MessageRow | None) -> MessageRow | None:
    if row is None or not scope.can_read_patient(row.patient_id, Need.MESSAGES):
        return None
    return row


async def live_message(
    scope: AccessScope, message_id: int, thread_id: int | None
) -> MessageRow | None:
    """One message for a live subscriber, re-checked against its access now."""
    found = await message_rows(id=message_id)
    row = readable_message(scope, found[0] if found else None)
    if row is None or (thread_id is not None and row.thread_id != thread_id):
        return None
    return row


async def messages_after(
    scope: AccessScope, after_id: int, thread_id: int | None
) -> list[MessageRow]:
    """What a subscriber missed: readable messages after `after_id`, oldest first."""
    filters: dict[str, Any] = {"id__gt": after_id}
    if thread_id is not None:
        filters["thread_id"] = thread_id
    patient_ids = scope.readable_patient_ids(Need.MESSAGES)
    if patient_ids is not None:
        filters["thread__patient_id__in"] = list(patient_ids)
    return await message_rows(limit=CATCH_UP_LIMIT, **filters)
