"""Joining, leaving and reading waitlists; thin: parse, call the service, map.

Not signed in: UNAUTHENTICATED; an entry or patient out of reach: NOT_FOUND. Expected outcomes
(a past date, too many entries...) come back typed in `WaitlistErrors`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.access.record_access import AccessAction
from api.context import Info
from api.errors import BadUserInput
from api.schema.relay import database_key, parse_global_id
from api.schema.scheduling.waitlist import (
    JoinWaitlistInput,
    WaitlistEntry,
    WaitlistErrors,
    WaitlistPayload,
    WaitlistResult,
    entry_key,
)
from api.schema.therapists import Specialty
from api.services.scheduling import waitlist
from api.services.scheduling.waitlist import WaitlistProblems


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class WaitlistQuery:
    @strawberry.field(
        description="Your waitlist entries in the order you joined (WAITING ones unless "
        "`all` is true); a caregiver's include those of the patient they act for "
        "(APPOINTMENTS_VIEW)."
    )
    async def my_waitlist(self, info: Info, all: bool = False) -> list[WaitlistEntry]:
        scope = await info.context.scope()
        rows = await waitlist.mine(scope, waiting_only=not all, now=_now())
        return [WaitlistEntry.seen(info, row) for row in rows]

    @strawberry.field(
        description="Patients waiting, in the order they joined: admins see every list, a "
        "therapist those waiting for them or for one of their specialties."
    )
    async def waitlist(
        self,
        info: Info,
        therapist_id: strawberry.ID | None = None,
        specialty: Specialty | None = None,  # type: ignore[valid-type]
    ) -> list[WaitlistEntry]:
        scope = await info.context.scope()
        key = None
        if therapist_id is not None:
            key = database_key(
                parse_global_id(str(therapist_id), "therapistId"), "Therapist", "therapistId"
            )
        if key is not None and specialty is not None:
            raise BadUserInput("Filter by a therapist or a specialty, not both.", field="specialty")
        rows = await waitlist.for_staff(scope, therapist_id=key, specialty=specialty, now=_now())
        return [WaitlistEntry.seen(info, row) for row in rows]


@strawberry.type
class WaitlistMutation:
    @strawberry.mutation(
        description="Wait for a therapist or a specialty in a date range; you are told when a "
        "matching time frees up. At most 5 waiting entries per patient."
    )
    async def join_waitlist(self, info: Info, input: JoinWaitlistInput) -> WaitlistResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        command = input.to_command()
        try:
            row = await waitlist.join(scope, command, _now())
        except WaitlistProblems as problems:
            return WaitlistErrors.from_problems(problems)
        return WaitlistPayload(entry=WaitlistEntry.seen(info, row, AccessAction.CREATE))

    @strawberry.mutation(description="Stop waiting (the entry becomes CANCELLED).")
    async def leave_waitlist(self, info: Info, id: strawberry.ID) -> WaitlistResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        try:
            row = await waitlist.leave(scope, entry_key(id))
        except WaitlistProblems as problems:
            return WaitlistErrors.from_problems(problems)
        return WaitlistPayload(entry=WaitlistEntry.seen(info, row, AccessAction.UPDATE))
