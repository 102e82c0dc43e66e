"""Stored notifications: what the notification centre lists and counts.

Delivery over channels (mail, SMS, push) and the live subscription come with the realtime work;
a row here is the record that something happened for a user, readable whatever the channel.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.patients import Patient


class NotificationKind(StrEnum):
    PLAN_UPDATED = "PLAN_UPDATED"
    PROFILE_REVIEW_DUE = "PROFILE_REVIEW_DUE"
    QUESTIONNAIRE_DUE = "QUESTIONNAIRE_DUE"
    APPOINTMENT_BOOKED = "APPOINTMENT_BOOKED"
    APPOINTMENT_CHANGED = "APPOINTMENT_CHANGED"
    APPOINTMENT_REMINDER = "APPOINTMENT_REMINDER"
    NEW_MESSAGE = "NEW_MESSAGE"
    URGENT_MESSAGE_ESCALATION = "URGENT_MESSAGE_ESCALATION"
    SECURITY = "SECURITY"


class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name="notifications", on_delete=fields.CASCADE
    )
    user_id: int
    # The patient it is about, when it is about one (a therapist's alerts name their patient).
    patient: fields.ForeignKeyNullableRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name=False, on_delete=fields.CASCADE, null=True
    )
    patient_id: int | None
    kind = fields.CharEnumField(NotificationKind, max_length=32)
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    link = fields.CharField(max_length=300, default="")  # an SPA path, e.g. /plan
    created_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications_notification"
        indexes = (("user_id", "read_at"), ("user_id", "created_at"))
