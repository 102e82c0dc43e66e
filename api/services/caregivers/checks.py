"""Who may manage a patient's grants, and the checks of what they send.

Managing (inviting, changing, revoking) is the patient's own, or a guardian's acting for them
through a live GUARDIAN grant. Anyone else who reaches the record (the care team, admins, a
caregiver with some scopes) is forbidden; anyone who does not reach it finds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from api.access.needs import GRANTABLE, Need
from api.access.scope import AccessScope
from api.errors import Forbidden, NotFound
from api.services.caregivers.errors import CaregiverErrorCode as Code
from api.services.caregivers.errors import CaregiverProblems
from api.services.problems import Collector

NOT_FOUND_MESSAGE = "No such patient."
MAX_EXPIRY = timedelta(days=36525)  # 100 years
MANAGER_ONLY = (
    "Only the patient, or a guardian acting for them, can choose who helps with this record."
)


def is_guardian_of(scope: AccessScope, patient_id: int) -> bool:
    grant = scope.grant_for(patient_id)
    return grant is not None and grant.guardian


def require_manager(scope: AccessScope, patient_id: int) -> None:
    scope.require_authenticated()
    if not scope.can_reach_patient(patient_id):
        raise NotFound(NOT_FOUND_MESSAGE)
    if not (scope.is_own_record(patient_id) or is_guardian_of(scope, patient_id)):
        raise Forbidden(MANAGER_ONLY)


def check_scopes(found: Collector[Code], scopes: Sequence[Need]) -> tuple[Need, ...]:
    """The scopes once each, in the schema's order; none at all is a problem."""
    chosen = tuple(need for need in GRANTABLE if need in set(scopes))
    if not chosen:
        found.add(Code.NO_SCOPES, "Choose at least one thing they may see or do.", "scopes")
    return chosen


def check_expiry(found: Collector[Code], expires_at: datetime | None, now: datetime) -> None:
    if expires_at is None:
        return
    if expires_at.tzinfo is None or expires_at.utcoffset() is None:
        found.add(
            Code.EXPIRY_WITHOUT_TIME_ZONE,
            "Give the end of the access with its time zone (for example 2030-01-31T17:00Z).",
            "expiresAt",
        )
    elif expires_at <= now:
        found.add(Code.EXPIRY_IN_PAST, "Choose an end of the access in the future.", "expiresAt")
    elif expires_at - now > MAX_EXPIRY:
        # 9999-12-31T23:59-12:00 is a valid input but past year 9999 in UTC: stored, it could
        # not be read back, and every read of the patient's grants (and the caregiver's every
        # request) failed.
        found.add(
            Code.EXPIRY_TOO_FAR,
            "Choose an end of the access within the next 100 years, or no end at all.",
            "expiresAt",
        )


def collector() -> Collector[Code]:
    return Collector(CaregiverProblems)
