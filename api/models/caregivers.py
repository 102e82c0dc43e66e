"""Caregivers: the access a patient (or a guardian) gives another person to parts of a record.

One row per person per patient. An invitation is a grant waiting for its invitee: it holds the
invited address and the hash of the mailed token until someone accepts it (and proves they
know the patient's date of birth). The chosen scopes are stored as the patient chose them;
what they imply is worked out by api/access/needs.effective_scopes.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from api.models.accounts import User
from api.models.patients import Patient


class GrantKind(StrEnum):
    PROXY = "PROXY"  # chosen scopes, given by the patient
    GUARDIAN = "GUARDIAN"  # a parent or legal guardian of a minor: every scope until adulthood


class GrantStatus(StrEnum):
    INVITED = "INVITED"  # mailed, not yet accepted
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"  # by the patient (or the guardian who gave it)
    VOIDED = "VOIDED"  # too many wrong answers to the date-of-birth question
    DECLINED = "DECLINED"  # the invitee said no


class Relationship(StrEnum):
    PARENT = "PARENT"
    GUARDIAN = "GUARDIAN"
    SPOUSE_OR_PARTNER = "SPOUSE_OR_PARTNER"
    CHILD = "CHILD"
    SIBLING = "SIBLING"
    OTHER_FAMILY = "OTHER_FAMILY"
    FRIEND = "FRIEND"
    PROFESSIONAL_CARER = "PROFESSIONAL_CARER"
    OTHER = "OTHER"


class CaregiverGrant(Model):
    """What one person may see and do for one patient, for how long."""

    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="caregiver_grants", on_delete=fields.CASCADE
    )
    patient_id: int
    # Null until the invitation is accepted.
    caregiver: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="caregiving", on_delete=fields.CASCADE, null=True
    )
    caregiver_id: int | None
    kind = fields.CharEnumField(GrantKind, max_length=10, default=GrantKind.PROXY)
    status = fields.CharEnumField(GrantStatus, max_length=10)
    relationship = fields.CharEnumField(Relationship, max_length=20)
    scopes: fields.Field[list[str]] = fields.JSONField(default=list)  # Need values
    expires_at = fields.DatetimeField(null=True)  # null: until revoked
    invited_email = fields.CharField(max_length=254, default="")
    invitation_token_hash = fields.CharField(max_length=64, null=True, unique=True)
    invitation_expires_at = fields.DatetimeField(null=True)
    wrong_answers = fields.IntField(default=0)
    granted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="grants_given", on_delete=fields.SET_NULL, null=True
    )
    granted_by_id: int | None
    created_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)  # revoked, voided or declined
    ended_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="grants_ended", on_delete=fields.SET_NULL, null=True
    )
    ended_by_id: int | None

    class Meta:
        table = "caregivers_grant"
        indexes = (("caregiver_id", "patient_id", "status"), ("patient_id", "status"))
