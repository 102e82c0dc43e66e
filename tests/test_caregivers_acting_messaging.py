"""A caregiver acting for a patient in messaging: with MESSAGES they start threads, write (urgent
too), read and mark read on the patient's side, named as writing on the patient's behalf;
without it FORBIDDEN; without a live grant for the request NOT_FOUND."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.access.needs import Need
from api.models.accounts import User
from api.models.audit import RecordAccess
from api.models.caregivers import GrantStatus
from api.models.jobs import Job
from api.models.messaging import AuthorRole, Message, MessageThread, ThreadRead
from api.models.notifications import Notification, NotificationKind
from tests.caregivers_support import grant, make_caregiver
from tests.conftest import GraphQLClient
from tests.messaging_support import (
    MARK_READ,
    SEND_MESSAGE,
    START_THREAD,
    THREAD,
    THREADS,
    Clinic,
    make_clinic,
    patient_gid,
    send,
    start_thread,
)

pytestmark = pytest.mark.usefixtures("database")

AUTHORS = """query($id: ID!) { messageThread(id: $id) { unreadCount messages { edges { node {
  body urgent acknowledgedAt author { name role onBehalfOf } readBy { name side } } } } } }"""


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


async def acting(
    gql: GraphQLClient, caregiver: User, clinic: Clinic, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    return await gql.execute(
        query, variables, as_user=caregiver.id, acting_for=patient_gid(clinic.patient)
    )


async def test_a_caregiver_writes_on_the_patients_side_named_on_their_behalf(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.patient, caregiver, [Need.MESSAGES])
    body = await acting(
        gql,
        caregiver,
        clinic,
        START_THREAD,
        {
            "input": {
                "patientId": patient_gid(clinic.patient),
                "subject": "Her knee",
                "body": "Maria's knee is swollen since yesterday.",
            }
        },
    )
    result = body["data"]["startThread"]
    assert result["__typename"] == "PostMessagePayload", body
    assert result["message"]["author"] == {"name": "Grace Chen", "role": "CAREGIVER"}
    assert result["thread"]["patient"]["id"] == patient_gid(clinic.patient)
    # The patient's side wrote: the clinic owes an answer.
    assert result["thread"]["awaitingReplySince"] is not None
    message = await Message.get()
    assert (message.author_id, message.author_role) == (caregiver.id, AuthorRole.CAREGIVER)
    thread = await MessageThread.get()
    assert thread.started_by_id == caregiver.id
    told = await Notification.filter(kind=NotificationKind.NEW_MESSAGE).values_list(
        "user_id", "title"
    )
    assert sorted(told) == sorted(
        (user.id, "New message from a patient's caregiver")
        for user in (clinic.therapist_user, clinic.colleague_user)
    )
    created = await RecordAccess.get(resource="Message", action="CREATE")
    assert (created.actor_user_id, created.actor_role, created.patient_id) == (
        caregiver.id,
        "CAREGIVER",
        clinic.patient.id,
    )

    # Everyone reads who wrote, and for whom.
    thread_id = result["thread"]["id"]
    seen = await gql.execute(AUTHORS, {"id": thread_id}, as_user=clinic.therapist_user.id)
    [node] = [edge["node"] for edge in seen["data"]["messageThread"]["messages"]["edges"]]
    assert node["author"] == {
        "name": "Grace Chen",
        "role": "CAREGIVER",
        "onBehalfOf": "Maria Gonzalez",
    }
    # The patient reads it as a message of someone else: unread until they open it.
    own = await gql.execute(AUTHORS, {"id": thread_id}, as_user=clinic.patient_user.id)
    assert own["data"]["messageThread"]["unreadCount"] == 1


async def test_a_caregiver_may_flag_urgent_and_their_read_acknowledges_nothing(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.patient, caregiver, [Need.MESSAGES])
    started = await start_thread(gql, clinic.patient_user, body="Knee again")
    thread_id = started["thread"]["id"]
    urgent = await acting(
        gql,
        caregiver,
        clinic,
        SEND_MESSAGE,
        {"input": {"threadId": thread_id, "body": "She cannot stand up.", "urgent": True}},
    )
    assert urgent["data"]["sendMessage"]["message"]["urgent"] is True, urgent
    urgent_notes = await Notification.filter(kind=NotificationKind.NEW_MESSAGE_URGENT)
    assert {note.title for note in urgent_notes} == {"Urgent message from a patient's caregiver"}
    assert await Job.filter(kind="messaging.urgent_escalation").count() == 1

    # The caregiver reads the thread: on the patient's side, so the urgent message stays
    # unacknowledged; their receipt shows on the patient's side.
    await acting(gql, caregiver, clinic, MARK_READ, {"threadId": thread_id})
    assert await ThreadRead.filter(user_id=caregiver.id).exists()
    assert (await Message.get(urgent=True)).acknowledged_at is None
    seen = await gql.execute(AUTHORS, {"id": thread_id}, as_user=clinic.therapist_user.id)
    first = seen["data"]["messageThread"]["messages"]["edges"][0]["node"]
    assert ("Grace Chen", "PATIENT") in [(r["name"], r["side"]) for r in first["readBy"]]

    # The clinic answers; the caregiver has one unread message, then none.
    await send(gql, clinic.therapist_user, thread_id, body="Please come in today.")
    mine = await acting(gql, caregiver, clinic, AUTHORS, {"id": thread_id})
    assert mine["data"]["messageThread"]["unreadCount"] == 1
    read = await acting(gql, caregiver, clinic, MARK_READ, {"threadId": thread_id})
    assert read["data"]["markThreadRead"]["thread"]["unreadCount"] == 0


async def test_the_inbox_of_a_caregiver_is_the_patients_they_act_for(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.patient, caregiver, [Need.MESSAGES])
    await grant(clinic.other_patient, caregiver, [Need.MESSAGES])
    mine = await start_thread(gql, clinic.patient_user)
    await start_thread(gql, clinic.other_patient_user)
    inbox = await acting(gql, caregiver, clinic, THREADS, {})
    assert [edge["node"]["id"] for edge in inbox["data"]["messageThreads"]["edges"]] == [
        mine["thread"]["id"]
    ]
    filtered = await acting(
        gql, caregiver, clinic, THREADS, {"filter": {"patientId": patient_gid(clinic.patient)}}
    )
    assert len(filtered["data"]["messageThreads"]["edges"]) == 1
    elsewhere = await acting(
        gql,
        caregiver,
        clinic,
        THREADS,
        {"filter": {"patientId": patient_gid(clinic.other_patient)}},
    )
    assert codes(elsewhere) == ["NOT_FOUND"]


async def test_without_messages_in_the_grant_it_is_forbidden(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.patient, caregiver, [Need.APPOINTMENTS_VIEW, Need.DOCUMENTS])
    started = await start_thread(gql, clinic.patient_user)
    thread_id = started["thread"]["id"]
    answers = [
        await acting(gql, caregiver, clinic, THREAD, {"id": thread_id}),
        await acting(
            gql,
            caregiver,
            clinic,
            START_THREAD,
            {"input": {"patientId": patient_gid(clinic.patient), "subject": "s", "body": "b"}},
        ),
        await acting(
            gql, caregiver, clinic, SEND_MESSAGE, {"input": {"threadId": thread_id, "body": "b"}}
        ),
        await acting(gql, caregiver, clinic, MARK_READ, {"threadId": thread_id}),
        await acting(
            gql, caregiver, clinic, THREADS, {"filter": {"patientId": patient_gid(clinic.patient)}}
        ),
    ]
    assert [codes(body) for body in answers] == [["FORBIDDEN"]] * 5
    # Unfiltered, the inbox simply holds nothing of the patient's.
    inbox = await acting(gql, caregiver, clinic, THREADS, {})
    assert inbox["data"]["messageThreads"]["edges"] == []
    assert await Message.all().count() == 1


@pytest.mark.parametrize("how", ["no header", "revoked", "expired"])
async def test_without_a_live_grant_for_the_request_threads_are_not_found(
    gql: GraphQLClient, how: str
) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(
        clinic.patient,
        caregiver,
        [Need.MESSAGES],
        status=GrantStatus.REVOKED if how == "revoked" else GrantStatus.ACTIVE,
        expires_at=datetime.now(UTC) - timedelta(seconds=1) if how == "expired" else None,
    )
    started = await start_thread(gql, clinic.patient_user)
    thread_id = started["thread"]["id"]
    header = None if how == "no header" else patient_gid(clinic.patient)
    asked = {"as_user": caregiver.id, "acting_for": header}
    read = await gql.execute(THREAD, {"id": thread_id}, **asked)
    sent = await gql.execute(SEND_MESSAGE, {"input": {"threadId": thread_id, "body": "b"}}, **asked)
    assert (codes(read), codes(sent)) == (["NOT_FOUND"], ["NOT_FOUND"])
    assert await Message.all().count() == 1


async def test_acting_for_one_patient_reaches_no_other_thread(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.patient, caregiver, [Need.MESSAGES])
    await grant(clinic.other_patient, caregiver, [Need.MESSAGES])
    others = await start_thread(gql, clinic.other_patient_user)
    thread_id = others["thread"]["id"]
    read = await acting(gql, caregiver, clinic, THREAD, {"id": thread_id})
    sent = await acting(
        gql, caregiver, clinic, SEND_MESSAGE, {"input": {"threadId": thread_id, "body": "b"}}
    )
    started = await acting(
        gql,
        caregiver,
        clinic,
        START_THREAD,
        {"input": {"patientId": patient_gid(clinic.other_patient), "subject": "s", "body": "b"}},
    )
    assert (codes(read), codes(sent), codes(started)) == (
        ["NOT_FOUND"],
        ["NOT_FOUND"],
        ["NOT_FOUND"],
    )


async def test_the_clinics_answer_reaches_the_patient_and_caregivers_with_messages(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    helper = await make_caregiver()
    bystander = await make_caregiver("wei@example.org", name="Wei Chen")
    ended = await make_caregiver("old@example.org", name="Old Friend")
    await grant(clinic.patient, helper, [Need.MESSAGES])
    await grant(clinic.patient, bystander, [Need.APPOINTMENTS_VIEW])
    await grant(clinic.patient, ended, [Need.MESSAGES], status=GrantStatus.REVOKED)
    started = await start_thread(gql, clinic.patient_user)
    await Notification.all().delete()
    await send(gql, clinic.therapist_user, started["thread"]["id"], body="Ice it tonight.")
    told = await Notification.filter(kind=NotificationKind.NEW_MESSAGE).values_list(
        "user_id", flat=True
    )
    assert sorted(told) == sorted([clinic.patient_user.id, helper.id])
