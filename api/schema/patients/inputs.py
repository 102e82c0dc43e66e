"""Inputs of the profile mutations: each replaces one whole section of the record.

Every field is checked by the service (api/services/patients/sections.py); problems come back
as `PatientProfileErrors`, each naming its path, e.g. `medications[2].dose`.
"""

from __future__ import annotations

from datetime import date

import strawberry

from api.schema.patients.types import (
    AllergySeverity,
    ContactChannel,
    SubscriberRelationship,
    TelehealthPreference,
    TimeOfDay,
    Weekday,
)
from api.services.patients import commands

PATIENT_ID = "The patient's id (see `myPatient`)."


@strawberry.input(description="A postal address.")
class PatientAddressInput:
    line1: str
    line2: str = ""
    city: str
    region: str = ""
    postal_code: str = ""
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. US.")

    def to_command(self) -> commands.Address:
        return commands.Address(
            line1=self.line1,
            line2=self.line2,
            city=self.city,
            region=self.region,
            postal_code=self.postal_code,
            country=self.country,
        )


@strawberry.input(description="Name, birth date, contact details and language.")
class UpdatePatientDemographicsInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    given_name: str
    family_name: str = ""
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    phone: str = strawberry.field(default="", description="With the country code.")
    address: PatientAddressInput | None = None
    time_zone: str = strawberry.field(description="IANA zone, e.g. America/New_York.")
    preferred_language: str = strawberry.field(description="BCP 47 tag, e.g. en or es-MX.")

    def to_command(self) -> commands.Demographics:
        return commands.Demographics(
            given_name=self.given_name,
            family_name=self.family_name,
            preferred_name=self.preferred_name,
            pronouns=self.pronouns,
            date_of_birth=self.date_of_birth,
            phone=self.phone,
            address=self.address.to_command() if self.address is not None else None,
            time_zone=self.time_zone,
            preferred_language=self.preferred_language,
        )


@strawberry.input
class ChronicConditionInput:
    name: str
    since: date | None = None
    notes: str = ""


@strawberry.input
class PreviousInjuryInput:
    description: str
    occurred_on: date | None = None
    notes: str = ""


@strawberry.input
class SurgeryInput:
    procedure: str
    performed_on: date = strawberry.field(description="Not in the future.")
    notes: str = ""


@strawberry.input
class MedicationInput:
    name: str
    dose: str = ""
    frequency: str = ""
    notes: str = ""


@strawberry.input
class AllergyInput:
    substance: str
    reaction: str = ""
    severity: AllergySeverity  # type: ignore[valid-type]


@strawberry.input(description="The whole health history; at most 50 entries in each list.")
class UpdateHealthHistoryInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    chronic_conditions: list[ChronicConditionInput] = strawberry.field(default_factory=list)
    previous_injuries: list[PreviousInjuryInput] = strawberry.field(default_factory=list)
    surgeries: list[SurgeryInput] = strawberry.field(default_factory=list)
    medications: list[MedicationInput] = strawberry.field(default_factory=list)
    allergies: list[AllergyInput] = strawberry.field(default_factory=list)

    def to_command(self) -> commands.HealthHistory:
        return commands.HealthHistory(
            chronic_conditions=[
                commands.ChronicCondition(name=i.name, since=i.since, notes=i.notes)
                for i in self.chronic_conditions
            ],
            previous_injuries=[
                commands.PreviousInjury(
                    description=i.description, occurred_on=i.occurred_on, notes=i.notes
                )
                for i in self.previous_injuries
            ],
            surgeries=[
                commands.Surgery(procedure=i.procedure, performed_on=i.performed_on, notes=i.notes)
                for i in self.surgeries
            ],
            medications=[
                commands.Medication(name=i.name, dose=i.dose, frequency=i.frequency, notes=i.notes)
                for i in self.medications
            ],
            allergies=[
                commands.Allergy(substance=i.substance, reaction=i.reaction, severity=i.severity)
                for i in self.allergies
            ],
        )


