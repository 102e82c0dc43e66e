"""Changing and ending grants: the patient's own, or a guardian's acting for them.

Both take effect on the caregiver's very next request (every request reads its grant afresh,
api/access/relations.live_grant). Open sockets hear of it after the commit: a socket acting
for the patient closes when the grant ended and re-reads its scope when it changed.

A guardian's grant covers everything until the patient's adulthood: it is ended, never
narrowed, and only by a guardian acting for the patient. A dependent without an account of
their own keeps at least one guardian.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import NotFound
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.realtime.events import transaction
from api.services import audit
from api.services.caregivers import notices
from api.services.caregivers.checks import (
    check_expiry,
    check_scopes,
    collector,
    is_guardian_of,
    require_manager,
)
from api.services.caregivers.errors import CaregiverErrorCode as Code
from api.services.caregivers.errors import fail
from api.services.caregivers.grants import (
    GrantRow,
    chosen_scopes,
    grant_row,
    lock_patient,
    now,
)
from api.services.caregivers.liveness import (
    ENDED,
    TIMING_COLUMNS,
    ShownStatus,
    Timing,
    shown_status,
)
from api.services.scheduling.reminders import schedule_for_caregiver
from api.settings import Settings

GRANT_NOT_FOUND = "No such caregiver access."
OPEN = (GrantStatus.INVITED, GrantStatus.ACTIVE)


@dataclass(frozen=True, slots=True)
class AccessChange:
    grant_id: int
    scopes: tuple[Need, ...] | None  # None: keep them
    expires_at: datetime | None  # None: keep it (unless clear_expiry)
    clear_expiry: bool = False  # until revoked


_COLUMNS = (
    "id",
    "patient_id",
    "patient__user_id",
    "patient__given_name",
    "patient__date_of_birth",
    "caregiver_id",
    "kind",
    "status",
    "scopes",
    "expires_at",
)


async def _managed(scope: AccessScope, grant_id: int) -> dict[str, Any]:
    """The grant, once the viewer may manage its patient's grants (else NOT_FOUND/FORBIDDEN)."""
    scope.require_authenticated()
    row = await CaregiverGrant.filter(id=grant_id).first().values(*_COLUMNS)
    if row is None or not scope.can_reach_patient(int(row["patient_id"])):
        raise NotFound(GRANT_NOT_FOUND)
    require_manager(scope, int(row["patient_id"]))
    return row


async def _reloaded(settings: Settings, grant_id: int) -> GrantRow:
    row = await grant_row(settings, grant_id)
    if row is None:  # deleted with its patient in between
        raise NotFound(GRANT_NOT_FOUND)
    return row


async def update_access(
    scope: AccessScope, settings: Settings, ip: str | None, change: AccessChange
) -> GrantRow:
    row = await _managed(scope, change.grant_id)
    moment = now()
    found = collector()
    scopes = check_scopes(found, change.scopes) if change.scopes is not None else None
    if change.expires_at is not None and change.clear_expiry:
        found.add(
            Code.CONFLICTING_EXPIRY,
            "Choose an end of the access, or no end: not both.",
            "clearExpiry",
        )
    else:
        check_expiry(found, change.expires_at, moment)
    if scopes is None and change.expires_at is None and not change.clear_expiry:
        found.add(Code.NOTHING_TO_CHANGE, "Choose what to change.", None)
    found.raise_if_any()
    if GrantStatus(row["status"]) in ENDED:
        raise fail(Code.GRANT_ENDED, "This access has ended: invite them again.", "grantId")
    if GrantKind(row["kind"]) is GrantKind.GUARDIAN:
        raise fail(
            Code.GUARDIAN_GRANT,
            "A guardian's access covers everything until the patient turns 18: it can only "
            "be ended.",
            "grantId",
        )

    if change.clear_expiry or change.expires_at is not None:
        await _check_not_doubled(settings, row, moment)

    before = chosen_scopes(row["scopes"] or [])
    values: dict[str, Any] = {"updated_at": moment}
    if scopes is not None:
        values["scopes"] = [need.value for need in scopes]
    if change.clear_expiry:
        values["expires_at"] = None
    elif change.expires_at is not None:
        values["expires_at"] = change.expires_at
    after = scopes if scopes is not None else before
    patient_id = int(row["patient_id"])
    caregiver_id = row["caregiver_id"]
    async with transaction():
        updated = await CaregiverGrant.filter(id=row["id"], status__in=OPEN).update(**values)
        if updated != 1:
            raise fail(Code.GRANT_ENDED, "This access has ended: invite them again.", "grantId")
        await audit.record(
            notices.audit_context(scope, patient_id, ip),
            "caregiver.access_updated",
            target_type="CaregiverGrant",
            target_id=str(row["id"]),
            details={
                "scopes": notices.scope_list(after),
                "removed": len(set(before) - set(after)),
                "expiryChanged": change.clear_expiry or change.expires_at is not None,
            },
        )
        if caregiver_id is not None:
            await notices.tell_caregiver(
                caregiver_id=int(caregiver_id),
                patient_id=patient_id,
                grant_id=int(row["id"]),
                ended=False,
                title="Your caregiver access changed",
                body=f"What you can see and do for {row['patient__given_name']} changed.",
            )
            gained_reminders = Need.REMINDERS in after and Need.REMINDERS not in before
            if gained_reminders and GrantStatus(row["status"]) is GrantStatus.ACTIVE:
                await schedule_for_caregiver(settings, patient_id, int(caregiver_id))
    return await _reloaded(settings, int(row["id"]))


