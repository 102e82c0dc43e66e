"""Ending an emergency access before it runs out: its clinician, or an admin.

Anyone else finds no such access. Closing one that is over already (closed, or past its
expiry) answers it unchanged. The owner's account is locked first, as opening does, and its
mark becomes the latest expiry still open (api/services/emergency_access/account_mark.py).
"""

from __future__ import annotations

from api.access.scope import AccessScope
from api.errors import NotFound
from api.models.audit import AuditSeverity
from api.models.emergency_access import EmergencyAccess
from api.realtime.events import transaction
from api.services import audit
from api.services.emergency_access.account_mark import lock_account, reset_mark
from api.services.emergency_access.clinicians import RequestFacts, audit_context
from api.services.emergency_access.views import AccessView, now, view_of

NOT_FOUND = "No such emergency access."


async def close_access(scope: AccessScope, facts: RequestFacts, access_id: int) -> AccessView:
    viewer_id = scope.require_authenticated()
    found = await EmergencyAccess.filter(id=access_id).first().values("user_id")
    owner = int(found["user_id"]) if found is not None else None
    if owner is None or (owner != viewer_id and not scope.is_admin):
        raise NotFound(NOT_FOUND)
    async with transaction():
        await lock_account(owner)
        at = now()  # once the account is ours: an opening it waited for is in what it reads
        row = (
            await EmergencyAccess.filter(id=access_id)
            .first()
            .values("patient_id", "closed_at", "expires_at")
        )
        if row is None:
            raise NotFound(NOT_FOUND)
        if row["closed_at"] is not None or row["expires_at"] <= at:
            return await view_of(access_id)
        await EmergencyAccess.filter(id=access_id).update(closed_at=at)
        await reset_mark(owner, at)
        patient_id = int(row["patient_id"])
        await audit.record(
            audit_context(scope, facts, patient_id),
            "emergency_access.closed",
            target_type="Patient",
            target_id=str(patient_id),
            severity=AuditSeverity.WARNING,
            details={"access_id": access_id, "by_owner": owner == viewer_id},
        )
    return await view_of(access_id)
