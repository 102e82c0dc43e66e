"""Finding a patient to open in an emergency, without browsing.

Break-glass exists for records outside one's reach, so a clinician cannot list them for the
id: an exact family name (any case) and date of birth answer ids and names only, at most
LOOKUP_MAX_MATCHES. Each clinician has a budget of lookups (api/access/rate_limits.py,
Budget.EMERGENCY_LOOKUP), so names and birth dates cannot be tried in bulk. Every lookup is
audited at HIGH severity, a refused one too (outcome DENIED), with the number of matches and
never the name or date asked for; the caller logs a read of each match in its patient's log.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from api.access.rate_limits import Budget, RateLimits
from api.access.scope import AccessScope
from api.errors import BadUserInput, RateLimited
from api.models.audit import AuditOutcome, AuditSeverity
from api.models.patients import Patient
from api.services import audit
from api.services.emergency_access.clinicians import (
    RequestFacts,
    audit_context,
    require_clinician_or_admin,
)

LOOKUP_MAX_MATCHES = 10
NAME_MAX_LENGTH = 100
ACTION = "emergency_access.patient_lookup"


@dataclass(frozen=True, slots=True)
class PatientMatch:
    patient_id: int
    given_name: str
    family_name: str


def checked_family_name(text: str) -> str:
    """The name with its spaces collapsed; control characters are no part of a name (and
    PostgreSQL refuses a NUL in text: a statement error, not an answer)."""
    name = " ".join(text.split())
    if (
        not name
        or len(name) > NAME_MAX_LENGTH
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    ):
        raise BadUserInput(
            f"Enter the patient's family name (at most {NAME_MAX_LENGTH} characters).",
            field="familyName",
        )
    return name


async def find_patients(
    scope: AccessScope,
    limits: RateLimits,
    facts: RequestFacts,
    family_name: str,
    date_of_birth: date,
) -> list[PatientMatch]:
    """Patients with exactly this family name (any case) and date of birth."""
    user_id = require_clinician_or_admin(scope)
    name = checked_family_name(family_name)
    try:
        await limits.spend(Budget.EMERGENCY_LOOKUP, f"user:{user_id}")
    except RateLimited:
        await audit.record(
            audit_context(scope, facts),
            ACTION,
            outcome=AuditOutcome.DENIED,
            severity=AuditSeverity.HIGH,
            details={"matches": 0, "rate_limited": True},
        )
        raise
    rows = (
        await Patient.filter(date_of_birth=date_of_birth, family_name__iexact=name)
        .order_by("given_name", "id")
        .limit(LOOKUP_MAX_MATCHES)
        .values_list("id", "given_name", "family_name")
    )
    matches = [PatientMatch(int(pid), str(given), str(family)) for pid, given, family in rows]
    await audit.record(
        audit_context(scope, facts),
        ACTION,
        severity=AuditSeverity.HIGH,
        details={"matches": len(matches)},
    )
    return matches
