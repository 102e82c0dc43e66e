"""Root queries and mutations of the notifications domain; thin: parse, call a service, map.

Everything here is the signed-in user's own: anonymous requests are UNAUTHENTICATED.
"""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
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
