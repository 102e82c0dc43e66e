"""Demo caregiving: Grace Chen is the mother of Liam (13), so she is his guardian.

Liam is an adolescent: as his guardian Grace manages his appointments, plan and messages, but
the fields the clinic keeps confidential for teenagers (settings.guardian_confidential_fields)
are hidden from her.
"""

from __future__ import annotations

from datetime import UTC, datetime

from api.access.needs import GRANTABLE
from api.models.accounts import Role, User, UserRole
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus, Relationship
from api.models.patients import Patient

GRACE = "grace.chen@demo.relief.test"


async def seed_caregivers(liam: Patient) -> list[str]:
    grace = await User.get(email=GRACE)
    await UserRole.get_or_create(user=grace, role=Role.CAREGIVER)
    if await CaregiverGrant.filter(patient=liam, caregiver=grace).exists():
        return []
    now = datetime.now(UTC)
    await CaregiverGrant.create(
        patient=liam,
        caregiver=grace,
        kind=GrantKind.GUARDIAN,
        status=GrantStatus.ACTIVE,
        relationship=Relationship.PARENT,
        scopes=[need.value for need in GRANTABLE],
        invited_email=GRACE,
        granted_by=grace,
        created_at=now,
        accepted_at=now,
        updated_at=now,
    )
    return ["Grace Chen is Liam's guardian (he is 13: his health history stays confidential)"]
