"""A parent or legal guardian registers a minor: a patient record without an account of its
own, and a GUARDIAN grant (every scope) to the one who registered them.

The guardian then manages the record by acting for the dependent (X-Relief-Acting-For). From
`adolescent_age` the clinic's confidential fields are hidden from guardians; at `adult_age`
the grant stops answering (api/access/relations.live_grant): the patient can then be given an
account and grant access again themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api.access.needs import GRANTABLE
from api.access.relations import age_on
from api.access.scope import AccessScope
from api.models.accounts import Role, User, UserRole
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus, Relationship
from api.models.patients import Patient
from api.realtime.events import transaction
from api.services import audit
from api.services.accounts import validation
from api.services.caregivers import notices
from api.services.caregivers.checks import collector
from api.services.caregivers.errors import CaregiverErrorCode as Code
from api.services.caregivers.errors import fail
from api.services.caregivers.grants import GrantRow, grant_row, now
from api.services.patients.review import add_months
from api.settings import Settings

NAME_LENGTH = 100
GUARDIAN_RELATIONSHIPS = frozenset({Relationship.PARENT, Relationship.GUARDIAN})


@dataclass(frozen=True, slots=True)
class Dependent:
    given_name: str
    family_name: str
    date_of_birth: date
    relationship: Relationship
    time_zone: str | None  # None: the guardian's own


@dataclass(frozen=True, slots=True)
class Registered:
    patient_id: int
    grant: GrantRow


def _clean(name: str) -> str:
    return " ".join(name.split())


def _check(settings: Settings, dependent: Dependent, today: date) -> None:
    found = collector()
    for value, field, words in (
        (dependent.given_name, "givenName", "given name"),
        (dependent.family_name, "familyName", "family name"),
    ):
        cleaned = _clean(value)
        if not cleaned:
            found.add(Code.INVALID_NAME, f"Enter the {words}.", field)
        elif len(cleaned) > NAME_LENGTH or any(ord(char) < 32 for char in value):
            found.add(
                Code.INVALID_NAME,
                f"Use at most {NAME_LENGTH} characters, without control characters.",
                field,
            )
    born_problem = validation.date_of_birth_problem(dependent.date_of_birth, today)
    if born_problem is not None:
        found.add(Code.INVALID_DATE_OF_BIRTH, born_problem.message, "dateOfBirth")
    elif age_on(dependent.date_of_birth, today) >= settings.adult_age:
        found.add(
            Code.NOT_A_MINOR,
            f"From {settings.adult_age} a patient registers themselves, and can then give you "
            "access.",
            "dateOfBirth",
        )
    if dependent.relationship not in GUARDIAN_RELATIONSHIPS:
        found.add(
            Code.INVALID_RELATIONSHIP,
            "Only a parent or a legal guardian can register a child.",
            "relationship",
        )
    if dependent.time_zone is not None and validation.time_zone_problem(dependent.time_zone):
        found.add(
            Code.INVALID_TIME_ZONE,
            "Choose a time zone from the list, for example America/New_York.",
            "timeZone",
        )
    found.raise_if_any()


async def register_dependent(
    scope: AccessScope, settings: Settings, ip: str | None, dependent: Dependent
) -> Registered:
    user_id = scope.require_authenticated()
    moment = now()
    _check(settings, dependent, moment.date())
    given, family = _clean(dependent.given_name), _clean(dependent.family_name)
    if await CaregiverGrant.filter(
        caregiver_id=user_id,
        kind=GrantKind.GUARDIAN,
        status=GrantStatus.ACTIVE,
        patient__given_name=given,
        patient__family_name=family,
        patient__date_of_birth=dependent.date_of_birth,
    ).exists():
        raise fail(
            Code.ALREADY_REGISTERED,
            "You have already registered this child: choose them from the people you help.",
            "givenName",
        )
    guardian = await User.filter(id=user_id).first().values("email", "time_zone")
    if guardian is None:  # pragma: no cover - the signed-in account was deleted meanwhile
        raise fail(Code.INVALID_NAME, "Sign in again.", None)
    async with transaction():
        patient = await Patient.create(
            user=None,
            given_name=given,
            family_name=family,
            date_of_birth=dependent.date_of_birth,
            time_zone=dependent.time_zone or guardian["time_zone"],
            profile_review_due_at=add_months(moment, settings.profile_review_months),
        )
        grant = await CaregiverGrant.create(
            patient_id=patient.id,
            caregiver_id=user_id,
            kind=GrantKind.GUARDIAN,
            status=GrantStatus.ACTIVE,
            relationship=dependent.relationship,
            scopes=[need.value for need in GRANTABLE],
            invited_email=guardian["email"],
            granted_by_id=user_id,
            created_at=moment,
            accepted_at=moment,
            updated_at=moment,
        )
        if not await UserRole.filter(user_id=user_id, role=Role.CAREGIVER).exists():
            await UserRole.create(user_id=user_id, role=Role.CAREGIVER)
        await audit.record(
            notices.audit_context(scope, patient.id, ip),
            "caregiver.dependent_registered",
            target_type="Patient",
            target_id=str(patient.id),
            details={"grantId": grant.id},
        )
    row = await grant_row(settings, grant.id)
    if row is None:  # pragma: no cover - written in this request
        raise LookupError("grant not found after writing it")
    return Registered(patient_id=patient.id, grant=row)
