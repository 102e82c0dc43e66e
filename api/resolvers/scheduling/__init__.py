"""Root operations of the scheduling domain, one module per part, composed here."""

from __future__ import annotations

import strawberry


@strawberry.type
class SchedulingQuery:
    pass


@strawberry.type
class SchedulingMutation:
    pass


@strawberry.type
class SchedulingSubscription:
    pass
