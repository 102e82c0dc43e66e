"""Durable background jobs: a row per piece of work, claimed by one worker at a time.

A job is written in the transaction of the change that needs it, so a crash never loses it;
a worker claims it with a lease (`locked_until`), and a lease that runs out (the worker died)
lets another worker take it over. See api/services/jobs.py for the claiming rules.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Job(Model):
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=64)
    payload: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    run_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    max_attempts = fields.IntField(default=8)
    locked_until = fields.DatetimeField(null=True)
    locked_by = fields.CharField(max_length=64, default="")
    # At most one unfinished job per key (e.g. "escalate:message:42"): enqueueing again is a
    # no-op. Cleared when the job finishes, so the same key may be used again later.
    dedupe_key = fields.CharField(max_length=128, null=True, unique=True)
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    # DONE, FAILED (gave up after max_attempts) or CANCELLED; empty while it waits or runs.
    outcome = fields.CharField(max_length=16, default="")
    last_error = fields.CharField(max_length=300, default="")

    class Meta:
        table = "jobs_job"
        indexes = (("finished_at", "run_at"),)
