"""Inputs of the messaging mutations and the inbox filter, turned into service commands."""

from __future__ import annotations

import strawberry

from api.models.messaging import ThreadStatus as ModelThreadStatus
from api.schema.messaging.enums import ThreadStatus
from api.schema.relay import database_key, parse_global_id
from api.services.messaging.reading import ThreadFilter
from api.services.messaging.writing import SendMessage, StartThread


def thread_key(value: str, field: str = "threadId") -> int:
    return database_key(parse_global_id(value, field), "MessageThread", field)


def message_key(value: str, field: str) -> int:
    return database_key(parse_global_id(value, field), "Message", field)


def _patient_key(value: str, field: str = "patientId") -> int:
    return database_key(parse_global_id(value, field), "Patient", field)


def _file_keys(values: list[strawberry.ID]) -> tuple[int, ...]:
    field = "attachmentIds"
    return tuple(database_key(parse_global_id(v, field), "StoredFile", field) for v in values)


@strawberry.input(description="A new conversation with the care team (or, for them, a patient).")
class StartThreadInput:
    subject: str = strawberry.field(description="1 to 200 characters.")
    body: str = strawberry.field(description="The first message: 1 to 10,000 characters.")
    patient_id: strawberry.ID | None = strawberry.field(
        default=None, description="The patient; the care team must give it, patients omit it."
    )
    urgent: bool = strawberry.field(
        default=False, description="Patients only: see `urgentMessageNotice`."
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Files already uploaded to the patient's record."
    )

    def to_command(self) -> StartThread:
        return StartThread(
            patient_id=None if self.patient_id is None else _patient_key(self.patient_id),
            subject=self.subject,
            body=self.body,
            urgent=self.urgent,
            attachment_ids=_file_keys(self.attachment_ids),
        )


@strawberry.input(description="A message in an existing conversation; it reopens a resolved one.")
class SendMessageInput:
    thread_id: strawberry.ID
    body: str = strawberry.field(description="1 to 10,000 characters.")
    urgent: bool = strawberry.field(
        default=False, description="Patients only: see `urgentMessageNotice`."
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Files already uploaded to the patient's record."
    )

    def to_command(self) -> SendMessage:
        return SendMessage(
            thread_id=thread_key(self.thread_id),
            body=self.body,
            urgent=self.urgent,
            attachment_ids=_file_keys(self.attachment_ids),
        )


@strawberry.input(description="Narrows the inbox; every part is optional.")
class MessageThreadFilter:
    patient_id: strawberry.ID | None = None
    status: ThreadStatus | None = None  # type: ignore[valid-type]
    awaiting_reply: bool | None = strawberry.field(
        default=None, description="True: only threads waiting for the clinic's answer."
    )
    urgent_only: bool = strawberry.field(
        default=False, description="Only threads with an urgent message the clinic has not read."
    )

    def to_filter(self) -> ThreadFilter:
        return ThreadFilter(
            patient_id=None if self.patient_id is None else _patient_key(self.patient_id),
            status=None if self.status is None else ModelThreadStatus(self.status),
            awaiting_reply=self.awaiting_reply,
            urgent_only=self.urgent_only,
        )
