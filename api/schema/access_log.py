"""Who saw my record, as the API shows it: entries of a patient's record-access log.

The log is read by the patient, a guardian acting for them and admins (the service checks), so
its types are patient data with the care need (the type-level declaration the schema walk asks
for); their fields are plain values, already grouped by the service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned
from api.schema.errors import UserError, errors_from
from api.services import access_log as service

RecordAccessRole = strawberry.enum(
    service.AccessorRole,
    name="RecordAccessRole",
    description="The capacity someone accessed the record in.",
)
RecordAccessGrouping = strawberry.enum(
    service.Grouping,
    name="RecordAccessGrouping",
    description="What one entry gathers: the accesses under one emergency access, one "
    "request (a caregiver's), or one person's routine access on one day.",
)
AccessLogErrorCode = strawberry.enum(
    service.AccessLogErrorCode, description="Why the access log could not be read."
)


@patient_owned(Need.CARE)
@strawberry.type(description="A part of the record read or changed, and how many times.")
class AccessedResource:
    resource: str = strawberry.field(
        description='The kind of record: "Patient", "TreatmentPlan", "Measurement"...'
    )
    action: str = strawberry.field(description="READ, CREATE or UPDATE.")
    count: int


@patient_owned(Need.CARE)
@strawberry.type(description="Who accessed the record, in what capacity, what, and when.")
class RecordAccessLogEntry:
    grouping: RecordAccessGrouping  # type: ignore[valid-type]
    who: str = strawberry.field(description="The person's name.")
    role: RecordAccessRole  # type: ignore[valid-type]
    acting_for: str | None = strawberry.field(
        description="For a caregiver: the patient they acted for."
    )
    resources: list[AccessedResource] = strawberry.field(
        description="What was accessed, the most often first."
    )
    count: int = strawberry.field(description="Accesses in this entry.")
    first_access_at: datetime
    last_access_at: datetime
    day: date | None = strawberry.field(
        description="For a DAY entry: the day, on the patient's clock (see timeZone)."
    )
    emergency_reason: str | None = strawberry.field(
        description="For an EMERGENCY_ACCESS entry: the reason the clinician gave."
    )
    emergency_opened_at: datetime | None

    @classmethod
    def from_entry(cls, entry: service.Entry) -> RecordAccessLogEntry:
        return cls(
            grouping=entry.grouping,
            who=entry.who,
            role=entry.role,
            acting_for=entry.acting_for,
            resources=[
                AccessedResource(resource=item.resource, action=item.action, count=item.count)
                for item in entry.resources
            ],
            count=entry.count,
            first_access_at=entry.first_at,
            last_access_at=entry.last_at,
            day=entry.day,
            emergency_reason=entry.emergency_reason,
            emergency_opened_at=entry.emergency_opened_at,
        )


@patient_owned(Need.CARE)
@strawberry.type(
    description="One page of a patient's access log, newest first. Pass `pageInfo.endCursor` "
    "as `after` for the next page."
)
class RecordAccessLog:
    from_: datetime = strawberry.field(name="from", description="The window's start.")
    to: datetime = strawberry.field(description="The window's end (not included).")
    time_zone: str = strawberry.field(description="The patient's zone, in which days are told.")
    entries: list[RecordAccessLogEntry]
    page_info: relay.PageInfo


@strawberry.type(description="One problem with the window asked for.")
class AccessLogError(UserError):
    code: AccessLogErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The access log could not be read; every problem is listed.")
class AccessLogErrors:
    errors: list[AccessLogError]

    @classmethod
    def from_problems(cls, problems: service.AccessLogProblems) -> AccessLogErrors:
        return cls(errors=errors_from(AccessLogError, problems))


RecordAccessLogResult = Annotated[
    RecordAccessLog | AccessLogErrors, strawberry.union("RecordAccessLogResult")
]

TYPES: tuple[type, ...] = (RecordAccessLog, RecordAccessLogEntry, AccessLogErrors)
