"""The patient record: demographics, health history, preferences, insurance, care team.

Lists a patient edits as a whole (conditions, medications, allergies, contacts...) are JSON
columns on the one profile row: the dashboard reads a profile in one statement, and each edit
is kept as a before/after pair in `PatientProfileChange`. Their shape is checked by the
service that writes them (api/services/patients), never here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.therapists import Therapist

JsonList = fields.Field[list[dict[str, Any]]]
JsonObject = fields.Field[dict[str, Any]]


class CareTeamRole(StrEnum):
    PRIMARY = "PRIMARY"
    TREATING = "TREATING"  # sees and treats the patient, not the lead clinician
    CONSULTING = "CONSULTING"


class ProfileSection(StrEnum):
    """The parts of a profile that are edited, and kept in history, one at a time."""

    DEMOGRAPHICS = "DEMOGRAPHICS"
    HEALTH_HISTORY = "HEALTH_HISTORY"
    CURRENT_CONDITION = "CURRENT_CONDITION"
    GOALS = "GOALS"
    PREFERENCES = "PREFERENCES"
    EMERGENCY_CONTACTS = "EMERGENCY_CONTACTS"
    INSURANCE = "INSURANCE"
    COMMUNICATION = "COMMUNICATION"
    REVIEW = "REVIEW"


class Patient(Model):
    id = fields.BigIntField(primary_key=True)
    # Null for a dependent who has no sign-in of their own (a guardian manages them).
    user: fields.OneToOneNullableRelation[User] = fields.OneToOneField(
        "relief.User", related_name="patient", on_delete=fields.SET_NULL, null=True
    )
    user_id: int | None
    # Demographics and contact (the account's email stays on the User).
    given_name = fields.CharField(max_length=100)
    family_name = fields.CharField(max_length=100)
    preferred_name = fields.CharField(max_length=100, default="")
    pronouns = fields.CharField(max_length=40, default="")
    date_of_birth = fields.DateField(null=True)
    phone = fields.CharField(max_length=32, default="")  # E.164
    address: JsonObject = fields.JSONField(default=dict)
    time_zone = fields.CharField(max_length=64, default="UTC")  # an IANA zone name
    preferred_language = fields.CharField(max_length=16, default="en")  # BCP 47

    # Health history.
    chronic_conditions: JsonList = fields.JSONField(default=list)
    previous_injuries: JsonList = fields.JSONField(default=list)
    surgeries: JsonList = fields.JSONField(default=list)
    medications: JsonList = fields.JSONField(default=list)
    allergies: JsonList = fields.JSONField(default=list)

    # Current condition.
    current_symptoms = fields.TextField(default="")
    pain_level = fields.SmallIntField(null=True)  # 0-10 as the patient reported it on the form
    mobility_limitations = fields.TextField(default="")

    # Goals: the patient's words plus structured goals ({description, targetDate}).
    goals_text = fields.TextField(default="")
    goals: JsonList = fields.JSONField(default=list)

    preferences: JsonObject = fields.JSONField(default=dict)
    communication: JsonObject = fields.JSONField(default=dict)
    emergency_contacts: JsonList = fields.JSONField(default=list)
    insurance: JsonObject = fields.JSONField(default=dict)

    profile_reviewed_at = fields.DatetimeField(null=True)
    profile_review_due_at = fields.DatetimeField(null=True)
    # Set when the "review due" notification is made, so it is made once per due date.
    profile_review_notified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "patients_patient"
        indexes = (("profile_review_due_at",),)


class PatientProfileChange(Model):
    """One edit of one profile section: who, when, and the section before and after."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="profile_changes", on_delete=fields.CASCADE
    )
    patient_id: int
    changed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="profile_changes_made", on_delete=fields.SET_NULL, null=True
    )
    changed_by_id: int | None
    changed_by_role = fields.CharField(max_length=16)  # PATIENT, THERAPIST, CAREGIVER, ADMIN
    changed_at = fields.DatetimeField()
    section = fields.CharEnumField(ProfileSection, max_length=24)
    changed_fields: fields.Field[list[str]] = fields.JSONField(default=list)
    before: JsonObject = fields.JSONField(default=dict)
    after: JsonObject = fields.JSONField(default=dict)

    class Meta:
        table = "patients_profile_change"
        indexes = (("patient_id", "changed_at"),)


class CareTeamMember(Model):
    """A therapist on the care team of a patient. Ending an assignment keeps the row."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="care_team", on_delete=fields.CASCADE
    )
    patient_id: int
    therapist: fields.ForeignKeyRelation[Therapist] = fields.ForeignKeyField(
        "relief.Therapist", related_name="care_team", on_delete=fields.CASCADE
    )
    therapist_id: int
    role = fields.CharEnumField(CareTeamRole, max_length=16)
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "patients_care_team_member"
        unique_together = (("patient", "therapist"),)
        indexes = (("therapist_id", "ended_at"),)
