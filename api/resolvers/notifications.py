"""Root queries and mutations of the notifications domain; thin: parse, call a service, map.

Everything here is the signed-in user's own: anonymous requests are UNAUTHENTICATED.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import time

import strawberry
from strawberry import relay

from api.context import Info
from api.realtime import topics
from api.realtime.broker import Message
from api.realtime.live import follow
from api.schema import notifications as types
from api.schema.record_access import audited
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services import notifications
from api.services.notifications import preferences, quiet_hours, subscriptions
from api.services.notifications.errors import NotificationProblems


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

    @strawberry.field(
        description="Every kind of notification on every channel: on or off, default, locked."
    )
    async def notification_preferences(self, info: Info) -> list[types.NotificationPreference]:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        rows = await preferences.matrix_for(user_id)
        return [types.NotificationPreference.from_preference(row) for row in rows]

    @strawberry.field(description="Your quiet hours, or null when you have none.")
    async def quiet_hours(self, info: Info) -> types.QuietHours | None:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        window = await quiet_hours.get(user_id)
        return None if window is None else types.QuietHours.from_window(window)

    @strawberry.field(
        description="The VAPID public key (base64url) for PushManager.subscribe, or null when "
        "this server does not send push notifications."
    )
    async def push_public_key(self, info: Info) -> str | None:
        scope = await info.context.scope()
        scope.require_authenticated()
        settings = info.context.settings
        return settings.vapid_public_key if settings.push_configured else None


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

    @strawberry.mutation(
        description="Turns kinds of notification on or off per channel; all changes or none."
    )
    async def update_notification_preferences(
        self, info: Info, changes: list[types.NotificationPreferenceChange]
    ) -> types.UpdateNotificationPreferencesResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        try:
            rows = await preferences.update(user_id, [change.to_change() for change in changes])
        except NotificationProblems as problems:
            return types.NotificationErrors.from_problems(problems)
        return types.NotificationPreferences.from_preferences(rows)

    @strawberry.mutation(
        description="Sets your quiet hours (wall-clock times in your time zone; may span "
        "midnight). Urgent notifications still go at once."
    )
    async def set_quiet_hours(
        self, info: Info, starts: time, ends: time
    ) -> types.SetQuietHoursResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        try:
            window = await quiet_hours.set_window(user_id, starts, ends)
        except NotificationProblems as problems:
            return types.NotificationErrors.from_problems(problems)
        return types.QuietHours.from_window(window)

    @strawberry.mutation(description="Removes your quiet hours; whether you had any.")
    async def clear_quiet_hours(self, info: Info) -> bool:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        return await quiet_hours.clear(user_id)

    @strawberry.mutation(description="Keeps this browser's Web Push subscription for you.")
    async def register_push_subscription(
        self, info: Info, input: types.PushSubscriptionInput
    ) -> types.RegisterPushSubscriptionResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        try:
            row = await subscriptions.register(
                user_id,
                input.endpoint,
                input.p256dh,
                input.auth,
                user_agent=info.context.client.user_agent,
            )
        except NotificationProblems as problems:
            return types.NotificationErrors.from_problems(problems)
        return types.PushSubscription.from_model(row)

    @strawberry.mutation(description="Forgets a Web Push subscription of yours; whether it was.")
    async def unregister_push_subscription(self, info: Info, endpoint: str) -> bool:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        return await subscriptions.unregister(user_id, endpoint)


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

        async for item in audited(
            info.context,
            follow(
                [topics.user_notifications(user_id)],
                load=load,
                key=lambda notification: int(notification.id),
                catch_up=catch_up,
                after=after_key,
            ),
        ):
            yield item
