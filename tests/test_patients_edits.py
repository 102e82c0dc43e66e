"""Editing a profile one section at a time: the checks, the history, the audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from api.models.audit import AuditEvent, RecordAccess
from api.models.patients import Patient, PatientProfileChange, ProfileSection
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient

RESULT = """__typename
  ... on PatientProfileErrors { errors { code field message } }
  ... on PatientProfilePayload { patient { %s } }"""


async def edit(
    gql: GraphQLClient,
    mutation: str,
    values: dict[str, Any],
    *,
    as_user: int,
    patient: Patient,
    returning: str = "id",
) -> dict[str, Any]:
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    document = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {RESULT % returning} }} }}"
    body = await gql.execute(
        document, {"input": {"patientId": gid("Patient", patient.id), **values}}, as_user=as_user
    )
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][mutation]
    return result


def problems(result: dict[str, Any]) -> list[tuple[str, str]]:
    assert result["__typename"] == "PatientProfileErrors", result
    return [(error["code"], error["field"]) for error in result["errors"]]


DEMOGRAPHICS = {
    "givenName": "  Maria  José ",
    "familyName": "Gonzalez",
    "preferredName": "Mari",
    "pronouns": "she/her",
    "dateOfBirth": "1980-05-17",
    "phone": "+1 (555) 010-0123",
    "address": {"line1": "4 Elm Street", "city": "Springfield", "region": "MA", "country": "us"},
    "timeZone": "America/Chicago",
    "preferredLanguage": "es-mx",
}


async def test_demographics_are_cleaned_stored_and_kept_in_history(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    result = await edit(
        gql,
        "updatePatientDemographics",
        DEMOGRAPHICS,
        as_user=user.id,
        patient=patient,
        returning="givenName phone timeZone preferredLanguage address { country postalCode }",
    )
    assert result == {
        "__typename": "PatientProfilePayload",
        "patient": {
            "givenName": "Maria José",
            "phone": "+15550100123",
            "timeZone": "America/Chicago",
            "preferredLanguage": "es-MX",
            "address": {"country": "US", "postalCode": ""},
        },
    }
    change = await PatientProfileChange.get(patient_id=patient.id)
    assert change.section is ProfileSection.DEMOGRAPHICS
    assert (change.changed_by_id, change.changed_by_role) == (user.id, "PATIENT")
    assert change.changed_fields == [
        "address",
        "givenName",
        "phone",
        "preferredLanguage",
        "preferredName",
        "pronouns",
        "timeZone",
    ]
    assert change.before["givenName"] == "Maria"
    assert change.before["address"] == {}
    assert change.after["address"] == {
        "line1": "4 Elm Street",
        "line2": "",
        "city": "Springfield",
        "region": "MA",
        "postalCode": "",
        "country": "US",
    }
    # Only this section: nothing of the health history or insurance is in the snapshot.
    assert set(change.after) == {
        "givenName",
        "familyName",
        "preferredName",
        "pronouns",
        "dateOfBirth",
        "phone",
        "address",
        "timeZone",
        "preferredLanguage",
    }
    event = await AuditEvent.get(action="patient.profile_updated")
    assert (event.actor_user_id, event.acting_for_patient_id) == (user.id, patient.id)
    assert (event.target_type, event.target_id) == ("Patient", str(patient.id))
    assert event.details == {"section": "DEMOGRAPHICS", "fields": 7}
    accesses = await RecordAccess.all().order_by("action").values_list("resource", "action")
    assert accesses == [("Patient", "READ"), ("Patient", "UPDATE")]


async def test_the_same_values_again_change_nothing_and_leave_no_history(
    gql: GraphQLClient,
) -> None:
    user, patient = await make_patient()
    for _ in range(2):
        result = await edit(
            gql, "updatePatientDemographics", DEMOGRAPHICS, as_user=user.id, patient=patient
        )
        assert result["__typename"] == "PatientProfilePayload"
    assert await PatientProfileChange.filter(patient_id=patient.id).count() == 1
    assert await AuditEvent.filter(action="patient.profile_updated").count() == 1


async def test_every_demographics_problem_at_once_and_nothing_saved(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    tomorrow_everywhere = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    result = await edit(
        gql,
        "updatePatientDemographics",
        {
            "givenName": "   ",
            "familyName": "x" * 101,
            "pronouns": "a\x00b",
            "dateOfBirth": tomorrow_everywhere,
            "phone": "12",
            "address": {"line1": "", "city": "Springfield", "country": "USA"},
            "timeZone": "Mars/Olympus",
            "preferredLanguage": "english please",
        },
        as_user=user.id,
        patient=patient,
    )
    assert problems(result) == [
        ("REQUIRED", "address.line1"),
        ("INVALID_COUNTRY", "address.country"),
        ("DATE_IN_FUTURE", "dateOfBirth"),
        ("REQUIRED", "givenName"),
        ("TOO_LONG", "familyName"),
        ("INVALID_TEXT", "pronouns"),
        ("INVALID_PHONE", "phone"),
        ("INVALID_TIME_ZONE", "timeZone"),
        ("INVALID_LANGUAGE", "preferredLanguage"),
    ]
    assert all(error["message"] for error in result["errors"])
    stored = await Patient.get(id=patient.id)
    assert (stored.given_name, stored.time_zone) == ("Maria", "America/New_York")
    assert await PatientProfileChange.all().count() == 0
    assert await AuditEvent.filter(action="patient.profile_updated").count() == 0


HISTORY = {
    "chronicConditions": [{"name": "Asthma", "since": "2001-03-04"}],
    "previousInjuries": [{"description": "Sprained ankle", "occurredOn": "2015-07-01"}],
    "surgeries": [{"procedure": "ACL repair", "performedOn": "2019-06-01", "notes": "left"}],
    "medications": [
        {"name": "Ibuprofen", "dose": "200 mg", "frequency": "as needed"},
        {"name": "Vitamin D", "dose": "1000 IU", "frequency": "daily"},
    ],
    "allergies": [{"substance": "Penicillin", "reaction": "rash", "severity": "SEVERE"}],
}
HISTORY_FIELDS = """healthHistory {
  chronicConditions { name since notes } previousInjuries { description occurredOn }
  surgeries { procedure performedOn notes } medications { name dose frequency }
  allergies { substance severity } }"""


async def test_health_history_round_trips(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    result = await edit(
        gql,
        "updateHealthHistory",
        HISTORY,
        as_user=user.id,
        patient=patient,
        returning=HISTORY_FIELDS,
    )
    assert result["patient"]["healthHistory"] == {
        "chronicConditions": [{"name": "Asthma", "since": "2001-03-04", "notes": ""}],
        "previousInjuries": [{"description": "Sprained ankle", "occurredOn": "2015-07-01"}],
        "surgeries": [{"procedure": "ACL repair", "performedOn": "2019-06-01", "notes": "left"}],
        "medications": [
            {"name": "Ibuprofen", "dose": "200 mg", "frequency": "as needed"},
            {"name": "Vitamin D", "dose": "1000 IU", "frequency": "daily"},
        ],
        "allergies": [{"substance": "Penicillin", "severity": "SEVERE"}],
    }
    change = await PatientProfileChange.get(patient_id=patient.id)
    assert change.changed_fields == [
        "allergies",
        "chronicConditions",
        "medications",
        "previousInjuries",
        "surgeries",
    ]
    assert change.before == {
        "chronicConditions": [],
        "previousInjuries": [],
        "surgeries": [],
        "medications": [],
        "allergies": [],
    }


async def test_health_history_problems_name_their_paths(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    result = await edit(
        gql,
        "updateHealthHistory",
        {
            "chronicConditions": [{"name": f"Condition {i}"} for i in range(51)],
            "surgeries": [{"procedure": "Appendectomy", "performedOn": future}],
            "medications": [
                {"name": "A"},
                {"name": "B"},
                {"name": "C", "dose": "d" * 101},
                {"name": ""},
            ],
            "previousInjuries": [{"description": "Fall", "occurredOn": "1850-01-01"}],
            "allergies": [{"substance": "Latex", "reaction": "r" * 501, "severity": "MILD"}],
        },
        as_user=user.id,
        patient=patient,
    )
    assert problems(result) == [
        ("TOO_MANY", "chronicConditions"),
        ("DATE_TOO_EARLY", "previousInjuries[0].occurredOn"),
        ("DATE_IN_FUTURE", "surgeries[0].performedOn"),
        ("TOO_LONG", "medications[2].dose"),
        ("REQUIRED", "medications[3].name"),
        ("TOO_LONG", "allergies[0].reaction"),
    ]
    assert (await Patient.get(id=patient.id)).medications == []


async def test_confirming_the_review_moves_the_due_date(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    await Patient.filter(id=patient.id).update(profile_review_notified_at=datetime.now(UTC))
    document = """mutation($id: ID!) { confirmProfileReviewed(patientId: $id) { __typename
      ... on PatientProfilePayload { patient { profileReviewedAt profileReviewDueAt } } } }"""
    body = await gql.execute(document, {"id": gid("Patient", patient.id)}, as_user=user.id)
    dates = body["data"]["confirmProfileReviewed"]["patient"]
    reviewed = datetime.fromisoformat(dates["profileReviewedAt"])
    due = datetime.fromisoformat(dates["profileReviewDueAt"])
    assert abs(reviewed - datetime.now(UTC)) < timedelta(seconds=30)
    months_later = (due.year - reviewed.year) * 12 + due.month - reviewed.month
    assert months_later == 3
    stored = await Patient.get(id=patient.id)
    assert stored.profile_review_notified_at is None
    change = await PatientProfileChange.get(patient_id=patient.id)
    assert change.section is ProfileSection.REVIEW
    assert change.changed_fields == ["profileReviewDueAt", "profileReviewedAt"]


async def test_history_pages_newest_first_and_filters_by_section(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    for level in range(4):
        await edit(
            gql, "updateCurrentCondition", {"painLevel": level}, as_user=user.id, patient=patient
        )
    await edit(gql, "updateTreatmentGoals", {"text": "Run again"}, as_user=user.id, patient=patient)
    document = """query($id: ID!, $after: String, $section: ProfileSection) { patient(id: $id) {
      profileHistory(first: 2, after: $after, section: $section) {
        edges { node { section after changedByName changedByRole } }
        pageInfo { hasNextPage hasPreviousPage endCursor } } } }"""
    seen: list[Any] = []
    after = None
    while True:
        body = await gql.execute(
            document,
            {"id": gid("Patient", patient.id), "after": after, "section": "CURRENT_CONDITION"},
            as_user=user.id,
        )
        history = body["data"]["patient"]["profileHistory"]
        seen += [edge["node"]["after"]["painLevel"] for edge in history["edges"]]
        assert history["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not history["pageInfo"]["hasNextPage"]:
            break
        after = history["pageInfo"]["endCursor"]
    assert seen == [3, 2, 1, 0]
    everything = await gql.execute(document, {"id": gid("Patient", patient.id)}, as_user=user.id)
    first = everything["data"]["patient"]["profileHistory"]["edges"][0]["node"]
    assert first == {
        "section": "GOALS",
        "after": {"text": "Run again", "items": []},
        "changedByName": "Maria Gonzalez",
        "changedByRole": "PATIENT",
    }


async def test_a_surgery_today_is_not_in_the_future(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    today = date.today().isoformat()
    result = await edit(
        gql,
        "updateHealthHistory",
        {"surgeries": [{"procedure": "Arthroscopy", "performedOn": today}]},
        as_user=user.id,
        patient=patient,
    )
    assert result["__typename"] == "PatientProfilePayload"
