"""Reading a patient's record: every section, who may read it, and what it costs in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from api.models.accounts import Role
from api.models.audit import RecordAccess
from api.models.patients import Patient, PatientProfileChange, ProfileSection
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql

PROFILE = """
  id givenName familyName preferredName pronouns dateOfBirth phone email
  address { line1 line2 city region postalCode country }
  timeZone preferredLanguage
  healthHistory {
    chronicConditions { name since notes }
    previousInjuries { description occurredOn notes }
    surgeries { procedure performedOn notes }
    medications { name dose frequency notes }
    allergies { substance reaction severity }
  }
  currentCondition { symptoms painLevel mobilityLimitations }
  treatmentGoals { text items { description targetDate } }
  preferences { preferredDays preferredTimes sessionsPerWeek schedulingConstraints telehealth }
  communication { preferredChannel language okToLeaveVoicemail contactWindow }
  emergencyContacts { name relationship phone email isPrimary }
  insurance { selfPay payer memberId groupId subscriberName subscriberRelationship
              subscriberDateOfBirth }
  profileReviewedAt profileReviewDueAt
"""
PATIENT = "query($id: ID!) { patient(id: $id) { " + PROFILE + " } }"
PATIENT_WITH_HISTORY = (
    "query($id: ID!) { patient(id: $id) { "
    + PROFILE
    + """ profileHistory(first: 5) {
      edges { cursor node { id changedAt changedByName changedByRole section changedFields
                            before after } }
      pageInfo { hasNextPage endCursor } } } }"""
)
MY_PATIENT = "{ myPatient { id givenName email } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Patient { givenName } } }"
NAME_ONLY = "query($id: ID!) { patient(id: $id) { givenName } }"

STORED_SECTIONS: dict[str, Any] = {
    "preferred_name": "Mari",
    "pronouns": "she/her",
    "phone": "+15550100123",
    "address": {
        "line1": "4 Elm Street",
        "line2": "Apt 2",
        "city": "Springfield",
        "region": "MA",
        "postalCode": "01101",
        "country": "US",
    },
    "preferred_language": "es-MX",
    "chronic_conditions": [{"name": "Asthma", "since": "2001-03-04", "notes": "mild"}],
    "previous_injuries": [{"description": "Sprained ankle", "occurredOn": None, "notes": ""}],
    "surgeries": [{"procedure": "ACL repair", "performedOn": "2019-06-01", "notes": "left knee"}],
    "medications": [{"name": "Ibuprofen", "dose": "200 mg", "frequency": "as needed", "notes": ""}],
    "allergies": [{"substance": "Penicillin", "reaction": "rash", "severity": "MODERATE"}],
    "current_symptoms": "Knee pain on stairs",
    "pain_level": 4,
    "mobility_limitations": "No running",
    "goals_text": "Walk the dog again",
    "goals": [{"description": "Walk 30 minutes", "targetDate": "2027-01-15"}],
    "preferences": {
        "preferredDays": ["MONDAY", "THURSDAY"],
        "preferredTimes": ["MORNING"],
        "sessionsPerWeek": 2,
        "schedulingConstraints": "Not before 8",
        "telehealth": "IN_PERSON",
    },
    "communication": {"preferredChannel": "SMS", "okToLeaveVoicemail": True},
    "emergency_contacts": [
        {
            "name": "Luis Gonzalez",
            "relationship": "brother",
            "phone": "+15550100777",
            "email": "",
            "isPrimary": True,
        }
    ],
    "insurance": {
        "selfPay": False,
        "payer": "Blue Shield",
        "memberId": "XJH-1234",
        "groupId": "G77",
        "subscriberName": "",
        "subscriberRelationship": "SELF",
        "subscriberDateOfBirth": None,
    },
}


async def _filled_patient(email: str = "maria@example.org") -> tuple[int, Patient]:
    user, patient = await make_patient(email)
    await Patient.filter(id=patient.id).update(**STORED_SECTIONS)
    return user.id, patient


async def test_every_section_reads_back_as_stored(gql: GraphQLClient) -> None:
    user_id, patient = await _filled_patient()
    body = await gql.execute(PATIENT, {"id": gid("Patient", patient.id)}, as_user=user_id)
    assert "errors" not in body, body
    record = body["data"]["patient"]
    assert record == {
        "id": gid("Patient", patient.id),
        "givenName": "Maria",
        "familyName": "Gonzalez",
        "preferredName": "Mari",
        "pronouns": "she/her",
        "dateOfBirth": "1980-05-17",
        "phone": "+15550100123",
        "email": "maria@example.org",
        "address": {
            "line1": "4 Elm Street",
            "line2": "Apt 2",
            "city": "Springfield",
            "region": "MA",
            "postalCode": "01101",
            "country": "US",
        },
        "timeZone": "America/New_York",
        "preferredLanguage": "es-MX",
        "healthHistory": {
            "chronicConditions": [{"name": "Asthma", "since": "2001-03-04", "notes": "mild"}],
            "previousInjuries": [
                {"description": "Sprained ankle", "occurredOn": None, "notes": ""}
            ],
            "surgeries": [
                {"procedure": "ACL repair", "performedOn": "2019-06-01", "notes": "left knee"}
            ],
            "medications": [
                {"name": "Ibuprofen", "dose": "200 mg", "frequency": "as needed", "notes": ""}
            ],
            "allergies": [{"substance": "Penicillin", "reaction": "rash", "severity": "MODERATE"}],
        },
        "currentCondition": {
            "symptoms": "Knee pain on stairs",
            "painLevel": 4,
            "mobilityLimitations": "No running",
        },
        "treatmentGoals": {
            "text": "Walk the dog again",
            "items": [{"description": "Walk 30 minutes", "targetDate": "2027-01-15"}],
        },
        "preferences": {
            "preferredDays": ["MONDAY", "THURSDAY"],
            "preferredTimes": ["MORNING"],
            "sessionsPerWeek": 2,
            "schedulingConstraints": "Not before 8",
            "telehealth": "IN_PERSON",
        },
        # Unset language falls back to the preferred language; unset window is empty.
        "communication": {
            "preferredChannel": "SMS",
            "language": "es-MX",
            "okToLeaveVoicemail": True,
            "contactWindow": "",
        },
        "emergencyContacts": [
            {
                "name": "Luis Gonzalez",
                "relationship": "brother",
                "phone": "+15550100777",
                "email": None,
                "isPrimary": True,
            }
        ],
        "insurance": {
            "selfPay": False,
            "payer": "Blue Shield",
            "memberId": "XJH-1234",
            "groupId": "G77",
            "subscriberName": "",
            "subscriberRelationship": "SELF",
            "subscriberDateOfBirth": None,
        },
        "profileReviewedAt": None,
        "profileReviewDueAt": None,
    }


async def test_a_new_record_reads_as_empty_sections(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    body = await gql.execute(PATIENT, {"id": gid("Patient", patient.id)}, as_user=user.id)
    record = body["data"]["patient"]
    assert record["address"] is None
    assert record["insurance"] is None
    assert record["healthHistory"] == {
        "chronicConditions": [],
        "previousInjuries": [],
        "surgeries": [],
        "medications": [],
        "allergies": [],
    }
    assert record["preferences"] == {
        "preferredDays": [],
        "preferredTimes": [],
        "sessionsPerWeek": None,
        "schedulingConstraints": "",
        "telehealth": "EITHER",
    }
    assert record["communication"] == {
        "preferredChannel": "EMAIL",
        "language": "en",
        "okToLeaveVoicemail": False,
        "contactWindow": "",
    }
    assert record["currentCondition"] == {
        "symptoms": "",
        "painLevel": None,
        "mobilityLimitations": "",
    }


async def test_who_may_read_a_record(gql: GraphQLClient) -> None:
    maria, record = await make_patient()
    bob, _ = await make_patient("bob@example.org", given_name="Bob", family_name="Stone")
    dana, therapist = await make_therapist()
    other, _ = await make_therapist("lee@clinic.test", name="Lee Park")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    await assign(record, therapist)
    variables = {"id": gid("Patient", record.id)}

    for reader in (maria, dana, admin):
        body = await gql.execute(NAME_ONLY, variables, as_user=reader.id)
        assert body == {"data": {"patient": {"givenName": "Maria"}}}, reader.email
    for outsider in (bob, other):
        body = await gql.execute(NAME_ONLY, variables, as_user=outsider.id)
        assert body == {"data": {"patient": None}}, outsider.email
    anonymous = await gql.execute(NAME_ONLY, variables)
    assert anonymous["data"] == {"patient": None}
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_ended_assignment_ends_access(gql: GraphQLClient) -> None:
    _, record = await make_patient()
    dana, therapist = await make_therapist()
    member = await assign(record, therapist)
    member.ended_at = datetime.now(UTC)
    await member.save()
    body = await gql.execute(NAME_ONLY, {"id": gid("Patient", record.id)}, as_user=dana.id)
    assert body == {"data": {"patient": None}}


async def test_node_goes_through_the_scope(gql: GraphQLClient) -> None:
    maria, record = await make_patient()
    bob, _ = await make_patient("bob@example.org", given_name="Bob")
    variables = {"id": gid("Patient", record.id)}
    own = await gql.execute(NODE, variables, as_user=maria.id)
    assert own == {"data": {"node": {"id": gid("Patient", record.id), "givenName": "Maria"}}}
    assert await gql.execute(NODE, variables, as_user=bob.id) == {"data": {"node": None}}
    assert await gql.execute(NODE, variables) == {"data": {"node": None}}
    missing = await gql.execute(NODE, {"id": gid("Patient", 999999)}, as_user=maria.id)
    assert missing == {"data": {"node": None}}


async def test_my_patient(gql: GraphQLClient) -> None:
    maria, record = await make_patient()
    dana, _ = await make_therapist()
    own = await gql.execute(MY_PATIENT, as_user=maria.id)
    assert own == {
        "data": {
            "myPatient": {
                "id": gid("Patient", record.id),
                "givenName": "Maria",
                "email": "maria@example.org",
            }
        }
    }
    assert await gql.execute(MY_PATIENT, as_user=dana.id) == {"data": {"myPatient": None}}
    anonymous = await gql.execute(MY_PATIENT)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_patient_without_an_account_has_no_email(gql: GraphQLClient) -> None:
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    child = await Patient.create(
        given_name="Sam", family_name="Lee", date_of_birth=date(2018, 1, 2)
    )
    body = await gql.execute(
        "query($id: ID!) { patient(id: $id) { givenName email } }",
        {"id": gid("Patient", child.id)},
        as_user=admin.id,
    )
    assert body == {"data": {"patient": {"givenName": "Sam", "email": None}}}


async def test_out_of_reach_and_malformed_ids_cost_no_sql_beyond_the_scope(
    gql: GraphQLClient,
) -> None:
    bob, _ = await make_patient("bob@example.org", given_name="Bob")
    _, record = await make_patient()
    with count_sql() as baseline:
        await gql.execute("{ signInState }", as_user=bob.id)
    for value in (gid("Patient", record.id), gid("User", record.id), gid("Patient", "x1")):
        with count_sql() as sql:
            body = await gql.execute(NAME_ONLY, {"id": value}, as_user=bob.id)
        assert body == {"data": {"patient": None}}, value
        assert sql.count == baseline.count, sql.statements
    garbage = await gql.execute(NAME_ONLY, {"id": "not a global id"}, as_user=bob.id)
    assert garbage["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def test_reads_are_in_the_record_access_log(gql: GraphQLClient) -> None:
    user_id, patient = await _filled_patient()
    await gql.execute(PATIENT, {"id": gid("Patient", patient.id)}, as_user=user_id)
    rows = (
        await RecordAccess.all()
        .order_by("resource")
        .values_list("resource", "resource_id", "action", "actor_role", "patient_id")
    )
    assert rows == [
        ("Insurance", str(patient.id), "READ", "PATIENT", patient.id),
        ("Patient", str(patient.id), "READ", "PATIENT", patient.id),
    ]


async def _history(patient: Patient, user_id: int, count: int) -> None:
    await PatientProfileChange.bulk_create(
        [
            PatientProfileChange(
                patient_id=patient.id,
                changed_by_id=user_id,
                changed_by_role="PATIENT",
                changed_at=datetime(2026, 1, 1, 12, 0, index, tzinfo=UTC),
                section=ProfileSection.CURRENT_CONDITION,
                changed_fields=["painLevel"],
                before={"painLevel": index},
                after={"painLevel": index + 1},
            )
            for index in range(count)
        ]
    )


async def test_a_whole_profile_with_history_costs_the_same_sql_whatever_the_history(
    gql: GraphQLClient,
) -> None:
    counts = []
    for rows in (1, 20):
        user_id, patient = await _filled_patient(f"patient{rows}@example.org")
        await _history(patient, user_id, rows)
        with count_sql() as sql:
            body = await gql.execute(
                PATIENT_WITH_HISTORY, {"id": gid("Patient", patient.id)}, as_user=user_id
            )
        assert "errors" not in body, body
        edges = body["data"]["patient"]["profileHistory"]["edges"]
        assert len(edges) == min(rows, 5)
        assert body["data"]["patient"]["profileHistory"]["pageInfo"]["hasNextPage"] is (rows > 5)
        counts.append(sql.count)
    # Scope (roles, own record), the patient, its history page, the record-access insert.
    assert counts == [5, 5]


async def test_several_patients_and_histories_are_read_in_one_statement_each(
    gql: GraphQLClient,
) -> None:
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    patients = []
    for index, rows in enumerate((3, 0, 7)):
        user_id, patient = await _filled_patient(f"p{index}@example.org")
        await _history(patient, user_id, rows)
        patients.append(patient)
    history = (
        "givenName profileHistory(first: 2) { edges { node { after } } pageInfo { hasNextPage } }"
    )
    document = (
        "query($a: ID!, $b: ID!, $c: ID!) { "
        + " ".join(f"{alias}: patient(id: ${alias}) {{ {history} }}" for alias in "abc")
        + " }"
    )
    variables = {alias: gid("Patient", p.id) for alias, p in zip("abc", patients, strict=True)}
    with count_sql() as sql:
        body = await gql.execute(document, variables, as_user=admin.id)
    histories = [body["data"][alias]["profileHistory"] for alias in "abc"]
    assert [[edge["node"]["after"] for edge in h["edges"]] for h in histories] == [
        [{"painLevel": 3}, {"painLevel": 2}],
        [],
        [{"painLevel": 7}, {"painLevel": 6}],
    ]
    assert [h["pageInfo"]["hasNextPage"] for h in histories] == [True, False, True]
    history_reads = [s for s in sql.statements if "patients_profile_change" in s]
    assert len(history_reads) == 1
    # Roles (an admin has no patient or care-team reads), the patients, the history, the log.
    assert sql.count == 4
