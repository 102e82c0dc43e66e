"""Each section of a profile: its checks, the columns it is stored in, and its snapshot.

The list and object sections are stored as JSON with the API's own (camelCase) keys, and a
snapshot of a section speaks the same names, so a history entry's `changedFields`, `before` and
`after` read like the fields a client edits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, assert_never

from api.models.patients import Patient, ProfileSection
from api.services.patients import commands as c
from api.services.patients.errors import PatientProfileErrorCode as Code
from api.services.patients.validation import Checks

MAX_HISTORY_ENTRIES = 50  # per list: conditions, injuries, surgeries, medications, allergies
MAX_GOALS = 20
MAX_CONTACTS = 10
NAME, SHORT, NOTE, LONG = 100, 200, 2000, 4000
SPREAD = "*"  # an object column whose keys are the section's fields

# column -> the name a client knows it by (SPREAD: the column's keys are the names).
SECTION_COLUMNS: dict[ProfileSection, dict[str, str]] = {
    ProfileSection.DEMOGRAPHICS: {
        "given_name": "givenName",
        "family_name": "familyName",
        "preferred_name": "preferredName",
        "pronouns": "pronouns",
        "date_of_birth": "dateOfBirth",
        "phone": "phone",
        "address": "address",
        "time_zone": "timeZone",
        "preferred_language": "preferredLanguage",
    },
    ProfileSection.HEALTH_HISTORY: {
        "chronic_conditions": "chronicConditions",
        "previous_injuries": "previousInjuries",
        "surgeries": "surgeries",
        "medications": "medications",
        "allergies": "allergies",
    },
    ProfileSection.CURRENT_CONDITION: {
        "current_symptoms": "symptoms",
        "pain_level": "painLevel",
        "mobility_limitations": "mobilityLimitations",
    },
    ProfileSection.GOALS: {"goals_text": "text", "goals": "items"},
    ProfileSection.PREFERENCES: {"preferences": SPREAD},
    ProfileSection.COMMUNICATION: {"communication": SPREAD},
    ProfileSection.EMERGENCY_CONTACTS: {"emergency_contacts": "emergencyContacts"},
    ProfileSection.INSURANCE: {"insurance": SPREAD},
    ProfileSection.REVIEW: {
        "profile_reviewed_at": "profileReviewedAt",
        "profile_review_due_at": "profileReviewDueAt",
    },
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def snapshot(section: ProfileSection, patient: Patient) -> dict[str, Any]:
    """The section as a JSON object, named as the API names it."""
    values: dict[str, Any] = {}
    for column, name in SECTION_COLUMNS[section].items():
        value = getattr(patient, column)
        if name == SPREAD:
            values.update(value or {})
        else:
            values[name] = _jsonable(value)
    return values


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names whose value changed; a missing value and an empty one are the same."""
    names = sorted(set(before) | set(after))
    return [
        name
        for name in names
        if before.get(name) != after.get(name)
        and not (_blank(before.get(name)) and _blank(after.get(name)))
    ]


def section_of(edit: c.SectionEdit) -> ProfileSection:
    return _SECTIONS[type(edit)]


def columns_for(edit: c.SectionEdit, checks: Checks) -> dict[str, Any]:
    """The patient columns this edit sets, cleaned; problems go to `checks`."""
    match edit:
        case c.Demographics():
            return _demographics(edit, checks)
        case c.HealthHistory():
            return _health_history(edit, checks)
        case c.CurrentCondition():
            return {
                "current_symptoms": checks.text(
                    edit.symptoms, "symptoms", max_length=LONG, lines=True
                ),
                "pain_level": checks.in_range(edit.pain_level, "painLevel", 0, 10),
                "mobility_limitations": checks.text(
                    edit.mobility_limitations, "mobilityLimitations", max_length=LONG, lines=True
                ),
            }
        case c.TreatmentGoals():
            return _goals(edit, checks)
        case c.SchedulingPreferences():
            return {"preferences": _preferences(edit, checks)}
        case c.CommunicationPreferences():
            return {"communication": _communication(edit, checks)}
        case c.EmergencyContacts():
            return {"emergency_contacts": _contacts(edit.contacts, checks)}
        case c.Insurance():
            return {"insurance": _insurance(edit, checks)}
        case _:
            assert_never(edit)


