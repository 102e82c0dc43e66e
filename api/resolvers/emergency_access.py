"""Root operations of emergency ("break-glass") access; thin: parse, call the service, map.

Not signed in: UNAUTHENTICATED. Patients, caregivers and analysts: FORBIDDEN. An unknown patient
or an access that is not yours: NOT_FOUND. Problems with the reason come back typed.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from api.context import Info
from api.schema import emergency_access as types
from api.schema.relay import connection_from_page, database_key, global_id, parse_global_id
from api.services import emergency_access as service


def _facts(info: Info) -> service.RequestFacts:
    return service.RequestFacts(
        ip=info.context.client.ip or None, request_id=info.context.request_id
    )


@strawberry.type
class EmergencyAccessQuery:
    @strawberry.field(
        description="Your open emergency accesses (a clinician's or an admin's), newest first."
    )
    async def my_emergency_accesses(self, info: Info) -> list[types.EmergencyAccess]:
        scope = await info.context.scope()
        views = await service.open_for_viewer(scope)
        return [types.EmergencyAccess.seen(info, view) for view in views]

    @strawberry.field(
        description="Every emergency access, newest first, for the admins who review them."
    )
    async def emergency_accesses(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        open_only: bool = False,
    ) -> relay.Connection[types.EmergencyAccess]:
        scope = await info.context.scope()
        page = await service.review_page(
            scope,
            first=first,
            after=after,
            open_only=open_only,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, lambda view: types.EmergencyAccess.seen(info, view))

    @strawberry.field(
        description="Find a patient outside your reach for emergency access: an exact family "
        "name and date of birth answer ids and names only (at most 10). Clinicians and admins; "
        "every lookup is audited and shows in the access log of each patient it found."
    )
    async def emergency_patient_lookup(
        self, info: Info, family_name: str, date_of_birth: date
    ) -> list[types.EmergencyPatientMatch]:
        scope = await info.context.scope()
        matches = await service.find_patients(
            scope, info.context.rate_limits, _facts(info), family_name, date_of_birth
        )
        for match in matches:
            info.context.record_access.saw(
                match.patient_id, "EmergencyPatientMatch", match.patient_id
            )
        return [
            types.EmergencyPatientMatch(
                patient_id=global_id("Patient", match.patient_id),
                given_name=match.given_name,
                family_name=match.family_name,
            )
            for match in matches
        ]


@strawberry.type
class EmergencyAccessMutation:
    @strawberry.mutation(
        description="Open a patient's record outside your reach for a limited time (60 minutes "
        "by default), with the reason why: therapists and admins. Admins are alerted and the "
        "patient is told. Opening it again while it is open answers the open one unchanged."
    )
    async def open_emergency_access(
        self, info: Info, input: types.OpenEmergencyAccessInput
    ) -> types.OpenEmergencyAccessResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        patient_id = database_key(
            parse_global_id(input.patient_id, "patientId"), "Patient", "patientId"
        )
        try:
            opened = await service.open_access(
                scope, info.context.settings, _facts(info), patient_id, input.reason
            )
        except service.EmergencyAccessProblems as problems:
            return types.EmergencyAccessErrors.from_problems(problems)
        # Read the scope again: from now on this request reads the record under the access.
        info.context.forget_scope()
        await info.context.scope()
        return types.OpenEmergencyAccessPayload(
            emergency_access=types.EmergencyAccess.seen(info, opened.access),
            already_open=not opened.created,
        )

    @strawberry.mutation(
        description="End an emergency access before it runs out (its clinician, or an admin). "
        "Ending one that is over already answers it unchanged."
    )
    async def close_emergency_access(
        self, info: Info, id: strawberry.ID
    ) -> types.EmergencyAccessPayload:
        scope = await info.context.scope()
        scope.require_authenticated()
        access_id = database_key(parse_global_id(id), "EmergencyAccess")
        view = await service.close_access(scope, _facts(info), access_id)
        info.context.forget_scope()
        await info.context.scope()
        return types.EmergencyAccessPayload(emergency_access=types.EmergencyAccess.seen(info, view))
