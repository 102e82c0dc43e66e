"""Whether a grant answers now, as the API shows it: one rule for lists, reminders and checks.

The database keeps what was decided (INVITED, ACTIVE, REVOKED, VOIDED, DECLINED); time decides
the rest. A grant past its expiry, an invitation past its own deadline and a grant the patient
did not give themselves once the patient is an adult all show EXPIRED, without anything having
to run. What the patient's age does is api/access/grant_terms, the rule each request's scope
applies too (api/access/relations.live_grant): the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from api.access.grant_terms import GrantTerms, given_by_patient, grant_terms
from api.access.needs import Need
from api.models.caregivers import GrantKind, GrantStatus
from api.settings import Settings


class ShownStatus(StrEnum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    VOIDED = "VOIDED"
    DECLINED = "DECLINED"


ENDED = frozenset({GrantStatus.REVOKED, GrantStatus.VOIDED, GrantStatus.DECLINED})

# The grant columns a Timing is made of, for `.values(...)` reads (joined: the patient's).
TIMING_COLUMNS = (
    "status",
    "kind",
    "expires_at",
    "invitation_expires_at",
    "granted_by_id",
    "patient__user_id",
    "patient__date_of_birth",
)


@dataclass(frozen=True, slots=True)
class Timing:
    """What liveness depends on besides the stored status."""

    status: GrantStatus
    kind: GrantKind
    expires_at: datetime | None
    invitation_expires_at: datetime | None
    born: date | None  # the patient's date of birth
    granted_by_id: int | None  # who gave the grant (the patient's own account, or a guardian)
    patient_user_id: int | None  # the patient's own account (None: a dependent)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Timing:
        """From a grant's `.values(*TIMING_COLUMNS, ...)` row."""
        return cls(
            status=GrantStatus(row["status"]),
            kind=GrantKind(row["kind"]),
            expires_at=row["expires_at"],
            invitation_expires_at=row["invitation_expires_at"],
            born=row["patient__date_of_birth"],
            granted_by_id=row["granted_by_id"],
            patient_user_id=row["patient__user_id"],
        )


def terms(timing: Timing, now: datetime, settings: Settings) -> GrantTerms:
    """What the patient's age does to this grant today (api/access/grant_terms)."""
    kind = GrantKind(timing.kind)
    return grant_terms(
        kind,
        given_by_patient(kind, timing.granted_by_id, timing.patient_user_id),
        timing.born,
        now.date(),
        settings,
    )


def shown_status(timing: Timing, now: datetime, settings: Settings) -> ShownStatus:
    status = GrantStatus(timing.status)
    if status in ENDED:
        return ShownStatus(status.value)
    if timing.expires_at is not None and timing.expires_at <= now:
        return ShownStatus.EXPIRED
    # Before the invitation's own deadline: an invitation a guardian sent cannot be accepted
    # once the patient is an adult (the grant it would become ends then).
    if not terms(timing, now, settings).live:
        return ShownStatus.EXPIRED
    if status is GrantStatus.INVITED:
        deadline = timing.invitation_expires_at
        open_still = deadline is not None and deadline > now
        return ShownStatus.INVITED if open_still else ShownStatus.EXPIRED
    return ShownStatus.ACTIVE


def confidential_fields(timing: Timing, now: datetime, settings: Settings) -> tuple[str, ...]:
    """The Patient fields hidden from this grant's holder now (a grant the patient did not
    give themselves, from adolescence on)."""
    return terms(timing, now, settings).confidential


def reminds(kind: GrantKind, scopes: Iterable[str]) -> bool:
    """Whether the holder of this grant gets the patient's appointment reminders."""
    return GrantKind(kind) is GrantKind.GUARDIAN or Need.REMINDERS.value in set(scopes)
