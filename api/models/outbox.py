"""Mail and text messages we send: written here first, then delivered or kept (outbox)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OutboxMail(Model):
    id = fields.BigIntField(primary_key=True)
    to_address = fields.CharField(max_length=254)
    template = fields.CharField(max_length=64)
    subject = fields.CharField(max_length=200)
    text_body = fields.TextField()
    html_body = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=300, default="")
    # An iCalendar invitation sent as a text/calendar attachment (appointment mail).
    attachment_ics = fields.TextField(null=True)

    class Meta:
        table = "outbox_mail"
        indexes = (("sent_at", "created_at"),)


class OutboxSms(Model):
    """Text messages: kept here in development (no gateway), and a record of each one sent."""

    id = fields.BigIntField(primary_key=True)
    to_number = fields.CharField(max_length=32)
    body = fields.CharField(max_length=640)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_sms"
