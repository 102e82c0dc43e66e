"""Root queries and mutations of the notifications domain; thin: parse, call a service, map.

Everything here is the signed-in user's own: anonymous requests are UNAUTHENTICATED.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay

from api.context import Info
from api.realtime import topics
from api.realtime.broker import Message
from api.realtime.live import follow
from api.schema import notifications as types
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services import notifications


async def _unread_count(info: Info, user_id: int) -> int:
    loader = info.context.loaders.notifications.unread_notification_count_by_user_id
    loader.clear(user_id)  # a mutation just changed it
    return await loader.load(user_id)


@strawberry.type
class NotificationsQuery:
    @strawberry.field(description="Your notifications, newest first (at most 100 a page).")
    async def notifications(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        unread_only: bool = False,
    ) -> relay.Connection[types.Notification]:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        page = await notifications.page_for_user(
            user_id,
            first=first,
            after=after,
            unread_only=unread_only,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, types.Notification.from_model)

    @strawberry.field(description="How many of your notifications are unread.")
    async def unread_notification_count(self, info: Info) -> int:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        loader = info.context.loaders.notifications.unread_notification_count_by_user_id
        return await loader.load(user_id)


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(description="Marks one of your notifications read.")
    async def mark_notification_read(
        self, info: Info, id: strawberry.ID
    ) -> types.NotificationReadPayload:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        key = database_key(parse_global_id(id), "Notification")
        notification = await notifications.mark_read(user_id, key)
        return types.NotificationReadPayload(
            notification=types.Notification.from_model(notification),
            unread_notification_count=await _unread_count(info, user_id),
        )

    @strawberry.mutation(description="Marks every notification of yours read.")
    async def mark_all_notifications_read(self, info: Info) -> types.NotificationsReadPayload:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        marked = await notifications.mark_all_read(user_id)
        return types.NotificationsReadPayload(
            marked_read=marked, unread_notification_count=await _unread_count(info, user_id)
        )


@strawberry.type
class NotificationsSubscription:
    @strawberry.subscription(
        description=(
            "Your notifications as they are made. Pass the id of the newest one you have "
            "(after a reconnect) to receive first, oldest first, the ones you missed."
        )
    )
    async def notification_added(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[types.Notification, None]:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        after_key = None if after is None else database_key(parse_global_id(after), "Notification")

        async def load(message: Message) -> types.Notification | None:
            key = message.get("notification_id")
            row = await notifications.visible_to(user_id, key) if isinstance(key, int) else None
            return None if row is None else types.Notification.from_model(row)

        async def catch_up(after_id: int) -> list[types.Notification]:
            rows = await notifications.newer_than(user_id, after_id)
            return [types.Notification.from_model(row) for row in rows]

        async for item in follow(
            [topics.user_notifications(user_id)],
            load=load,
            key=lambda notification: int(notification.id),
            catch_up=catch_up,
            after=after_key,
        ):
            yield item
