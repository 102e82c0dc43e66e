"""The notification centre as the API shows it: a user's own notification records.

A notification belongs to the user it was made for: nobody else reads it (not even admins),
and another user's id answers null in `node` and NOT_FOUND in the mutations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Info
from api.models import notifications as models
from api.schema.relay import database_keys

NotificationKind = strawberry.enum(
    models.NotificationKind, description="What a notification is about."
)


@strawberry.type(description="Something that happened for the signed-in user. Owner only.")
class Notification(relay.Node):
    id: relay.NodeID[int]
    kind: NotificationKind  # type: ignore[valid-type]
    title: str
    body: str
    link: str = strawberry.field(description="Where in the app to go for it, e.g. /profile.")
    created_at: datetime
    read_at: datetime | None
    read: bool

    @classmethod
    def from_model(cls, notification: models.Notification) -> Notification:
        return cls(
            id=notification.id,
            kind=notification.kind,
            title=notification.title,
            body=notification.body,
            link=notification.link,
            created_at=notification.created_at,
            read_at=notification.read_at,
            read=notification.read_at is not None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Notification | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        found = await info.context.loaders.notifications.notification_by_id.load_many(
            [key for key in keys if key is not None]
        )
        rows = iter(found)
        results: list[Notification | None] = []
        for key in keys:
            row = next(rows) if key is not None else None
            owned = row is not None and row.user_id == scope.viewer.user_id
            results.append(cls.from_model(row) if owned and row is not None else None)
        return results


@strawberry.type(description="The notification, now read, and how many are still unread.")
class NotificationReadPayload:
    notification: Notification
    unread_notification_count: int


@strawberry.type(description="How many notifications were marked read, and how many remain.")
class NotificationsReadPayload:
    marked_read: int
    unread_notification_count: int


TYPES: tuple[type, ...] = (Notification,)
