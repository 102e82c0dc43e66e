"""What a field or operation on a patient's record needs, declared where the field is.

`CARE` is the default: the patient and their care team (and admins, who support the clinic).
The other needs are the scopes a patient can grant a caregiver; until a grant exists a need
behaves like `CARE`. A field of a patient-owned type declares its need in its metadata
(`strawberry.field(metadata=requires(Need.INSURANCE_VIEW))`); a type declares the need of its
plain fields with `@patient_owned(Need...)`. tests/test_access_declarations.py walks the schema
and fails on a patient-owned field that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, TypeVar

ACCESS_KEY = "relief_access"
TYPE_ACCESS_ATTRIBUTE = "__patient_access__"

T = TypeVar("T")


class Need(StrEnum):
    CARE = "CARE"  # patient + care team only (and a guardian who manages a dependent fully)
    # The patient's name: whoever may reach any part of the record (a caregiver with any scope).
    NAME = "NAME"
    PROFILE_VIEW = "PROFILE_VIEW"
    PROFILE_EDIT = "PROFILE_EDIT"
    INSURANCE_VIEW = "INSURANCE_VIEW"
    PLAN_VIEW = "PLAN_VIEW"
    PROGRESS_VIEW = "PROGRESS_VIEW"
    PROGRESS_LOG = "PROGRESS_LOG"
    APPOINTMENTS_VIEW = "APPOINTMENTS_VIEW"
    APPOINTMENTS_MANAGE = "APPOINTMENTS_MANAGE"
    MESSAGES = "MESSAGES"
    DOCUMENTS = "DOCUMENTS"  # documents and videos the patient or care team uploaded
    REMINDERS = "REMINDERS"


# The scopes a patient can grant a caregiver (CaregiverScope in the schema).
GRANTABLE: tuple[Need, ...] = (
    Need.APPOINTMENTS_VIEW,
    Need.APPOINTMENTS_MANAGE,
    Need.PLAN_VIEW,
    Need.PROGRESS_VIEW,
    Need.PROGRESS_LOG,
    Need.MESSAGES,
    Need.REMINDERS,
    Need.PROFILE_VIEW,
    Need.PROFILE_EDIT,
    Need.INSURANCE_VIEW,
    Need.DOCUMENTS,
)

# Managing implies seeing: a grant of the first is also a grant of the second.
IMPLIED: dict[Need, Need] = {
    Need.APPOINTMENTS_MANAGE: Need.APPOINTMENTS_VIEW,
    Need.PROFILE_EDIT: Need.PROFILE_VIEW,
}


def effective_scopes(granted: frozenset[Need] | set[Need]) -> frozenset[Need]:
    """The needs a grant answers: the scopes chosen, what they imply, and the patient's name."""
    scopes = {need for need in granted if need in GRANTABLE}
    scopes |= {IMPLIED[need] for need in scopes if need in IMPLIED}
    return frozenset(scopes | {Need.NAME})


_GRANTABLE_VALUES = frozenset(need.value for need in GRANTABLE)


def stored_scopes(values: Iterable[str]) -> frozenset[Need]:
    """The needs a grant answers, from its stored scope names (a name no longer grantable is
    ignored)."""
    return effective_scopes({Need(value) for value in values if value in _GRANTABLE_VALUES})


def requires(need: Need) -> dict[str, Any]:
    """Field metadata that declares the need of one field."""
    return {ACCESS_KEY: need}


def patient_owned(need: Need) -> Callable[[type[T]], type[T]]:
    """Marks a schema type as part of a patient's record; its plain fields need `need`."""

    def mark(cls: type[T]) -> type[T]:
        setattr(cls, TYPE_ACCESS_ATTRIBUTE, need)
        return cls

    return mark


CLINIC_CONTENT_ATTRIBUTE = "__clinic_content__"


def clinic_content(cls: type[T]) -> type[T]:
    """Marks a schema type as the clinic's own content (the directory, the exercise library):
    reachable from a patient's record, but holding nothing about any patient."""
    setattr(cls, CLINIC_CONTENT_ATTRIBUTE, True)
    return cls
