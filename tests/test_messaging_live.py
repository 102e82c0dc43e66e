"""messageAdded over a real WebSocket: who receives what, catch-up, access re-checked per event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from starlette.applications import Starlette

from api.app import create_app
from api.models.audit import RecordAccess
from api.models.messaging import Message
from api.models.patients import CareTeamMember
from api.realtime import topics
from api.realtime.broker import Event
from api.realtime.events import publish
from api.settings import Settings
from tests.conftest import VIEWER_HEADER, GraphQLClient, scope_from_test_header
from tests.messaging_support import make_clinic, send, start_thread
from tests.realtime_support import ObservedBroker, Socket, broker, open_socket

__all__ = ["broker"]  # a fixture

ADDED = """subscription($thread: ID, $after: ID) {
  messageAdded(threadId: $thread, after: $after) { id body author { role } thread { id } }
}"""


@asynccontextmanager
async def socket_of(app: Starlette, user_id: int) -> AsyncIterator[Socket]:
    async with open_socket(app, {VIEWER_HEADER: str(user_id)}) as socket:
        assert await socket.init() == {"type": "connection_ack"}
        yield socket


async def _body(socket: Socket) -> str:
    body: str = (await socket.next_data("m"))["messageAdded"]["body"]
    return body


async def test_the_patient_and_the_care_team_receive_new_messages_live(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="before anyone listened")
    thread_id = started["thread"]["id"]
    topic = topics.patient_messages(clinic.patient.id)
    async with (
        socket_of(app, clinic.patient_user.id) as maria,
        socket_of(app, clinic.therapist_user.id) as dana,
        socket_of(app, clinic.colleague_user.id) as sam,
        socket_of(app, clinic.other_patient_user.id) as lee,
    ):
        await maria.subscribe("m", ADDED)  # every thread of her own
        await dana.subscribe("m", ADDED)  # every thread of her care team's patients
        await sam.subscribe("m", ADDED, {"thread": thread_id})
        await lee.subscribe("m", ADDED)
        await broker.listened(topic, count=3)
        await broker.listened(topics.patient_messages(clinic.other_patient.id))

        reply = await send(gql, clinic.therapist_user, thread_id, body="How is it today?")
        for socket in (maria, dana, sam):
            event = (await socket.next_data("m"))["messageAdded"]
            assert event == {
                "id": reply["message"]["id"],
                "body": "How is it today?",
                "author": {"role": "CLINICIAN"},
                "thread": {"id": thread_id},
            }

        # A new thread of Maria's reaches the inbox subscribers, not the one-thread one.
        await start_thread(gql, clinic.patient_user, subject="Billing", body="new thread")
        assert await _body(maria) == "new thread"
        assert await _body(dana) == "new thread"
        await send(gql, clinic.patient_user, thread_id, body="Better")
        assert await _body(sam) == "Better"  # not "new thread": another thread
        assert await _body(maria) == "Better"

        # Lee never hears of Maria's messages: his first event is his own.
        await start_thread(gql, clinic.other_patient_user, body="Lee's question")
        assert await _body(lee) == "Lee's question"


async def test_a_reconnect_catches_up_without_duplicates(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="one")
    thread_id = started["thread"]["id"]
    await send(gql, clinic.therapist_user, thread_id, body="two")
    async with socket_of(app, clinic.patient_user.id) as maria:
        # "three" is announced to the live queue *and* found by the catch-up read.
        broker.held = []
        await maria.subscribe("m", ADDED, {"thread": thread_id, "after": started["message"]["id"]})
        await broker.listened(topics.patient_messages(clinic.patient.id))
        await send(gql, clinic.therapist_user, thread_id, body="three")
        await broker.release()
        assert [await _body(maria), await _body(maria)] == ["two", "three"]
        await send(gql, clinic.therapist_user, thread_id, body="four")
        assert await _body(maria) == "four"


async def test_each_event_is_checked_against_the_subscribers_access(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="Maria's")
    await start_thread(gql, clinic.other_patient_user, body="Lee's private words")
    lee_message = await Message.get(body="Lee's private words")
    topic = topics.patient_messages(clinic.patient.id)
    async with socket_of(app, clinic.therapist_user.id) as dana:
        await dana.subscribe("m", ADDED)
        await broker.listened(topic)
        # Stray events on Maria's topic, one naming Lee's message: loaded, checked, dropped.
        stray = {"thread_id": lee_message.thread_id, "message_id": lee_message.id}
        await publish([Event(topic, stray), Event(topic, {"message_id": "not an id"})])
        await send(gql, clinic.patient_user, started["thread"]["id"], body="visible")
        assert await _body(dana) == "visible"


async def test_a_therapist_leaving_the_care_team_stops_receiving(
    settings: Settings, database: None, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    # On a socket, the scope is re-read once older than this: here, at every event.
    app = create_app(
        settings.model_copy(update={"websocket_scope_max_age_seconds": 0.000001}),
        scope_for_request=scope_from_test_header,
    )
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="first")
    thread_id = started["thread"]["id"]
    team = CareTeamMember.filter(patient_id=clinic.patient.id, therapist_id=clinic.therapist.id)
    async with socket_of(app, clinic.therapist_user.id) as dana:
        await dana.subscribe("m", ADDED)
        await broker.listened(topics.patient_messages(clinic.patient.id))
        await send(gql, clinic.patient_user, thread_id, body="while on the team")
        assert await _body(dana) == "while on the team"
        await team.update(ended_at=datetime.now(UTC))
        await send(gql, clinic.patient_user, thread_id, body="after she left")
        await team.update(ended_at=None)
        await send(gql, clinic.patient_user, thread_id, body="back on the team")
        # In order: had the second been sent while she was off the team, it would come first.
        assert await _body(dana) == "back on the team"


async def test_threads_out_of_reach_cannot_be_followed(app: Starlette, gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    for outsider in (clinic.outsider_user, clinic.other_patient_user):
        async with socket_of(app, outsider.id) as socket:
            await socket.subscribe("m", ADDED, {"thread": started["thread"]["id"]})
            message = await socket.receive()
        assert message["type"] == "next", message
        assert message["payload"]["data"] is None
        assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_admins_follow_one_thread_at_a_time(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    async with socket_of(app, clinic.admin_user.id) as admin:
        await admin.subscribe("all", ADDED)
        refused = await admin.receive()
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert await admin.receive() == {"id": "all", "type": "complete"}
        await admin.subscribe("m", ADDED, {"thread": started["thread"]["id"]})
        await broker.listened(topics.patient_messages(clinic.patient.id))
        await send(gql, clinic.therapist_user, started["thread"]["id"], body="for the admin too")
        assert await _body(admin) == "for the admin too"


async def test_each_message_a_subscriber_receives_is_in_the_record_access_log(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="first")
    thread_id = started["thread"]["id"]
    async with socket_of(app, clinic.therapist_user.id) as dana:
        await dana.subscribe("m", ADDED, {"thread": thread_id})
        await broker.listened(topics.patient_messages(clinic.patient.id))
        await send(gql, clinic.patient_user, thread_id, body="second")
        first_event = (await dana.next_data("m"))["messageAdded"]
        await send(gql, clinic.patient_user, thread_id, body="third")
        second_event = (await dana.next_data("m"))["messageAdded"]
    # Written once each event was sent (the second at the latest when the socket closed).
    sent_ids = [
        str(await Message.filter(body=body).first().values_list("id", flat=True))
        for body in ("second", "third")
    ]
    read_by_dana = await RecordAccess.filter(
        actor_user_id=clinic.therapist_user.id, resource="Message"
    ).values_list("resource_id", flat=True)
    assert first_event["body"] == "second"
    assert second_event["body"] == "third"
    assert set(sent_ids) <= set(read_by_dana)
