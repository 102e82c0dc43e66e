"""Root queries and mutations of the patients domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class PatientsQuery:
    pass


@strawberry.type
class PatientsMutation:
    pass
