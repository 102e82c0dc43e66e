"""Notification records: the one place a service says "tell this user that ...".

`notify` stores the record (the notification centre's entry, IN_APP), makes one Delivery per
other channel the user's preferences allow, and enqueues one durable job per delivery, all in the
caller's transaction: a change and its notifications are stored together or not at all, and the
live `notificationAdded` event leaves only after the commit. Reads for all recipients of one call
are batched: users, preferences, quiet hours and push subscriptions cost one statement each.

The notification centre's reads and marks are here too: a user reaches their own rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.errors import NotFound
from api.models.accounts import User
from api.models.notifications import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationKind,
)
from api.realtime import topics
from api.realtime.events import publish_after_commit, transaction
from api.realtime.shared_reads import SharedReads
from api.services import jobs
from api.services.notifications import preferences, quiet_hours, subscriptions
from api.services.pagination import Page, paginate

DELIVER_JOB = "notifications.deliver"


@dataclass(frozen=True)
class NewNotification:
    user_id: int
    kind: NotificationKind
    title: str
    body: str = ""
    link: str = ""
    patient_id: int | None = None
    urgent: bool = False  # every allowed channel at once, quiet hours or not


def delivery_job_key(notification_id: int, channel: NotificationChannel) -> str:
    return f"notification-delivery:{notification_id}:{channel.value}"


async def notify(*notifications: NewNotification) -> None:
    """Store notifications and their deliveries; live subscribers hear of them after commit."""
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
    async with transaction():
        for row in rows:  # one INSERT each: the ids are needed for the events and deliveries
            await row.save()
            await publish_after_commit(
                topics.user_notifications(row.user_id), {"notification_id": row.id}
            )
        await _plan_deliveries(rows, created_at)


async def _plan_deliveries(rows: list[Notification], at: datetime) -> None:
    user_ids = sorted({row.user_id for row in rows})
    people = await User.filter(id__in=user_ids).values_list("id", "phone", "time_zone")
    phones = {int(user_id): str(phone) for user_id, phone, _ in people}
    zones = {int(user_id): str(zone) for user_id, _, zone in people}
    overrides = await preferences.overrides_for(user_ids)
    windows = await quiet_hours.windows_for(user_ids, zones)
    pushable = await subscriptions.users_with_subscriptions(user_ids)

    deliveries: list[Delivery] = []
    work: list[jobs.NewJob] = []
    for row in rows:
        kind = NotificationKind(row.kind)
        window = windows.get(row.user_id)
        released = None if row.urgent or window is None else window.release_at(at)
        not_before = released or at
        for channel in preferences.DELIVERED_CHANNELS:
            if (kind, channel) in preferences.SENT_ELSEWHERE:
                continue
            if not preferences.enabled(overrides.get(row.user_id, {}), kind, channel):
                continue
            reason = ""
            if channel is NotificationChannel.SMS and not phones.get(row.user_id):
                reason = "no phone number"
            elif channel is NotificationChannel.PUSH and row.user_id not in pushable:
                reason = "no push subscription"
            deliveries.append(
                Delivery(
                    notification_id=row.id,
                    channel=channel,
                    status=DeliveryStatus.SKIPPED if reason else DeliveryStatus.PENDING,
                    not_before=not_before,
                    last_error=reason,
                    created_at=at,
                )
            )
            if not reason:
                work.append(
                    jobs.NewJob(
                        DELIVER_JOB,
                        {"notification_id": row.id, "channel": channel.value},
                        run_at=not_before,
                        dedupe_key=delivery_job_key(row.id, channel),
                    )
                )
    if deliveries:
        await Delivery.bulk_create(deliveries)
    await jobs.enqueue_many(work)


async def _notifications_by_id(ids: list[int]) -> list[Notification | None]:
    rows = {row.id: row for row in await Notification.filter(id__in=ids)}
    return [rows.get(key) for key in ids]


# A broadcast reaches every subscriber of a worker at once: one statement for all their reads.
_live_reads: SharedReads[int, Notification | None] = SharedReads(_notifications_by_id)


async def visible_to(user_id: int, notification_id: int) -> Notification | None:
    """The notification if it is this user's (a live event re-checks ownership before sending)."""
    row = await _live_reads.load(notification_id)
    return row if row is not None and row.user_id == user_id else None


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


SECURITY_LINK = "/account/security"


async def notify_security(user_id: int, title: str) -> None:
    """An account security event in the centre (and SMS/push per preferences).

    Its email is the account's own security mail, sent by the caller: no second one here."""
    await notify(
        NewNotification(
            user_id=user_id,
            kind=NotificationKind.SECURITY,
            title=title,
            body="If this was not you, please contact the clinic right away.",
            link=SECURITY_LINK,
        )
    )