_SECTIONS: dict[type, ProfileSection] = {
    c.Demographics: ProfileSection.DEMOGRAPHICS,
    c.HealthHistory: ProfileSection.HEALTH_HISTORY,
    c.CurrentCondition: ProfileSection.CURRENT_CONDITION,
    c.TreatmentGoals: ProfileSection.GOALS,
    c.SchedulingPreferences: ProfileSection.PREFERENCES,
    c.CommunicationPreferences: ProfileSection.COMMUNICATION,
    c.EmergencyContacts: ProfileSection.EMERGENCY_CONTACTS,
    c.Insurance: ProfileSection.INSURANCE,
}


def _demographics(edit: c.Demographics, checks: Checks) -> dict[str, Any]:
    address: dict[str, Any] = {}
    if edit.address is not None:
        given = edit.address
        address = {
            "line1": checks.text(given.line1, "address.line1", max_length=SHORT, required=True),
            "line2": checks.text(given.line2, "address.line2", max_length=SHORT),
            "city": checks.text(given.city, "address.city", max_length=NAME, required=True),
            "region": checks.text(given.region, "address.region", max_length=NAME),
            "postalCode": checks.text(given.postal_code, "address.postalCode", max_length=20),
            "country": checks.country(given.country, "address.country"),
        }
    born = checks.past_date(edit.date_of_birth, "dateOfBirth")
    if born is not None and checks.today.year - born.year > 130:
        checks.fail(Code.DATE_TOO_EARLY, "Check the year of birth.", "dateOfBirth")
    return {
        "given_name": checks.text(edit.given_name, "givenName", max_length=NAME, required=True),
        "family_name": checks.text(edit.family_name, "familyName", max_length=NAME),
        "preferred_name": checks.text(edit.preferred_name, "preferredName", max_length=NAME),
        "pronouns": checks.text(edit.pronouns, "pronouns", max_length=40),
        "date_of_birth": born,
        "phone": checks.phone(edit.phone, "phone"),
        "address": address,
        "time_zone": checks.time_zone(edit.time_zone, "timeZone"),
        "preferred_language": checks.language(edit.preferred_language, "preferredLanguage"),
    }


def _health_history(edit: c.HealthHistory, checks: Checks) -> dict[str, Any]:
    def listed(items: list[Any], field: str) -> list[tuple[str, Any]]:
        checks.at_most(items, field, MAX_HISTORY_ENTRIES)
        return [(f"{field}[{index}]", item) for index, item in enumerate(items)]

    return {
        "chronic_conditions": [
            {
                "name": checks.text(item.name, f"{at}.name", max_length=SHORT, required=True),
                "since": _iso(checks.past_date(item.since, f"{at}.since")),
                "notes": checks.text(item.notes, f"{at}.notes", max_length=NOTE, lines=True),
            }
            for at, item in listed(edit.chronic_conditions, "chronicConditions")
        ],
        "previous_injuries": [
            {
                "description": checks.text(
                    item.description, f"{at}.description", max_length=500, required=True
                ),
                "occurredOn": _iso(checks.past_date(item.occurred_on, f"{at}.occurredOn")),
                "notes": checks.text(item.notes, f"{at}.notes", max_length=NOTE, lines=True),
            }
            for at, item in listed(edit.previous_injuries, "previousInjuries")
        ],
        "surgeries": [
            {
                "procedure": checks.text(
                    item.procedure, f"{at}.procedure", max_length=SHORT, required=True
                ),
                "performedOn": _iso(checks.past_date(item.performed_on, f"{at}.performedOn")),
                "notes": checks.text(item.notes, f"{at}.notes", max_length=NOTE, lines=True),
            }
            for at, item in listed(edit.surgeries, "surgeries")
        ],
        "medications": [
            {
                "name": checks.text(item.name, f"{at}.name", max_length=SHORT, required=True),
                "dose": checks.text(item.dose, f"{at}.dose", max_length=NAME),
                "frequency": checks.text(item.frequency, f"{at}.frequency", max_length=NAME),
                "notes": checks.text(item.notes, f"{at}.notes", max_length=NOTE, lines=True),
            }
            for at, item in listed(edit.medications, "medications")
        ],
        "allergies": [
            {
                "substance": checks.text(
                    item.substance, f"{at}.substance", max_length=SHORT, required=True
                ),
                "reaction": checks.text(item.reaction, f"{at}.reaction", max_length=500),
                "severity": item.severity.value,
            }
            for at, item in listed(edit.allergies, "allergies")
        ],
    }


