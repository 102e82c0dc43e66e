"""Root operations of the messaging domain; thin: parse, call a service, map.

Not signed in: UNAUTHENTICATED; a thread or patient out of reach: NOT_FOUND. Problems with an
input (empty body, unknown attachment...) come back typed in `MessagingErrors`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay

from api.access.needs import Need
from api.access.record_access import AccessAction
from api.context import Info
from api.errors import BadUserInput
from api.realtime import topics
from api.realtime.broker import Message as Event
from api.realtime.live import follow
from api.schema import messaging as types
from api.schema.record_access import audited
from api.schema.relay import connection_from_page
from api.services.messaging import reading, writing
from api.services.messaging.errors import MessagingProblems
from api.services.messaging.notice import urgent_message_notice


async def _posted(info: Info, posted: writing.Posted) -> types.PostMessagePayload:
    row = await info.context.loaders.messaging.message_by_id.load(posted.message_id)
    if row is None:  # just written in this request
        raise LookupError("posted message not found")
    return types.PostMessagePayload(
        thread=types.MessageThread.seen(info, posted.thread, AccessAction.UPDATE),
        message=types.Message.seen(info, row, AccessAction.CREATE),
    )


@strawberry.type
class MessagingQuery:
    @strawberry.field(
        description=(
            "Your conversations, newest activity first: a patient's own, a clinician's care "
            "team's patients', an admin's every one."
        )
    )
    async def message_threads(
        self,
        info: Info,
        filter: types.MessageThreadFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.MessageThread]:
        scope = await info.context.scope()
        where = filter.to_filter() if filter is not None else reading.ThreadFilter()
        page = await reading.threads_page(
            scope,
            where,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, lambda row: types.MessageThread.seen(info, row))

    @strawberry.field(description="One conversation; NOT_FOUND when it is not yours to read.")
    async def message_thread(self, info: Info, id: strawberry.ID) -> types.MessageThread:
        scope = await info.context.scope()
        thread = await writing.readable_thread(scope, types.thread_key(id, "id"))
        return types.MessageThread.seen(info, thread)

    @strawberry.field(
        description=(
            "Conversations whose response promise ran out unanswered, the longest overdue "
            "first: admins see every one, clinicians their care team's."
        )
    )
    async def overdue_message_threads(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> relay.Connection[types.MessageThread]:
        scope = await info.context.scope()
        page = await reading.overdue_page(
            scope, first=first, after=after, max_page_size=info.context.settings.max_page_size
        )
        return connection_from_page(page, lambda row: types.MessageThread.seen(info, row))

    @strawberry.field(
        description="Words to show next to the urgent flag: urgent is not for emergencies."
    )
    def urgent_message_notice(self, info: Info) -> str:
        return urgent_message_notice(info.context.settings)


@strawberry.type
class MessagingMutation:
    @strawberry.mutation(
        description="Start a conversation: a patient with their care team (omit patientId), a "
        "caregiver acting for the patient (MESSAGES), or the care team with a patient."
    )
    async def start_thread(
        self, info: Info, input: types.StartThreadInput
    ) -> types.StartThreadResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        command = input.to_command()
        try:
            posted = await writing.start_thread(scope, info.context.settings, command)
        except MessagingProblems as problems:
            return types.MessagingErrors.from_problems(problems)
        return await _posted(info, posted)

    @strawberry.mutation(description="Write in a conversation; it reopens a resolved one.")
    async def send_message(
        self, info: Info, input: types.SendMessageInput
    ) -> types.SendMessageResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        command = input.to_command()
        try:
            posted = await writing.send_message(scope, info.context.settings, command)
        except MessagingProblems as problems:
            return types.MessagingErrors.from_problems(problems)
        return await _posted(info, posted)

    @strawberry.mutation(
        description=(
            "Mark the conversation read up to a message (the newest without one); a read mark "
            "never moves back. The clinic's read acknowledges the urgent messages it covers."
        )
    )
    async def mark_thread_read(
        self, info: Info, thread_id: strawberry.ID, up_to_message_id: strawberry.ID | None = None
    ) -> types.MarkThreadReadResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        thread_key = types.thread_key(thread_id)
        up_to = (
            None
            if up_to_message_id is None
            else types.message_key(up_to_message_id, "upToMessageId")
        )
        try:
            thread = await writing.mark_read(scope, thread_key, up_to)
        except MessagingProblems as problems:
            return types.MessagingErrors.from_problems(problems)
        return types.MessageThreadPayload(thread=types.MessageThread.seen(info, thread))

    @strawberry.mutation(
        description="Resolve the conversation (either side); a new message reopens it."
    )
    async def resolve_thread(
        self, info: Info, thread_id: strawberry.ID
    ) -> types.MessageThreadPayload:
        scope = await info.context.scope()
        thread = await writing.resolve_thread(scope, types.thread_key(thread_id))
        return types.MessageThreadPayload(
            thread=types.MessageThread.seen(info, thread, AccessAction.UPDATE)
        )


@strawberry.type
class MessagingSubscription:
    @strawberry.subscription(
        description=(
            "New messages as they are written: in one conversation (threadId), or in every "
            "one you may read (patients and clinicians; admins follow one conversation at a "
            "time). Pass the id of the newest message you have (after a reconnect) to receive "
            "first, oldest first, the ones you missed."
        )
    )
    async def message_added(
        self,
        info: Info,
        thread_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[types.Message, None]:
        scope = await info.context.scope()
        scope.require_authenticated()
        after_key = None if after is None else types.message_key(after, "after")
        thread_key: int | None = None
        if thread_id is not None:
            thread = await writing.readable_thread(scope, types.thread_key(thread_id))
            thread_key = thread.id
            patient_ids = [thread.patient_id]
        else:
            readable = scope.readable_patient_ids(Need.MESSAGES)
            if readable is None:
                raise BadUserInput("Choose the conversation to follow.", field="threadId")
            patient_ids = sorted(readable)

        # The socket outlives the scope read above (a therapist may leave the care team):
        # each event is checked against the scope as it is now (re-read by age), with fresh
        # loaders so receipts and threads are not those of an earlier event.
        async def load(event: Event) -> types.Message | None:
            key = event.get("message_id")
            if not isinstance(key, int):
                return None
            now_scope = await info.context.scope()
            info.context.fresh_loaders()
            row = await reading.live_message(now_scope, key, thread_key)
            return None if row is None else types.Message.seen(info, row)

        async def catch_up(after_id: int) -> list[types.Message]:
            now_scope = await info.context.scope()
            info.context.fresh_loaders()
            rows = await reading.messages_after(now_scope, after_id, thread_key)
            return [types.Message.seen(info, row) for row in rows]

        async for item in audited(
            info.context,
            follow(
                [topics.patient_messages(patient_id) for patient_id in patient_ids],
                load=load,
                key=lambda message: int(message.id),
                catch_up=catch_up,
                after=after_key,
            ),
        ):
            yield item
