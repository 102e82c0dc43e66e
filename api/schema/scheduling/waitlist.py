"""The waitlist as the API shows it: entries, the join input, typed errors.

The Patient and Appointment types are referenced lazily: the Patient type itself lists a
patient's waitlist, so importing them here at load time would be a cycle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.access.record_access import AccessAction
from api.context import Info
from api.models import scheduling as models
from api.models.therapists import TherapistSpecialty
from api.schema.errors import UserError, errors_from
from api.schema.relay import HasPatientId, database_key, database_keys, parse_global_id
from api.schema.therapists import Location, Specialty, Therapist
from api.services.scheduling import waitlist
from api.services.scheduling.waitlist import JoinCommand, WaitlistProblems
from api.services.scheduling.waitlist import WaitlistErrorCode as ServiceCode

if TYPE_CHECKING:
    from api.schema.patients import Patient
    from api.schema.scheduling.appointment import Appointment
    from api.schema.scheduling.availability import SessionType

LazyPatient = Annotated["Patient", strawberry.lazy("api.schema.patients")]
LazyAppointment = Annotated["Appointment", strawberry.lazy("api.schema.scheduling.appointment")]
LazySessionType = Annotated["SessionType", strawberry.lazy("api.schema.scheduling.availability")]

WaitlistStatus = strawberry.enum(
    models.WaitlistStatus,
    description=(
        "WAITING: told when a matching time frees up; BOOKED: the patient booked a matching "
        "session; CANCELLED: the patient stopped waiting; EXPIRED: its last day passed."
    ),
)
WaitlistErrorCode = strawberry.enum(
    ServiceCode, description="Why joining or leaving did not happen."
)


def _key(value: strawberry.ID, type_name: str, field: str) -> int:
    return database_key(parse_global_id(str(value), field), type_name, field)


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(
    description="A patient waiting for a therapist (or any therapist of a specialty) in a date "
    "range. When a matching time frees up, waiting patients are told in the order they joined."
)
class WaitlistEntry(relay.Node):
    id: relay.NodeID[int]
    status: WaitlistStatus  # type: ignore[valid-type]
    specialty: Specialty | None = strawberry.field(  # type: ignore[valid-type]
        description="Waiting for any therapist of this specialty (null: a named therapist)."
    )
    telehealth: bool | None = strawberry.field(
        description="true: online only; false: in person only; null: either."
    )
    from_date: date = strawberry.field(description="First day, in the patient's time zone.")
    to_date: date = strawberry.field(description="Last day (inclusive), in the patient's zone.")
    joined_at: datetime
    last_offered_at: datetime | None = strawberry.field(
        description="When the patient was last told of a free time."
    )
    patient_id: strawberry.Private[int]
    therapist_id: strawberry.Private[int | None]
    session_type_id: strawberry.Private[int]
    location_id: strawberry.Private[int | None]
    booked_appointment_id: strawberry.Private[int | None]

    @classmethod
    def seen(
        cls, info: Info, row: models.WaitlistEntry, action: AccessAction = AccessAction.READ
    ) -> WaitlistEntry:
        info.context.record_access.saw(row.patient_id, "WaitlistEntry", row.id, action)
        return cls(
            id=row.id,
            status=row.status,
            specialty=row.specialty,
            telehealth=row.telehealth,
            from_date=row.from_date,
            to_date=row.to_date,
            joined_at=row.created_at,
            last_offered_at=row.last_offered_at,
            patient_id=row.patient_id,
            therapist_id=row.therapist_id,
            session_type_id=row.session_type_id,
            location_id=row.location_id,
            booked_appointment_id=row.booked_appointment_id,
        )

    @strawberry.field(
        description="The therapist waited for; null for a specialty.",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def therapist(self, info: Info) -> Therapist | None:
        if self.therapist_id is None:
            return None
        record = await info.context.loaders.therapists.therapist_by_id.load(self.therapist_id)
        return Therapist.from_model(record) if record is not None else None

    @strawberry.field(description="The kind of session.", metadata=requires(Need.APPOINTMENTS_VIEW))
    async def session_type(self, info: Info) -> LazySessionType:
        from api.schema.scheduling.availability import SessionType

        row = await info.context.loaders.scheduling.session_type_by_id.load(self.session_type_id)
        if row is None:  # RESTRICT keeps a waited-for session type
            raise LookupError("waitlist entry without session type")
        return SessionType.from_model(row)

    @strawberry.field(
        description="The location waited for; null for telehealth or any place.",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def location(self, info: Info) -> Location | None:
        if self.location_id is None:
            return None
        row = await info.context.loaders.therapists.location_by_id.load(self.location_id)
        return Location.from_model(row) if row is not None else None

    @strawberry.field(
        description="The patient waiting; null when outside your reach (a therapist who is "
        "waited for but not yet on the care team).",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def patient(self, info: Info) -> LazyPatient | None:
        from api.schema.patients import Patient

        scope = await info.context.scope()
        if not scope.can_read_patient(self.patient_id, Need.APPOINTMENTS_VIEW):
            return None
        return await Patient.load(info, self.patient_id)

    @strawberry.field(
        description="The booking that ended the wait (status BOOKED).",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def booked_appointment(self, info: Info) -> LazyAppointment | None:
        from api.schema.scheduling.appointment import Appointment

        return await Appointment.load(info, self.booked_appointment_id)

    @classmethod
    async def load(cls, info: Info, entry_id: int | None) -> WaitlistEntry | None:
        if entry_id is None:
            return None
        row = await models.WaitlistEntry.get_or_none(id=entry_id)
        if row is None:
            return None
        scope = await info.context.scope()
        specialties: list[str] = []
        if scope.therapist_id is not None and row.therapist_id is None:
            rows = await TherapistSpecialty.filter(therapist_id=scope.therapist_id).values_list(
                "specialty", flat=True
            )
            specialties = [str(row) for row in rows]
        if not waitlist.readable(scope, row, specialties):
            return None
        return cls.seen(info, row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[WaitlistEntry | None]:
        keys = database_keys(node_ids)
        return list(await asyncio.gather(*(cls.load(info, key) for key in keys)))


@strawberry.input(
    description="Wait for a therapist or a specialty: omit patientId to wait for yourself."
)
class JoinWaitlistInput:
    patient_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff adding a patient name them here."
    )
    therapist_id: strawberry.ID | None = strawberry.field(
        default=None, description="The therapist; or give a specialty instead."
    )
    specialty: Specialty | None = None  # type: ignore[valid-type]
    session_type: str = strawberry.field(description="The session type's code.")
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only at this location."
    )
    telehealth: bool | None = strawberry.field(
        default=None, description="true: online only; false: in person only; null: either."
    )
    from_date: date = strawberry.field(description="First day, in your time zone; not past.")
    to_date: date = strawberry.field(description="Last day (inclusive); at most 90 days in all.")

    def to_command(self) -> JoinCommand:
        return JoinCommand(
            patient_id=None
            if self.patient_id is None
            else _key(self.patient_id, "Patient", "patientId"),
            therapist_id=None
            if self.therapist_id is None
            else _key(self.therapist_id, "Therapist", "therapistId"),
            specialty=self.specialty,
            session_type=self.session_type,
            location_id=None
            if self.location_id is None
            else _key(self.location_id, "Location", "locationId"),
            telehealth=self.telehealth,
            from_date=self.from_date,
            to_date=self.to_date,
        )


def entry_key(value: strawberry.ID) -> int:
    return _key(value, "WaitlistEntry", "id")


@strawberry.type(description="One problem with a waitlist change, with the field it is about.")
class WaitlistError(UserError):
    code: WaitlistErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The waitlist change did not happen; every problem is listed.")
class WaitlistErrors:
    errors: list[WaitlistError]

    @classmethod
    def from_problems(cls, problems: WaitlistProblems) -> WaitlistErrors:
        return cls(errors=errors_from(WaitlistError, problems))


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="The waitlist entry as it now stands.")
class WaitlistPayload:
    entry: WaitlistEntry


WaitlistResult = Annotated[WaitlistPayload | WaitlistErrors, strawberry.union("WaitlistResult")]


async def patient_waitlist(root: HasPatientId, info: Info) -> list[WaitlistEntry]:
    """The patient's WAITING entries in the order they joined (for the Patient type)."""
    scope = await info.context.scope()
    scope.require_patient(root.id, Need.APPOINTMENTS_VIEW)
    # Batched: a caseload lists many patients, each possibly asking for its waitlist.
    rows = await info.context.loaders.scheduling.waiting_entries_by_patient_id.load(root.id)
    return [WaitlistEntry.seen(info, row) for row in rows]


TYPES: tuple[type, ...] = (WaitlistEntry, WaitlistError, WaitlistErrors, WaitlistPayload)
