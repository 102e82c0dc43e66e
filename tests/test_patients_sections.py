"""Each profile section's own checks and how it reads back: condition, goals, preferences,
communication, emergency contacts, insurance."""

from __future__ import annotations

from api.models.audit import AuditEvent
from api.models.patients import PatientProfileChange
from tests.clinical_support import make_patient
from tests.conftest import GraphQLClient
from tests.test_patients_edits import edit, problems


async def test_current_condition_and_its_pain_scale(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    fields = "currentCondition { symptoms painLevel mobilityLimitations }"
    bad = await edit(
        gql, "updateCurrentCondition", {"painLevel": 11}, as_user=user.id, patient=patient
    )
    assert problems(bad) == [("OUT_OF_RANGE", "painLevel")]
    negative = await edit(
        gql, "updateCurrentCondition", {"painLevel": -1}, as_user=user.id, patient=patient
    )
    assert problems(negative) == [("OUT_OF_RANGE", "painLevel")]
    good = await edit(
        gql,
        "updateCurrentCondition",
        {"symptoms": "Aches\non stairs", "painLevel": 0, "mobilityLimitations": "No running"},
        as_user=user.id,
        patient=patient,
        returning=fields,
    )
    assert good["patient"]["currentCondition"] == {
        "symptoms": "Aches\non stairs",
        "painLevel": 0,
        "mobilityLimitations": "No running",
    }


async def test_treatment_goals(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    too_many = await edit(
        gql,
        "updateTreatmentGoals",
        {"items": [{"description": f"Goal {i}"} for i in range(21)] + [{"description": " "}]},
        as_user=user.id,
        patient=patient,
    )
    assert problems(too_many) == [("TOO_MANY", "items"), ("REQUIRED", "items[21].description")]
    good = await edit(
        gql,
        "updateTreatmentGoals",
        {
            "text": "Play with my kids",
            "items": [{"description": "Squat to the floor", "targetDate": "2027-03-01"}],
        },
        as_user=user.id,
        patient=patient,
        returning="treatmentGoals { text items { description targetDate } }",
    )
    assert good["patient"]["treatmentGoals"] == {
        "text": "Play with my kids",
        "items": [{"description": "Squat to the floor", "targetDate": "2027-03-01"}],
    }


async def test_scheduling_preferences_keep_the_week_order(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    bad = await edit(
        gql, "updateSchedulingPreferences", {"sessionsPerWeek": 0}, as_user=user.id, patient=patient
    )
    assert problems(bad) == [("OUT_OF_RANGE", "sessionsPerWeek")]
    good = await edit(
        gql,
        "updateSchedulingPreferences",
        {
            "preferredDays": ["FRIDAY", "MONDAY", "FRIDAY"],
            "preferredTimes": ["EVENING", "MORNING"],
            "sessionsPerWeek": 2,
            "schedulingConstraints": "School run 3-4 pm",
            "telehealth": "TELEHEALTH",
        },
        as_user=user.id,
        patient=patient,
        returning="preferences { preferredDays preferredTimes sessionsPerWeek telehealth }",
    )
    assert good["patient"]["preferences"] == {
        "preferredDays": ["MONDAY", "FRIDAY"],
        "preferredTimes": ["MORNING", "EVENING"],
        "sessionsPerWeek": 2,
        "telehealth": "TELEHEALTH",
    }


async def test_communication_preferences(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    bad = await edit(
        gql,
        "updateCommunicationPreferences",
        {"language": "not a language", "contactWindow": "x" * 201},
        as_user=user.id,
        patient=patient,
    )
    assert problems(bad) == [("INVALID_LANGUAGE", "language"), ("TOO_LONG", "contactWindow")]
    good = await edit(
        gql,
        "updateCommunicationPreferences",
        {
            "preferredChannel": "PHONE",
            "language": "PT-br",
            "okToLeaveVoicemail": True,
            "contactWindow": "Weekdays after 5 pm",
        },
        as_user=user.id,
        patient=patient,
        returning="communication { preferredChannel language okToLeaveVoicemail contactWindow }",
    )
    assert good["patient"]["communication"] == {
        "preferredChannel": "PHONE",
        "language": "pt-BR",
        "okToLeaveVoicemail": True,
        "contactWindow": "Weekdays after 5 pm",
    }


CONTACT = {"name": "Luis Gonzalez", "relationship": "brother", "phone": "+1 555 010 0777"}


async def test_emergency_contacts_allow_one_primary(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    bad = await edit(
        gql,
        "updateEmergencyContacts",
        {
            "contacts": [
                {**CONTACT, "isPrimary": True},
                {**CONTACT, "isPrimary": True, "email": "not-an-email"},
                {**CONTACT, "phone": "", "relationship": ""},
            ]
        },
        as_user=user.id,
        patient=patient,
    )
    assert problems(bad) == [
        ("MULTIPLE_PRIMARY_CONTACTS", "emergencyContacts[1].isPrimary"),
        ("INVALID_EMAIL", "emergencyContacts[1].email"),
        ("REQUIRED", "emergencyContacts[2].relationship"),
        ("REQUIRED", "emergencyContacts[2].phone"),
    ]
    too_many = await edit(
        gql,
        "updateEmergencyContacts",
        {"contacts": [CONTACT] * 11},
        as_user=user.id,
        patient=patient,
    )
    assert problems(too_many) == [("TOO_MANY", "emergencyContacts")]
    good = await edit(
        gql,
        "updateEmergencyContacts",
        {
            "contacts": [
                {**CONTACT, "isPrimary": True, "email": "Luis@Example.org"},
                {"name": "Ana Ruiz", "relationship": "friend", "phone": "+34 600 000 000"},
            ]
        },
        as_user=user.id,
        patient=patient,
        returning="emergencyContacts { name phone email isPrimary }",
    )
    assert good["patient"]["emergencyContacts"] == [
        {
            "name": "Luis Gonzalez",
            "phone": "+15550100777",
            "email": "luis@example.org",
            "isPrimary": True,
        },
        {"name": "Ana Ruiz", "phone": "+34600000000", "email": None, "isPrimary": False},
    ]


INSURANCE_FIELDS = "insurance { selfPay payer memberId groupId subscriberRelationship }"


async def test_insurance_is_self_pay_or_an_insurer(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    both = await edit(
        gql,
        "updateInsurance",
        {"selfPay": True, "payer": "Aetna", "memberId": "M1"},
        as_user=user.id,
        patient=patient,
    )
    assert problems(both) == [("SELF_PAY_CONFLICT", "payer"), ("SELF_PAY_CONFLICT", "memberId")]
    neither = await edit(
        gql,
        "updateInsurance",
        {"selfPay": False, "subscriberRelationship": "SPOUSE"},
        as_user=user.id,
        patient=patient,
    )
    assert problems(neither) == [
        ("REQUIRED", "payer"),
        ("REQUIRED", "memberId"),
        ("REQUIRED", "subscriberName"),
    ]
    insured = await edit(
        gql,
        "updateInsurance",
        {"payer": "Aetna", "memberId": "W123-456", "groupId": "G9"},
        as_user=user.id,
        patient=patient,
        returning=INSURANCE_FIELDS,
    )
    assert insured["patient"]["insurance"] == {
        "selfPay": False,
        "payer": "Aetna",
        "memberId": "W123-456",
        "groupId": "G9",
        "subscriberRelationship": "SELF",
    }
    self_pay = await edit(
        gql,
        "updateInsurance",
        {"selfPay": True},
        as_user=user.id,
        patient=patient,
        returning=INSURANCE_FIELDS,
    )
    assert self_pay["patient"]["insurance"] == {
        "selfPay": True,
        "payer": "",
        "memberId": "",
        "groupId": "",
        "subscriberRelationship": "SELF",
    }
    changes = await PatientProfileChange.filter(patient_id=patient.id).order_by("id")
    assert [change.changed_fields for change in changes] == [
        # The first entry sets every field (the relationship defaults to SELF).
        ["groupId", "memberId", "payer", "selfPay", "subscriberRelationship"],
        ["groupId", "memberId", "payer", "selfPay"],
    ]
    assert changes[1].before["payer"] == "Aetna"
    assert changes[1].after["payer"] == ""
    events = await AuditEvent.filter(action="patient.profile_updated").order_by("id")
    assert [event.details for event in events] == [
        {"section": "INSURANCE", "fields": 5},
        {"section": "INSURANCE", "fields": 4},
    ]
