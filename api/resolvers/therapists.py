"""Root queries and mutations of the therapists domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class TherapistsQuery:
    pass


@strawberry.type
class TherapistsMutation:
    pass
