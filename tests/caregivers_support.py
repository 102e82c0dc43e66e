"""Builders for caregivers in tests: a caregiver account and a grant written straight to the
database (the invitation flow itself is tested in tests/test_caregivers_*.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from api.access.needs import GRANTABLE, Need
from api.models.accounts import Role, User, UserRole
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus, Relationship
from api.models.patients import Patient
from tests.accounts_support import make_user


async def make_caregiver(email: str = "grace@example.org", *, name: str = "Grace Chen") -> User:
    return await make_user(email, roles=(Role.CAREGIVER,), name=name)


async def grant(
    patient: Patient,
    caregiver: User,
    scopes: Iterable[Need] = (),
    *,
    kind: GrantKind = GrantKind.PROXY,
    status: GrantStatus = GrantStatus.ACTIVE,
    expires_at: datetime | None = None,
    relationship: Relationship = Relationship.SPOUSE_OR_PARTNER,
) -> CaregiverGrant:
    """An accepted grant (or one in `status`) of `scopes`; a guardian's covers every scope."""
    now = datetime.now(UTC)
    chosen = list(GRANTABLE) if kind is GrantKind.GUARDIAN else list(scopes)
    if not await UserRole.filter(user_id=caregiver.id, role=Role.CAREGIVER).exists():
        await UserRole.create(user=caregiver, role=Role.CAREGIVER)
    ended = status in (GrantStatus.REVOKED, GrantStatus.VOIDED, GrantStatus.DECLINED)
    return await CaregiverGrant.create(
        patient=patient,
        caregiver=caregiver,
        kind=kind,
        status=status,
        relationship=relationship,
        scopes=[need.value for need in chosen],
        expires_at=expires_at,
        invited_email=caregiver.email,
        granted_by_id=patient.user_id,
        created_at=now,
        accepted_at=now if status is not GrantStatus.INVITED else None,
        updated_at=now,
        ended_at=now if ended else None,
    )
