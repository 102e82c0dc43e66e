"""Whether a grant answers now, as the API shows it: one rule for lists, reminders and checks.

The database keeps what was decided (INVITED, ACTIVE, REVOKED, VOIDED, DECLINED); time decides
the rest. A grant past its expiry, an invitation past its own deadline and a guardian's grant
once the patient is an adult all show EXPIRED, without anything having to run
(api/access/relations.live_grant applies the same rule to each request).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from api.access.needs import Need
from api.access.relations import age_on
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


@dataclass(frozen=True, slots=True)
class Timing:
    """What liveness depends on besides the stored status."""

    status: GrantStatus
    kind: GrantKind
    expires_at: datetime | None
    invitation_expires_at: datetime | None
    born: date | None  # the patient's date of birth


def shown_status(timing: Timing, now: datetime, settings: Settings) -> ShownStatus:
    status = GrantStatus(timing.status)
    if status in ENDED:
        return ShownStatus(status.value)
    if timing.expires_at is not None and timing.expires_at <= now:
        return ShownStatus.EXPIRED
    if status is GrantStatus.INVITED:
        deadline = timing.invitation_expires_at
        open_still = deadline is not None and deadline > now
        return ShownStatus.INVITED if open_still else ShownStatus.EXPIRED
    if GrantKind(timing.kind) is GrantKind.GUARDIAN and is_adult(timing.born, now, settings):
        return ShownStatus.EXPIRED
    return ShownStatus.ACTIVE


def is_adult(born: date | None, now: datetime, settings: Settings) -> bool:
    return born is not None and age_on(born, now.date()) >= settings.adult_age


def confidential_fields(
    kind: GrantKind, born: date | None, now: datetime, settings: Settings
) -> tuple[str, ...]:
    """The Patient fields hidden from this grant now: a guardian's, from adolescence on."""
    if GrantKind(kind) is not GrantKind.GUARDIAN or born is None:
        return ()
    if age_on(born, now.date()) < settings.adolescent_age:
        return ()
    return tuple(settings.guardian_confidential_fields)


def reminds(kind: GrantKind, scopes: Iterable[str]) -> bool:
    """Whether the holder of this grant gets the patient's appointment reminders."""
    return GrantKind(kind) is GrantKind.GUARDIAN or Need.REMINDERS.value in set(scopes)
