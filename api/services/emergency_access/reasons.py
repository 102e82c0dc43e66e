"""The reason a clinician gives for breaking the glass: what it must be, and how the audit
trail seals it without keeping it.

The reason is shown to the patient and the admins, and it often describes the patient's
condition ("collapsed, checking allergies"): patient data. The access row keeps it (read only
by its clinician, admins and, in the access log, the patient); the audit trail holds no patient
data (api/services/audit.py), so it keeps the reason's length and a SHA-256 of it: an edited
reason no longer matches its sealed hash.
"""

from __future__ import annotations

import hashlib

from api.services.audit import DetailValue
from api.services.emergency_access.errors import EmergencyAccessErrorCode as Code
from api.services.emergency_access.errors import EmergencyAccessProblems
from api.services.problems import Collector

REASON_MIN_CHARACTERS = 10  # letters and digits: "asdf asdf" or "..........." is no reason
REASON_MAX_LENGTH = 1000


def checked_reason(text: str) -> str:
    """The reason as stored (trimmed), or every problem with it."""
    problems = Collector(EmergencyAccessProblems)
    reason = text.strip()
    meaningful = sum(1 for ch in reason if ch.isalnum())
    if not reason:
        problems.add(
            Code.REASON_REQUIRED,
            "Write why you need this record now: it is shown to the patient and the admins.",
            "reason",
        )
    elif len(reason) > REASON_MAX_LENGTH:
        problems.add(
            Code.REASON_TOO_LONG, f"Keep the reason to {REASON_MAX_LENGTH} characters.", "reason"
        )
    elif meaningful < REASON_MIN_CHARACTERS or "\x00" in reason:
        problems.add(
            Code.REASON_TOO_SHORT,
            f"Say in a few words why you need this record (at least {REASON_MIN_CHARACTERS} "
            "letters or digits).",
            "reason",
        )
    problems.raise_if_any()
    return reason


def sealed(reason: str) -> dict[str, DetailValue]:
    """Audit details that pin the reason down without holding any of its words."""
    return {
        "reason_length": len(reason),
        "reason_sha256": hashlib.sha256(reason.encode()).hexdigest(),
    }
