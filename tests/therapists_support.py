"""Builders for directory entries in tests: a therapist with specialties, languages, locations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.models.accounts import Role, User
from api.models.audit import AuditEvent
from api.models.therapists import (
    Discipline,
    Location,
    Specialty,
    Therapist,
    TherapistLanguage,
    TherapistLocation,
    TherapistSpecialty,
)
from tests.accounts_support import make_user


async def listed_therapist(
    email: str,
    name: str,
    *,
    credentials: str = "PT, DPT",
    bio: str = "",
    discipline: Discipline = Discipline.PHYSICAL_THERAPY,
    specialties: Sequence[Specialty] = (),
    languages: Sequence[str] = (),
    locations: Sequence[Location] = (),
    telehealth: bool = False,
    accepting_new_patients: bool = True,
    listed: bool = True,
    roles: tuple[Role, ...] = (Role.THERAPIST,),
) -> tuple[User, Therapist]:
    user = await make_user(email, roles=roles, name=name)
    therapist = await Therapist.create(
        user=user,
        discipline=discipline,
        credentials=credentials,
        bio=bio,
        telehealth=telehealth,
        accepting_new_patients=accepting_new_patients,
        listed=listed,
    )
    await TherapistSpecialty.bulk_create(
        [TherapistSpecialty(therapist=therapist, specialty=s) for s in specialties]
    )
    await TherapistLanguage.bulk_create(
        [TherapistLanguage(therapist=therapist, language=tag) for tag in languages]
    )
    await TherapistLocation.bulk_create(
        [TherapistLocation(therapist=therapist, location=place) for place in locations]
    )
    return user, therapist


async def make_admin(email: str = "admin@clinic.test") -> User:
    return await make_user(email, roles=(Role.ADMIN,), name="Ada Admin")


def result_of(body: dict[str, Any], field: str) -> Any:
    assert "errors" not in body, body
    return body["data"][field]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def typed_errors(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    assert result["__typename"].endswith("Errors"), result
    return [(error["code"], error["field"]) for error in result["errors"]]


async def audit_actions() -> list[tuple[str, dict[str, Any] | None]]:
    rows = await AuditEvent.all().order_by("id")
    return [(row.action, row.details) for row in rows]
