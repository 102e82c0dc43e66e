"""Threads through the API: who may start, read and write them, validation, receipts, resolve."""

from __future__ import annotations

import base64
from typing import Any

from api.models.audit import RecordAccess
from api.models.messaging import Message, MessageAttachment, ThreadRead
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.messaging_support import (
    MARK_READ,
    RESOLVE,
    SEND_MESSAGE,
    START_THREAD,
    THREAD,
    THREADS,
    error_code,
    make_clinic,
    make_file,
    patient_gid,
    send,
    start_thread,
)


async def test_a_patient_starts_a_thread_with_their_care_team(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    result = await start_thread(
        gql, clinic.patient_user, subject="  Knee pain  ", body="  It hurts when I climb.  "
    )
    assert result["__typename"] == "PostMessagePayload"
    thread, message = result["thread"], result["message"]
    assert thread["subject"] == "Knee pain"
    assert thread["status"] == "OPEN"
    assert thread["patient"]["id"] == patient_gid(clinic.patient)
    assert thread["unreadCount"] == 0  # the author has read their own message
    assert thread["awaitingReplySince"] is not None
    assert thread["responseDueAt"] > thread["awaitingReplySince"]
    assert message["body"] == "It hurts when I climb."
    assert message["author"] == {"name": "Maria Gonzalez", "role": "PATIENT"}
    assert message["urgent"] is False

    # The care team sees it, unread, in their inbox.
    inbox = await gql.execute(THREADS, as_user=clinic.therapist_user.id)
    nodes = [edge["node"] for edge in inbox["data"]["messageThreads"]["edges"]]
    assert [node["id"] for node in nodes] == [thread["id"]]
    assert nodes[0]["unreadCount"] == 1


async def test_a_clinician_starts_a_thread_with_a_patient_of_their_care_team(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    result = await start_thread(
        gql, clinic.therapist_user, patientId=patient_gid(clinic.patient), subject="Plan"
    )
    assert result["__typename"] == "PostMessagePayload"
    assert result["message"]["author"]["role"] == "CLINICIAN"
    # The clinic wrote: nobody waits for the clinic.
    assert result["thread"]["awaitingReplySince"] is None
    assert result["thread"]["responseDueAt"] is None

    missing = await start_thread(gql, clinic.therapist_user, subject="Plan")
    assert missing["errors"] == [
        {
            "code": "PATIENT_REQUIRED",
            "field": "patientId",
            "message": "Choose the patient this conversation is with.",
        }
    ]


async def test_records_out_of_reach_are_not_found(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    thread_id = started["thread"]["id"]
    message_id = started["message"]["id"]

    for outsider in (clinic.other_patient_user, clinic.outsider_user):
        read = await gql.execute(THREAD, {"id": thread_id}, as_user=outsider.id)
        assert read["data"] is None
        assert error_code(read) == "NOT_FOUND"
        wrote = await gql.execute(
            SEND_MESSAGE, {"input": {"threadId": thread_id, "body": "hi"}}, as_user=outsider.id
        )
        assert error_code(wrote) == "NOT_FOUND"
        marked = await gql.execute(MARK_READ, {"threadId": thread_id}, as_user=outsider.id)
        assert error_code(marked) == "NOT_FOUND"
        resolved = await gql.execute(RESOLVE, {"threadId": thread_id}, as_user=outsider.id)
        assert error_code(resolved) == "NOT_FOUND"
        nodes = await gql.execute(
            "query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }",
            {"a": thread_id, "b": message_id},
            as_user=outsider.id,
        )
        assert nodes["data"] == {"a": None, "b": None}
        inbox = await gql.execute(THREADS, as_user=outsider.id)
        assert inbox["data"]["messageThreads"]["edges"] == []

    # Starting a thread with someone else's patient: not found either.
    foreign = await gql.execute(
        START_THREAD,
        {"input": {"patientId": patient_gid(clinic.patient), "subject": "x", "body": "y"}},
        as_user=clinic.outsider_user.id,
    )
    assert error_code(foreign) == "NOT_FOUND"
    filtered = await gql.execute(
        THREADS,
        {"filter": {"patientId": patient_gid(clinic.patient)}},
        as_user=clinic.other_patient_user.id,
    )
    assert error_code(filtered) == "NOT_FOUND"

    anonymous = await gql.execute(THREADS)
    assert error_code(anonymous) == "UNAUTHENTICATED"
    assert await Message.all().count() == 1


async def test_the_admin_reads_every_thread(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    read = await gql.execute(THREAD, {"id": started["thread"]["id"]}, as_user=clinic.admin_user.id)
    assert read["data"]["messageThread"]["subject"] == "Knee"


async def test_validation_errors_are_typed(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    other_file = await make_file(clinic.other_patient, clinic.other_patient_user)
    bad = await start_thread(
        gql,
        clinic.patient_user,
        subject="   ",
        body=" \n\t ",
        attachmentIds=[gid("StoredFile", other_file.id)],
    )
    assert bad["__typename"] == "MessagingErrors"
    assert [(e["code"], e["field"]) for e in bad["errors"]] == [
        ("SUBJECT_REQUIRED", "subject"),
        ("EMPTY_BODY", "body"),
        ("ATTACHMENT_NOT_FOUND", "attachmentIds"),
    ]
    too_long = await start_thread(gql, clinic.patient_user, body="x" * 10_001, subject="s" * 201)
    assert [e["code"] for e in too_long["errors"]] == ["SUBJECT_TOO_LONG", "BODY_TOO_LONG"]
    longest = await start_thread(gql, clinic.patient_user, body="x" * 10_000)
    assert longest["__typename"] == "PostMessagePayload"
    thread_id = longest["thread"]["id"]

    # A clinician's urgent flag is refused: urgency is the patient's call to the clinic.
    urgent = await send(gql, clinic.therapist_user, thread_id, urgent=True)
    assert [(e["code"], e["field"]) for e in urgent["errors"]] == [("URGENT_NOT_ALLOWED", "urgent")]
    empty = await send(gql, clinic.therapist_user, thread_id, body="")
    assert [e["code"] for e in empty["errors"]] == ["EMPTY_BODY"]
    assert await Message.all().count() == 1


async def test_attachments_of_the_patients_record(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    scan = await make_file(clinic.patient, clinic.patient_user, "scan.pdf")
    report = await make_file(clinic.patient, clinic.therapist_user, "report.pdf")
    started = await start_thread(
        gql, clinic.patient_user, attachmentIds=[gid("StoredFile", scan.id)]
    )
    assert started["message"]["attachments"] == [
        {"id": gid("StoredFile", scan.id), "name": "scan.pdf"}
    ]
    reply = await send(
        gql,
        clinic.therapist_user,
        started["thread"]["id"],
        attachmentIds=[gid("StoredFile", report.id), gid("StoredFile", scan.id)],
    )
    assert [a["name"] for a in reply["message"]["attachments"]] == ["report.pdf", "scan.pdf"]
    assert await MessageAttachment.all().count() == 3


async def test_read_receipts_move_forward_only(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="first")
    thread_id = started["thread"]["id"]
    first_id = started["message"]["id"]
    second = await send(gql, clinic.patient_user, thread_id, body="second")
    second_id = second["message"]["id"]

    marked = await gql.execute(
        MARK_READ, {"threadId": thread_id, "upTo": first_id}, as_user=clinic.therapist_user.id
    )
    assert marked["data"]["markThreadRead"]["thread"]["unreadCount"] == 1
    everything = await gql.execute(
        MARK_READ, {"threadId": thread_id}, as_user=clinic.therapist_user.id
    )
    assert everything["data"]["markThreadRead"]["thread"]["unreadCount"] == 0
    # Marking an earlier message read does not move the receipt back.
    back = await gql.execute(
        MARK_READ, {"threadId": thread_id, "upTo": first_id}, as_user=clinic.therapist_user.id
    )
    assert back["data"]["markThreadRead"]["thread"]["unreadCount"] == 0
    receipt = await ThreadRead.get(user_id=clinic.therapist_user.id)
    assert gid("Message", receipt.last_read_message_id) == second_id

    # The patient sees who read their messages.
    seen = await gql.execute(THREAD, {"id": thread_id}, as_user=clinic.patient_user.id)
    messages = [e["node"] for e in seen["data"]["messageThread"]["messages"]["edges"]]
    assert [m["body"] for m in messages] == ["first", "second"]
    for message in messages:
        assert [(r["name"], r["side"]) for r in message["readBy"]] == [("Dana Whitfield", "CLINIC")]

    # A message of another thread is not a place to read up to.
    other = await start_thread(gql, clinic.patient_user)
    wrong = await gql.execute(
        MARK_READ,
        {"threadId": thread_id, "upTo": other["message"]["id"]},
        as_user=clinic.therapist_user.id,
    )
    assert wrong["data"]["markThreadRead"]["errors"] == [
        {"code": "MESSAGE_NOT_FOUND", "field": "upToMessageId"}
    ]

    # The therapist replies; the patient has not read it yet, then does.
    await send(gql, clinic.therapist_user, thread_id, body="reply")
    seen = await gql.execute(THREAD, {"id": thread_id}, as_user=clinic.patient_user.id)
    assert seen["data"]["messageThread"]["unreadCount"] == 1
    await gql.execute(MARK_READ, {"threadId": thread_id}, as_user=clinic.patient_user.id)
    seen = await gql.execute(THREAD, {"id": thread_id}, as_user=clinic.therapist_user.id)
    reply = seen["data"]["messageThread"]["messages"]["edges"][-1]["node"]
    assert [(r["name"], r["side"]) for r in reply["readBy"]] == [("Maria Gonzalez", "PATIENT")]


async def test_resolving_and_reopening(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    thread_id = started["thread"]["id"]
    resolved = await gql.execute(RESOLVE, {"threadId": thread_id}, as_user=clinic.therapist_user.id)
    thread = resolved["data"]["resolveThread"]["thread"]
    assert thread["status"] == "RESOLVED"
    assert thread["resolvedAt"] is not None
    assert thread["awaitingReplySince"] is None

    only_resolved = await gql.execute(
        THREADS, {"filter": {"status": "RESOLVED"}}, as_user=clinic.patient_user.id
    )
    assert len(only_resolved["data"]["messageThreads"]["edges"]) == 1
    reopened = await send(gql, clinic.patient_user, thread_id, body="One more thing")
    assert reopened["thread"]["status"] == "OPEN"
    assert reopened["thread"]["awaitingReplySince"] is not None
    open_only = await gql.execute(
        THREADS,
        {"filter": {"status": "OPEN", "awaitingReply": True}},
        as_user=clinic.patient_user.id,
    )
    assert len(open_only["data"]["messageThreads"]["edges"]) == 1


async def test_inbox_pages_newest_activity_first(gql: GraphQLClient, database: None) -> None:
    clinic = await make_clinic()
    ids = [
        (await start_thread(gql, clinic.patient_user, subject=f"t{n}"))["thread"]["id"]
        for n in range(5)
    ]
    # New activity on the oldest thread moves it to the top.
    await send(gql, clinic.therapist_user, ids[0], body="bump")
    seen: list[str] = []
    after: str | None = None
    while True:
        page = await gql.execute(
            THREADS, {"first": 2, "after": after}, as_user=clinic.therapist_user.id
        )
        connection = page["data"]["messageThreads"]
        seen += [edge["node"]["id"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [ids[0], ids[4], ids[3], ids[2], ids[1]]
    awaiting = await gql.execute(
        THREADS, {"filter": {"awaitingReply": True}}, as_user=clinic.therapist_user.id
    )
    assert len(awaiting["data"]["messageThreads"]["edges"]) == 4


async def test_a_forged_inbox_cursor_is_bad_input_not_an_internal_error(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()

    def cursor(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    # A moment past year 9999, a moment past timedelta's range, an id past a bigint.
    for forged in ("mt:" + "9" * 18 + ":1", "mt:" + "9" * 40 + ":1", "mt:1:" + "9" * 30):
        body = await gql.execute(
            THREADS, {"first": 2, "after": cursor(forged)}, as_user=clinic.therapist_user.id
        )
        assert error_code(body) == "BAD_USER_INPUT", body


async def test_threads_are_noted_in_the_record_access_log(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    await RecordAccess.all().delete()
    await gql.execute(THREAD, {"id": started["thread"]["id"]}, as_user=clinic.therapist_user.id)
    logged: list[Any] = await RecordAccess.all().values("patient_id", "resource")
    resources = {row["resource"] for row in logged}
    assert {"MessageThread", "Message", "Patient"} <= resources
    assert {row["patient_id"] for row in logged} == {clinic.patient.id}


async def test_the_urgent_notice_names_the_emergency_number(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    body = await gql.execute("{ urgentMessageNotice }", as_user=clinic.patient_user.id)
    notice = body["data"]["urgentMessageNotice"]
    assert "not for emergencies" in notice
    assert "call 911" in notice
