"""Clinic locations, kept by admins: an address, an IANA time zone and an E.164 phone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from api.access.scope import AccessScope
from api.errors import NotFound
from api.models.accounts import Role
from api.models.therapists import Location
from api.realtime.events import transaction
from api.services import audit
from api.services.accounts.validation import normalise_phone
from api.services.therapists.countries import COUNTRY_CODES
from api.services.therapists.problems import Problems, TherapistErrorCode

Code = TherapistErrorCode

# Column -> (GraphQL field name, maximum length, required).
_TEXT_COLUMNS: dict[str, tuple[str, int, bool]] = {
    "name": ("name", 120, True),
    "address_line1": ("addressLine1", 200, True),
    "address_line2": ("addressLine2", 200, False),
    "city": ("city", 100, True),
    "region": ("region", 100, False),
    "postal_code": ("postalCode", 20, False),
}


@dataclass(frozen=True, slots=True)
class LocationFields:
    """The columns to write; None leaves one as it is (every field is needed to create)."""

    name: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    time_zone: str | None = None
    phone: str | None = None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _check(given: LocationFields, creating: bool) -> dict[str, Any]:
    problems = Problems()
    columns: dict[str, Any] = {}
    for column, (name, maximum, required) in _TEXT_COLUMNS.items():
        value = getattr(given, column)
        if value is None:
            if creating and required:
                problems.add(Code.REQUIRED, "This is needed.", name)
            continue
        cleaned = " ".join(value.split())  # one line each: these print on letters and maps
        if required and not cleaned:
            problems.add(Code.REQUIRED, "This is needed.", name)
        elif len(cleaned) > maximum:
            problems.add(Code.TOO_LONG, f"Use at most {maximum} characters.", name)
        columns[column] = cleaned
    if given.country is not None:
        country = given.country.strip().upper()
        if country not in COUNTRY_CODES:
            problems.add(
                Code.INVALID_COUNTRY, "Give the two-letter ISO country code, e.g. US.", "country"
            )
        columns["country"] = country
    elif creating:
        problems.add(Code.REQUIRED, "This is needed.", "country")
    if given.time_zone is not None:
        zone = given.time_zone.strip()
        if zone not in _zones():
            problems.add(
                Code.INVALID_TIME_ZONE,
                "Choose an IANA time zone, for example America/New_York.",
                "timeZone",
            )
        columns["time_zone"] = zone
    elif creating:
        problems.add(Code.REQUIRED, "This is needed.", "timeZone")
    if given.phone is not None and given.phone.strip():
        phone, problem = normalise_phone(given.phone)
        if problem is not None:
            problems.add(Code.INVALID_PHONE, problem.message, "phone")
        columns["phone"] = phone
    elif given.phone is not None:
        columns["phone"] = ""
    problems.raise_if_any()
    return columns


async def create_location(
    scope: AccessScope, ctx: audit.AuditContext, given: LocationFields
) -> Location:
    scope.require_role(Role.ADMIN)
    columns = _check(given, creating=True)
    async with transaction():
        location = await Location.create(**columns)
        await audit.record(
            ctx, "location.created", target_type="Location", target_id=str(location.id)
        )
    return location


async def update_location(
    scope: AccessScope, ctx: audit.AuditContext, location_id: int, given: LocationFields
) -> Location:
    scope.require_role(Role.ADMIN)
    location = await Location.get_or_none(id=location_id)
    if location is None:
        raise NotFound("No such location.")
    columns = _check(given, creating=False)
    changed = [column for column, value in columns.items() if getattr(location, column) != value]
    if changed:
        async with transaction():
            await location.update_from_dict({column: columns[column] for column in changed}).save(
                update_fields=changed
            )
            await audit.record(
                ctx,
                "location.updated",
                target_type="Location",
                target_id=str(location.id),
                details={"fields": len(changed)},
            )
    return location
