"""What the field guards on `Patient` cost (api/access/field_needs.py): a caseload-sized list
of patients with every plain profile field, through the API's real `Patient` type, with the
guards as shipped and with them stripped. No database: the rows are in memory, and the scope is
a care team's (the guard's every check passes, which is its common and most expensive path).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import strawberry

from api.access.field_needs import PatientFieldNeed
from api.access.scope import AccessScope, Viewer
from api.models.accounts import Role
from api.schema.patients import Patient

PATIENTS = 200
RUNS = 30
DOCUMENT = """{ rows { id givenName familyName preferredName pronouns dateOfBirth phone timeZone
  preferredLanguage address { line1 city }
  healthHistory { medications { name } allergies { substance } }
  currentCondition { symptoms painLevel } treatmentGoals { text } emergencyContacts { name phone }
  communication { preferredChannel } profileReviewedAt } }"""


def _row(index: int) -> dict[str, Any]:
    return {
        "id": index + 1,
        "user_id": None,
        "email": None,
        "given_name": f"Given {index}",
        "family_name": f"Family {index}",
        "preferred_name": "",
        "pronouns": "",
        "date_of_birth": date(1980, 1, 1),
        "phone": "+15550100199",
        "address": {"line1": "1 Main St", "city": "Springfield"},
        "time_zone": "America/New_York",
        "preferred_language": "en",
        "chronic_conditions": [],
        "previous_injuries": [],
        "surgeries": [],
        "medications": [
            {"name": "Ibuprofen", "dose": "200 mg", "frequency": "as needed", "notes": ""}
        ],
        "allergies": [],
        "current_symptoms": "Knee pain",
        "pain_level": 4,
        "mobility_limitations": "",
        "goals_text": "Walk the dog",
        "goals": [],
        "preferences": {},
        "communication": {},
        "emergency_contacts": [],
        "insurance": {},
        "profile_reviewed_at": None,
        "profile_review_due_at": None,
    }


@dataclass
class _Context:
    scope: AccessScope

    def current_scope(self) -> AccessScope:
        return self.scope


def _schema(rows: list[Patient]) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def rows(self) -> list[Patient]:
            return rows

    return strawberry.Schema(query=Query)


def _unguarded(rows: list[Patient]) -> strawberry.Schema:
    """The same type with its guards taken off while the schema is built (and put back)."""
    fields = Patient.__strawberry_definition__.fields  # type: ignore[attr-defined]
    saved = {id(field): list(field.extensions) for field in fields}
    for field in fields:
        field.extensions[:] = [e for e in field.extensions if not isinstance(e, PatientFieldNeed)]
    try:
        return _schema(rows)
    finally:
        for field in fields:
            field.extensions[:] = saved[id(field)]


async def _median_ms(schema: strawberry.Schema, context: _Context) -> float:
    async def once() -> None:
        result = await schema.execute(DOCUMENT, context_value=context)
        assert result.errors is None, result.errors

    for _ in range(3):
        await once()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await once()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def run() -> dict[str, Any]:
    rows = [Patient.from_row(_row(index)) for index in range(PATIENTS)]
    viewer = Viewer(user_id=1, roles=frozenset({Role.THERAPIST}))
    care_team = frozenset(range(1, 1 + PATIENTS))
    context = _Context(AccessScope(viewer, therapist_id=1, care_team=care_team))
    guarded_ms = await _median_ms(_schema(rows), context)
    plain_ms = await _median_ms(_unguarded(rows), context)
    return {
        "patients": PATIENTS,
        "guarded_ms": round(guarded_ms, 2),
        "unguarded_ms": round(plain_ms, 2),
        "ratio": round(guarded_ms / plain_ms, 2),
    }


if __name__ == "__main__":
    print(asyncio.run(run()))
