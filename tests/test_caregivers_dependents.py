"""Dependents: a parent registers a minor and manages them fully by acting for them; from 13
the clinic's confidential fields are hidden from guardians; at 18 guardian access ends."""

from __future__ import annotations

from datetime import date
from typing import Any

from api.access.needs import GRANTABLE
from api.models.accounts import Role, UserRole
from api.models.audit import AuditEvent
from api.models.caregivers import CaregiverGrant, GrantKind
from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.settings import Settings
from tests.accounts_support import make_user
from tests.caregivers_flows import (
    CAREGIVING,
    GRANTS,
    REGISTER_DEPENDENT,
    REVOKE,
    UPDATE,
    accept,
    codes,
    error_codes,
    invited_grant,
    mailed_token,
    result,
)
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient

RECORD = """query($id: ID!) {
  patient(id: $id) { givenName dateOfBirth healthHistory { medications { name } } }
  appointments(patientId: $id) { edges { node { id } } }
}"""


def years_ago(years: int) -> date:
    """A birthday `years` ago this month (the 1st: the age is exactly `years` today)."""
    today = date.today()
    return today.replace(year=today.year - years, day=1)


async def _register(gql: GraphQLClient, as_user: int | None, **values: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "givenName": "Liam",
        "familyName": "Chen",
        "dateOfBirth": years_ago(8).isoformat(),
        "relationship": "PARENT",
    }
    fields.update(values)
    return await gql.execute(REGISTER_DEPENDENT, {"input": fields}, as_user=as_user)


async def _registered(gql: GraphQLClient, as_user: int, **values: Any) -> dict[str, Any]:
    answer: dict[str, Any] = result(await _register(gql, as_user, **values), "registerDependent")
    assert answer["__typename"] == "RegisterDependentPayload", answer
    return answer


