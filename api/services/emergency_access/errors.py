"""The problems a request for emergency access can have, each with a stable code."""

from __future__ import annotations

from enum import StrEnum

from api.services.problems import Problems


class EmergencyAccessErrorCode(StrEnum):
    REASON_REQUIRED = "REASON_REQUIRED"
    REASON_TOO_SHORT = "REASON_TOO_SHORT"
    REASON_TOO_LONG = "REASON_TOO_LONG"
    # On the care team already (or the viewer's own record): nothing to break open.
    NOT_NEEDED = "NOT_NEEDED"


class EmergencyAccessProblems(Problems[EmergencyAccessErrorCode]):
    """Raised with every problem of one request for emergency access."""
