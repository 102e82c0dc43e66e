"""Notification records: the one place a service says "tell this user that ...".

Only the stored record is made here; delivery over mail, SMS, push and the live subscription
belong to the realtime work. Callers make the record inside their own transaction, so a change
and its notification are stored together or not at all.

The notification centre's reads and marks are here too: a user reaches their own rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.errors import NotFound
from api.models.notifications import Notification, NotificationKind
from api.realtime import topics
from api.realtime.events import publish_after_commit
from api.services.pagination import Page, paginate


@dataclass(frozen=True)
class NewNotification:
    user_id: int
    kind: NotificationKind
    title: str
    body: str = ""
    link: str = ""
    patient_id: int | None = None
    urgent: bool = False  # every allowed channel at once, quiet hours or not


async def notify(*notifications: NewNotification) -> None:
    """Store notifications and tell live subscribers once the caller's transaction commits."""
    if not notifications:
        return
    created_at = datetime.now(UTC)
    rows = [
        Notification(
            user_id=item.user_id,
            patient_id=item.patient_id,
            kind=item.kind,
            title=item.title[:200],
            body=item.body,
            link=item.link[:300],
            urgent=item.urgent,
            created_at=created_at,
        )
        for item in notifications
    ]
    for row in rows:  # one INSERT each: the ids are needed for the events (and deliveries)
        await row.save()
        await publish_after_commit(
            topics.user_notifications(row.user_id), {"notification_id": row.id}
        )


async def visible_to(user_id: int, notification_id: int) -> Notification | None:
    """The notification if it is this user's (a live event re-checks ownership before sending)."""
    return await Notification.get_or_none(id=notification_id, user_id=user_id)


async def newer_than(user_id: int, after_id: int, limit: int = 100) -> list[Notification]:
    """The user's notifications after `after_id`, oldest first: what a reconnect missed."""
    return await Notification.filter(user_id=user_id, id__gt=after_id).order_by("id").limit(limit)


# --- the notification centre: a user reads and marks their own notifications -----------------


async def page_for_user(
    user_id: int, *, first: int | None, after: str | None, unread_only: bool, max_page_size: int
) -> Page[Notification]:
    """The user's notifications, newest first."""
    rows = Notification.filter(user_id=user_id)
    if unread_only:
        rows = rows.filter(read_at=None)
    return await paginate(
        rows, first=first, after=after, max_page_size=max_page_size, descending=True
    )


async def mark_read(user_id: int, notification_id: int) -> Notification:
    """Marks one of the user's notifications read (again is fine); others' are not found."""
    await Notification.filter(id=notification_id, user_id=user_id, read_at=None).update(
        read_at=datetime.now(UTC)
    )
    notification = await Notification.get_or_none(id=notification_id, user_id=user_id)
    if notification is None:
        raise NotFound("No such notification.")
    return notification


async def mark_all_read(user_id: int) -> int:
    """Marks every unread notification of the user read; returns how many were unread."""
    return await Notification.filter(user_id=user_id, read_at=None).update(
        read_at=datetime.now(UTC)
    )
