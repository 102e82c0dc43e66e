"""Subscriptions over a real WebSocket: what each subscriber receives, what it never
receives, what a reconnect catches up on, and what an event costs in SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.models.notifications import NotificationKind
from api.models.patients import CareTeamMember
from api.realtime import broker as broker_module
from api.realtime import topics
from api.services.notifications import NewNotification, notify
from api.settings import Settings
from tests.clinical_support import gid
from tests.conftest import VIEWER_HEADER, GraphQLClient, scope_from_test_header
from tests.plans_support import activate, create_plan, make_clinic
from tests.realtime_support import ObservedBroker, Socket, broker, open_socket
from tests.sql_counter import count_sql

__all__ = ["broker"]  # a fixture

NOTIFICATIONS = "subscription($after: ID) { notificationAdded(after: $after) { id title } }"
PLANS = "subscription($patient: ID) { planUpdated(patientId: $patient) { id status revision } }"
UPDATE = """mutation($input: UpdateTreatmentPlanInput!) { updateTreatmentPlan(input: $input) {
  __typename } }"""


@asynccontextmanager
async def socket_of(app: Starlette, user_id: int) -> AsyncIterator[Socket]:
    async with open_socket(app, {VIEWER_HEADER: str(user_id)}) as socket:
        assert await socket.init() == {"type": "connection_ack"}
        yield socket


async def _notify(user_id: int, title: str) -> None:
    await notify(NewNotification(user_id=user_id, kind=NotificationKind.PLAN_UPDATED, title=title))


async def _newest_id(gql: GraphQLClient, user_id: int) -> str:
    body = await gql.execute(
        "{ notifications(first: 1) { edges { node { id } } } }", as_user=user_id
    )
    node_id: str = body["data"]["notifications"]["edges"][0]["node"]["id"]
    return node_id


async def test_catch_up_then_live_without_duplicates(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    maria = clinic.maria.id
    await _notify(maria, "one")
    seen = await _newest_id(gql, maria)
    await _notify(maria, "two")
    topic = topics.user_notifications(maria)
    async with socket_of(app, maria) as socket:
        # "three" is announced to the live queue *and* found by the catch-up read.
        broker.held = []
        await socket.subscribe("n", NOTIFICATIONS, {"after": seen})
        await broker.listened(topic)
        await _notify(maria, "three")
        await broker.release()
        first = (await socket.next_data("n"))["notificationAdded"]["title"]
        second = (await socket.next_data("n"))["notificationAdded"]["title"]
        await _notify(maria, "four")
        third = (await socket.next_data("n"))["notificationAdded"]["title"]
    assert [first, second, third] == ["two", "three", "four"]


async def test_a_reconnect_catches_up_on_more_than_one_page(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    maria = clinic.maria.id
    await _notify(maria, "seen")
    seen = await _newest_id(gql, maria)
    missed = [f"missed {n}" for n in range(150)]  # the catch-up read returns 100 at a time
    await notify(
        *(
            NewNotification(user_id=maria, kind=NotificationKind.PLAN_UPDATED, title=title)
            for title in missed
        )
    )
    async with socket_of(app, maria) as socket:
        await socket.subscribe("n", NOTIFICATIONS, {"after": seen})
        received = [(await socket.next_data("n"))["notificationAdded"]["title"] for _ in missed]
        await broker.listened(topics.user_notifications(maria))
        await _notify(maria, "live")
        live = (await socket.next_data("n"))["notificationAdded"]["title"]
    assert received == missed
    assert live == "live"


async def test_nobody_receives_another_users_notifications(
    app: Starlette, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    async with socket_of(app, clinic.bob.id) as bob:
        await bob.subscribe("n", NOTIFICATIONS)
        await broker.listened(topics.user_notifications(clinic.bob.id))
        await _notify(clinic.maria.id, "for maria")
        await _notify(clinic.bob.id, "for bob")
        assert (await bob.next_data("n"))["notificationAdded"]["title"] == "for bob"


async def test_patients_receive_their_plans_and_the_care_team_their_drafts_too(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    record = gid("Patient", clinic.record.id)
    topic = topics.patient_plan(clinic.record.id)
    async with socket_of(app, clinic.maria.id) as maria, socket_of(app, clinic.dana.id) as dana:
        await maria.subscribe("p", PLANS)  # without patientId: her own record
        await dana.subscribe("p", PLANS, {"patient": record})
        await broker.listened(topic, count=2)
        plan = await create_plan(gql, clinic)  # a draft
        drafted = (await dana.next_data("p"))["planUpdated"]
        assert drafted == {"id": plan["id"], "status": "DRAFT", "revision": 1}
        assert (await activate(gql, clinic, plan["id"]))["__typename"] == "TreatmentPlanPayload"
        # Maria's first event is the activation: the draft never reached her.
        expected = {"id": plan["id"], "status": "ACTIVE", "revision": 2}
        assert (await maria.next_data("p"))["planUpdated"] == expected
        assert (await dana.next_data("p"))["planUpdated"] == expected


async def _plan_error(app: Starlette, user_id: int, variables: dict[str, Any]) -> str:
    async with socket_of(app, user_id) as socket:
        await socket.subscribe("p", PLANS, variables)
        message = await socket.receive()
    assert message["type"] == "next", message
    assert message["payload"]["data"] is None, message
    code: str = message["payload"]["errors"][0]["extensions"]["code"]
    return code


async def test_plans_outside_reach_do_not_exist(app: Starlette) -> None:
    clinic = await make_clinic()
    record = {"patient": gid("Patient", clinic.record.id)}
    assert await _plan_error(app, clinic.bob.id, record) == "NOT_FOUND"
    assert await _plan_error(app, clinic.lee.id, record) == "NOT_FOUND"
    assert await _plan_error(app, clinic.lee.id, {}) == "NOT_FOUND"  # no record of his own


async def test_a_therapist_leaving_the_care_team_stops_receiving(
    settings: Settings, database: None, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    # On a socket, the scope is re-read once older than this: here, at every event.
    app = create_app(
        settings.model_copy(update={"websocket_scope_max_age_seconds": 0.000001}),
        scope_for_request=scope_from_test_header,
    )
    clinic = await make_clinic()
    topic = topics.patient_plan(clinic.record.id)
    async with socket_of(app, clinic.dana.id) as dana:
        await dana.subscribe("p", PLANS, {"patient": gid("Patient", clinic.record.id)})
        await broker.listened(topic)
        plan = await create_plan(gql, clinic)
        assert (await dana.next_data("p"))["planUpdated"]["revision"] == 1
        await CareTeamMember.filter(patient_id=clinic.record.id).update(ended_at=datetime.now(UTC))
        changed = {"input": {"planId": plan["id"], "title": "Back to hiking"}}
        body = await gql.execute(UPDATE, changed, as_user=clinic.admin.id)
        assert body["data"]["updateTreatmentPlan"]["__typename"] == "TreatmentPlanPayload", body
        await CareTeamMember.filter(patient_id=clinic.record.id).update(ended_at=None)
        changed = {"input": {"planId": plan["id"], "title": "Back to cycling"}}
        body = await gql.execute(UPDATE, changed, as_user=clinic.admin.id)
        assert body["data"]["updateTreatmentPlan"]["__typename"] == "TreatmentPlanPayload", body
        # In order: had revision 2 been sent while she was off the team, it would come first.
        assert (await dana.next_data("p"))["planUpdated"]["revision"] == 3


async def test_sql_statements_per_delivered_event(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    async with socket_of(app, clinic.maria.id) as maria:
        await maria.subscribe("n", NOTIFICATIONS)
        await maria.subscribe("p", PLANS)
        await broker.listened(topics.user_notifications(clinic.maria.id))
        await broker.listened(topics.patient_plan(clinic.record.id))
        plan = await create_plan(gql, clinic)
        broker.held = []
        await activate(gql, clinic, plan["id"])  # a plan event and a notification
        with count_sql() as counted:
            await broker.release()
            received = {(await maria.receive())["id"] for _ in range(2)}
    assert received == {"n", "p"}
    # One read per event for this subscriber: notificationAdded reads the row by (id, owner),
    # planUpdated the plan with its patient's facts (scope re-read every 30 s). The plan read
    # is then audited (one INSERT, written once the event was sent, so maybe after this point).
    reads = [sql for sql in counted.statements if not sql.startswith("INSERT")]
    assert len(reads) == 2, counted.statements
    assert all('"audit_record_access"' in sql for sql in counted.statements if sql not in reads)


async def test_a_subscriber_that_fell_behind_reads_the_plans_again(
    app: Starlette, gql: GraphQLClient, broker: ObservedBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broker_module, "SUBSCRIBER_QUEUE_SIZE", 1)  # the second event overflows
    clinic = await make_clinic()
    async with socket_of(app, clinic.dana.id) as dana:
        await dana.subscribe("p", PLANS, {"patient": gid("Patient", clinic.record.id)})
        await broker.listened(topics.patient_plan(clinic.record.id))
        broker.held = []
        plan = await create_plan(gql, clinic)
        await activate(gql, clinic, plan["id"])
        await broker.release()
        # The dropped event is made good from the store: the plan as it is now, once.
        caught_up = (await dana.next_data("p"))["planUpdated"]
        assert caught_up == {"id": plan["id"], "status": "ACTIVE", "revision": 2}
        changed = {"input": {"planId": plan["id"], "title": "Back to hiking"}}
        await gql.execute(UPDATE, changed, as_user=clinic.dana.id)
        assert (await dana.next_data("p"))["planUpdated"]["revision"] == 3
