"""The parts of a patient's profile: plain types built from the stored JSON, leaves plain.

Stored list items carry the API's own keys (api/services/patients/sections.py writes them);
a record made before a section was first edited reads as that section's empty form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from api.access.needs import Need, patient_owned
from api.services.patients import commands

Weekday = strawberry.enum(commands.Weekday, description="A day of the week.")
TimeOfDay = strawberry.enum(commands.TimeOfDay, description="A part of the day for sessions.")
TelehealthPreference = strawberry.enum(
    commands.TelehealthPreference, description="Sessions in the clinic, by video, or either."
)
ContactChannel = strawberry.enum(
    commands.ContactChannel, description="How the patient wants the clinic to reach them."
)
AllergySeverity = strawberry.enum(commands.AllergySeverity, description="How bad a reaction is.")
SubscriberRelationship = strawberry.enum(
    commands.SubscriberRelationship, description="The patient's relation to the plan's holder."
)

JsonObject = dict[str, Any]


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="A postal address.")
class PatientAddress:
    line1: str
    line2: str
    city: str
    region: str = strawberry.field(description="State, province or county.")
    postal_code: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. US.")

    @classmethod
    def from_json(cls, value: JsonObject) -> PatientAddress | None:
        if not value:
            return None
        return cls(
            line1=value.get("line1", ""),
            line2=value.get("line2", ""),
            city=value.get("city", ""),
            region=value.get("region", ""),
            postal_code=value.get("postalCode", ""),
            country=value.get("country", ""),
        )


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="A long-lasting condition (diabetes, asthma...).")
class ChronicCondition:
    name: str
    since: date | None = strawberry.field(description="When it was diagnosed, if known.")
    notes: str


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="An injury in the past.")
class PreviousInjury:
    description: str
    occurred_on: date | None
    notes: str


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="An operation the patient had.")
class Surgery:
    procedure: str
    performed_on: date
    notes: str


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="A medicine the patient takes.")
class Medication:
    name: str
    dose: str = strawberry.field(description="As the patient knows it, e.g. 200 mg.")
    frequency: str = strawberry.field(description="e.g. twice a day.")
    notes: str


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="Something the patient reacts to.")
class Allergy:
    substance: str
    reaction: str
    severity: AllergySeverity  # type: ignore[valid-type]


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="Conditions, injuries, surgeries, medications and allergies.")
class HealthHistory:
    chronic_conditions: list[ChronicCondition]
    previous_injuries: list[PreviousInjury]
    surgeries: list[Surgery]
    medications: list[Medication]
    allergies: list[Allergy]

    @classmethod
    def from_row(cls, row: JsonObject) -> HealthHistory:
        return cls(
            chronic_conditions=[
                ChronicCondition(name=i["name"], since=_date(i.get("since")), notes=i["notes"])
                for i in row["chronic_conditions"]
            ],
            previous_injuries=[
                PreviousInjury(
                    description=i["description"],
                    occurred_on=_date(i.get("occurredOn")),
                    notes=i["notes"],
                )
                for i in row["previous_injuries"]
            ],
            surgeries=[
                Surgery(
                    procedure=i["procedure"],
                    performed_on=date.fromisoformat(i["performedOn"]),
                    notes=i["notes"],
                )
                for i in row["surgeries"]
            ],
            medications=[
                Medication(
                    name=i["name"], dose=i["dose"], frequency=i["frequency"], notes=i["notes"]
                )
                for i in row["medications"]
            ],
            allergies=[
                Allergy(
                    substance=i["substance"],
                    reaction=i["reaction"],
                    severity=commands.AllergySeverity(i["severity"]),
                )
                for i in row["allergies"]
            ],
        )


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="How the patient is now, in their own words.")
class CurrentCondition:
    symptoms: str
    pain_level: int | None = strawberry.field(description="0 (no pain) to 10 (worst imaginable).")
    mobility_limitations: str


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="One structured goal.")
class TreatmentGoalItem:
    description: str
    target_date: date | None


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="What the patient wants from treatment: their words and goals.")
class TreatmentGoals:
    text: str
    items: list[TreatmentGoalItem]

    @classmethod
    def from_row(cls, row: JsonObject) -> TreatmentGoals:
        return cls(
            text=row["goals_text"],
            items=[
                TreatmentGoalItem(
                    description=i["description"], target_date=_date(i.get("targetDate"))
                )
                for i in row["goals"]
            ],
        )


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="When and how the patient likes their sessions.")
class SchedulingPreferences:
    preferred_days: list[Weekday]  # type: ignore[valid-type]
    preferred_times: list[TimeOfDay]  # type: ignore[valid-type]
    sessions_per_week: int | None
    scheduling_constraints: str
    telehealth: TelehealthPreference  # type: ignore[valid-type]

    @classmethod
    def from_json(cls, value: JsonObject) -> SchedulingPreferences:
        return cls(
            preferred_days=[commands.Weekday(day) for day in value.get("preferredDays", [])],
            preferred_times=[commands.TimeOfDay(t) for t in value.get("preferredTimes", [])],
            sessions_per_week=value.get("sessionsPerWeek"),
            scheduling_constraints=value.get("schedulingConstraints", ""),
            telehealth=commands.TelehealthPreference(value.get("telehealth", "EITHER")),
        )


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="How and when the clinic may contact the patient.")
class CommunicationPreferences:
    preferred_channel: ContactChannel  # type: ignore[valid-type]
    language: str = strawberry.field(description="BCP 47 tag; the preferred language if unset.")
    ok_to_leave_voicemail: bool
    contact_window: str = strawberry.field(description="e.g. weekdays after 5 pm.")

    @classmethod
    def from_json(cls, value: JsonObject, preferred_language: str) -> CommunicationPreferences:
        return cls(
            preferred_channel=commands.ContactChannel(value.get("preferredChannel", "EMAIL")),
            language=value.get("language") or preferred_language,
            ok_to_leave_voicemail=bool(value.get("okToLeaveVoicemail", False)),
            contact_window=value.get("contactWindow", ""),
        )


@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(description="Someone to call in an emergency.")
class EmergencyContact:
    name: str
    relationship: str
    phone: str
    email: str | None
    is_primary: bool

    @classmethod
    def from_json(cls, value: JsonObject) -> EmergencyContact:
        return cls(
            name=value["name"],
            relationship=value["relationship"],
            phone=value["phone"],
            email=value.get("email") or None,
            is_primary=bool(value.get("isPrimary", False)),
        )


@patient_owned(Need.INSURANCE_VIEW)
@strawberry.type(description="How sessions are paid: self-pay, or an insurer and the member ids.")
class Insurance:
    self_pay: bool
    payer: str
    member_id: str
    group_id: str
    subscriber_name: str = strawberry.field(description="The plan's holder when not the patient.")
    subscriber_relationship: SubscriberRelationship  # type: ignore[valid-type]
    subscriber_date_of_birth: date | None

    @classmethod
    def from_json(cls, value: JsonObject) -> Insurance | None:
        if not value:
            return None
        return cls(
            self_pay=bool(value.get("selfPay", False)),
            payer=value.get("payer", ""),
            member_id=value.get("memberId", ""),
            group_id=value.get("groupId", ""),
            subscriber_name=value.get("subscriberName", ""),
            subscriber_relationship=commands.SubscriberRelationship(
                value.get("subscriberRelationship", "SELF")
            ),
            subscriber_date_of_birth=_date(value.get("subscriberDateOfBirth")),
        )
