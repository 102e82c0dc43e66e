"""Who saw my record: the root query of the access log; thin: parse, call the service, map.

Not signed in: UNAUTHENTICATED; a patient out of reach: NOT_FOUND; a record the viewer reaches
but whose log is not theirs to read (the care team, a proxy caregiver): FORBIDDEN. A window that
is inverted or too long comes back typed; a moment the log cannot hold (before 1970, from 9000
on) or a garbled cursor is BAD_USER_INPUT at its argument. The export is
GET /exports/record-access.csv.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.context import Info
from api.schema import access_log as types
from api.schema.relay import database_key, parse_global_id
from api.services import access_log as service


@strawberry.type
class AccessLogQuery:
    @strawberry.field(
        description="Who saw a patient's record: the patient's own (the default; a caregiver's "
        "default is the patient they act for), a guardian's for their dependent, any for an "
        "admin. Emergency accesses with their reason; routine reads one entry per person per "
        "day; a caregiver's one per request. The patient's own reads only with includeOwn. "
        "The window is [from, to): by default the last 90 days, at most 366."
    )
    async def record_access_log(
        self,
        info: Info,
        patient_id: strawberry.ID | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
        include_own: bool = False,
    ) -> types.RecordAccessLogResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = (
            None
            if patient_id is None
            else database_key(parse_global_id(patient_id, "patientId"), "Patient", "patientId")
        )
        who = await service.subject(scope, key)
        try:
            within = service.window(from_, to, at=datetime.now(UTC))
        except service.AccessLogProblems as problems:
            return types.AccessLogErrors.from_problems(problems)
        page = await service.entries_page(
            who,
            within,
            include_own=include_own,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        # Reading the log is itself an access to the record.
        info.context.record_access.saw(who.patient_id, "RecordAccessLog", who.patient_id)
        return types.RecordAccessLog(
            from_=within.start,
            to=within.end,
            time_zone=who.zone.key,
            entries=[types.RecordAccessLogEntry.from_entry(entry) for entry in page.rows],
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )
