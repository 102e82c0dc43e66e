"""What a profile mutation answers: the updated record, or every problem with the edit."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.schema.errors import UserError, errors_from
from api.schema.patients.profile import Patient
from api.services.patients.errors import PatientProblems
from api.services.patients.errors import PatientProfileErrorCode as ErrorCodeValue

PatientProfileErrorCode = strawberry.enum(
    ErrorCodeValue, description="Stable codes of profile edits' problems."
)


@strawberry.type(description="One problem with a profile edit, with the field path it is about.")
class PatientProfileError(UserError):
    code: PatientProfileErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The edit was not saved; every problem is listed.")
class PatientProfileErrors:
    errors: list[PatientProfileError]

    @classmethod
    def from_problems(cls, problems: PatientProblems) -> PatientProfileErrors:
        return cls(errors=errors_from(PatientProfileError, problems))


@strawberry.type(description="The edit was saved (or changed nothing); the record as it is now.")
class PatientProfilePayload:
    patient: Patient


UpdatePatientProfileResult = Annotated[
    PatientProfilePayload | PatientProfileErrors, strawberry.union("UpdatePatientProfileResult")
]
