"""The notification centre as the API shows it: a user's own notification records.

A notification belongs to the user it was made for: nobody else reads it (not even admins),
and another user's id answers null in `node` and NOT_FOUND in the mutations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Annotated

import strawberry
from strawberry import relay

from api.context import Info
from api.models import notifications as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import database_keys
from api.services.notifications import errors
from api.services.notifications.errors import NotificationProblems
from api.services.notifications.preferences import Preference, PreferenceChange
from api.services.notifications.quiet_hours import Window

NotificationKind = strawberry.enum(
    models.NotificationKind, description="What a notification is about."
)
NotificationChannel = strawberry.enum(
    models.NotificationChannel,
    description="How a notification reaches you: in the app (always), email, SMS or push.",
)
DeliveryStatus = strawberry.enum(
    models.DeliveryStatus, description="Where one channel's delivery of a notification stands."
)
NotificationErrorCode = strawberry.enum(
    errors.NotificationErrorCode, description="Stable codes of notification settings' errors."
)


@strawberry.type(description="A notification on one channel other than in-app. Owner only.")
class NotificationDelivery:
    channel: NotificationChannel  # type: ignore[valid-type]
    status: DeliveryStatus  # type: ignore[valid-type]
    attempts: int
    not_before: datetime = strawberry.field(
        description="Not sent before this (the end of your quiet hours, or when it was made)."
    )
    sent_at: datetime | None
    last_error: str = strawberry.field(
        description="The channel's last answer when it was not a success (no personal data)."
    )

    @classmethod
    def from_model(cls, delivery: models.Delivery) -> NotificationDelivery:
        return cls(
            channel=delivery.channel,
            status=delivery.status,
            attempts=delivery.attempts,
            not_before=delivery.not_before,
            sent_at=delivery.sent_at,
            last_error=delivery.last_error,
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
    urgent: bool

    @strawberry.field(description="How it went out by email, SMS and push, oldest first.")
    async def deliveries(self, info: Info) -> list[NotificationDelivery]:
        loader = info.context.loaders.notifications.deliveries_by_notification_id
        return [NotificationDelivery.from_model(row) for row in await loader.load(int(self.id))]

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
            urgent=notification.urgent,
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


@strawberry.type(description="One kind of notification on one channel, for you.")
class NotificationPreference:
    kind: NotificationKind  # type: ignore[valid-type]
    channel: NotificationChannel  # type: ignore[valid-type]
    enabled: bool
    is_default: bool = strawberry.field(description="Whether this is what Relief does unless told.")
    locked: bool = strawberry.field(
        description="Cannot be turned off: in-app notifications, and security email."
    )

    @classmethod
    def from_preference(cls, preference: Preference) -> NotificationPreference:
        return cls(
            kind=preference.kind,
            channel=preference.channel,
            enabled=preference.enabled,
            is_default=preference.is_default,
            locked=preference.locked,
        )


@strawberry.type(description="Every kind of notification on every channel, as it now stands.")
class NotificationPreferences:
    preferences: list[NotificationPreference]

    @classmethod
    def from_preferences(cls, rows: Iterable[Preference]) -> NotificationPreferences:
        return cls(preferences=[NotificationPreference.from_preference(row) for row in rows])


@strawberry.input(description="Turn one kind of notification on or off on one channel.")
class NotificationPreferenceChange:
    kind: NotificationKind  # type: ignore[valid-type]
    channel: NotificationChannel  # type: ignore[valid-type]
    enabled: bool

    def to_change(self) -> PreferenceChange:
        return PreferenceChange(
            kind=models.NotificationKind(self.kind),
            channel=models.NotificationChannel(self.channel),
            enabled=self.enabled,
        )


@strawberry.type(
    description=(
        "Wall-clock times in your time zone when email, SMS and push wait (urgent ones do "
        "not). When `starts` is later than `ends` the hours span midnight."
    )
)
class QuietHours:
    starts: time
    ends: time
    time_zone: str = strawberry.field(description="Your time zone (IANA), as in your profile.")

    @classmethod
    def from_window(cls, window: Window) -> QuietHours:
        return cls(starts=window.starts, ends=window.ends, time_zone=window.time_zone)


@strawberry.input(description="A browser's Web Push subscription (PushSubscription.toJSON()).")
class PushSubscriptionInput:
    endpoint: str
    p256dh: str = strawberry.field(description="The keys.p256dh value, base64url.")
    auth: str = strawberry.field(description="The keys.auth value, base64url.")


@strawberry.type(description="A Web Push subscription of yours, as stored.")
class PushSubscription:
    endpoint: str
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.PushSubscription) -> PushSubscription:
        return cls(endpoint=row.endpoint, created_at=row.created_at)


@strawberry.type(description="One problem with a notification setting, with its input field.")
class NotificationError(UserError):
    code: NotificationErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A notification setting did not change; every problem is listed.")
class NotificationErrors:
    errors: list[NotificationError]

    @classmethod
    def from_problems(cls, problems: NotificationProblems) -> NotificationErrors:
        return cls(errors=errors_from(NotificationError, problems))


UpdateNotificationPreferencesResult = Annotated[
    NotificationPreferences | NotificationErrors,
    strawberry.union("UpdateNotificationPreferencesResult"),
]
SetQuietHoursResult = Annotated[
    QuietHours | NotificationErrors, strawberry.union("SetQuietHoursResult")
]
RegisterPushSubscriptionResult = Annotated[
    PushSubscription | NotificationErrors, strawberry.union("RegisterPushSubscriptionResult")
]

TYPES: tuple[type, ...] = (Notification,)
