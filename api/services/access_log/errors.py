"""The problems the window asked for can have, each with a stable code."""

from __future__ import annotations

from enum import StrEnum

from api.services.problems import Problems


class AccessLogErrorCode(StrEnum):
    RANGE_INVERTED = "RANGE_INVERTED"
    RANGE_TOO_LONG = "RANGE_TOO_LONG"


class AccessLogProblems(Problems[AccessLogErrorCode]):
    """Raised with every problem of the window asked for."""
