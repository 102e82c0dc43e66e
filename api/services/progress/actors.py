"""Who may write progress records, and in what capacity the record names them.

Reads go through `scope.require_patient(pid, Need.PROGRESS_VIEW)`. Writes need PROGRESS_LOG,
and then a capacity: the patient (self-reported kinds only), a caregiver acting for them
through a grant with PROGRESS_LOG (on the patient's side, with the patient's limits; the record
keeps the caregiver as its author), or the care team. Admins support the clinic and read
everything, but a clinical record is never written in their name.
"""

from __future__ import annotations

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import Forbidden
from api.models.progress import RecorderRole

CARE_TEAM_ONLY = "Only the patient's care team can do this."


def recorder_role(scope: AccessScope, patient_id: int) -> RecorderRole:
    """The capacity of a measurement's or outcome measure's author. Not found outside reach."""
    scope.require_patient(patient_id, Need.PROGRESS_LOG)
    if scope.is_own_record(patient_id):
        return RecorderRole.PATIENT
    if scope.is_care_team(patient_id):
        return RecorderRole.THERAPIST
    if scope.grant_for(patient_id) is not None:
        return RecorderRole.CAREGIVER
    raise Forbidden("Progress is recorded by the patient, their caregivers or their care team.")


def require_care_team(scope: AccessScope, patient_id: int) -> None:
    """Goals and custom metrics are clinical decisions: the care team's alone."""
    scope.require_patient(patient_id, Need.PROGRESS_LOG)
    if not scope.is_care_team(patient_id):
        raise Forbidden(CARE_TEAM_ONLY)


def is_patient_side(role: RecorderRole) -> bool:
    """The patient and a caregiver acting for them report; only the care team examines."""
    return role is not RecorderRole.THERAPIST
