"""Root operations of the messaging domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class MessagingQuery:
    pass


@strawberry.type
class MessagingMutation:
    pass


@strawberry.type
class MessagingSubscription:
    pass
