"""The inbox costs the same number of statements however many threads it shows (no N+1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.messaging import (
    AuthorRole,
    Message,
    MessageAttachment,
    MessageThread,
    ThreadRead,
)
from tests.conftest import GraphQLClient
from tests.messaging_support import MESSAGE_FIELDS, THREAD_FIELDS, Clinic, make_clinic, make_file
from tests.sql_counter import count_sql

INBOX = f"""{{ messageThreads(first: 20) {{ edges {{ node {{
  {THREAD_FIELDS}
  messages(first: 3) {{ edges {{ node {{ {MESSAGE_FIELDS} thread {{ id }} }} }} }}
}} }} }} }}"""


async def _threads(clinic: Clinic, count: int) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    for n in range(count):
        at = start + timedelta(minutes=n)
        thread = await MessageThread.create(
            patient=clinic.patient,
            subject=f"Question {n}",
            started_by=clinic.patient_user,
            created_at=at,
            last_message_at=at,
            awaiting_reply_since=at,
            response_due_at=at + timedelta(days=1),
        )
        file = await make_file(clinic.patient, clinic.patient_user, f"scan-{n}.pdf")
        for step, (author, role) in enumerate(
            [
                (clinic.patient_user, AuthorRole.PATIENT),
                (clinic.therapist_user, AuthorRole.CLINICIAN),
                (clinic.patient_user, AuthorRole.PATIENT),
            ]
        ):
            message = await Message.create(
                thread=thread,
                author=author,
                author_role=role,
                body=f"message {step}",
                urgent=False,
                created_at=at + timedelta(seconds=step),
            )
            if step == 0:
                await MessageAttachment.create(message=message, file=file)
        await ThreadRead.create(
            thread=thread, user=clinic.therapist_user, last_read_message_id=message.id, read_at=at
        )


async def _statements(gql: GraphQLClient, clinic: Clinic) -> tuple[int, int]:
    with count_sql() as counter:
        body = await gql.execute(INBOX, as_user=clinic.therapist_user.id)
    assert "errors" not in body, body
    edges = body["data"]["messageThreads"]["edges"]
    for edge in edges:
        messages = edge["node"]["messages"]["edges"]
        assert len(messages) == 3
        assert messages[0]["node"]["attachments"][0]["name"].startswith("scan-")
        assert messages[0]["node"]["readBy"][0]["name"] == "Dana Whitfield"
    return counter.count, len(edges)


async def test_the_inbox_statement_count_does_not_grow_with_threads(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    await _threads(clinic, 2)
    few, shown = await _statements(gql, clinic)
    assert shown == 2
    await _threads(clinic, 18)
    many, shown = await _statements(gql, clinic)
    assert shown == 20
    await _threads(clinic, 20)
    more, shown = await _statements(gql, clinic)
    assert shown == 20
    assert few == many == more
    # Viewer (2), page, patient, messages, receipts, attachments, unread counts, audit log.
    assert many <= 9, many
