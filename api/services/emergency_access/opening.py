"""Opening a record in an emergency: a therapist or admin, a patient outside their reach, a
reason, for `settings.emergency_access_minutes`.

One transaction: lock the opener's account (api/services/emergency_access/account_mark.py),
answer an access that is open already unchanged (never extended: the reason given then
stands), else write the access, raise the account's mark, note the opening in the patient's
access log, tell the people concerned (alerts.py) and append the HIGH audit event last (an
appended audit row holds the chain's head until commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api.access.scope import AccessScope
from api.errors import NotFound
from api.models.audit import AuditSeverity
from api.models.emergency_access import EmergencyAccess
from api.models.patients import Patient
from api.realtime.events import transaction
from api.services import audit
from api.services.emergency_access.account_mark import extend_mark, lock_account
from api.services.emergency_access.alerts import alerts
from api.services.emergency_access.clinicians import (
    RequestFacts,
    audit_context,
    require_clinician_or_admin,
)
from api.services.emergency_access.errors import EmergencyAccessErrorCode as Code
from api.services.emergency_access.errors import EmergencyAccessProblems
from api.services.emergency_access.reasons import checked_reason, sealed
from api.services.emergency_access.views import AccessView, now, view_of
from api.services.notifications import notify
from api.settings import Settings


@dataclass(frozen=True, slots=True)
class Opened:
    access: AccessView
    created: bool  # False: one was open already and is answered as it is


async def open_access(
    scope: AccessScope,
    settings: Settings,
    facts: RequestFacts,
    patient_id: int,
    reason_text: str,
) -> Opened:
    """Open `patient_id`'s record for the viewer; NOT_FOUND for an unknown patient."""
    user_id = require_clinician_or_admin(scope)
    reason = checked_reason(reason_text)
    if scope.is_care_team(patient_id) or scope.is_own_record(patient_id):
        raise EmergencyAccessProblems.one(
            Code.NOT_NEEDED,
            "You can already open this record: no emergency access is needed.",
            "patientId",
        )
    async with transaction():
        user = await lock_account(user_id)
        at = now()  # once the account is ours: what it waited for is in what it reads
        patient = await Patient.filter(id=patient_id).first().values("id", "user_id")
        if patient is None:
            raise NotFound("No such patient.", field="patientId")
        existing = (
            await EmergencyAccess.filter(
                user_id=user_id, patient_id=patient_id, closed_at=None, expires_at__gt=at
            )
            .order_by("-expires_at")
            .first()
            .values("id")
        )
        if existing is not None:
            return Opened(await view_of(int(existing["id"])), created=False)
        expires_at = at + timedelta(minutes=settings.emergency_access_minutes)
        access = await EmergencyAccess.create(
            user_id=user_id,
            patient_id=patient_id,
            reason=reason,
            opened_at=at,
            expires_at=expires_at,
            session_id=scope.viewer.session_id,
            ip=(facts.ip or "")[:45],
        )
        await extend_mark(user, expires_at)
        # The opening itself is in the patient's access log, with its reason, even if the
        # clinician then reads nothing.
        await audit.record_accesses(
            [
                audit.RecordAccessEntry(
                    actor_user_id=user_id,
                    actor_role=scope.actor_role(patient_id).value,
                    patient_id=patient_id,
                    resource="EmergencyAccess",
                    resource_id=str(access.id),
                    action="CREATE",
                    ip=facts.ip,
                    session_id=scope.viewer.session_id,
                    request_id=facts.request_id,
                    emergency_access_id=access.id,
                )
            ]
        )
        await notify(
            *await alerts(settings, user_id, user.display_name, patient_id, patient["user_id"])
        )
        await audit.record(
            audit_context(scope, facts, patient_id),
            "emergency_access.opened",
            target_type="Patient",
            target_id=str(patient_id),
            severity=AuditSeverity.HIGH,
            details={
                "access_id": access.id,
                "minutes": settings.emergency_access_minutes,
                **sealed(reason),
            },
        )
    return Opened(await view_of(access.id), created=True)
