"""Who can sign in, and in which roles."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    PATIENT = "PATIENT"
    THERAPIST = "THERAPIST"
    CAREGIVER = "CAREGIVER"
    ANALYST = "ANALYST"
    ADMIN = "ADMIN"


class User(Model):
    id = fields.BigIntField(primary_key=True)
    # Stored lower-cased and trimmed; uniqueness is the database's job, not a prior read.
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=200, default="")
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    roles: fields.ReverseRelation[UserRole]

    class Meta:
        table = "accounts_user"


class UserRole(Model):
    """One row per role a user holds: a therapist can also be somebody's caregiver."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="roles", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(Role, max_length=16)
    granted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "accounts_user_role"
        unique_together = (("user", "role"),)
