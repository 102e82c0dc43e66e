"""The directory's and care teams' root fields; thin: parse input, call a service, map.

Expected outcomes (bad input, unknown ids in a list) come back as `TherapistErrors`;
request-level ones (not signed in, not allowed, no such record) as coded top-level errors.
"""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.access.record_access import AccessAction
from api.access.scope import AccessScope
from api.context import Info
from api.schema import therapists as types
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services import audit
from api.services.therapists import TherapistProblems, care_team, directory, locations, profiles


def audit_context(info: Info, scope: AccessScope) -> audit.AuditContext:
    return audit.AuditContext(
        actor_user_id=scope.viewer.user_id,
        ip=info.context.client.ip or None,
        session_id=scope.viewer.session_id,
    )


def _key(value: str, type_name: str, field: str) -> int:
    return database_key(parse_global_id(value, field), type_name, field)


def _criteria(given: types.TherapistFilter | None) -> directory.DirectoryFilter:
    if given is None:
        return directory.DirectoryFilter()
    return directory.DirectoryFilter(
        specialty=given.specialty,
        location_id=(
            _key(given.location_id, "Location", "filter.locationId")
            if given.location_id is not None
            else None
        ),
        telehealth=given.telehealth,
        language=given.language,
        text=given.text,
        accepting_new_patients=given.accepting_new_patients,
    )


def _changes(given: types.TherapistProfileFields) -> profiles.ProfileChanges:
    return profiles.ProfileChanges(
        credentials=given.credentials,
        bio=given.bio,
        telehealth=given.telehealth,
        accepting_new_patients=given.accepting_new_patients,
        listed=given.listed,
        specialties=given.specialties,
        languages=given.languages,
        location_ids=(
            [types.node_key_or_none(value, "Location") for value in given.location_ids]
            if given.location_ids is not None
            else None
        ),
    )


def _location_fields(
    given: types.CreateLocationInput | types.UpdateLocationInput,
) -> locations.LocationFields:
    return locations.LocationFields(
        name=given.name,
        address_line1=given.address_line1,
        address_line2=given.address_line2,
        city=given.city,
        region=given.region,
        postal_code=given.postal_code,
        country=given.country,
        time_zone=given.time_zone,
        phone=given.phone,
    )


async def _care_team_payload(info: Info, patient_id: int) -> types.CareTeamPayload:
    loader = info.context.loaders.therapists.care_team_by_patient_id
    loader.clear(patient_id)  # the team just changed: never answer from this request's cache
    records = await loader.load(patient_id)
    info.context.record_access.saw(patient_id, "CareTeam", patient_id, AccessAction.UPDATE)
    return types.CareTeamPayload(
        members=[types.CareTeamMember.from_record(record) for record in records]
    )


@strawberry.type
class TherapistsQuery:
    @strawberry.field(
        description="The therapist directory by name, for any signed-in user. "
        "Criteria combine with AND."
    )
    async def therapists(
        self,
        info: Info,
        filter: types.TherapistFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.Therapist]:
        page = await directory.search(
            await info.context.scope(),
            _criteria(filter),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, types.Therapist.from_model)

    @strawberry.field(description="Every clinic location, by name.")
    async def locations(self, info: Info) -> list[types.Location]:
        rows = await directory.locations(await info.context.scope())
        return [types.Location.from_model(row) for row in rows]

    @strawberry.field(description="The specialty vocabulary with the labels to show.")
    def specialties(self) -> list[types.SpecialtyOption]:
        return types.specialty_options()


@strawberry.type
class TherapistsMutation:
    @strawberry.mutation(description="The therapist themself or an admin edits a directory entry.")
    async def update_therapist_profile(
        self, info: Info, input: types.UpdateTherapistProfileInput
    ) -> types.TherapistResult:
        scope = await info.context.scope()
        therapist_id = _key(input.therapist_id, "Therapist", "therapistId")
        try:
            record = await profiles.update_profile(
                scope, audit_context(info, scope), therapist_id, _changes(input)
            )
        except TherapistProblems as problems:
            return types.TherapistErrors.from_problems(problems)
        return types.TherapistPayload(therapist=types.Therapist.from_model(record))

    @strawberry.mutation(description="An admin adds a THERAPIST user to the directory.")
    async def create_therapist(
        self, info: Info, input: types.CreateTherapistInput
    ) -> types.TherapistResult:
        scope = await info.context.scope()
        try:
            record = await profiles.create_therapist(
                scope,
                audit_context(info, scope),
                types.node_key_or_none(input.user_id, "User"),
                input.discipline,
                _changes(input),
            )
        except TherapistProblems as problems:
            return types.TherapistErrors.from_problems(problems)
        return types.TherapistPayload(therapist=types.Therapist.from_model(record))

    @strawberry.mutation(description="An admin adds a clinic location.")
    async def create_location(
        self, info: Info, input: types.CreateLocationInput
    ) -> types.LocationResult:
        scope = await info.context.scope()
        try:
            row = await locations.create_location(
                scope, audit_context(info, scope), _location_fields(input)
            )
        except TherapistProblems as problems:
            return types.TherapistErrors.from_problems(problems)
        return types.LocationPayload(location=types.Location.from_model(row))

    @strawberry.mutation(description="An admin changes a clinic location.")
    async def update_location(
        self, info: Info, input: types.UpdateLocationInput
    ) -> types.LocationResult:
        scope = await info.context.scope()
        location_id = _key(input.location_id, "Location", "locationId")
        try:
            row = await locations.update_location(
                scope, audit_context(info, scope), location_id, _location_fields(input)
            )
        except TherapistProblems as problems:
            return types.TherapistErrors.from_problems(problems)
        return types.LocationPayload(location=types.Location.from_model(row))

    @strawberry.mutation(
        description="An admin or the patient's primary therapist puts a therapist on the care "
        "team or changes their role. A new PRIMARY makes the previous one TREATING."
    )
    async def assign_care_team_member(
        self, info: Info, input: types.AssignCareTeamMemberInput
    ) -> types.CareTeamResult:
        scope = await info.context.scope()
        patient_id = _key(input.patient_id, "Patient", "patientId")
        try:
            await care_team.assign(
                scope,
                audit_context(info, scope),
                patient_id,
                types.node_key_or_none(input.therapist_id, "Therapist"),
                input.role,
            )
        except TherapistProblems as problems:
            return types.TherapistErrors.from_problems(problems)
        return await _care_team_payload(info, patient_id)

    @strawberry.mutation(description="An admin or the primary therapist ends an assignment.")
    async def end_care_team_assignment(
        self, info: Info, input: types.EndCareTeamAssignmentInput
    ) -> types.CareTeamResult:
        scope = await info.context.scope()
        patient_id = _key(input.patient_id, "Patient", "patientId")
        try:
            await care_team.end(
                scope,
                audit_context(info, scope),
                patient_id,
                types.node_key_or_none(input.therapist_id, "Therapist"),
            )
        except TherapistProblems as problems:
            return types.TherapistErrors.from_problems(problems)
        return await _care_team_payload(info, patient_id)
