"""Stored notifications, and their delivery over the channels a user allows.

A `Notification` row is the record that something happened for a user, readable in the
notification centre whatever the channel. Each other channel (email, SMS, push) gets a
`Delivery` row with every attempt recorded in `DeliveryAttempt`. Preferences hold only what a
user changed from the defaults (api/services/notifications/preferences.py has those).
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
    WAITLIST_SLOT_OPEN = "WAITLIST_SLOT_OPEN"
    NEW_MESSAGE = "NEW_MESSAGE"
    URGENT_MESSAGE_ESCALATION = "URGENT_MESSAGE_ESCALATION"
    NEW_MESSAGE_URGENT = "NEW_MESSAGE_URGENT"
    MESSAGE_OVERDUE = "MESSAGE_OVERDUE"
    VIDEO_COMMENT = "VIDEO_COMMENT"
    SECURITY = "SECURITY"
    CAREGIVER_ACCESS = "CAREGIVER_ACCESS"  # a grant was accepted, changed, ended or voided
    EMERGENCY_ACCESS = "EMERGENCY_ACCESS"  # a clinician opened a record with break-glass


class NotificationChannel(StrEnum):
    IN_APP = "IN_APP"
    EMAIL = "EMAIL"
    SMS = "SMS"
    PUSH = "PUSH"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its job (or for quiet hours to end)
    SENT = "SENT"
    FAILED = "FAILED"  # gave up after the last retry
    SKIPPED = "SKIPPED"  # nothing to send to (no phone, no push subscription, not configured)


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
    # Urgent notifications go out at once on every allowed channel, quiet hours or not.
    urgent = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications_notification"
        indexes = (("user_id", "read_at"), ("user_id", "created_at"))


class NotificationPreference(Model):
    """One user's choice for one kind on one channel, where it differs from the default."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    kind = fields.CharEnumField(NotificationKind, max_length=32)
    channel = fields.CharEnumField(NotificationChannel, max_length=8)
    enabled = fields.BooleanField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "notifications_preference"
        unique_together = (("user_id", "kind", "channel"),)


class QuietHours(Model):
    """Hours in the user's own time zone when non-urgent email, SMS and push wait."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "relief.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    # Minutes after local midnight (0 to 1439): wall-clock times carry no zone or date, and
    # integers store the same on every database. `starts` may be later than `ends`.
    starts_minute = fields.SmallIntField()
    ends_minute = fields.SmallIntField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "notifications_quiet_hours"


class PushSubscription(Model):
    """A browser's Web Push subscription (the PushSubscription JSON of the Push API)."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    endpoint = fields.CharField(max_length=1000)
    endpoint_hash = fields.CharField(max_length=64, unique=True)  # sha256 of the endpoint
    p256dh = fields.CharField(max_length=200)
    auth = fields.CharField(max_length=100)
    user_agent = fields.CharField(max_length=512, default="")
    created_at = fields.DatetimeField()
    last_success_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications_push_subscription"


class Delivery(Model):
    """One notification on one channel other than in-app."""

    id = fields.BigIntField(primary_key=True)
    notification: fields.ForeignKeyRelation[Notification] = fields.ForeignKeyField(
        "relief.Notification", related_name=False, on_delete=fields.CASCADE
    )
    notification_id: int
    channel = fields.CharEnumField(NotificationChannel, max_length=8)
    status = fields.CharEnumField(DeliveryStatus, max_length=8, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    not_before = fields.DatetimeField()  # the end of quiet hours, or when it was made
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "notifications_delivery"
        unique_together = (("notification_id", "channel"),)


class DeliveryAttempt(Model):
    """Every try of a delivery, successful or not: what was tried, when, and the answer."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[Delivery] = fields.ForeignKeyField(
        "relief.Delivery", related_name=False, on_delete=fields.CASCADE
    )
    delivery_id: int
    attempted_at = fields.DatetimeField()
    succeeded = fields.BooleanField()
    # The channel's answer without PHI: an SMTP code, an HTTP status, "no push subscription".
    detail = fields.CharField(max_length=300, default="")

    class Meta:
        table = "notifications_delivery_attempt"
        indexes = (("delivery_id", "attempted_at"),)
