"""What an edit of one profile section brings, as typed values (no Strawberry here).

Each command replaces its whole section: a form shows the section, the person edits it, and the
edit is kept in history as the section before and after. The vocabularies of the sections (days,
times, channels...) are here too: the stored JSON and the API share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Weekday(StrEnum):
    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"


class TimeOfDay(StrEnum):
    MORNING = "MORNING"
    AFTERNOON = "AFTERNOON"
    EVENING = "EVENING"


class TelehealthPreference(StrEnum):
    IN_PERSON = "IN_PERSON"
    TELEHEALTH = "TELEHEALTH"
    EITHER = "EITHER"


class ContactChannel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"
    PHONE = "PHONE"
    PORTAL = "PORTAL"


class AllergySeverity(StrEnum):
    MILD = "MILD"
    MODERATE = "MODERATE"
    SEVERE = "SEVERE"


class SubscriberRelationship(StrEnum):
    SELF = "SELF"
    SPOUSE = "SPOUSE"
    PARENT = "PARENT"
    OTHER = "OTHER"


@dataclass(frozen=True)
class Address:
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class Demographics:
    given_name: str
    family_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date | None
    phone: str
    address: Address | None
    time_zone: str
    preferred_language: str


@dataclass(frozen=True)
class ChronicCondition:
    name: str
    since: date | None
    notes: str


@dataclass(frozen=True)
class PreviousInjury:
    description: str
    occurred_on: date | None
    notes: str


@dataclass(frozen=True)
class Surgery:
    procedure: str
    performed_on: date
    notes: str


@dataclass(frozen=True)
class Medication:
    name: str
    dose: str
    frequency: str
    notes: str


@dataclass(frozen=True)
class Allergy:
    substance: str
    reaction: str
    severity: AllergySeverity


@dataclass(frozen=True)
class HealthHistory:
    chronic_conditions: list[ChronicCondition]
    previous_injuries: list[PreviousInjury]
    surgeries: list[Surgery]
    medications: list[Medication]
    allergies: list[Allergy]


@dataclass(frozen=True)
class CurrentCondition:
    symptoms: str
    pain_level: int | None
    mobility_limitations: str


@dataclass(frozen=True)
class Goal:
    description: str
    target_date: date | None


@dataclass(frozen=True)
class TreatmentGoals:
    text: str
    items: list[Goal]


@dataclass(frozen=True)
class SchedulingPreferences:
    preferred_days: list[Weekday]
    preferred_times: list[TimeOfDay]
    sessions_per_week: int | None
    scheduling_constraints: str
    telehealth: TelehealthPreference


@dataclass(frozen=True)
class CommunicationPreferences:
    preferred_channel: ContactChannel
    language: str
    ok_to_leave_voicemail: bool
    contact_window: str


@dataclass(frozen=True)
class EmergencyContact:
    name: str
    relationship: str
    phone: str
    email: str
    is_primary: bool


@dataclass(frozen=True)
class EmergencyContacts:
    contacts: list[EmergencyContact]


@dataclass(frozen=True)
class Insurance:
    self_pay: bool
    payer: str
    member_id: str
    group_id: str
    subscriber_name: str
    subscriber_relationship: SubscriberRelationship
    subscriber_date_of_birth: date | None


SectionEdit = (
    Demographics
    | HealthHistory
    | CurrentCondition
    | TreatmentGoals
    | SchedulingPreferences
    | CommunicationPreferences
    | EmergencyContacts
    | Insurance
)
