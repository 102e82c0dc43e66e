"""A patient's grants: who reads them, changing scopes and expiry (effective on the next
request), revoking (the next request finds nothing), expiry on its own, the caregiver's own
list (constant SQL), node(id:), and the audit of each change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from api.access.needs import GRANTABLE, Need
from api.models.accounts import Role
from api.models.audit import AuditEvent
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from tests.accounts_support import make_user
from tests.caregivers_flows import (
    CAREGIVING,
    GRANTS,
    REVOKE,
    UPDATE,
    codes,
    error_codes,
    invited_grant,
    result,
)
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.progress_support import add_measurement
from tests.sql_counter import count_sql

PAIN = """query($id: ID!) { patient(id: $id) { givenName recentPain { value } } }"""


async def _update(
    gql: GraphQLClient, as_user: int, acting_for: str | None = None, **values: Any
) -> dict[str, Any]:
    body = await gql.execute(UPDATE, {"input": values}, as_user=as_user, acting_for=acting_for)
    answer: dict[str, Any] = result(body, "updateCaregiverAccess")
    return answer


async def _revoke(
    gql: GraphQLClient, as_user: int, grant_id: str, acting_for: str | None = None
) -> dict[str, Any]:
    return await gql.execute(REVOKE, {"id": grant_id}, as_user=as_user, acting_for=acting_for)


async def test_the_patient_sees_every_grant_newest_first(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    now = datetime.now(UTC)
    grace = await make_caregiver()
    sam = await make_caregiver("sam@example.org", name="Sam Lee")
    lee = await make_caregiver("lee@example.org", name="Lee Park")
    await grant(patient, grace, [Need.PLAN_VIEW], status=GrantStatus.REVOKED)
    await grant(patient, sam, [Need.MESSAGES], expires_at=now - timedelta(minutes=1))
    await grant(patient, lee, [Need.APPOINTMENTS_MANAGE, Need.REMINDERS])
    invited = await invited_grant(gql, user.id, email="kim@example.org")
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [(g["invitedEmail"], g["status"], g["caregiverName"]) for g in grants] == [
        ("kim@example.org", "INVITED", None),
        ("lee@example.org", "ACTIVE", "Lee Park"),
        ("sam@example.org", "EXPIRED", "Sam Lee"),
        ("grace@example.org", "REVOKED", "Grace Chen"),
    ]
    assert grants[0]["id"] == invited["id"]
    assert grants[1]["scopes"] == ["APPOINTMENTS_MANAGE", "REMINDERS"]
    assert grants[3]["endedAt"] is not None
    # By id, the same list.
    by_id = await gql.execute(GRANTS, {"patient": gid("Patient", patient.id)}, as_user=user.id)
    assert result(by_id, "caregiverGrants") == grants


async def test_grants_are_read_by_the_patient_the_care_team_and_admins_only(
    gql: GraphQLClient,
) -> None:
    user, patient = await make_patient()
    _, other = await make_patient("kim@example.org", given_name="Kim")
    therapist_user, therapist = await make_therapist()
    await assign(patient, therapist)
    colleague, _ = await make_therapist("sam@clinic.test", name="Sam Ortiz")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    proxy = await make_caregiver()
    await grant(patient, proxy, GRANTABLE)  # every scope, and still not who else helps
    await grant(patient, await make_caregiver("lee@example.org"), [Need.PLAN_VIEW])
    patient_id = gid("Patient", patient.id)
    for viewer in (user.id, therapist_user.id, admin.id):
        body = await gql.execute(GRANTS, {"patient": patient_id}, as_user=viewer)
        assert len(result(body, "caregiverGrants")) == 2, viewer
    for viewer, acting_for, code in (
        (proxy.id, patient_id, "FORBIDDEN"),
        (proxy.id, None, "NOT_FOUND"),
        (colleague.id, None, "NOT_FOUND"),
        (other.user_id, None, "NOT_FOUND"),
    ):
        assert viewer is not None
        body = await gql.execute(
            GRANTS, {"patient": patient_id}, as_user=viewer, acting_for=acting_for
        )
        assert error_codes(body) == {code}, viewer
    body = await gql.execute(GRANTS, {"patient": patient_id})
    assert error_codes(body) == {"UNAUTHENTICATED"}
    # No patient named and no record of one's own: say which.
    body = await gql.execute(GRANTS, as_user=therapist_user.id)
    assert error_codes(body) == {"BAD_USER_INPUT"}


async def test_a_narrower_grant_applies_to_the_very_next_request(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    await add_measurement(patient, 4, datetime.now(UTC) - timedelta(days=1))
    grace = await make_caregiver()
    given = await grant(patient, grace, [Need.PROGRESS_VIEW, Need.APPOINTMENTS_VIEW])
    patient_id = gid("Patient", patient.id)
    grant_id = gid("CaregiverGrant", given.id)
    before = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert before == {"data": {"patient": {"givenName": "Maria", "recentPain": [{"value": 4.0}]}}}

    answer = await _update(gql, user.id, grantId=grant_id, scopes=["APPOINTMENTS_VIEW"])
    assert answer["grant"]["scopes"] == ["APPOINTMENTS_VIEW"]
    after = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert after["data"]["patient"] == {"givenName": "Maria", "recentPain": None}
    assert error_codes(after) == {"FORBIDDEN"}

    told = await Notification.get(user_id=grace.id, kind=NotificationKind.CAREGIVER_ACCESS)
    assert told.title == "Your caregiver access changed"
    event = await AuditEvent.get(action="caregiver.access_updated")
    assert (event.actor_user_id, event.acting_for_patient_id) == (user.id, patient.id)
    assert event.details == {"scopes": "APPOINTMENTS_VIEW", "removed": 1, "expiryChanged": False}


async def test_expiry_is_set_and_cleared(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    given = await grant(patient, await make_caregiver(), [Need.PLAN_VIEW])
    grant_id = gid("CaregiverGrant", given.id)
    answer = await _update(gql, user.id, grantId=grant_id, expiresAt="2099-06-01T08:00:00-04:00")
    assert answer["grant"]["expiresAt"] == "2099-06-01T12:00:00+00:00"
    answer = await _update(gql, user.id, grantId=grant_id, clearExpiry=True)
    assert answer["grant"]["expiresAt"] is None
    assert answer["grant"]["scopes"] == ["PLAN_VIEW"]  # untouched


async def test_every_bad_change_gets_a_typed_error(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    given = await grant(patient, await make_caregiver(), [Need.PLAN_VIEW])
    grant_id = gid("CaregiverGrant", given.id)
    answer = await _update(
        gql,
        user.id,
        grantId=grant_id,
        scopes=[],
        expiresAt="2099-01-01T00:00:00Z",
        clearExpiry=True,
    )
    assert codes(answer) == ["NO_SCOPES", "CONFLICTING_EXPIRY"]
    assert codes(await _update(gql, user.id, grantId=grant_id)) == ["NOTHING_TO_CHANGE"]
    past = await _update(gql, user.id, grantId=grant_id, expiresAt="2020-01-01T00:00:00Z")
    assert codes(past) == ["EXPIRY_IN_PAST"]
    naive = await _update(gql, user.id, grantId=grant_id, expiresAt="2099-01-01T00:00:00")
    assert codes(naive) == ["EXPIRY_WITHOUT_TIME_ZONE"]
    ended = await grant(
        patient,
        await make_caregiver("sam@example.org"),
        [Need.PLAN_VIEW],
        status=GrantStatus.REVOKED,
    )
    answer = await _update(
        gql, user.id, grantId=gid("CaregiverGrant", ended.id), scopes=["MESSAGES"]
    )
    assert codes(answer) == ["GRANT_ENDED"]
    body = await gql.execute(
        UPDATE,
        {"input": {"grantId": gid("Patient", patient.id), "scopes": ["MESSAGES"]}},
        as_user=user.id,
    )
    assert error_codes(body) == {"BAD_USER_INPUT"}  # not a grant's id
    body = await gql.execute(
        UPDATE,
        {"input": {"grantId": gid("CaregiverGrant", 999999), "scopes": ["MESSAGES"]}},
        as_user=user.id,
    )
    assert error_codes(body) == {"NOT_FOUND"}


async def test_revoked_access_ends_on_the_next_request(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    grace = await make_caregiver()
    given = await grant(patient, grace, [Need.APPOINTMENTS_VIEW])
    patient_id = gid("Patient", patient.id)
    grant_id = gid("CaregiverGrant", given.id)
    body = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert body["data"]["patient"]["givenName"] == "Maria"

    # The caregiver cannot end (or widen) their own grant, and others do not find it.
    assert error_codes(await _revoke(gql, grace.id, grant_id, patient_id)) == {"FORBIDDEN"}
    _, other = await make_patient("kim@example.org", given_name="Kim")
    assert other.user_id is not None
    assert error_codes(await _revoke(gql, other.user_id, grant_id)) == {"NOT_FOUND"}

    answer = result(await _revoke(gql, user.id, grant_id), "revokeCaregiverAccess")
    assert answer["grant"]["status"] == "REVOKED"
    body = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert body["data"] == {"patient": None}
    appointments = await gql.execute(
        "query($id: ID!) { appointments(patientId: $id) { edges { node { id } } } }",
        {"id": patient_id},
        as_user=grace.id,
        acting_for=patient_id,
    )
    assert error_codes(appointments) == {"NOT_FOUND"}
    caregiving = result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving")
    assert caregiving == []

    # Again: answered as it is, nothing more happens.
    again = result(await _revoke(gql, user.id, grant_id), "revokeCaregiverAccess")
    assert again["grant"]["status"] == "REVOKED"
    assert await AuditEvent.filter(action="caregiver.access_revoked").count() == 1
    event = await AuditEvent.get(action="caregiver.access_revoked")
    assert (event.actor_user_id, event.acting_for_patient_id) == (user.id, patient.id)
    told = await Notification.get(user_id=grace.id, kind=NotificationKind.CAREGIVER_ACCESS)
    assert told.title == "Your caregiver access ended"
    stored = await CaregiverGrant.get(id=given.id)
    assert stored.ended_by_id == user.id


async def test_withdrawing_an_invitation_kills_its_link(gql: GraphQLClient) -> None:
    from tests.caregivers_flows import accept, mailed_token

    user, _ = await make_patient()
    invited = await invited_grant(gql, user.id)
    token = await mailed_token()
    answer = result(await _revoke(gql, user.id, invited["id"]), "revokeCaregiverAccess")
    assert answer["grant"]["status"] == "REVOKED"
    grace = await make_caregiver()
    assert codes(await accept(gql, token, as_user=grace.id)) == ["INVALID_TOKEN"]


async def test_an_expired_grant_stops_by_itself(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    grace = await make_caregiver()
    given = await grant(
        patient, grace, [Need.APPOINTMENTS_VIEW], expires_at=datetime.now(UTC) + timedelta(hours=1)
    )
    patient_id = gid("Patient", patient.id)
    body = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert body["data"]["patient"]["givenName"] == "Maria"
    assert len(result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving")) == 1

    # Time passes (nothing runs): the grant is past its end.
    given.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await given.save(update_fields=["expires_at"])
    body = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert body["data"] == {"patient": None}
    assert result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving") == []
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [g["status"] for g in grants] == ["EXPIRED"]
    # The patient can give it a new end: it answers again.
    await _update(gql, user.id, grantId=gid("CaregiverGrant", given.id), clearExpiry=True)
    body = await gql.execute(PAIN, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert body["data"]["patient"]["givenName"] == "Maria"


async def test_caregiving_lists_live_grants_with_constant_sql(gql: GraphQLClient) -> None:
    grace = await make_caregiver()

    async def add(count: int) -> None:
        for index in range(count):
            _, patient = await make_patient(
                f"p{index}-{await Patient.all().count()}@example.org", given_name=f"P{index}"
            )
            await grant(patient, grace, [Need.APPOINTMENTS_VIEW, Need.REMINDERS])

    await add(1)
    with count_sql() as one:
        first = result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving")
    await add(9)
    _, ended = await make_patient("ended@example.org", given_name="Ended")
    await grant(ended, grace, [Need.PLAN_VIEW], status=GrantStatus.REVOKED)
    with count_sql() as ten:
        listed = result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving")
    assert len(first) == 1
    assert len(listed) == 10
    assert one.count == ten.count
    assert one.count <= 2  # the viewer's roles, then the grants with their patients' names
    assert listed[-1] == first[0]  # newest first
    assert listed[0]["scopes"] == ["APPOINTMENTS_VIEW", "REMINDERS"]
    assert listed[0]["kind"] == "PROXY"

    body = await gql.execute(CAREGIVING)
    assert error_codes(body) == {"UNAUTHENTICATED"}


async def test_a_grant_resolves_as_a_node_for_its_readers_only(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    grace = await make_caregiver()
    given = await grant(patient, grace, [Need.MESSAGES])
    _, other = await make_patient("kim@example.org", given_name="Kim")
    query = "query($id: ID!) { node(id: $id) { ... on CaregiverGrant { invitedEmail } } }"
    grant_id = gid("CaregiverGrant", given.id)
    mine = await gql.execute(query, {"id": grant_id}, as_user=user.id)
    assert mine == {"data": {"node": {"invitedEmail": "grace@example.org"}}}
    assert other.user_id is not None
    for viewer, acting_for in ((other.user_id, None), (grace.id, gid("Patient", patient.id))):
        body = await gql.execute(query, {"id": grant_id}, as_user=viewer, acting_for=acting_for)
        assert body["data"] == {"node": None}


async def test_a_guardian_acting_for_the_patient_manages_proxy_grants(gql: GraphQLClient) -> None:
    _, patient = await make_patient()
    patient.date_of_birth = date.today().replace(year=date.today().year - 10, day=1)
    await patient.save(update_fields=["date_of_birth"])  # a child: guardians answer
    guardian = await make_caregiver("parent@example.org", name="Pat Parent")
    await grant(patient, guardian, kind=GrantKind.GUARDIAN)
    grace = await make_caregiver()
    given = await grant(patient, grace, [Need.PLAN_VIEW])
    patient_id = gid("Patient", patient.id)
    grant_id = gid("CaregiverGrant", given.id)
    answer = await _update(
        gql, guardian.id, acting_for=patient_id, grantId=grant_id, scopes=["MESSAGES"]
    )
    assert answer["grant"]["scopes"] == ["MESSAGES"]
    event = await AuditEvent.get(action="caregiver.access_updated")
    assert (event.actor_user_id, event.acting_for_patient_id) == (guardian.id, patient.id)
    # Not acting for the patient: nothing there.
    assert error_codes(await _revoke(gql, guardian.id, grant_id)) == {"NOT_FOUND"}
    answer = result(await _revoke(gql, guardian.id, grant_id, patient_id), "revokeCaregiverAccess")
    assert answer["grant"]["status"] == "REVOKED"
