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


class ClientKind(StrEnum):
    WEB = "WEB"  # the SPA: the session token lives in an HttpOnly cookie
    MOBILE = "MOBILE"  # apps: the token is returned once and sent as a bearer token


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "VERIFY_EMAIL"
    RESET_PASSWORD = "RESET_PASSWORD"  # noqa: S105 (a code, not a secret)
    CHANGE_EMAIL = "CHANGE_EMAIL"


class SignInFailure(StrEnum):
    UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT"
    BAD_PASSWORD = "BAD_PASSWORD"  # noqa: S105 (a code, not a secret)
    LOCKED = "LOCKED"
    DEACTIVATED = "DEACTIVATED"
    BAD_SECOND_FACTOR = "BAD_SECOND_FACTOR"
    RATE_LIMITED = "RATE_LIMITED"


class User(Model):
    id = fields.BigIntField(primary_key=True)
    # Stored lower-cased and trimmed; uniqueness is the database's job, not a prior read.
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=200, default="")
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    date_of_birth = fields.DateField(null=True)
    phone = fields.CharField(max_length=32, default="")  # E.164
    time_zone = fields.CharField(max_length=64, default="UTC")  # an IANA zone name
    email_verified_at = fields.DatetimeField(null=True)
    deactivated_at = fields.DatetimeField(null=True)
    password_changed_at = fields.DatetimeField(null=True)

    # Consecutive failed sign-ins across all IPs; reset by a success.
    failed_sign_ins = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    lockouts = fields.IntField(default=0)  # how many times locked: each lock lasts twice as long

    # TOTP secret, encrypted with a key derived from PORTAL_SECRET_KEY; confirmed = enabled.
    totp_secret_encrypted = fields.TextField(null=True)
    totp_confirmed_at = fields.DatetimeField(null=True)
    # The last accepted TOTP time step: a code of that step or earlier is a replay.
    totp_last_step = fields.BigIntField(null=True)
    # The latest expiry of this user's open emergency accesses (api/models/emergency_access.py):
    # a request reads those accesses only while this lies in the future.
    emergency_access_until = fields.DatetimeField(null=True)

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


class Session(Model):
    """A signed-in client. Only a SHA-256 of the token is stored."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="sessions", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    client = fields.CharEnumField(ClientKind, max_length=8)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()  # absolute limit, whatever the activity
    # Null while a two-factor account has passed only its password.
    second_factor_at = fields.DatetimeField(null=True)
    needs_second_factor = fields.BooleanField(default=False)
    revoked_at = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=32, default="")
    ip = fields.CharField(max_length=45, default="")
    user_agent = fields.CharField(max_length=512, default="")
    device_label = fields.CharField(max_length=120, default="")

    class Meta:
        table = "accounts_session"
        indexes = (("user_id", "revoked_at"),)


class AccountToken(Model):
    """Single-use mailed tokens (verify email, reset password, change email), stored hashed."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="account_tokens", on_delete=fields.CASCADE
    )
    purpose = fields.CharEnumField(TokenPurpose, max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    new_email = fields.CharField(max_length=254, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_token"
        indexes = (("user_id", "purpose", "created_at"),)


class RecoveryCode(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="recovery_codes", on_delete=fields.CASCADE
    )
    code_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_recovery_code"
        unique_together = (("user", "code_hash"),)


class RememberedDevice(Model):
    """A browser or app the user chose to trust for 30 days: sign-in skips the TOTP code."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="remembered_devices", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    device_label = fields.CharField(max_length=120, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_remembered_device"


class LoginAttempt(Model):
    """Every sign-in attempt, shown to the account's owner as login history."""

    id = fields.BigIntField(primary_key=True)
    # Null for an address that has no account: nothing about the address is kept.
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="login_attempts", null=True, on_delete=fields.CASCADE
    )
    occurred_at = fields.DatetimeField(auto_now_add=True)
    ip = fields.CharField(max_length=45, default="")
    user_agent = fields.CharField(max_length=512, default="")
    device_label = fields.CharField(max_length=120, default="")
    succeeded = fields.BooleanField()
    failure_reason = fields.CharEnumField(SignInFailure, max_length=24, null=True)
    new_device = fields.BooleanField(default=False)

    class Meta:
        table = "accounts_login_attempt"
        indexes = (("user_id", "occurred_at"),)
