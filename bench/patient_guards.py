"""What the field guards on `Patient` cost (api/access/field_needs.py): 200 patients with
every plain profile field (and a list screen's few), through the API's real `Patient` type,
built for the viewer as the API builds them (`Patient.for_viewer`: withheld fields replaced by
their refusal) against built raw (`from_row`, no guard at all). No database: the rows are in
memory, and the scope is a care team's (every check passes, the common case).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import strawberry

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
# A list screen: names (never guarded) and two guarded contact fields.
LIST_DOCUMENT = "{ rows { id givenName familyName preferredName phone timeZone } }"


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


class _Rows:
    """What the list field answers: swapped between runs (built for a viewer, or raw)."""

    current: ClassVar[list[Patient]] = []


@strawberry.type
class _Query:
    @strawberry.field
    def rows(self) -> list[Patient]:
        return _Rows.current


SCHEMA = strawberry.Schema(query=_Query)


async def _median_ms(build: Callable[[], list[Patient]], context: _Context, document: str) -> float:
    """Building the rows and answering the document, as a request does."""

    async def once() -> None:
        _Rows.current = build()
        result = await SCHEMA.execute(document, context_value=context)
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
    raw = [_row(index) for index in range(PATIENTS)]
    viewer = Viewer(user_id=1, roles=frozenset({Role.THERAPIST}))
    care_team = frozenset(range(1, 1 + PATIENTS))
    scope = AccessScope(viewer, therapist_id=1, care_team=care_team)
    context = _Context(scope)

    def guarded() -> list[Patient]:
        return [Patient.for_viewer(scope, row) for row in raw]

    def unguarded() -> list[Patient]:
        return [Patient.from_row(row) for row in raw]

    figures: dict[str, Any] = {"patients": PATIENTS}
    for name, document in (("profile", DOCUMENT), ("list", LIST_DOCUMENT)):
        guarded_ms = await _median_ms(guarded, context, document)
        plain_ms = await _median_ms(unguarded, context, document)
        figures[name] = {
            "guarded_ms": round(guarded_ms, 2),
            "unguarded_ms": round(plain_ms, 2),
            "ratio": round(guarded_ms / plain_ms, 2),
        }
    return figures


if __name__ == "__main__":
    print(asyncio.run(run()))
