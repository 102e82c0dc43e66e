"""Grants as the API shows them, and the reads: a patient's grants, the caregiver's own.

Each read is one statement: the grant with its patient's name (and date of birth and own
account, which liveness needs) and its caregiver's name, joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from api.access.needs import GRANTABLE, Need
from api.access.scope import AccessScope
from api.errors import BadUserInput
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus, Relationship
from api.models.patients import Patient
from api.services.caregivers.liveness import (
    ShownStatus,
    Timing,
    confidential_fields,
    shown_status,
)
from api.settings import Settings

_COLUMNS = (
    "id",
    "patient_id",
    "patient__given_name",
    "patient__family_name",
    "patient__date_of_birth",
    "patient__user_id",
    "granted_by_id",
    "caregiver_id",
    "caregiver__display_name",
    "invited_email",
    "relationship",
    "kind",
    "status",
    "scopes",
    "expires_at",
    "invitation_expires_at",
    "created_at",
    "accepted_at",
    "ended_at",
)
_GRANTABLE_VALUES = {need.value: need for need in GRANTABLE}


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class GrantRow:
    id: int
    patient_id: int
    patient_given_name: str
    patient_name: str
    caregiver_id: int | None
    caregiver_name: str | None  # None while the invitation waits
    invited_email: str
    relationship: Relationship
    kind: GrantKind
    scopes: tuple[Need, ...]  # as chosen, in the order of GRANTABLE
    status: ShownStatus  # as of the read
    expires_at: datetime | None
    invitation_expires_at: datetime | None
    created_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None
    confidential_fields: tuple[str, ...]  # hidden from this grant's holder as of the read


def chosen_scopes(values: Sequence[str]) -> tuple[Need, ...]:
    """Stored scopes in the schema's order; anything no longer grantable is dropped."""
    present = set(values)
    return tuple(need for need in GRANTABLE if need.value in present)


def _row(values: dict[str, Any], moment: datetime, settings: Settings) -> GrantRow:
    timing = Timing.of(values)
    given = str(values["patient__given_name"])
    caregiver_id = values["caregiver_id"]
    return GrantRow(
        id=int(values["id"]),
        patient_id=int(values["patient_id"]),
        patient_given_name=given,
        patient_name=" ".join(f"{given} {values['patient__family_name']}".split()),
        caregiver_id=None if caregiver_id is None else int(caregiver_id),
        caregiver_name=values["caregiver__display_name"] if caregiver_id is not None else None,
        invited_email=str(values["invited_email"]),
        relationship=Relationship(values["relationship"]),
        kind=timing.kind,
        scopes=chosen_scopes(values["scopes"] or []),
        status=shown_status(timing, moment, settings),
        expires_at=values["expires_at"],
        invitation_expires_at=values["invitation_expires_at"],
        created_at=values["created_at"],
        accepted_at=values["accepted_at"],
        ended_at=values["ended_at"],
        confidential_fields=confidential_fields(timing, moment, settings),
    )


async def grant_rows(settings: Settings, **filters: Any) -> list[GrantRow]:
    """Grants matching `filters`, newest first, in one statement."""
    found = await CaregiverGrant.filter(**filters).order_by("-created_at", "-id").values(*_COLUMNS)
    moment = now()
    return [_row(values, moment, settings) for values in found]


async def grant_row(settings: Settings, grant_id: int) -> GrantRow | None:
    found = await grant_rows(settings, id=grant_id)
    return found[0] if found else None


async def lock_patient(patient_id: int) -> None:
    """Locks the patient's row until the caller's transaction ends (SQLite: the transaction
    holds the one write lock already), so changes to who holds the patient's grants queue:
    each checks what the one before left."""
    await Patient.filter(id=patient_id).select_for_update().only("id").first()


def patient_in_view(scope: AccessScope, patient_id: int | None) -> int | None:
    """The patient an operation is about: the one named, else the one this request acts for
    (a caregiver's), else the viewer's own record."""
    return patient_id if patient_id is not None else scope.default_patient_id


async def grants_of_patient(
    scope: AccessScope, settings: Settings, patient_id: int | None
) -> list[GrantRow]:
    """Every grant of the patient, newest first: for the patient, a guardian acting for them,
    the care team and admins (NOT_FOUND outside reach, FORBIDDEN for other caregivers)."""
    scope.require_authenticated()
    chosen = patient_in_view(scope, patient_id)
    if chosen is None:
        raise BadUserInput("Choose the patient.", field="patientId")
    scope.require_patient(chosen, Need.CARE)
    return await grant_rows(settings, patient_id=chosen)


async def readable_grants(
    scope: AccessScope, settings: Settings, grant_ids: Sequence[int | None]
) -> list[GrantRow | None]:
    """Grants by id (node resolution), None where unknown or not this viewer's to read."""
    if not scope.viewer.is_authenticated:
        return [None] * len(grant_ids)
    wanted = sorted({key for key in grant_ids if key is not None})
    found = {row.id: row for row in await grant_rows(settings, id__in=wanted)} if wanted else {}
    rows = [found.get(key) if key is not None else None for key in grant_ids]
    return [
        row if row is not None and scope.can_read_patient(row.patient_id, Need.CARE) else None
        for row in rows
    ]


async def care_recipients(scope: AccessScope, settings: Settings) -> list[GrantRow]:
    """The live grants the signed-in user holds, newest first (one statement)."""
    user_id = scope.require_authenticated()
    rows = await grant_rows(settings, caregiver_id=user_id, status=GrantStatus.ACTIVE)
    return [row for row in rows if row.status is ShownStatus.ACTIVE]
