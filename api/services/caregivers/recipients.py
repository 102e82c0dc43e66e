"""Who hears of something about a patient: their own account, or, for a dependent without one,
their guardians (each by their own notification preferences: api/services/notifications).

A guardian counts while their grant is live by the one rule (api/services/caregivers/liveness,
api/access/grant_terms): ACTIVE, not past its expiry, and the patient not yet an adult. The
guardians of a whole batch of patients are one statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from api.access.needs import Need, stored_scopes
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.services.caregivers.liveness import TIMING_COLUMNS, ShownStatus, Timing, shown_status
from api.settings import Settings


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    own: bool  # the patient's own account; False: a guardian told on the patient's behalf


async def guardians_of(
    settings: Settings, patient_ids: Iterable[int], at: datetime | None = None
) -> dict[int, list[int]]:
    """The users holding a live GUARDIAN grant of each patient (every id asked is a key; the
    list may be empty), in the order the grants were given. One statement, none for no ids."""
    wanted = sorted(set(patient_ids))
    found: dict[int, list[int]] = {patient_id: [] for patient_id in wanted}
    if not wanted:
        return found
    rows = (
        await CaregiverGrant.filter(
            patient_id__in=wanted,
            kind=GrantKind.GUARDIAN,
            status=GrantStatus.ACTIVE,
            caregiver_id__isnull=False,
        )
        .order_by("id")
        .values("patient_id", "caregiver_id", *TIMING_COLUMNS)
    )
    moment = at or datetime.now(UTC)
    for row in rows:
        if shown_status(Timing.of(row), moment, settings) is not ShownStatus.ACTIVE:
            continue
        guardians = found[int(row["patient_id"])]
        if int(row["caregiver_id"]) not in guardians:
            guardians.append(int(row["caregiver_id"]))
    return found


async def recipients_for(
    settings: Settings, accounts: Mapping[int, int | None], at: datetime | None = None
) -> dict[int, list[Recipient]]:
    """Who is told about each patient: `accounts` maps a patient id to their own user id (None:
    a dependent, whose live guardians are told instead). Every patient asked is a key; a
    dependent without a live guardian gets an empty list. At most one statement."""
    dependents = [patient_id for patient_id, user_id in accounts.items() if user_id is None]
    guardians = await guardians_of(settings, dependents, at)
    return {
        patient_id: [Recipient(user_id, own=True)]
        if user_id is not None
        else [Recipient(guardian, own=False) for guardian in guardians[patient_id]]
        for patient_id, user_id in accounts.items()
    }


async def caregivers_with(
    settings: Settings, patient_id: int, need: Need, at: datetime | None = None
) -> list[int]:
    """The users whose live grant for this patient covers `need` (guardians cover every need),
    in the order the grants were given. One statement."""
    rows = (
        await CaregiverGrant.filter(
            patient_id=patient_id, status=GrantStatus.ACTIVE, caregiver_id__isnull=False
        )
        .order_by("id")
        .values("caregiver_id", "scopes", *TIMING_COLUMNS)
    )
    moment = at or datetime.now(UTC)
    found: list[int] = []
    for row in rows:
        if shown_status(Timing.of(row), moment, settings) is not ShownStatus.ACTIVE:
            continue
        guardian = GrantKind(row["kind"]) is GrantKind.GUARDIAN
        scopes = stored_scopes(row["scopes"])
        user_id = int(row["caregiver_id"])
        if (guardian or need in scopes) and user_id not in found:
            found.append(user_id)
    return found
