"""The append-only audit trail: each row carries the hash of the row before it.

No foreign keys on purpose: the trail must outlive and never block anything it describes.
`prev_hash` is unique, so two writers racing to extend the chain cannot both succeed: the
loser retries on the new head (see api/services/audit.py).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AuditOutcome(StrEnum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    DENIED = "DENIED"


class AuditSeverity(StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    HIGH = "HIGH"


class AuditEvent(Model):
    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField()
    actor_user_id = fields.BigIntField(null=True)
    acting_for_patient_id = fields.BigIntField(null=True)
    action = fields.CharField(max_length=64)
    target_type = fields.CharField(max_length=64, null=True)
    target_id = fields.CharField(max_length=64, null=True)
    outcome = fields.CharEnumField(AuditOutcome, max_length=8)
    severity = fields.CharEnumField(AuditSeverity, max_length=8, default=AuditSeverity.INFO)
    ip = fields.CharField(max_length=45, null=True)
    session_id = fields.BigIntField(null=True)
    # Non-PHI facts only (reasons, counts, flags): never values a patient entered.
    details: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    prev_hash = fields.CharField(max_length=64, unique=True)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_event"
        indexes = (("actor_user_id", "occurred_at"), ("acting_for_patient_id", "occurred_at"))


class RecordAccess(Model):
    """One patient record read through the API: who saw which record of which patient.

    Reads are far more frequent than changes, so they are kept apart from the hash chain and
    written in one INSERT per request (api/services/audit.record_reads); changes to a record
    go through the chain. "Who saw my record" is answered from here.
    """

    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField()
    actor_user_id = fields.BigIntField(null=True)
    actor_role = fields.CharField(max_length=16)
    patient_id = fields.BigIntField()
    resource = fields.CharField(max_length=40)  # a schema type name: "Patient", "TreatmentPlan"
    resource_id = fields.CharField(max_length=64)
    action = fields.CharField(max_length=8, default="READ")
    ip = fields.CharField(max_length=45, null=True)
    session_id = fields.BigIntField(null=True)
    request_id = fields.CharField(max_length=64, default="")
    # Set when the read happened under emergency access: its reason is shown to the patient.
    emergency_access_id = fields.BigIntField(null=True)

    class Meta:
        table = "audit_record_access"
        indexes = (("patient_id", "occurred_at"), ("actor_user_id", "occurred_at"))
