"""Threads and messages as nodes. Each resolves its ids through the request's loaders and the
access scope (an id out of reach answers null, like one that does not exist), and notes each
record it returns in the request's record-access log (`seen`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.access.record_access import AccessAction
from api.context import Info
from api.loaders.messaging import MessagePageKey, MessageRow, ThreadViewerKey
from api.models import messaging as models
from api.schema.files import StoredFile
from api.schema.messaging.enums import AuthorRole, ParticipantSide, ThreadStatus
from api.schema.patients import Patient
from api.schema.relay import database_keys
from api.services.messaging import reading
from api.services.messaging.notice import urgent_message_notice
from api.services.pagination import decode_cursor, encode_cursor, page_size


@patient_owned(Need.MESSAGES)
@strawberry.type(description="Who wrote a message, and in what capacity.")
class MessageAuthor:
    name: str
    role: AuthorRole  # type: ignore[valid-type]
    on_behalf_of: str | None = strawberry.field(
        default=None,
        description="For a caregiver's message (role CAREGIVER): the patient they wrote for, "
        "by name. Null for everyone else.",
        metadata=requires(Need.MESSAGES),
    )

    @classmethod
    def of(cls, row: MessageRow) -> MessageAuthor:
        on_behalf_of = row.patient_name if row.author_role is models.AuthorRole.CAREGIVER else None
        return cls(name=row.author_name, role=row.author_role, on_behalf_of=on_behalf_of)


@patient_owned(Need.MESSAGES)
@strawberry.type(description="Somebody who has read the conversation up to (at least) a message.")
class ReadReceipt:
    name: str
    side: ParticipantSide
    read_at: datetime = strawberry.field(
        description="When they last moved their read mark (to this message or past it)."
    )


@patient_owned(Need.MESSAGES)
@strawberry.type(description="One message of a conversation.")
class Message(relay.Node):
    id: relay.NodeID[int]
    body: str
    urgent: bool
    created_at: datetime
    acknowledged_at: datetime | None = strawberry.field(
        description="Urgent messages: when the clinic first read or answered it."
    )
    escalated_at: datetime | None = strawberry.field(
        description="Urgent messages: when it went to the clinic's admins, unread in time."
    )
    author: MessageAuthor
    author_id: strawberry.Private[int]
    thread_id: strawberry.Private[int]
    patient_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: MessageRow) -> Message:
        return cls(
            id=row.id,
            body=row.body,
            urgent=row.urgent,
            created_at=row.created_at,
            acknowledged_at=row.acknowledged_at,
            escalated_at=row.escalated_at,
            author=MessageAuthor.of(row),
            author_id=row.author_id,
            thread_id=row.thread_id,
            patient_id=row.patient_id,
        )

    @classmethod
    def seen(cls, info: Info, row: MessageRow, action: AccessAction = AccessAction.READ) -> Message:
        info.context.record_access.saw(row.patient_id, "Message", row.id, action)
        return cls.from_row(row)

    @strawberry.field(
        description="Who else has read the conversation up to this message, and when.",
        metadata=requires(Need.MESSAGES),
    )
    async def read_by(self, info: Info) -> list[ReadReceipt]:
        loader = info.context.loaders.messaging.read_receipts_by_thread_id
        return [
            ReadReceipt(
                name=receipt.name,
                side=ParticipantSide.PATIENT if receipt.is_patient else ParticipantSide.CLINIC,
                read_at=receipt.read_at,
            )
            for receipt in await loader.load(self.thread_id)
            if receipt.user_id != self.author_id and receipt.last_read_message_id >= self.id
        ]

    @strawberry.field(
        description="Files attached to the message.", metadata=requires(Need.MESSAGES)
    )
    async def attachments(self, info: Info) -> list[StoredFile]:
        rows = await info.context.loaders.messaging.attachments_by_message_id.load(self.id)
        return [StoredFile.seen(info, row) for row in rows]

    @strawberry.field(description="The conversation.", metadata=requires(Need.MESSAGES))
    async def thread(self, info: Info) -> MessageThread:
        row = await info.context.loaders.messaging.message_thread_by_id.load(self.thread_id)
        if row is None:  # the message was read through its thread's access: it exists
            raise LookupError("message without thread")
        return MessageThread.seen(info, row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Message | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.messaging.message_by_id.load_many(
            [key or 0 for key in keys]
        )
        readable = [reading.readable_message(scope, row) for row in rows]
        return [cls.seen(info, row) if row is not None else None for row in readable]


@patient_owned(Need.MESSAGES)
@strawberry.type(description="A conversation between a patient and their care team.")
class MessageThread(relay.Node):
    id: relay.NodeID[int]
    subject: str
    status: ThreadStatus  # type: ignore[valid-type]
    created_at: datetime
    last_message_at: datetime
    resolved_at: datetime | None
    awaiting_reply_since: datetime | None = strawberry.field(
        description="Since when the patient waits for the clinic's answer; null when answered."
    )
    response_due_at: datetime | None = strawberry.field(
        description="When the clinic promised to have answered (business hours)."
    )
    overdue_at: datetime | None = strawberry.field(
        description="When the promise ran out with no answer; cleared by the answer."
    )
    overdue: bool
    patient_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.MessageThread) -> MessageThread:
        return cls(
            id=row.id,
            subject=row.subject,
            status=row.status,
            created_at=row.created_at,
            last_message_at=row.last_message_at,
            resolved_at=row.resolved_at,
            awaiting_reply_since=row.awaiting_reply_since,
            response_due_at=row.response_due_at,
            overdue_at=row.overdue_at,
            overdue=row.overdue_at is not None,
            patient_id=row.patient_id,
        )

    @classmethod
    def seen(
        cls, info: Info, row: models.MessageThread, action: AccessAction = AccessAction.READ
    ) -> MessageThread:
        info.context.record_access.saw(row.patient_id, "MessageThread", row.id, action)
        # Its messages' `thread` then costs no second read of the same row.
        info.context.loaders.messaging.message_thread_by_id.prime(row.id, row)
        return cls.from_model(row)

    @strawberry.field(
        description="The patient the conversation is with.", metadata=requires(Need.MESSAGES)
    )
    async def patient(self, info: Info) -> Patient | None:
        return await Patient.load(info, self.patient_id)

    @strawberry.field(
        description="The messages, oldest first (at most 100 a page).",
        metadata=requires(Need.MESSAGES),
    )
    async def messages(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> relay.Connection[Message]:
        size = page_size(first, info.context.settings.max_page_size)
        after_id = None if after is None else decode_cursor(after)
        rows = await info.context.loaders.messaging.messages_by_thread_id.load(
            MessagePageKey(self.id, size + 1, after_id)
        )
        page = rows[:size]
        edges = [
            relay.Edge(cursor=encode_cursor(row.id), node=Message.seen(info, row)) for row in page
        ]
        return relay.Connection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(rows) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field(
        description="Messages of others you have not read yet.", metadata=requires(Need.MESSAGES)
    )
    async def unread_count(self, info: Info) -> int:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        loader = info.context.loaders.messaging.unread_count_by_thread_id
        return await loader.load(ThreadViewerKey(self.id, user_id))

    @strawberry.field(
        description="Words to show next to the urgent flag.", metadata=requires(Need.MESSAGES)
    )
    def urgent_message_notice(self, info: Info) -> str:
        return urgent_message_notice(info.context.settings)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[MessageThread | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.messaging.message_thread_by_id.load_many(
            [key or 0 for key in keys]
        )
        readable = reading.readable_threads(scope, rows)
        return [cls.seen(info, row) if row is not None else None for row in readable]
