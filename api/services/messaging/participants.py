"""Who is on each side of a patient's threads, and who hears about them.

The patient's side is the patient and a caregiver acting for them through a grant with
MESSAGES (`AuthorRole.CAREGIVER`: on the patient's side like the patient, and named as writing
on the patient's behalf). The clinic's side is the patient's care team today, and admins
(support staff), who answer for the clinic.
"""

from __future__ import annotations

from api.access.scope import AccessScope
from api.models.accounts import Role, UserRole
from api.models.messaging import AuthorRole
from api.models.patients import CareTeamMember, Patient

PATIENT_SIDE = frozenset({AuthorRole.PATIENT, AuthorRole.CAREGIVER})


def author_role(scope: AccessScope, patient_id: int) -> AuthorRole:
    """The capacity the viewer writes in; the caller has checked they may read the record."""
    actor = scope.actor_role(patient_id)
    if actor is Role.PATIENT:
        return AuthorRole.PATIENT
    if actor is Role.THERAPIST:
        return AuthorRole.CLINICIAN
    if actor is Role.CAREGIVER:
        return AuthorRole.CAREGIVER
    return AuthorRole.ADMIN


def is_patient_side(role: AuthorRole) -> bool:
    return role in PATIENT_SIDE


async def care_team_user_ids(patient_id: int) -> list[int]:
    """The accounts of the therapists on the patient's care team today."""
    rows = await CareTeamMember.filter(
        patient_id=patient_id, ended_at=None, therapist__user__is_active=True
    ).values(user_id="therapist__user_id")
    return sorted({int(row["user_id"]) for row in rows if row["user_id"] is not None})


async def patient_user_id(patient_id: int) -> int | None:
    row = await Patient.filter(id=patient_id).first().values("user_id")
    return int(row["user_id"]) if row and row["user_id"] is not None else None


async def admin_user_ids() -> list[int]:
    rows = await UserRole.filter(role=Role.ADMIN, user__is_active=True).values("user_id")
    return sorted({int(row["user_id"]) for row in rows})
