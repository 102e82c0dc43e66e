"""An appointment as the API shows it: one booking of a patient with a therapist.

It resolves its ids through the request's loaders and the access scope (an id out of reach
answers null, like one that does not exist), and notes each record it returns in the request's
record-access log (`seen`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime

import strawberry
from strawberry import relay

from api.access.field_needs import CONFIDENTIAL_MESSAGE
from api.access.needs import Need, patient_owned, requires
from api.access.record_access import AccessAction
from api.access.scope import AccessScope, forbidden_message
from api.context import Info
from api.errors import Forbidden
from api.models import scheduling as models
from api.schema.patients import Patient
from api.schema.relay import database_keys
from api.schema.scheduling.availability import SessionType
from api.schema.scheduling.calendar import PreVisitQuestionnaire
from api.schema.therapists import Location, Therapist
from api.services.scheduling import booking

AppointmentStatus = strawberry.enum(
    models.AppointmentStatus,
    description=(
        "BOOKED; CANCELLED (also a rescheduled booking, which points at its successor); "
        "LATE_CANCELLED (inside the cancellation window, where the clinic allows it); "
        "ATTENDED or NO_SHOW as the therapist marked it."
    ),
)


def patients_words_refused(scope: AccessScope, patient_id: int) -> Forbidden | None:
    """Concerns and questionnaire answers are the patient's words about their health (symptoms,
    pain now): more than seeing the schedule. A caregiver reads them with APPOINTMENTS_MANAGE,
    as the one who may write them; never where Patient.currentCondition is kept from them."""
    if scope.reads_whole_record(patient_id):
        return None
    if scope.hides_field(patient_id, "currentCondition"):
        return Forbidden(CONFIDENTIAL_MESSAGE)
    grant = scope.grant_for(patient_id)
    if grant is not None and not (grant.guardian or Need.APPOINTMENTS_MANAGE in grant.scopes):
        return Forbidden(forbidden_message(Need.APPOINTMENTS_MANAGE))
    return None


@patient_owned(Need.APPOINTMENTS_VIEW)
@strawberry.type(description="One booking of a patient with a therapist.")
class Appointment(relay.Node):
    id: relay.NodeID[int]
    status: AppointmentStatus  # type: ignore[valid-type]
    starts_at: datetime
    ends_at: datetime
    telehealth: bool
    join_url: str | None = strawberry.field(
        description="Telehealth: the video link (a placeholder until the video work fills it)."
    )
    concerns_text: strawberry.Private[str]
    booked_at: datetime
    cancelled_at: datetime | None
    cancellation_reason: str | None
    attendance_marked_at: datetime | None
    patient_id: strawberry.Private[int]
    therapist_id: strawberry.Private[int]
    session_type_id: strawberry.Private[int]
    location_id: strawberry.Private[int | None]
    rescheduled_from_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Appointment) -> Appointment:
        return cls(
            id=row.id,
            status=row.status,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            telehealth=row.telehealth,
            join_url=row.join_url or None,
            concerns_text=row.concerns,
            booked_at=row.booked_at,
            cancelled_at=row.cancelled_at,
            cancellation_reason=row.cancellation_reason or None,
            attendance_marked_at=row.attendance_marked_at,
            patient_id=row.patient_id,
            therapist_id=row.therapist_id,
            session_type_id=row.session_type_id,
            location_id=row.location_id,
            rescheduled_from_id=row.rescheduled_from_id,
        )

    @classmethod
    def seen(
        cls, info: Info, row: models.Appointment, action: AccessAction = AccessAction.READ
    ) -> Appointment:
        info.context.record_access.saw(row.patient_id, "Appointment", row.id, action)
        info.context.loaders.scheduling.appointment_by_id.prime(row.id, row)
        return cls.from_model(row)

    @classmethod
    async def load(cls, info: Info, appointment_id: int | None) -> Appointment | None:
        """The appointment if the viewer may read it; null otherwise (as if it did not exist)."""
        if appointment_id is None:
            return None
        row = await info.context.loaders.scheduling.appointment_by_id.load(appointment_id)
        if row is None:
            return None
        if not booking.readable(await info.context.scope(), row):
            return None
        return cls.seen(info, row)

    @strawberry.field(description="The kind of session.", metadata=requires(Need.APPOINTMENTS_VIEW))
    async def session_type(self, info: Info) -> SessionType:
        loader = info.context.loaders.scheduling.session_type_by_id
        row = await loader.load(self.session_type_id)
        if row is None:  # RESTRICT keeps a booked session type
            raise LookupError("appointment without session type")
        return SessionType.from_model(row)

    @strawberry.field(description="Who treats.", metadata=requires(Need.APPOINTMENTS_VIEW))
    async def therapist(self, info: Info) -> Therapist | None:
        record = await info.context.loaders.therapists.therapist_by_id.load(self.therapist_id)
        return Therapist.from_model(record) if record is not None else None

    @strawberry.field(
        description="Where; null for telehealth.", metadata=requires(Need.APPOINTMENTS_VIEW)
    )
    async def location(self, info: Info) -> Location | None:
        if self.location_id is None:
            return None
        row = await info.context.loaders.therapists.location_by_id.load(self.location_id)
        return Location.from_model(row) if row is not None else None

    @strawberry.field(
        description="The patient the appointment is for.",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def patient(self, info: Info) -> Patient | None:
        return await Patient.load(info, self.patient_id)

    @strawberry.field(
        description="The booking this one replaced (it was rescheduled to this one).",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def rescheduled_from(self, info: Info) -> Appointment | None:
        return await Appointment.load(info, self.rescheduled_from_id)

    @strawberry.field(
        description="The booking this one was rescheduled to (this one is then CANCELLED).",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def rescheduled_to(self, info: Info) -> Appointment | None:
        loader = info.context.loaders.scheduling.successor_by_appointment_id
        row = await loader.load(int(self.id))
        return None if row is None else await Appointment.load(info, row.id)

    @strawberry.field(
        description="The pre-session questionnaire: the patient answers it, the therapist "
        "reads it here. Null when none was assigned (or an unanswered one was withdrawn).",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def questionnaire(self, info: Info) -> PreVisitQuestionnaire | None:
        loader = info.context.loaders.scheduling.questionnaire_by_appointment_id
        row = await loader.load(int(self.id))
        if row is None:
            return None
        info.context.record_access.saw(self.patient_id, "PreVisitQuestionnaire", row.id)
        shown = PreVisitQuestionnaire.from_row(row, datetime.now(UTC))
        refused = patients_words_refused(await info.context.scope(), self.patient_id)
        if refused is not None and shown.answers is not None:
            shown.answers = refused  # type: ignore[assignment]  # null + FORBIDDEN at answers
        return shown

    @strawberry.field(
        description="What the patient wants to talk about. A caregiver reads it with "
        "APPOINTMENTS_MANAGE (they may write it for the patient); FORBIDDEN otherwise, and for "
        "a teenager's guardian.",
        metadata=requires(Need.APPOINTMENTS_MANAGE),
    )
    async def concerns(self, info: Info) -> str | None:
        refused = patients_words_refused(await info.context.scope(), self.patient_id)
        if refused is not None:
            raise refused
        return self.concerns_text

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Appointment | None]:
        keys = database_keys(node_ids)
        return list(await asyncio.gather(*(cls.load(info, key) for key in keys)))
