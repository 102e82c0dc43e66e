"""One emergency access as the API shows it (with its clinician's name), and its status.

An access is open while it is not closed and its expiry lies ahead: at `expires_at` exactly
it is over. Every check says the same (`expires_at > now`): the status here, the scope
(api/access/relations.py), opening again, closing, and the review's open-only list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from api.errors import NotFound
from api.models.emergency_access import EmergencyAccess

COLUMNS = (
    "id",
    "user_id",
    "user__display_name",
    "patient_id",
    "reason",
    "opened_at",
    "expires_at",
    "closed_at",
)


class AccessStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"  # ended early by the clinician (or an admin)
    EXPIRED = "EXPIRED"


@dataclass(frozen=True, slots=True)
class AccessView:
    id: int
    user_id: int
    clinician_name: str
    patient_id: int
    reason: str
    opened_at: datetime
    expires_at: datetime
    closed_at: datetime | None

    def status(self, at: datetime) -> AccessStatus:
        if self.closed_at is not None:
            return AccessStatus.CLOSED
        return AccessStatus.OPEN if self.expires_at > at else AccessStatus.EXPIRED

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AccessView:
        """From a `.values(*COLUMNS)` row."""
        return cls(
            id=int(row["id"]),
            user_id=int(row["user_id"]),
            clinician_name=str(row["user__display_name"]),
            patient_id=int(row["patient_id"]),
            reason=str(row["reason"]),
            opened_at=row["opened_at"],
            expires_at=row["expires_at"],
            closed_at=row["closed_at"],
        )


def now() -> datetime:
    return datetime.now(UTC)


async def view_of(access_id: int) -> AccessView:
    """The access as it is stored now (one statement)."""
    row = await EmergencyAccess.filter(id=access_id).first().values(*COLUMNS)
    if row is None:
        raise NotFound("No such emergency access.")
    return AccessView.from_row(row)
