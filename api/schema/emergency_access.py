"""Emergency ("break-glass") access as the API shows it: the access, a lookup's matches, errors.

An access is seen by the clinician who opened it and by admins (who review them all); anyone
else gets null from `node`, as for an id that does not exist. Its `patient` answers while the
viewer may reach the record (while the access is open, for a therapist), null after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.context import Info
from api.schema.errors import UserError, errors_from
from api.schema.patients import Patient
from api.schema.relay import database_keys, global_id
from api.services import emergency_access as service

EmergencyAccessStatus = strawberry.enum(
    service.AccessStatus, name="EmergencyAccessStatus", description="Open, ended early, or run out."
)
EmergencyAccessErrorCode = strawberry.enum(
    service.EmergencyAccessErrorCode, description="Why emergency access was not opened."
)


@patient_owned(Need.CARE)
@strawberry.type(
    description="A clinician's emergency access to a patient's record: when, for how long, "
    "and the reason they gave (shown to the patient in their access log)."
)
class EmergencyAccess(relay.Node):
    id: relay.NodeID[int]
    reason: str
    opened_at: datetime
    expires_at: datetime = strawberry.field(description="When it runs out, unless closed first.")
    closed_at: datetime | None = strawberry.field(description="When it was ended early.")
    status: EmergencyAccessStatus  # type: ignore[valid-type]
    opened_by_name: str = strawberry.field(description="The clinician who opened it.")
    patient_id: strawberry.ID = strawberry.field(description="The record it opened.")
    patient_key: strawberry.Private[int]

    @strawberry.field(
        description="The record, while you may read it (a therapist: while the access is open).",
        metadata=requires(Need.NAME),
    )
    async def patient(self, info: Info) -> Patient | None:
        scope = await info.context.scope()
        if not scope.can_reach_patient(self.patient_key):
            return None
        return await Patient.load(info, self.patient_key)

    @classmethod
    def seen(cls, info: Info, view: service.AccessView) -> EmergencyAccess:
        """The access, its read noted in its patient's access log."""
        info.context.record_access.saw(view.patient_id, "EmergencyAccess", view.id)
        return cls(
            id=view.id,
            reason=view.reason,
            opened_at=view.opened_at,
            expires_at=view.expires_at,
            closed_at=view.closed_at,
            status=view.status(service.now()),
            opened_by_name=view.clinician_name,
            patient_id=global_id("Patient", view.patient_id),
            patient_key=view.patient_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EmergencyAccess | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        found = await service.readable(scope, [key for key in keys if key is not None])
        return [
            cls.seen(info, found[key]) if key is not None and key in found else None for key in keys
        ]


@patient_owned(Need.NAME)
@strawberry.type(description="A patient matching an emergency lookup: the id and name only.")
class EmergencyPatientMatch:
    patient_id: strawberry.ID
    given_name: str
    family_name: str


@strawberry.input(description="Open a patient's record in an emergency, with the reason why.")
class OpenEmergencyAccessInput:
    patient_id: strawberry.ID
    reason: str = strawberry.field(
        description="Why the record is needed now (10 letters or digits at least, at most "
        "1000 characters). The patient and the admins read it."
    )


@strawberry.type(description="The emergency access just opened, or the one open already.")
class OpenEmergencyAccessPayload:
    emergency_access: EmergencyAccess
    already_open: bool = strawberry.field(
        description="True when one was open already: it is answered unchanged, not extended."
    )


@strawberry.type(description="The emergency access, as it now stands.")
class EmergencyAccessPayload:
    emergency_access: EmergencyAccess


@strawberry.type(description="One problem with a request for emergency access.")
class EmergencyAccessError(UserError):
    code: EmergencyAccessErrorCode  # type: ignore[valid-type]


@strawberry.type(description="Emergency access was not opened; every problem is listed.")
class EmergencyAccessErrors:
    errors: list[EmergencyAccessError]

    @classmethod
    def from_problems(cls, problems: service.EmergencyAccessProblems) -> EmergencyAccessErrors:
        return cls(errors=errors_from(EmergencyAccessError, problems))


OpenEmergencyAccessResult = Annotated[
    OpenEmergencyAccessPayload | EmergencyAccessErrors,
    strawberry.union("OpenEmergencyAccessResult"),
]

TYPES: tuple[type, ...] = (EmergencyAccess, EmergencyPatientMatch, EmergencyAccessErrors)
