"""Emergency ("break-glass") access at its edges: it reads a record but never acts on it, it
ends exactly at its expiry, the account's mark stays right when opening and closing race, only
live guardians are told, and finding a patient is bounded and audited even when refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from api.access.rate_limits import Budget, build_rate_limits
from api.models.audit import AuditEvent, AuditOutcome, AuditSeverity
from api.models.caregivers import GrantKind
from api.models.emergency_access import EmergencyAccess
from api.models.files import StoredFile
from api.models.messaging import Message, MessageThread, ThreadStatus
from api.models.notifications import Notification
from api.models.patients import Patient
from api.services.emergency_access import AccessStatus, AccessView
from api.settings import Settings
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.files_support import pdf_bytes, upload
from tests.progress_support import Clinic, make_clinic, top_code
from tests.sql_counter import count_sql
from tests.test_emergency_access import CLOSE, LOOKUP, mirror, open_access

START = """mutation($input: StartThreadInput!) { startThread(input: $input) {
  __typename ... on PostMessagePayload { thread { id } }
} }"""
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }"
MARK_READ = "mutation($id: ID!) { markThreadRead(threadId: $id) { __typename } }"
RESOLVE = "mutation($id: ID!) { resolveThread(threadId: $id) { thread { status } } }"
THREAD = (
    "query($id: ID!) { messageThread(id: $id) { subject messages { edges { node { body } } } } }"
)


@pytest.fixture
async def clinic(database: None) -> Clinic:
    return await make_clinic()


async def test_emergency_access_reads_messages_but_never_writes_them(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    started = await gql.execute(
        START,
        {"input": {"subject": "Knee", "body": "It gave way on the stairs.", "urgent": True}},
        as_user=clinic.maria.id,
    )
    thread_id = started["data"]["startThread"]["thread"]["id"]
    lee = clinic.lee.id
    assert (await open_access(gql, lee, clinic.maria_id))["__typename"] == (
        "OpenEmergencyAccessPayload"
    )
    read = await gql.execute(THREAD, {"id": thread_id}, as_user=lee)
    assert read["data"]["messageThread"]["subject"] == "Knee"

    # Writing, replying, acknowledging the urgent message, resolving and adding a document
    # are the care team's.
    for document, variables in (
        (START, {"input": {"subject": "Hello", "body": "Seen.", "patientId": clinic.maria_id}}),
        (SEND, {"input": {"threadId": thread_id, "body": "Seen your record."}}),
        (MARK_READ, {"id": thread_id}),
        (RESOLVE, {"id": thread_id}),
    ):
        assert top_code(await gql.execute(document, variables, as_user=lee)) == "FORBIDDEN"
    uploaded = await upload(
        gql.http, pdf_bytes(), "note.pdf", as_user=lee, patient_id=clinic.maria_record.id
    )
    assert top_code(uploaded.json()) == "FORBIDDEN"
    assert await StoredFile.all().count() == 0
    assert await MessageThread.all().count() == 1
    thread = await MessageThread.get()
    assert thread.status == ThreadStatus.OPEN
    messages = await Message.all().values_list("urgent", "acknowledged_at")
    assert messages == [(True, None)]
    # The care team still acts as always.
    assert "errors" not in await gql.execute(MARK_READ, {"id": thread_id}, as_user=clinic.dana.id)


def test_an_access_is_over_at_its_expiry_exactly() -> None:
    ends = datetime(2030, 1, 1, 10, tzinfo=UTC)
    view = AccessView(1, 1, "Lee Park", 1, "A reason of some length.", ends, ends, None)
    assert view.status(ends - timedelta(microseconds=1)) is AccessStatus.OPEN
    assert view.status(ends) is AccessStatus.EXPIRED


async def test_the_database_ends_it_at_the_same_moment(clinic: Clinic) -> None:
    # A whole second: SQLite keeps text without a fraction, which must still order right
    # against moments that have one.
    ends = datetime(2030, 1, 1, 10, tzinfo=UTC)
    await EmergencyAccess.create(
        user=clinic.lee,
        patient=clinic.maria_record,
        reason="A reason of some length.",
        opened_at=ends - timedelta(hours=1),
        expires_at=ends,
    )
    tick = timedelta(microseconds=1)
    assert await EmergencyAccess.filter(closed_at=None, expires_at__gt=ends).count() == 0
    assert await EmergencyAccess.filter(closed_at=None, expires_at__gt=ends - tick).count() == 1
    assert await EmergencyAccess.filter(closed_at=None, expires_at__gt=ends + tick).count() == 0


async def test_the_account_mark_holds_when_opening_and_closing_race(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    lee = clinic.lee.id
    _, third = await make_patient("cy@example.org", given_name="Cy", family_name="Moss")
    maria = (await open_access(gql, lee, clinic.maria_id))["emergencyAccess"]
    closed, opened = await asyncio.gather(
        gql.execute(CLOSE, {"id": maria["id"]}, as_user=lee),
        open_access(gql, lee, clinic.bob_id),
    )
    assert closed["data"]["closeEmergencyAccess"]["emergencyAccess"]["status"] == "CLOSED"
    bob = opened["emergencyAccess"]
    assert await mirror(clinic.lee) == datetime.fromisoformat(bob["expiresAt"])

    results = await asyncio.gather(
        open_access(gql, lee, gid("Patient", third.id)),
        gql.execute(CLOSE, {"id": bob["id"]}, as_user=clinic.admin.id),
    )
    latest = results[0]["emergencyAccess"]
    assert await mirror(clinic.lee) == datetime.fromisoformat(latest["expiresAt"])
    await gql.execute(CLOSE, {"id": latest["id"]}, as_user=lee)
    assert await mirror(clinic.lee) is None


async def test_only_guardians_whose_grant_is_live_are_told(
    gql: GraphQLClient, clinic: Clinic, settings: Settings
) -> None:
    today = datetime.now(UTC).date()
    grown = await Patient.create(
        given_name="Ava",
        family_name="Gonzalez",
        date_of_birth=date(today.year - settings.adult_age - 1, 1, 1),
    )
    child = await Patient.create(
        given_name="Noa", family_name="Gonzalez", date_of_birth=date(today.year - 6, 1, 1)
    )
    former = await make_caregiver("former@example.org", name="Former Guardian")
    lapsed = await make_caregiver("lapsed@example.org", name="Lapsed Guardian")
    current = await make_caregiver()
    await grant(grown, former, kind=GrantKind.GUARDIAN)  # ended at the patient's adulthood
    await grant(
        child, lapsed, kind=GrantKind.GUARDIAN, expires_at=datetime.now(UTC) - timedelta(days=1)
    )
    await grant(child, current, kind=GrantKind.GUARDIAN)
    for patient in (grown, child):
        opened = await open_access(gql, clinic.lee.id, gid("Patient", patient.id))
        assert opened["__typename"] == "OpenEmergencyAccessPayload"
    told = await Notification.filter(user_id__in=[former.id, lapsed.id, current.id]).values_list(
        "user_id", flat=True
    )
    assert told == [current.id]


async def test_finding_a_patient_is_limited_per_clinician_and_audited_when_refused(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    budget = build_rate_limits(Settings()).items[Budget.EMERGENCY_LOOKUP].amount
    search: dict[str, Any] = {"name": "Gonzalez", "born": "1980-05-17"}
    for _ in range(budget):
        body = await gql.execute(LOOKUP, search, as_user=clinic.lee.id)
        assert len(body["data"]["emergencyPatientLookup"]) == 1
    refused = await gql.execute(LOOKUP, search, as_user=clinic.lee.id)
    assert top_code(refused) == "RATE_LIMITED"
    events = await AuditEvent.filter(action="emergency_access.patient_lookup").order_by("id")
    assert len(events) == budget + 1
    last = events[-1]
    assert (last.outcome, last.severity, last.actor_user_id) == (
        AuditOutcome.DENIED,
        AuditSeverity.HIGH,
        clinic.lee.id,
    )
    assert last.details == {"matches": 0, "rate_limited": True}
    # The budget is each clinician's own.
    other = await gql.execute(LOOKUP, search, as_user=clinic.dana.id)
    assert len(other["data"]["emergencyPatientLookup"]) == 1
    # Those who may not look anyone up are refused before any budget is spent.
    assert top_code(await gql.execute(LOOKUP, search, as_user=clinic.maria.id)) == "FORBIDDEN"


@pytest.mark.parametrize("name", ["Gon\x00zalez", "Gonzalez\x07", "x" * 101])
async def test_a_family_name_that_cannot_be_one_is_bad_input(
    gql: GraphQLClient, clinic: Clinic, name: str
) -> None:
    body = await gql.execute(LOOKUP, {"name": name, "born": "1980-05-17"}, as_user=clinic.lee.id)
    assert top_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "familyName"


async def test_a_lookup_costs_the_same_for_one_match_or_many(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    search = {"name": "Gonzalez", "born": "1980-05-17"}

    async def statements() -> tuple[int, int]:
        with count_sql() as counter:
            body = await gql.execute(LOOKUP, search, as_user=clinic.lee.id)
        return counter.count, len(body["data"]["emergencyPatientLookup"])

    one = await statements()
    for index in range(3):
        await Patient.create(
            given_name=f"Ana{index}", family_name="GONZALEZ", date_of_birth=date(1980, 5, 17)
        )
    many = await statements()
    # Signed in as a therapist (3, and the account's open accesses: none), the lookup (1),
    # the audit event (2: the chain's head, the row) and the matches' record-access rows (1).
    assert (one, many) == ((7, 1), (7, 4))
