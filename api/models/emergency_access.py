"""Emergency (break-glass) access: a clinician opens a record outside their reach, with a reason.

It lasts a fixed time (PORTAL_EMERGENCY_ACCESS_MINUTES). While it is open the record reads as
it would for the care team; every read is logged with the access it happened under, so the
patient sees the reason next to each one. `User.emergency_access_until` mirrors the latest
expiry of a user's open accesses, so a request only looks here when one may be open.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from api.models.accounts import User
from api.models.patients import Patient


class EmergencyAccess(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="emergency_accesses", on_delete=fields.CASCADE
    )
    user_id: int
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name="emergency_accesses", on_delete=fields.CASCADE
    )
    patient_id: int
    reason = fields.TextField()
    opened_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)  # closed early by the clinician
    session_id = fields.BigIntField(null=True)
    ip = fields.CharField(max_length=45, default="")

    class Meta:
        table = "emergency_access"
        indexes = (("user_id", "expires_at"), ("patient_id", "opened_at"))
