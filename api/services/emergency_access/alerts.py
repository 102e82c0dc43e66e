"""Who is told when a record is opened in an emergency, in words that name no patient.

Every active admin but the opener, urgently (they review the reason); the patient's own
account; and the guardians whose grant is live by the one rule for grants
(api/services/caregivers/recipients.guardians_of, api/access/grant_terms.py: not expired, the
patient not yet an adult). Nothing of the record is said and no patient is named: the access
log has the rest, for those who may read it. The guardian's link names the record by its id,
which only opens for someone who may read it.
"""

from __future__ import annotations

import base64

from api.models.accounts import Role, UserRole
from api.models.notifications import NotificationKind
from api.services.caregivers.recipients import guardians_of
from api.services.notifications import NewNotification
from api.settings import Settings

ADMIN_LINK = "/admin/emergency-access"
PATIENT_LINK = "/access-log"


async def alerts(
    settings: Settings,
    opener_id: int,
    opener_name: str,
    patient_id: int,
    patient_user_id: int | None,
) -> list[NewNotification]:
    """The notifications of one opening (two statements: the admins, the guardians)."""
    admins = await UserRole.filter(
        role=Role.ADMIN, user__is_active=True, user__deactivated_at=None
    ).values("user_id")
    told = [
        NewNotification(
            user_id=admin,
            kind=NotificationKind.EMERGENCY_ACCESS,
            title="Emergency access opened",
            body=f"{opener_name or 'A clinician'} opened a patient's record in an emergency. "
            "Please review the reason.",
            link=ADMIN_LINK,
            urgent=True,
        )
        for admin in sorted({int(row["user_id"]) for row in admins})
        if admin != opener_id
    ]
    if patient_user_id is not None:
        told.append(
            NewNotification(
                user_id=patient_user_id,
                kind=NotificationKind.EMERGENCY_ACCESS,
                title="A clinician opened your record in an emergency",
                body="Your record's access log shows who it was and why.",
                link=PATIENT_LINK,
                patient_id=patient_id,
            )
        )
    guardians = (await guardians_of(settings, [patient_id]))[patient_id]
    # The Patient's global id, as the API spells it (services do not import Strawberry).
    record = base64.b64encode(f"Patient:{patient_id}".encode()).decode()
    told.extend(
        NewNotification(
            user_id=guardian,
            kind=NotificationKind.EMERGENCY_ACCESS,
            title="A clinician opened the record of someone you care for in an emergency",
            body="Their record's access log shows who it was and why.",
            link=f"{PATIENT_LINK}?patient={record}",
            patient_id=patient_id,
        )
        for guardian in guardians
        if guardian not in (patient_user_id, opener_id)
    )
    return told
