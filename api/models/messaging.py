"""Secure messaging: threads between a patient and their care team, messages, read receipts.

A thread waits for the clinic from the first patient message that no clinician has answered
(`awaiting_reply_since`) until a clinician replies; `response_due_at` is that moment plus the
response promise in business hours, and `overdue_at` is set when the promise was missed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from api.models.accounts import User
    from api.models.files import StoredFile
    from api.models.patients import Patient


class ThreadStatus(StrEnum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"


class AuthorRole(StrEnum):
    PATIENT = "PATIENT"
    CAREGIVER = "CAREGIVER"  # on behalf of the patient, through their own grant
    CLINICIAN = "CLINICIAN"  # a care-team member
    ADMIN = "ADMIN"


class MessageThread(Model):
    id = fields.BigIntField(primary_key=True)
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "relief.Patient", related_name=False, on_delete=fields.CASCADE
    )
    patient_id: int
    subject = fields.CharField(max_length=200)
    started_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.RESTRICT
    )
    started_by_id: int
    status = fields.CharEnumField(ThreadStatus, max_length=8, default=ThreadStatus.OPEN)
    created_at = fields.DatetimeField()
    last_message_at = fields.DatetimeField()
    awaiting_reply_since = fields.DatetimeField(null=True)
    response_due_at = fields.DatetimeField(null=True)
    overdue_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    resolved_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    resolved_by_id: int | None

    class Meta:
        table = "messaging_thread"
        indexes = (("patient_id", "last_message_at"), ("response_due_at",))


class Message(Model):
    id = fields.BigIntField(primary_key=True)
    thread: fields.ForeignKeyRelation[MessageThread] = fields.ForeignKeyField(
        "relief.MessageThread", related_name=False, on_delete=fields.CASCADE
    )
    thread_id: int
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.RESTRICT
    )
    author_id: int
    author_role = fields.CharEnumField(AuthorRole, max_length=10)
    body = fields.TextField()
    urgent = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    # An urgent message is acknowledged when a clinician reads or answers the thread.
    acknowledged_at = fields.DatetimeField(null=True)
    acknowledged_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    acknowledged_by_id: int | None
    escalated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "messaging_message"
        indexes = (("thread_id", "id"),)


class ThreadRead(Model):
    """How far one participant has read a thread: the read receipt the others see."""

    id = fields.BigIntField(primary_key=True)
    thread: fields.ForeignKeyRelation[MessageThread] = fields.ForeignKeyField(
        "relief.MessageThread", related_name=False, on_delete=fields.CASCADE
    )
    thread_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "relief.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    last_read_message_id = fields.BigIntField()
    read_at = fields.DatetimeField()

    class Meta:
        table = "messaging_thread_read"
        unique_together = (("thread_id", "user_id"),)


class MessageAttachment(Model):
    id = fields.BigIntField(primary_key=True)
    message: fields.ForeignKeyRelation[Message] = fields.ForeignKeyField(
        "relief.Message", related_name=False, on_delete=fields.CASCADE
    )
    message_id: int
    file: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "relief.StoredFile", related_name=False, on_delete=fields.RESTRICT
    )
    file_id: int

    class Meta:
        table = "messaging_attachment"
        unique_together = (("message_id", "file_id"),)