@strawberry.input(description="How the patient is now.")
class UpdateCurrentConditionInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    symptoms: str = ""
    pain_level: int | None = strawberry.field(default=None, description="0 to 10.")
    mobility_limitations: str = ""

    def to_command(self) -> commands.CurrentCondition:
        return commands.CurrentCondition(
            symptoms=self.symptoms,
            pain_level=self.pain_level,
            mobility_limitations=self.mobility_limitations,
        )


@strawberry.input
class TreatmentGoalItemInput:
    description: str
    target_date: date | None = None


@strawberry.input(description="The patient's goals in words, and up to 20 structured goals.")
class UpdateTreatmentGoalsInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    text: str = ""
    items: list[TreatmentGoalItemInput] = strawberry.field(default_factory=list)

    def to_command(self) -> commands.TreatmentGoals:
        return commands.TreatmentGoals(
            text=self.text,
            items=[
                commands.Goal(description=i.description, target_date=i.target_date)
                for i in self.items
            ],
        )


@strawberry.input(description="When and how the patient likes their sessions.")
class UpdateSchedulingPreferencesInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    preferred_days: list[Weekday] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    preferred_times: list[TimeOfDay] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    sessions_per_week: int | None = strawberry.field(default=None, description="1 to 14.")
    scheduling_constraints: str = ""
    telehealth: TelehealthPreference = commands.TelehealthPreference.EITHER  # type: ignore[valid-type]

    def to_command(self) -> commands.SchedulingPreferences:
        return commands.SchedulingPreferences(
            preferred_days=list(self.preferred_days),
            preferred_times=list(self.preferred_times),
            sessions_per_week=self.sessions_per_week,
            scheduling_constraints=self.scheduling_constraints,
            telehealth=self.telehealth,
        )


@strawberry.input(description="How and when the clinic may contact the patient.")
class UpdateCommunicationPreferencesInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    preferred_channel: ContactChannel = commands.ContactChannel.EMAIL  # type: ignore[valid-type]
    language: str = strawberry.field(
        default="", description="BCP 47 tag; empty means the preferred language."
    )
    ok_to_leave_voicemail: bool = False
    contact_window: str = ""

    def to_command(self) -> commands.CommunicationPreferences:
        return commands.CommunicationPreferences(
            preferred_channel=self.preferred_channel,
            language=self.language,
            ok_to_leave_voicemail=self.ok_to_leave_voicemail,
            contact_window=self.contact_window,
        )


@strawberry.input
class EmergencyContactInput:
    name: str
    relationship: str
    phone: str = strawberry.field(description="With the country code.")
    email: str = ""
    is_primary: bool = False


@strawberry.input(description="Every emergency contact (at most 10; at most one primary).")
class UpdateEmergencyContactsInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    contacts: list[EmergencyContactInput]

    def to_command(self) -> commands.EmergencyContacts:
        return commands.EmergencyContacts(
            contacts=[
                commands.EmergencyContact(
                    name=i.name,
                    relationship=i.relationship,
                    phone=i.phone,
                    email=i.email,
                    is_primary=i.is_primary,
                )
                for i in self.contacts
            ]
        )


@strawberry.input(description="Self-pay, or an insurer with the member id (not both).")
class UpdateInsuranceInput:
    patient_id: strawberry.ID = strawberry.field(description=PATIENT_ID)
    self_pay: bool = False
    payer: str = ""
    member_id: str = ""
    group_id: str = ""
    subscriber_name: str = ""
    subscriber_relationship: SubscriberRelationship = (  # type: ignore[valid-type]
        commands.SubscriberRelationship.SELF
    )
    subscriber_date_of_birth: date | None = None

    def to_command(self) -> commands.Insurance:
        return commands.Insurance(
            self_pay=self.self_pay,
            payer=self.payer,
            member_id=self.member_id,
            group_id=self.group_id,
            subscriber_name=self.subscriber_name,
            subscriber_relationship=self.subscriber_relationship,
            subscriber_date_of_birth=self.subscriber_date_of_birth,
        )
