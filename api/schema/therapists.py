"""The therapist directory and care teams as the API shows them.

The directory (therapists, locations, specialties) is clinic information: any signed-in user
reads listed therapists; unlisted ones exist for admins and for the therapist themself. A
patient's care team is part of their record: `patient_care_team` is the resolver the Patient
type uses for `careTeam`, checked per patient.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from api.access.needs import Need, clinic_content, patient_owned
from api.context import Info
from api.errors import BadUserInput
from api.loaders.therapists import CareTeamRecord, TherapistRecord
from api.models import patients as patient_models
from api.models import therapists as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import HasPatientId, database_key, database_keys, parse_global_id
from api.services.therapists import problems as therapist_problems
from api.services.therapists.directory import can_see
from api.services.therapists.vocabulary import NARROWER, SPECIALTY_LABELS

if TYPE_CHECKING:
    from api.schema.scheduling.availability import ScheduleException, WeeklyHoursWindow

Specialty = strawberry.enum(
    models.Specialty, description="The clinic's controlled vocabulary of specialties."
)
Discipline = strawberry.enum(models.Discipline, description="The profession a therapist practises.")
CareTeamRole = strawberry.enum(
    patient_models.CareTeamRole,
    description="PRIMARY leads the care (one per patient); TREATING treats; CONSULTING advises.",
)
TherapistErrorCode = strawberry.enum(
    therapist_problems.TherapistErrorCode,
    description="Stable codes of directory and care-team operations' errors.",
)


@clinic_content
@strawberry.type(description="One specialty of the vocabulary, with the words to show for it.")
class SpecialtyOption:
    value: Specialty  # type: ignore[valid-type]
    label: str
    includes: list[Specialty] = strawberry.field(  # type: ignore[valid-type]
        description="Narrower specialties a search for this one also finds."
    )


def specialty_options() -> list[SpecialtyOption]:
    return [
        SpecialtyOption(
            value=specialty,
            label=SPECIALTY_LABELS[specialty],
            includes=list(NARROWER.get(specialty, ())),
        )
        for specialty in models.Specialty
    ]


@clinic_content
@strawberry.type(description="A clinic site. Opening hours and appointments use its time zone.")
class Location(relay.Node):
    id: relay.NodeID[int]
    name: str
    address_line1: str
    address_line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. US.")
    time_zone: str = strawberry.field(description="IANA zone, e.g. America/New_York.")
    phone: str | None = strawberry.field(description="E.164, e.g. +16175550100.")

    @classmethod
    def from_model(cls, row: models.Location) -> Location:
        return cls(
            id=row.id,
            name=row.name,
            address_line1=row.address_line1,
            address_line2=row.address_line2 or None,
            city=row.city,
            region=row.region or None,
            postal_code=row.postal_code or None,
            country=row.country,
            time_zone=row.time_zone,
            phone=row.phone or None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Location | None]:
        keys = database_keys(node_ids)
        scope = await info.context.scope()
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        loader = info.context.loaders.therapists.location_by_id
        rows = await loader.load_many([key for key in keys if key is not None])
        found = {row.id: row for row in rows if row is not None}
        return [cls.from_model(found[key]) if key in found else None for key in keys]


@clinic_content
@strawberry.type(description="A therapist's directory entry: who they are and where they treat.")
class Therapist(relay.Node):
    id: relay.NodeID[int]
    name: str
    credentials: str = strawberry.field(description='As printed, e.g. "PT, DPT, OCS".')
    discipline: Discipline  # type: ignore[valid-type]
    bio: str
    telehealth: bool = strawberry.field(description="Offers video sessions.")
    accepting_new_patients: bool
    listed: bool = strawberry.field(description="Shown in the patient-facing directory.")
    user_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, record: TherapistRecord) -> Therapist:
        return cls(
            id=record.id,
            name=record.name,
            credentials=record.credentials,
            discipline=record.discipline,
            bio=record.bio,
            telehealth=record.telehealth,
            accepting_new_patients=record.accepting_new_patients,
            listed=record.listed,
            user_id=record.user_id,
        )

    @strawberry.field(description="In the order the therapist gave them.")
    async def specialties(self, info: Info) -> list[Specialty]:  # type: ignore[valid-type]
        found: list[
            models.Specialty
        ] = await info.context.loaders.therapists.specialties_by_therapist_id.load(self.id)
        return found

    @strawberry.field(description='BCP 47 tags, lower-case: "en", "es", "pt-br".')
    async def languages(self, info: Info) -> list[str]:
        return await info.context.loaders.therapists.languages_by_therapist_id.load(self.id)

    @strawberry.field(description="Where they treat in person, in the order they gave.")
    async def locations(self, info: Info) -> list[Location]:
        rows = await info.context.loaders.therapists.locations_by_therapist_id.load(self.id)
        return [Location.from_model(row) for row in rows]

    @strawberry.field(description="Weekly hours; for staff (patients see free slots only).")
    async def weekly_hours(
        self, info: Info
    ) -> (
        list[Annotated[WeeklyHoursWindow, strawberry.lazy("api.schema.scheduling.availability")]]
        | None
    ):
        from api.schema.scheduling.availability import therapist_weekly_hours

        return await therapist_weekly_hours(info, self.id)

    @strawberry.field(description="Time off and extra hours meeting [from, to); for staff.")
    async def schedule_exceptions(
        self,
        info: Info,
        starts_from: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        until: Annotated[datetime | None, strawberry.argument(name="to")] = None,
    ) -> (
        list[Annotated[ScheduleException, strawberry.lazy("api.schema.scheduling.availability")]]
        | None
    ):
        from api.schema.scheduling.availability import therapist_schedule_exceptions

        return await therapist_schedule_exceptions(info, self.id, starts_from, until)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Therapist | None]:
        keys = database_keys(node_ids)
        scope = await info.context.scope()
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        loader = info.context.loaders.therapists.therapist_by_id
        records = await loader.load_many([key for key in keys if key is not None])
        visible = {r.id: r for r in records if r is not None and can_see(scope, r)}
        return [cls.from_model(visible[key]) if key in visible else None for key in keys]


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="A therapist on a patient's care team, and since when.")
class CareTeamMember:
    therapist: Therapist
    role: CareTeamRole  # type: ignore[valid-type]
    since: datetime

    @classmethod
    def from_record(cls, record: CareTeamRecord) -> CareTeamMember:
        return cls(
            therapist=Therapist.from_model(record.therapist), role=record.role, since=record.since
        )


async def patient_care_team(root: HasPatientId, info: Info) -> list[CareTeamMember]:
    """The active care team of the patient `root`: primary first. One statement per request."""
    scope = await info.context.scope()
    scope.require_patient(root.id, Need.PROFILE_VIEW)
    records = await info.context.loaders.therapists.care_team_by_patient_id.load(root.id)
    info.context.record_access.saw(root.id, "CareTeam", root.id)
    return [CareTeamMember.from_record(record) for record in records]


def node_key_or_none(value: str, type_name: str) -> int | None:
    """The key behind one global id of `type_name`; None when it is not one (reported by the
    service as a typed error naming the list position)."""
    try:
        return database_key(parse_global_id(value), type_name)
    except BadUserInput:
        return None


# --- inputs ---------------------------------------------------------------------------------


@strawberry.input(description="Directory search; every criterion given must hold.")
class TherapistFilter:
    specialty: Specialty | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="A broader specialty also finds its narrower ones."
    )
    location_id: strawberry.ID | None = None
    telehealth: bool | None = None
    language: str | None = strawberry.field(
        default=None, description='"es" finds es-MX speakers too; "es-MX" finds plain es.'
    )
    text: str | None = strawberry.field(
        default=None, description="Words found, in any case, in the name, credentials or bio."
    )
    accepting_new_patients: bool | None = None


@strawberry.input(description="Changes to a directory entry; a field left out stays as it is.")
class TherapistProfileFields:
    credentials: str | None = strawberry.field(default=None, description="At most 80 characters.")
    bio: str | None = strawberry.field(default=None, description="At most 4000 characters.")
    telehealth: bool | None = None
    accepting_new_patients: bool | None = None
    listed: bool | None = None
    specialties: list[Specialty] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Replaces the list; the first is shown first."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="BCP 47 tags; replaces the list (at most 12)."
    )
    location_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the list (at most 12)."
    )


@strawberry.input(description="The therapist themself or an admin changes a directory entry.")
class UpdateTherapistProfileInput(TherapistProfileFields):
    therapist_id: strawberry.ID


@strawberry.input(description="An admin adds a user who holds the THERAPIST role.")
class CreateTherapistInput(TherapistProfileFields):
    user_id: strawberry.ID
    discipline: Discipline  # type: ignore[valid-type]


@strawberry.input(description="A new clinic site; everything but line 2, region, postal code.")
class CreateLocationInput:
    name: str
    address_line1: str
    address_line2: str | None = None
    city: str
    region: str | None = None
    postal_code: str | None = None
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. US.")
    time_zone: str = strawberry.field(description="IANA zone, e.g. America/New_York.")
    phone: str | None = strawberry.field(default=None, description="With the country code.")


@strawberry.input(description="Changes to a clinic site; a field left out stays as it is.")
class UpdateLocationInput:
    location_id: strawberry.ID
    name: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    time_zone: str | None = None
    phone: str | None = strawberry.field(default=None, description='"" removes the number.')


@strawberry.input(description="Put a therapist on a patient's care team, or change their role.")
class AssignCareTeamMemberInput:
    patient_id: strawberry.ID
    therapist_id: strawberry.ID
    role: CareTeamRole = strawberry.field(  # type: ignore[valid-type]
        description="A new PRIMARY makes the current one TREATING."
    )


@strawberry.input(description="Take a therapist off a patient's care team (the history stays).")
class EndCareTeamAssignmentInput:
    patient_id: strawberry.ID
    therapist_id: strawberry.ID


# --- results --------------------------------------------------------------------------------


@strawberry.type(description="One problem with a directory or care-team change.")
class TherapistError(UserError):
    code: TherapistErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The change did not happen; every problem is listed.")
class TherapistErrors:
    errors: list[TherapistError]

    @classmethod
    def from_problems(cls, problems: therapist_problems.TherapistProblems) -> TherapistErrors:
        return cls(errors=errors_from(TherapistError, problems))


@strawberry.type
class TherapistPayload:
    therapist: Therapist


@strawberry.type
class LocationPayload:
    location: Location


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="The patient's care team after the change.")
class CareTeamPayload:
    members: list[CareTeamMember]


TherapistResult = Annotated[TherapistPayload | TherapistErrors, strawberry.union("TherapistResult")]
LocationResult = Annotated[LocationPayload | TherapistErrors, strawberry.union("LocationResult")]
CareTeamResult = Annotated[CareTeamPayload | TherapistErrors, strawberry.union("CareTeamResult")]

TYPES: tuple[type, ...] = (Therapist, Location, CareTeamMember, TherapistError)