async def _check_not_doubled(settings: Settings, row: dict[str, Any], moment: datetime) -> None:
    """A new end may bring a run-out grant back: not while its holder has another live grant
    of the patient (the patient would change one while the other answers)."""
    ran_out = row["expires_at"] is not None and row["expires_at"] <= moment
    if row["caregiver_id"] is None or not ran_out:
        return
    others = (
        await CaregiverGrant.filter(
            caregiver_id=row["caregiver_id"],
            patient_id=row["patient_id"],
            status=GrantStatus.ACTIVE,
        )
        .exclude(id=row["id"])
        .values(*TIMING_COLUMNS)
    )
    if any(
        shown_status(Timing.of(other), moment, settings) is ShownStatus.ACTIVE for other in others
    ):
        raise fail(
            Code.ALREADY_HAS_ACCESS,
            "They have newer access to this record: change that one instead.",
            "grantId",
        )


async def revoke(scope: AccessScope, settings: Settings, ip: str | None, grant_id: int) -> GrantRow:
    """Ends the grant (or withdraws the invitation); an ended one is answered as it is."""
    row = await _managed(scope, grant_id)
    if GrantStatus(row["status"]) in ENDED:
        return await _reloaded(settings, grant_id)
    patient_id = int(row["patient_id"])
    moment = now()
    caregiver_id = row["caregiver_id"]
    async with transaction():
        if GrantKind(row["kind"]) is GrantKind.GUARDIAN:
            # Under the patient's row lock: two guardians stepping down at once each saw the
            # other's grant live, and both went.
            await lock_patient(patient_id)
            await _check_guardian_revocation(scope, settings, row)
        revoked = await CaregiverGrant.filter(id=grant_id, status__in=OPEN).update(
            status=GrantStatus.REVOKED,
            ended_at=moment,
            ended_by_id=scope.viewer.user_id,
            updated_at=moment,
            invitation_token_hash=None,
        )
        if revoked == 1:
            await audit.record(
                notices.audit_context(scope, patient_id, ip),
                "caregiver.access_revoked",
                target_type="CaregiverGrant",
                target_id=str(grant_id),
                details={"kind": str(row["kind"]), "accepted": caregiver_id is not None},
            )
            if caregiver_id is not None and caregiver_id != scope.viewer.user_id:
                await notices.tell_caregiver(
                    caregiver_id=int(caregiver_id),
                    patient_id=patient_id,
                    grant_id=grant_id,
                    ended=True,
                    title="Your caregiver access ended",
                    body=f"You no longer have access to {row['patient__given_name']}'s record.",
                )
            elif caregiver_id is not None:  # a guardian stepping down: their sockets close too
                await notices.announce(int(caregiver_id), patient_id, grant_id, ended=True)
    return await _reloaded(settings, grant_id)


async def _check_guardian_revocation(
    scope: AccessScope, settings: Settings, row: dict[str, Any]
) -> None:
    patient_id = int(row["patient_id"])
    if not is_guardian_of(scope, patient_id):
        raise fail(
            Code.GUARDIAN_GRANT,
            "A guardian's access ends when the patient turns 18, or when a guardian ends it.",
            "grantId",
        )
    if row["patient__user_id"] is not None:
        return
    others = (
        await CaregiverGrant.filter(
            patient_id=patient_id, kind=GrantKind.GUARDIAN, status=GrantStatus.ACTIVE
        )
        .exclude(id=row["id"])
        .values(*TIMING_COLUMNS)
    )
    moment = now()
    live = [
        other
        for other in others
        if shown_status(Timing.of(other), moment, settings) is ShownStatus.ACTIVE
    ]
    if not live:
        raise fail(
            Code.LAST_GUARDIAN,
            "You are the only guardian of this patient, who has no account of their own. "
            "Ask the clinic to change who looks after the record.",
            "grantId",
        )
