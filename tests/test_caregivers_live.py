"""Revocation reaches open WebSockets: a caregiver's socket acting for the patient closes with
4403 when the grant ends, and re-reads its scope when the grant changes. Real sessions (the
watcher follows a session), a real graphql-transport-ws connection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette

from api.access.needs import Need
from api.app import create_app
from api.models.caregivers import CaregiverGrant
from api.realtime import topics
from api.settings import Settings
from tests.caregivers_flows import REVOKE, UPDATE, result
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.messaging_support import make_clinic, send, start_thread
from tests.realtime_support import ObservedBroker, Socket, broker, mobile_token, open_socket

__all__ = ["broker"]  # a fixture

FORBIDDEN = 4403
ADDED = """subscription($thread: ID) { messageAdded(threadId: $thread) { body } }"""


def _app(settings: Settings) -> Starlette:
    # The scope would otherwise be re-read only after an hour: what changes it here is the event.
    return create_app(settings.model_copy(update={"websocket_scope_max_age_seconds": 3600}))


@asynccontextmanager
async def caregiver_socket(app: Starlette, email: str, acting_for: str) -> AsyncIterator[Socket]:
    token = await mobile_token(app, email)
    async with open_socket(app) as socket:
        ack = await socket.init({"authorization": f"Bearer {token}", "actingFor": acting_for})
        assert ack == {"type": "connection_ack"}, ack
        yield socket


async def _set_scopes(gql: GraphQLClient, as_user: int, grant_id: int, *scopes: str) -> None:
    values: dict[str, Any] = {"grantId": gid("CaregiverGrant", grant_id), "scopes": list(scopes)}
    body = await gql.execute(UPDATE, {"input": values}, as_user=as_user)
    assert result(body, "updateCaregiverAccess")["__typename"] == "CaregiverGrantPayload"


async def test_revoking_closes_the_caregivers_socket_for_that_patient(
    settings: Settings, database: None, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    grace = await make_caregiver()
    given = await grant(clinic.patient, grace, [Need.MESSAGES])
    thread_id = (await start_thread(gql, clinic.patient_user))["thread"]["id"]
    app = _app(settings)
    async with caregiver_socket(app, grace.email, gid("Patient", clinic.patient.id)) as socket:
        await socket.subscribe("m", ADDED, {"thread": thread_id})
        await broker.listened(topics.caregiver_access(grace.id))
        await broker.listened(topics.patient_messages(clinic.patient.id))
        await send(gql, clinic.therapist_user, thread_id, body="How is the knee?")
        assert (await socket.next_data("m"))["messageAdded"] == {"body": "How is the knee?"}

        body = await gql.execute(
            REVOKE, {"id": gid("CaregiverGrant", given.id)}, as_user=clinic.patient_user.id
        )
        assert result(body, "revokeCaregiverAccess")["grant"]["status"] == "REVOKED"
        assert await socket.closed_with() == FORBIDDEN
    # The watcher and the subscription ended with the connection.
    await broker.until_unheard(topics.caregiver_access(grace.id))
    await broker.until_unheard(topics.patient_messages(clinic.patient.id))


async def test_a_changed_grant_is_re_read_and_the_socket_stays_open(
    settings: Settings, database: None, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    grace = await make_caregiver()
    given = await grant(clinic.patient, grace, [Need.MESSAGES, Need.APPOINTMENTS_VIEW])
    thread_id = (await start_thread(gql, clinic.patient_user))["thread"]["id"]
    patient = clinic.patient_user.id
    app = _app(settings)
    async with caregiver_socket(app, grace.email, gid("Patient", clinic.patient.id)) as socket:
        await broker.listened(topics.caregiver_access(grace.id))
        await _set_scopes(gql, patient, given.id, "APPOINTMENTS_VIEW")
        # Without MESSAGES the conversation is refused to her now (the socket's scope was read
        # at connection_init, an hour from being re-read by age: the event made it re-read).
        await socket.subscribe("lost", ADDED, {"thread": thread_id})
        refused = await socket.receive()
        assert refused["id"] == "lost", refused
        assert refused["type"] == "next", refused
        (error,) = refused["payload"]["errors"]
        assert error["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND"), refused
        assert await socket.receive() == {"id": "lost", "type": "complete"}

        await _set_scopes(gql, patient, given.id, "MESSAGES")
        await socket.subscribe("m", ADDED, {"thread": thread_id})
        await broker.listened(topics.patient_messages(clinic.patient.id))
        await send(gql, clinic.therapist_user, thread_id, body="Back again")
        assert (await socket.next_data("m"))["messageAdded"] == {"body": "Back again"}


async def test_ending_a_grant_for_another_patient_leaves_the_socket_open(
    settings: Settings, database: None, gql: GraphQLClient, broker: ObservedBroker
) -> None:
    clinic = await make_clinic()
    grace = await make_caregiver()
    await grant(clinic.patient, grace, [Need.MESSAGES])
    kim_user, kim = await make_patient("kim@example.org", given_name="Kim")
    other = await grant(kim, grace, [Need.MESSAGES])
    thread_id = (await start_thread(gql, clinic.patient_user))["thread"]["id"]
    app = _app(settings)
    async with caregiver_socket(app, grace.email, gid("Patient", clinic.patient.id)) as socket:
        await socket.subscribe("m", ADDED, {"thread": thread_id})
        await broker.listened(topics.caregiver_access(grace.id))
        await broker.listened(topics.patient_messages(clinic.patient.id))
        body = await gql.execute(
            REVOKE, {"id": gid("CaregiverGrant", other.id)}, as_user=kim_user.id
        )
        assert result(body, "revokeCaregiverAccess")["grant"]["status"] == "REVOKED"
        await send(gql, clinic.therapist_user, thread_id, body="Still here")
        assert (await socket.next_data("m"))["messageAdded"] == {"body": "Still here"}
    assert await CaregiverGrant.filter(id=other.id, ended_at=None).count() == 0
