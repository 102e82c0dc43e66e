"""Tortoise models only, one module per domain; no business rules live here."""

# Every module Tortoise loads for the single app "relief". Add a domain's module here.
MODEL_MODULES: tuple[str, ...] = (
    "api.models.accounts",
    "api.models.audit",
    "api.models.outbox",
    "api.models.therapists",
    "api.models.patients",
    "api.models.plans",
    "api.models.progress",
    "api.models.notifications",
    "api.models.jobs",
    "api.models.files",
    "api.models.messaging",
    "api.models.scheduling",
    "api.models.caregivers",
    "api.models.emergency_access",
    "api.models.dashboard",
)
