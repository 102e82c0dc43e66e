"""Notification records: the one place a service says "tell this user that ...".

Only the stored record is made here; delivery over mail, SMS, push and the live subscription
belong to the realtime work. Callers make the record inside their own transaction, so a change
and its notification are stored together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.models.notifications import Notification, NotificationKind


@dataclass(frozen=True)
class NewNotification:
    user_id: int
    kind: NotificationKind
    title: str
    body: str = ""
    link: str = ""
    patient_id: int | None = None


async def notify(*notifications: NewNotification) -> None:
    """Store notifications (one statement for any number of them)."""
    if not notifications:
        return
    created_at = datetime.now(UTC)
    await Notification.bulk_create(
        [
            Notification(
                user_id=item.user_id,
                patient_id=item.patient_id,
                kind=item.kind,
                title=item.title[:200],
                body=item.body,
                link=item.link[:300],
                created_at=created_at,
            )
            for item in notifications
        ]
    )
