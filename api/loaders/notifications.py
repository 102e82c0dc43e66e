"""Batch loads of the notifications domain: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aiodataloader import DataLoader
from tortoise.functions import Count

from api.models.notifications import Delivery, Notification


class NotificationByIdLoader(DataLoader[int, Notification | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[Notification | None]:
        rows = {row.id: row for row in await Notification.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class UnreadNotificationCountByUserIdLoader(DataLoader[int, int]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[int]:
        rows = (
            await Notification.filter(user_id__in=list(keys), read_at=None)
            .annotate(unread=Count("id"))
            .group_by("user_id")
            .values_list("user_id", "unread")
        )
        counts = {int(user_id): int(unread) for user_id, unread in rows}
        return [counts.get(key, 0) for key in keys]


class DeliveriesByNotificationIdLoader(DataLoader[int, list[Delivery]]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Delivery]]:
        found: dict[int, list[Delivery]] = {key: [] for key in keys}
        for row in await Delivery.filter(notification_id__in=list(keys)).order_by("id"):
            found[row.notification_id].append(row)
        return [found[key] for key in keys]


@dataclass(slots=True)
class NotificationsLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    notification_by_id: NotificationByIdLoader = field(default_factory=NotificationByIdLoader)
    unread_notification_count_by_user_id: UnreadNotificationCountByUserIdLoader = field(
        default_factory=UnreadNotificationCountByUserIdLoader
    )
    deliveries_by_notification_id: DeliveriesByNotificationIdLoader = field(
        default_factory=DeliveriesByNotificationIdLoader
    )
