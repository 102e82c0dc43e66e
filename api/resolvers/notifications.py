"""Root queries and mutations of the notifications domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class NotificationsQuery:
    pass


@strawberry.type
class NotificationsMutation:
    pass