async def test_a_parent_registers_a_child_and_manages_them_fully(gql: GraphQLClient) -> None:
    grace = await make_user("grace@example.org", roles=(Role.PATIENT,), name="Grace Chen")
    answer = await _registered(gql, grace.id, timeZone="Europe/Berlin")
    patient_id = answer["patientId"]
    child = await Patient.get(given_name="Liam")
    assert patient_id == gid("Patient", child.id)
    assert child.user_id is None  # no account of their own
    assert (child.family_name, child.date_of_birth, child.time_zone) == (
        "Chen",
        years_ago(8),
        "Europe/Berlin",
    )
    granted = answer["grant"]
    assert granted["kind"] == "GUARDIAN"
    assert granted["status"] == "ACTIVE"
    assert granted["relationship"] == "PARENT"
    assert granted["scopes"] == [need.value for need in GRANTABLE]
    assert granted["caregiverName"] == "Grace Chen"
    roles = await UserRole.filter(user_id=grace.id).values_list("role", flat=True)
    assert {str(role) for role in roles} == {Role.PATIENT.value, Role.CAREGIVER.value}
    event = await AuditEvent.get(action="caregiver.dependent_registered")
    assert (event.actor_user_id, event.acting_for_patient_id) == (grace.id, child.id)

    # Acting for Liam, Grace reads everything, the health history too (he is 8).
    body = await gql.execute(RECORD, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert "errors" not in body, body
    assert body["data"]["patient"]["healthHistory"] == {"medications": []}
    assert body["data"]["appointments"] == {"edges": []}
    # And manages who else helps him.
    grants = await gql.execute(GRANTS, as_user=grace.id, acting_for=patient_id)
    assert [g["kind"] for g in result(grants, "caregiverGrants")] == ["GUARDIAN"]
    caregiving = result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving")
    assert caregiving == [
        {
            "grantId": granted["id"],
            "patientId": patient_id,
            "patientName": "Liam Chen",
            "relationship": "PARENT",
            "kind": "GUARDIAN",
            "scopes": [need.value for need in GRANTABLE],
            "expiresAt": None,
            "confidentialFields": [],
        }
    ]
    # Her own record is still hers, without acting for anyone.
    assert (await _registered(gql, grace.id, givenName="Mia"))["grant"]["kind"] == "GUARDIAN"


async def test_a_guardian_invites_another_caregiver_for_the_child(gql: GraphQLClient) -> None:
    grace = await make_caregiver()
    patient_id = (await _registered(gql, grace.id))["patientId"]
    invited = await invited_grant(
        gql, grace.id, email="nana@example.org", acting_for=patient_id, scopes=("REMINDERS",)
    )
    assert invited["patientName"] == "Liam Chen"
    nana = await make_caregiver("nana@example.org", name="Nana Chen")
    child = await Patient.get(given_name="Liam")
    assert child.date_of_birth is not None
    answer = await accept(
        gql, await mailed_token("nana@example.org"), as_user=nana.id, born=child.date_of_birth
    )
    assert answer["__typename"] == "CareRecipientPayload", answer
    # Liam has no account: the guardian who invited is told.
    told = await Notification.get(user_id=grace.id, kind=NotificationKind.CAREGIVER_ACCESS)
    assert "Nana Chen can now help with Liam's care" in told.body


async def test_every_bad_registration_gets_a_typed_error(
    gql: GraphQLClient, settings: Settings
) -> None:
    grace = await make_caregiver()
    body = await _register(gql, None)
    assert error_codes(body) == {"UNAUTHENTICATED"}
    answer = result(
        await _register(
            gql,
            grace.id,
            givenName=" ",
            familyName="x" * 101,
            dateOfBirth=date(date.today().year + 1, 1, 1).isoformat(),
            relationship="FRIEND",
            timeZone="Mars/Olympus",
        ),
        "registerDependent",
    )
    assert codes(answer) == [
        "INVALID_NAME",
        "INVALID_NAME",
        "INVALID_DATE_OF_BIRTH",
        "INVALID_RELATIONSHIP",
        "INVALID_TIME_ZONE",
    ]
    assert [error["field"] for error in answer["errors"]] == [
        "givenName",
        "familyName",
        "dateOfBirth",
        "relationship",
        "timeZone",
    ]
    adult = await _register(gql, grace.id, dateOfBirth=years_ago(settings.adult_age).isoformat())
    assert codes(result(adult, "registerDependent")) == ["NOT_A_MINOR"]
    await _registered(gql, grace.id)
    twice = await _register(gql, grace.id, givenName=" Liam ")
    assert codes(result(twice, "registerDependent")) == ["ALREADY_REGISTERED"]
    assert await Patient.filter(given_name="Liam").count() == 1


async def test_guardians_do_not_see_an_adolescents_confidential_fields(
    gql: GraphQLClient,
) -> None:
    grace = await make_caregiver()
    patient_id = (await _registered(gql, grace.id))["patientId"]
    await Patient.filter(given_name="Liam").update(date_of_birth=years_ago(15))
    body = await gql.execute(RECORD, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["patient", "healthHistory"], "FORBIDDEN")
    ]
    assert body["data"]["patient"]["givenName"] == "Liam"
    assert body["data"]["patient"]["healthHistory"] is None
    assert body["data"]["appointments"] == {"edges": []}  # appointments still answer
    caregiving = result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving")
    assert caregiving[0]["confidentialFields"] == ["healthHistory", "currentCondition"]
    # Twelve: nothing hidden yet.
    await Patient.filter(given_name="Liam").update(date_of_birth=years_ago(12))
    body = await gql.execute(RECORD, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert "errors" not in body


async def test_guardian_access_ends_at_adulthood(gql: GraphQLClient) -> None:
    grace = await make_caregiver()
    patient_id = (await _registered(gql, grace.id))["patientId"]
    await Patient.filter(given_name="Liam").update(date_of_birth=years_ago(18))
    body = await gql.execute(RECORD, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert body["data"] is None or body["data"]["patient"] is None
    assert error_codes(body) == {"NOT_FOUND"}
    assert result(await gql.execute(CAREGIVING, as_user=grace.id), "caregiving") == []
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    grants = result(
        await gql.execute(GRANTS, {"patient": patient_id}, as_user=admin.id), "caregiverGrants"
    )
    assert [(g["kind"], g["status"]) for g in grants] == [("GUARDIAN", "EXPIRED")]


async def test_a_guardian_grant_is_ended_never_narrowed(gql: GraphQLClient) -> None:
    grace = await make_caregiver()
    answer = await _registered(gql, grace.id)
    patient_id, grant_id = answer["patientId"], answer["grant"]["id"]
    body = await gql.execute(
        UPDATE,
        {"input": {"grantId": grant_id, "scopes": ["PLAN_VIEW"]}},
        as_user=grace.id,
        acting_for=patient_id,
    )
    assert codes(result(body, "updateCaregiverAccess")) == ["GUARDIAN_GRANT"]
    # Liam has no account: his only guardian cannot leave him without one.
    body = await gql.execute(REVOKE, {"id": grant_id}, as_user=grace.id, acting_for=patient_id)
    assert codes(result(body, "revokeCaregiverAccess")) == ["LAST_GUARDIAN"]
    # With a second guardian, she can step down; her next request finds nothing.
    child = await Patient.get(given_name="Liam")
    await grant(child, await make_caregiver("dad@example.org"), kind=GrantKind.GUARDIAN)
    body = await gql.execute(REVOKE, {"id": grant_id}, as_user=grace.id, acting_for=patient_id)
    assert result(body, "revokeCaregiverAccess")["grant"]["status"] == "REVOKED"
    body = await gql.execute(RECORD, {"id": patient_id}, as_user=grace.id, acting_for=patient_id)
    assert error_codes(body) == {"NOT_FOUND"}


async def test_an_adolescent_with_an_account_cannot_end_a_guardians_grant(
    gql: GraphQLClient,
) -> None:
    user, teen = await make_patient("liam@example.org", given_name="Liam")
    teen.date_of_birth = years_ago(15)
    await teen.save(update_fields=["date_of_birth"])
    guardian = await make_caregiver()
    given = await grant(teen, guardian, kind=GrantKind.GUARDIAN)
    body = await gql.execute(REVOKE, {"id": gid("CaregiverGrant", given.id)}, as_user=user.id)
    assert codes(result(body, "revokeCaregiverAccess")) == ["GUARDIAN_GRANT"]
    assert (await CaregiverGrant.get(id=given.id)).ended_at is None
