"""Who may read which patient's access log.

The patient, a guardian acting for them (a live GUARDIAN grant) and admins. Anyone else who
reaches the record (the care team, a proxy caregiver, a clinician under emergency access) is
FORBIDDEN; anyone who does not reach it gets NOT_FOUND, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden, NotFound
from api.models.patients import Patient
from api.services.access_log.zones import zone_named


@dataclass(frozen=True, slots=True)
class Subject:
    """The patient whose log is read."""

    patient_id: int
    name: str
    zone: ZoneInfo


async def subject(scope: AccessScope, patient_id: int | None) -> Subject:
    """The patient whose log this viewer asks for (default: the one they act for, else their
    own), once they may read it. One statement."""
    scope.require_authenticated()
    if patient_id is None:
        patient_id = scope.default_patient_id
        if patient_id is None:
            raise BadUserInput("Name the patient whose access log to show.", field="patientId")
    if not scope.can_reach_patient(patient_id):
        raise NotFound("No such patient.", field="patientId")
    grant = scope.grant_for(patient_id)
    guardian = grant is not None and grant.guardian
    if not (scope.is_own_record(patient_id) or guardian or scope.is_admin):
        raise Forbidden(
            "Only the patient, their guardian and the clinic's administrators can see who "
            "opened this record."
        )
    row = (
        await Patient.filter(id=patient_id).first().values("given_name", "family_name", "time_zone")
    )
    if row is None:
        raise NotFound("No such patient.", field="patientId")
    return Subject(
        patient_id=patient_id,
        name=f"{row['given_name']} {row['family_name']}".strip(),
        zone=zone_named(str(row["time_zone"])),
    )
