"""Emergency ("break-glass") access: who may open a record, what it opens and for how long,
who is told, what the audit keeps, closing it, the admins' review, and finding a patient."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from api.models.accounts import Role, User
from api.models.audit import AuditEvent, AuditSeverity, RecordAccess
from api.models.caregivers import GrantKind
from api.models.emergency_access import EmergencyAccess
from api.models.notifications import Delivery, Notification, NotificationKind
from api.models.patients import Patient
from api.services import audit
from tests.accounts_support import make_user
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.progress_support import Clinic, add_measurement, make_clinic, top_code

REASON = "Patient collapsed at the front desk; checking allergies and medications."

OPEN = """mutation($input: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $input) {
  __typename
  ... on OpenEmergencyAccessPayload { alreadyOpen emergencyAccess {
    id reason status openedAt expiresAt closedAt openedByName patientId
    patient { id givenName }
  } }
  ... on EmergencyAccessErrors { errors { code field message } }
} }"""
CLOSE = """mutation($id: ID!) { closeEmergencyAccess(id: $id) {
  emergencyAccess { id status closedAt patient { id } }
} }"""
MINE = "{ myEmergencyAccesses { id patientId status } }"
REVIEW = """query($first: Int, $after: String, $openOnly: Boolean! = false) {
  emergencyAccesses(first: $first, after: $after, openOnly: $openOnly) {
    edges { node { id reason status openedByName patientId patient { givenName } } }
    pageInfo { hasNextPage endCursor }
} }"""
LOOKUP = """query($name: String!, $born: Date!) {
  emergencyPatientLookup(familyName: $name, dateOfBirth: $born) { patientId givenName familyName }
}"""
MEASUREMENTS = """query($id: ID!) { measurements(patientId: $id) { edges { node { value } } } }"""
PATIENT = "query($id: ID!) { patient(id: $id) { id givenName healthHistory { allergies { substance } } } }"
HEALTH_HISTORY = """mutation($input: UpdateHealthHistoryInput!) {
  updateHealthHistory(input: $input) { __typename }
}"""


@pytest.fixture
async def clinic(database: None) -> Clinic:
    return await make_clinic()


async def open_access(
    gql: GraphQLClient, as_user: int, patient: str, reason: str = REASON
) -> dict[str, Any]:
    body = await gql.execute(
        OPEN, {"input": {"patientId": patient, "reason": reason}}, as_user=as_user
    )
    if body.get("errors"):
        return body
    result: dict[str, Any] = body["data"]["openEmergencyAccess"]
    return result


def codes(result: dict[str, Any]) -> list[str]:
    assert result["__typename"] == "EmergencyAccessErrors", result
    return [error["code"] for error in result["errors"]]


async def mirror(user: User) -> datetime | None:
    row = await User.get(id=user.id)
    return row.emergency_access_until


async def test_a_therapist_reads_the_record_until_it_runs_out(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    await add_measurement(clinic.maria_record, 6, datetime.now(UTC) - timedelta(hours=2))
    lee = clinic.lee.id
    before = await gql.execute(MEASUREMENTS, {"id": clinic.maria_id}, as_user=lee)
    assert top_code(before) == "NOT_FOUND"

    opened = await open_access(gql, lee, clinic.maria_id)
    assert opened["__typename"] == "OpenEmergencyAccessPayload", opened
    access = opened["emergencyAccess"]
    assert opened["alreadyOpen"] is False
    assert access["status"] == "OPEN"
    assert access["closedAt"] is None
    assert access["reason"] == REASON
    assert access["openedByName"] == "Lee Park"
    # The record opens in the same answer: the scope was read again after opening.
    assert access["patient"] == {"id": clinic.maria_id, "givenName": "Maria"}
    opened_at = datetime.fromisoformat(access["openedAt"])
    expires_at = datetime.fromisoformat(access["expiresAt"])
    assert expires_at - opened_at == timedelta(minutes=60)
    assert await mirror(clinic.lee) == expires_at

    read = await gql.execute(MEASUREMENTS, {"id": clinic.maria_id}, as_user=lee)
    assert read["data"]["measurements"]["edges"] == [{"node": {"value": 6.0}}]
    record = await gql.execute(PATIENT, {"id": clinic.maria_id}, as_user=lee)
    assert record["data"]["patient"]["givenName"] == "Maria"
    assert "errors" not in record

    # Reads, not writes: a change only the care team makes stays forbidden.
    write = await gql.execute(
        HEALTH_HISTORY, {"input": {"patientId": clinic.maria_id}}, as_user=lee
    )
    assert top_code(write) == "FORBIDDEN"

    # Every read during it names the access (the opening itself too).
    row = await EmergencyAccess.get()
    reads = await RecordAccess.filter(actor_user_id=lee, patient_id=clinic.maria_record.id)
    assert {r.resource for r in reads} >= {"EmergencyAccess", "Patient", "Measurement"}
    assert {r.emergency_access_id for r in reads} == {row.id}
    assert {r.actor_role for r in reads} == {"THERAPIST"}

    # Run out: the next request answers as before it was opened.
    await EmergencyAccess.filter(id=row.id).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    after = await gql.execute(MEASUREMENTS, {"id": clinic.maria_id}, as_user=lee)
    assert top_code(after) == "NOT_FOUND"
    gone = await gql.execute(PATIENT, {"id": clinic.maria_id}, as_user=lee)
    assert gone["data"]["patient"] is None
    assert (await gql.execute(MINE, as_user=lee))["data"]["myEmergencyAccesses"] == []


async def test_opening_is_audited_at_high_severity_admins_alerted_and_the_patient_told(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    second_admin = await make_user("admin2@clinic.test", roles=(Role.ADMIN,), name="Sky Ito")
    opened = await open_access(gql, clinic.lee.id, clinic.maria_id)
    access_id = (await EmergencyAccess.get()).id
    assert opened["__typename"] == "OpenEmergencyAccessPayload"

    event = await AuditEvent.get(action="emergency_access.opened")
    assert event.severity == AuditSeverity.HIGH
    assert (event.actor_user_id, event.target_type, event.target_id) == (
        clinic.lee.id,
        "Patient",
        str(clinic.maria_record.id),
    )
    # The reason may describe the patient's condition: the access row keeps it, the trail (no
    # PHI) only its length and a seal of it.
    assert "reason" not in event.details
    assert "collapsed" not in json.dumps(event.details)
    assert event.details["reason_sha256"] == hashlib.sha256(REASON.encode()).hexdigest()
    assert event.details["reason_length"] == len(REASON)
    assert event.details["access_id"] == access_id
    assert event.details["minutes"] == 60
    assert (await audit.verify_chain()).ok

    alerts = await Notification.filter(kind=NotificationKind.EMERGENCY_ACCESS).order_by("id")
    by_user = {row.user_id: row for row in alerts}
    assert set(by_user) == {clinic.admin.id, second_admin.id, clinic.maria.id}
    for admin in (clinic.admin.id, second_admin.id):
        assert by_user[admin].urgent is True
        assert by_user[admin].link == "/admin/emergency-access"
    told = by_user[clinic.maria.id]
    assert told.title == "A clinician opened your record in an emergency"
    assert told.patient_id == clinic.maria_record.id
    assert told.urgent is False
    # No patient data in what people are sent: no name, no reason.
    for row in alerts:
        text = f"{row.title} {row.body} {row.link}"
        assert "Maria" not in text
        assert "Gonzalez" not in text
        assert "allergies" not in text
    # The patient's preferences decide the channels (email, SMS and push by default).
    channels = await Delivery.filter(notification_id=told.id).values_list("channel", flat=True)
    assert sorted(str(c) for c in channels) == ["EMAIL", "PUSH", "SMS"]


async def test_a_dependents_guardians_are_told(gql: GraphQLClient, clinic: Clinic) -> None:
    child = await Patient.create(
        given_name="Noa", family_name="Gonzalez", date_of_birth=date(2019, 4, 2)
    )
    guardian = await make_caregiver()
    await grant(child, guardian, kind=GrantKind.GUARDIAN)
    opened = await open_access(gql, clinic.lee.id, gid("Patient", child.id))
    assert opened["__typename"] == "OpenEmergencyAccessPayload"
    told = await Notification.get(user_id=guardian.id)
    assert told.kind == NotificationKind.EMERGENCY_ACCESS
    assert told.title == ("A clinician opened the record of someone you care for in an emergency")
    assert told.link == f"/access-log?patient={gid('Patient', child.id)}"
    assert "Noa" not in f"{told.title} {told.body}"


async def test_who_may_open_and_what_a_reason_must_be(gql: GraphQLClient, clinic: Clinic) -> None:
    caregiver = await make_caregiver()
    analyst = await make_user("ana@clinic.test", roles=(Role.ANALYST,), name="Ana Lyst")
    for outsider in (clinic.bob.id, caregiver.id, analyst.id):
        assert top_code(await open_access(gql, outsider, clinic.maria_id)) == "FORBIDDEN"
    anonymous = await gql.execute(OPEN, {"input": {"patientId": clinic.maria_id, "reason": REASON}})
    assert top_code(anonymous) == "UNAUTHENTICATED"
    unknown = await open_access(gql, clinic.lee.id, gid("Patient", 987654))
    assert top_code(unknown) == "NOT_FOUND"
    # The care team needs no emergency access.
    assert codes(await open_access(gql, clinic.dana.id, clinic.maria_id)) == ["NOT_NEEDED"]
    for reason, code in (
        ("   ", "REASON_REQUIRED"),
        ("urgent!!! ...", "REASON_TOO_SHORT"),
        ("x" * 1001, "REASON_TOO_LONG"),
    ):
        assert codes(await open_access(gql, clinic.lee.id, clinic.maria_id, reason)) == [code]
    assert await EmergencyAccess.all().count() == 0
    assert await Notification.all().count() == 0
    # An admin reads every record anyway; opening records the reason for the review.
    opened = await open_access(gql, clinic.admin.id, clinic.bob_id)
    assert opened["__typename"] == "OpenEmergencyAccessPayload"


async def test_opening_again_answers_the_open_one_and_extends_nothing(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    first = (await open_access(gql, clinic.lee.id, clinic.maria_id))["emergencyAccess"]
    again = await open_access(gql, clinic.lee.id, clinic.maria_id, "A second, other reason.")
    assert again["alreadyOpen"] is True
    assert again["emergencyAccess"]["id"] == first["id"]
    assert again["emergencyAccess"]["expiresAt"] == first["expiresAt"]
    assert again["emergencyAccess"]["reason"] == REASON
    assert await EmergencyAccess.all().count() == 1
    assert await AuditEvent.filter(action="emergency_access.opened").count() == 1
    assert await Notification.filter(user_id=clinic.maria.id).count() == 1


async def test_closing_ends_it_and_keeps_the_account_mark_right(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    lee = clinic.lee.id
    maria = (await open_access(gql, lee, clinic.maria_id))["emergencyAccess"]
    bob = (await open_access(gql, lee, clinic.bob_id))["emergencyAccess"]
    mine = (await gql.execute(MINE, as_user=lee))["data"]["myEmergencyAccesses"]
    assert [row["id"] for row in mine] == [bob["id"], maria["id"]]

    # Nobody else's to close: another therapist gets NOT_FOUND.
    other = await gql.execute(CLOSE, {"id": maria["id"]}, as_user=clinic.dana.id)
    assert top_code(other) == "NOT_FOUND"

    closed = (await gql.execute(CLOSE, {"id": maria["id"]}, as_user=lee))["data"]
    ended = closed["closeEmergencyAccess"]["emergencyAccess"]
    assert ended["status"] == "CLOSED"
    assert ended["closedAt"] is not None
    assert ended["patient"] is None  # closed: out of reach in the same answer
    assert await mirror(clinic.lee) == datetime.fromisoformat(bob["expiresAt"])
    assert top_code(await gql.execute(MEASUREMENTS, {"id": clinic.maria_id}, as_user=lee)) == (
        "NOT_FOUND"
    )
    assert "errors" not in await gql.execute(MEASUREMENTS, {"id": clinic.bob_id}, as_user=lee)
    again = (await gql.execute(CLOSE, {"id": maria["id"]}, as_user=lee))["data"]
    assert again["closeEmergencyAccess"]["emergencyAccess"]["closedAt"] == ended["closedAt"]

    # An admin may end anyone's; the account's mark goes once none is open.
    by_admin = await gql.execute(CLOSE, {"id": bob["id"]}, as_user=clinic.admin.id)
    assert by_admin["data"]["closeEmergencyAccess"]["emergencyAccess"]["status"] == "CLOSED"
    assert await mirror(clinic.lee) is None
    assert (await gql.execute(MINE, as_user=lee))["data"]["myEmergencyAccesses"] == []
    closings = await AuditEvent.filter(action="emergency_access.closed").order_by("id")
    assert [event.details["by_owner"] for event in closings] == [True, False]


async def test_admins_review_every_access_newest_first(gql: GraphQLClient, clinic: Clinic) -> None:
    first = (await open_access(gql, clinic.lee.id, clinic.maria_id))["emergencyAccess"]
    second = (await open_access(gql, clinic.lee.id, clinic.bob_id))["emergencyAccess"]
    await gql.execute(CLOSE, {"id": first["id"]}, as_user=clinic.lee.id)

    page = (await gql.execute(REVIEW, {"first": 1}, as_user=clinic.admin.id))["data"]
    connection = page["emergencyAccesses"]
    assert [edge["node"]["id"] for edge in connection["edges"]] == [second["id"]]
    assert connection["pageInfo"]["hasNextPage"] is True
    rest = await gql.execute(
        REVIEW, {"first": 5, "after": connection["pageInfo"]["endCursor"]}, as_user=clinic.admin.id
    )
    older = rest["data"]["emergencyAccesses"]["edges"]
    assert [edge["node"]["id"] for edge in older] == [first["id"]]
    node = older[0]["node"]
    assert node["reason"] == REASON
    assert node["status"] == "CLOSED"
    assert node["openedByName"] == "Lee Park"
    assert node["patient"] == {"givenName": "Maria"}
    open_only = await gql.execute(REVIEW, {"openOnly": True}, as_user=clinic.admin.id)
    edges = open_only["data"]["emergencyAccesses"]["edges"]
    assert [edge["node"]["id"] for edge in edges] == [second["id"]]

    for viewer in (clinic.lee.id, clinic.dana.id, clinic.maria.id):
        assert top_code(await gql.execute(REVIEW, as_user=viewer)) == "FORBIDDEN"
    # As a node: its clinician and admins read it, nobody else.
    query = "query($id: ID!) { node(id: $id) { ... on EmergencyAccess { reason } } }"
    for viewer, seen in ((clinic.lee.id, True), (clinic.admin.id, True), (clinic.dana.id, False)):
        body = await gql.execute(query, {"id": first["id"]}, as_user=viewer)
        assert (body["data"]["node"] is not None) is seen


async def test_a_clinician_finds_a_patient_by_family_name_and_birth_date(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    found = await gql.execute(
        LOOKUP, {"name": "  gonzalez ", "born": "1980-05-17"}, as_user=clinic.lee.id
    )
    assert found["data"]["emergencyPatientLookup"] == [
        {"patientId": clinic.maria_id, "givenName": "Maria", "familyName": "Gonzalez"}
    ]
    none = await gql.execute(
        LOOKUP, {"name": "Gonzalez", "born": "1980-05-18"}, as_user=clinic.lee.id
    )
    assert none["data"]["emergencyPatientLookup"] == []
    lookups = await AuditEvent.filter(action="emergency_access.patient_lookup").order_by("id")
    assert [(e.severity, e.details["matches"]) for e in lookups] == [
        (AuditSeverity.HIGH, 1),
        (AuditSeverity.HIGH, 0),
    ]
    # The patient sees that they were looked up.
    seen = await RecordAccess.get(resource="EmergencyPatientMatch")
    assert (seen.patient_id, seen.actor_user_id) == (clinic.maria_record.id, clinic.lee.id)

    for outsider in (clinic.maria.id, clinic.bob.id):
        body = await gql.execute(
            LOOKUP, {"name": "Gonzalez", "born": "1980-05-17"}, as_user=outsider
        )
        assert top_code(body) == "FORBIDDEN"
    blank = await gql.execute(LOOKUP, {"name": " ", "born": "1980-05-17"}, as_user=clinic.lee.id)
    assert top_code(blank) == "BAD_USER_INPUT"