def _goals(edit: c.TreatmentGoals, checks: Checks) -> dict[str, Any]:
    checks.at_most(edit.items, "items", MAX_GOALS)
    return {
        "goals_text": checks.text(edit.text, "text", max_length=LONG, lines=True),
        "goals": [
            {
                "description": checks.text(
                    goal.description, f"items[{index}].description", max_length=500, required=True
                ),
                "targetDate": _iso(
                    checks.plausible_date(goal.target_date, f"items[{index}].targetDate")
                ),
            }
            for index, goal in enumerate(edit.items)
        ],
    }


def _preferences(edit: c.SchedulingPreferences, checks: Checks) -> dict[str, Any]:
    # Kept in the week's (and the day's) order, each once, however the client sent them.
    days = [day.value for day in c.Weekday if day in edit.preferred_days]
    times = [time.value for time in c.TimeOfDay if time in edit.preferred_times]
    return {
        "preferredDays": days,
        "preferredTimes": times,
        "sessionsPerWeek": checks.in_range(edit.sessions_per_week, "sessionsPerWeek", 1, 14),
        "schedulingConstraints": checks.text(
            edit.scheduling_constraints, "schedulingConstraints", max_length=NOTE, lines=True
        ),
        "telehealth": edit.telehealth.value,
    }


def _communication(edit: c.CommunicationPreferences, checks: Checks) -> dict[str, Any]:
    return {
        "preferredChannel": edit.preferred_channel.value,
        "language": checks.language(edit.language, "language", required=False),
        "okToLeaveVoicemail": edit.ok_to_leave_voicemail,
        "contactWindow": checks.text(edit.contact_window, "contactWindow", max_length=SHORT),
    }


def _contacts(contacts: list[c.EmergencyContact], checks: Checks) -> list[dict[str, Any]]:
    checks.at_most(contacts, "emergencyContacts", MAX_CONTACTS)
    primaries = [index for index, contact in enumerate(contacts) if contact.is_primary]
    for index in primaries[1:]:
        checks.fail(
            Code.MULTIPLE_PRIMARY_CONTACTS,
            "Only one contact can be the primary one.",
            f"emergencyContacts[{index}].isPrimary",
        )
    stored = []
    for index, contact in enumerate(contacts):
        at = f"emergencyContacts[{index}]"
        stored.append(
            {
                "name": checks.text(contact.name, f"{at}.name", max_length=SHORT, required=True),
                "relationship": checks.text(
                    contact.relationship, f"{at}.relationship", max_length=NAME, required=True
                ),
                "phone": checks.phone(contact.phone, f"{at}.phone", required=True),
                "email": checks.email(contact.email, f"{at}.email"),
                "isPrimary": contact.is_primary,
            }
        )
    return stored


def _insurance(edit: c.Insurance, checks: Checks) -> dict[str, Any]:
    payer = checks.text(edit.payer, "payer", max_length=SHORT)
    member_id = checks.text(edit.member_id, "memberId", max_length=40)
    group_id = checks.text(edit.group_id, "groupId", max_length=40)
    if edit.self_pay:
        for field, value in (("payer", payer), ("memberId", member_id), ("groupId", group_id)):
            if value:
                checks.fail(
                    Code.SELF_PAY_CONFLICT,
                    "Leave this empty when paying yourself, or turn self-pay off.",
                    field,
                )
    else:
        if not payer:
            checks.fail(Code.REQUIRED, "Enter the insurer, or choose self-pay.", "payer")
        if not member_id:
            checks.fail(Code.REQUIRED, "Enter the member id from the card.", "memberId")
    relationship = edit.subscriber_relationship
    subscriber = checks.text(edit.subscriber_name, "subscriberName", max_length=SHORT)
    if not edit.self_pay and relationship is not c.SubscriberRelationship.SELF and not subscriber:
        checks.fail(Code.REQUIRED, "Enter the name of the person the plan is in.", "subscriberName")
    return {
        "selfPay": edit.self_pay,
        "payer": payer,
        "memberId": member_id,
        "groupId": group_id,
        "subscriberName": subscriber,
        "subscriberRelationship": relationship.value,
        "subscriberDateOfBirth": _iso(
            checks.past_date(edit.subscriber_date_of_birth, "subscriberDateOfBirth")
        ),
    }
