"""Root queries and mutations of the plans domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class PlansQuery:
    pass


@strawberry.type
class PlansMutation:
    pass
