"""The patients domain as the API shows it: the `Patient` node, its sections, its history,
and the inputs and results of the profile edits."""

from __future__ import annotations

from api.schema.patients.history import ProfileChange, ProfileSection
from api.schema.patients.profile import Patient
from api.schema.patients.results import (
    PatientProfileError,
    PatientProfileErrors,
    PatientProfilePayload,
    UpdatePatientProfileResult,
)

__all__ = [
    "TYPES",
    "Patient",
    "PatientProfileError",
    "PatientProfileErrors",
    "PatientProfilePayload",
    "ProfileChange",
    "ProfileSection",
    "UpdatePatientProfileResult",
]

# Types the schema must know even where no field returns them by name.
TYPES: tuple[type, ...] = (Patient, ProfileChange, PatientProfileError)
