"""Who may edit which section of a profile, and in which capacity the history records them."""

from __future__ import annotations

from typing import Any

from api.models.accounts import Role
from api.models.patients import PatientProfileChange
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient

EDITS: dict[str, dict[str, Any]] = {
    "updatePatientDemographics": {
        "givenName": "Maria",
        "familyName": "Gonzalez-Ruiz",
        "timeZone": "America/New_York",
        "preferredLanguage": "en",
    },
    "updateHealthHistory": {"medications": [{"name": "Ibuprofen"}]},
    "updateCurrentCondition": {"painLevel": 3},
    "updateTreatmentGoals": {"text": "Walk the dog"},
    "updateSchedulingPreferences": {"sessionsPerWeek": 2},
    "updateCommunicationPreferences": {"preferredChannel": "SMS"},
    "updateEmergencyContacts": {
        "contacts": [{"name": "Luis", "relationship": "brother", "phone": "+15550100777"}]
    },
    "updateInsurance": {"selfPay": True},
    "confirmProfileReviewed": {},
}
CLINICAL = {"updateHealthHistory", "updateCurrentCondition", "updateTreatmentGoals"}
ADMINISTRATIVE = {"updatePatientDemographics", "updateInsurance"}


async def attempt(gql: GraphQLClient, mutation: str, patient_id: int, user_id: int | None) -> str:
    """The outcome's code: OK, or the top-level error's code."""
    if mutation == "confirmProfileReviewed":
        document = "mutation($id: ID!) { confirmProfileReviewed(patientId: $id) { __typename } }"
        variables: dict[str, Any] = {"id": gid("Patient", patient_id)}
    else:
        input_type = mutation[0].upper() + mutation[1:] + "Input"
        document = (
            f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename }} }}"
        )
        variables = {"input": {"patientId": gid("Patient", patient_id), **EDITS[mutation]}}
    body = await gql.execute(document, variables, as_user=user_id)
    if "errors" in body:
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    assert body["data"][mutation]["__typename"] == "PatientProfilePayload", body
    return "OK"


async def test_who_may_edit_which_section(gql: GraphQLClient) -> None:
    maria, record = await make_patient()
    bob, _ = await make_patient("bob@example.org", given_name="Bob")
    dana, therapist = await make_therapist()
    lee, _ = await make_therapist("lee@clinic.test", name="Lee Park")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    await assign(record, therapist)

    outcomes: dict[str, dict[str, str]] = {}
    for label, user_id in (
        ("patient", maria.id),
        ("care team", dana.id),
        ("admin", admin.id),
        ("other patient", bob.id),
        ("other therapist", lee.id),
        ("anonymous", None),
    ):
        outcomes[label] = {m: await attempt(gql, m, record.id, user_id) for m in EDITS}

    assert outcomes["patient"] == dict.fromkeys(EDITS, "OK")
    assert outcomes["care team"] == {m: "OK" if m in CLINICAL else "FORBIDDEN" for m in EDITS}
    assert outcomes["admin"] == {m: "OK" if m in ADMINISTRATIVE else "FORBIDDEN" for m in EDITS}
    assert outcomes["other patient"] == dict.fromkeys(EDITS, "NOT_FOUND")
    assert outcomes["other therapist"] == dict.fromkeys(EDITS, "NOT_FOUND")
    assert outcomes["anonymous"] == dict.fromkeys(EDITS, "UNAUTHENTICATED")

    changes = (
        await PatientProfileChange.filter(patient_id=record.id)
        .order_by("id")
        .values_list("changed_by_role", "section")
    )
    # The care team and the admin sent the values the patient had just saved: no change, so
    # no history of theirs.
    assert changes == [
        ("PATIENT", section)
        for section in (
            "DEMOGRAPHICS",
            "HEALTH_HISTORY",
            "CURRENT_CONDITION",
            "GOALS",
            "PREFERENCES",
            "COMMUNICATION",
            "EMERGENCY_CONTACTS",
            "INSURANCE",
            "REVIEW",
        )
    ]


async def test_the_care_team_edits_are_recorded_as_theirs(gql: GraphQLClient) -> None:
    _, record = await make_patient()
    dana, therapist = await make_therapist()
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    await assign(record, therapist)
    assert await attempt(gql, "updateCurrentCondition", record.id, dana.id) == "OK"
    assert await attempt(gql, "updateInsurance", record.id, admin.id) == "OK"
    changes = (
        await PatientProfileChange.filter(patient_id=record.id)
        .order_by("id")
        .values_list("changed_by_id", "changed_by_role", "section")
    )
    assert changes == [
        (dana.id, "THERAPIST", "CURRENT_CONDITION"),
        (admin.id, "ADMIN", "INSURANCE"),
    ]


async def test_access_is_decided_before_the_input_is_checked(gql: GraphQLClient) -> None:
    _, record = await make_patient()
    bob, _ = await make_patient("bob@example.org", given_name="Bob")
    dana, therapist = await make_therapist()
    await assign(record, therapist)
    document = """mutation($input: UpdateInsuranceInput!) { updateInsurance(input: $input) {
      __typename } }"""
    bad = {"patientId": gid("Patient", record.id), "selfPay": True, "payer": "Aetna"}
    as_bob = await gql.execute(document, {"input": bad}, as_user=bob.id)
    assert as_bob["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    as_dana = await gql.execute(document, {"input": bad}, as_user=dana.id)
    assert as_dana["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_ids_of_other_types_are_refused(gql: GraphQLClient) -> None:
    maria, _ = await make_patient()
    document = """mutation($input: UpdateCurrentConditionInput!) {
      updateCurrentCondition(input: $input) { __typename } }"""
    wrong_type = await gql.execute(
        document, {"input": {"patientId": gid("User", maria.id)}}, as_user=maria.id
    )
    assert wrong_type["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "patientId"}


async def test_profile_history_is_for_the_patient_and_care_team(gql: GraphQLClient) -> None:
    maria, record = await make_patient()
    bob, _ = await make_patient("bob@example.org", given_name="Bob")
    dana, therapist = await make_therapist()
    await assign(record, therapist)
    assert await attempt(gql, "updateCurrentCondition", record.id, maria.id) == "OK"
    history_node = "query($id: ID!) { node(id: $id) { ... on ProfileChange { section } } }"
    change = await PatientProfileChange.get(patient_id=record.id)
    variables = {"id": gid("ProfileChange", change.id)}
    for reader in (maria, dana):
        body = await gql.execute(history_node, variables, as_user=reader.id)
        assert body == {"data": {"node": {"section": "CURRENT_CONDITION"}}}
    assert await gql.execute(history_node, variables, as_user=bob.id) == {"data": {"node": None}}
    assert await gql.execute(history_node, variables) == {"data": {"node": None}}
