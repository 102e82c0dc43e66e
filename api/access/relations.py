"""Reads, once per request, the relations an AccessScope needs: own patient record, care team,
the caregiver grant the request acts through, and open emergency accesses.

At most one statement per role the viewer holds: a patient's own record id, and a therapist's
directory id with today's care team (a therapist with no patients costs a second, small read).
A caregiver's grant is read only when the request names the patient it acts for, and emergency
accesses only while the account says one may be open: routine requests pay nothing for either.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

# age_on stays importable from here (api/services/caregivers/dependents.py reads it).
from api.access.grant_terms import age_on as age_on
from api.access.grant_terms import given_by_patient, grant_terms
from api.access.needs import stored_scopes
from api.access.scope import AccessScope, CaregiverAccess, Viewer
from api.models.accounts import Role
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.models.emergency_access import EmergencyAccess
from api.models.patients import CareTeamMember, Patient
from api.models.therapists import Therapist
from api.settings import Settings, get_settings


async def scope_for(viewer: Viewer, settings: Settings | None = None) -> AccessScope:
    if viewer.user_id is None or not viewer.is_authenticated:
        return AccessScope(viewer)
    patient_id: int | None = None
    therapist_id: int | None = None
    care_team: frozenset[int] = frozenset()
    if viewer.has_role(Role.PATIENT):
        own = await Patient.filter(user_id=viewer.user_id).first().values("id")
        patient_id = int(own["id"]) if own else None
    if viewer.has_role(Role.THERAPIST):
        rows = await CareTeamMember.filter(
            therapist__user_id=viewer.user_id, ended_at=None
        ).values_list("therapist_id", "patient_id")
        if rows:
            therapist_id = int(rows[0][0])
            care_team = frozenset(int(patient) for _, patient in rows)
        else:
            found = await Therapist.filter(user_id=viewer.user_id).first().values("id")
            therapist_id = int(found["id"]) if found else None
    caregiving = None
    if viewer.acting_for is not None and viewer.acting_for != patient_id:
        caregiving = await live_grant(viewer.user_id, viewer.acting_for, settings or get_settings())
    emergency: dict[int, int] = {}
    now = datetime.now(UTC)
    if viewer.emergency_access_until is not None and viewer.emergency_access_until > now:
        opened = await EmergencyAccess.filter(
            user_id=viewer.user_id, expires_at__gt=now, closed_at=None
        ).values_list("id", "patient_id")
        emergency = {int(patient): int(access) for access, patient in opened}
    return AccessScope(
        viewer,
        patient_id=patient_id,
        therapist_id=therapist_id,
        care_team=care_team,
        caregiving=caregiving,
        emergency=emergency,
    )


async def live_grant(user_id: int, patient_id: int, settings: Settings) -> CaregiverAccess | None:
    """The grant through which `user_id` may act for `patient_id` now, as a scope sees it.

    One statement. A grant past its expiry is not live; what the patient's age does to it
    (api/access/grant_terms: a grant the patient did not give themselves ends at adulthood and
    hides the clinic's confidential fields from adolescence) is the rule the caregivers domain
    shows too. Of several ACTIVE rows (an old grant run out, then a new one accepted) the
    newest live one answers: the newest row alone may be the one that ran out."""
    rows = (
        await CaregiverGrant.filter(
            caregiver_id=user_id, patient_id=patient_id, status=GrantStatus.ACTIVE
        )
        .order_by("-id")
        .values(
            "id",
            "kind",
            "scopes",
            "expires_at",
            "granted_by_id",
            "patient__user_id",
            "patient__date_of_birth",
        )
    )
    now = datetime.now(UTC)
    for row in rows:
        if row["expires_at"] is not None and row["expires_at"] <= now:
            continue
        kind = GrantKind(row["kind"])
        terms = grant_terms(
            kind,
            given_by_patient(kind, row["granted_by_id"], row["patient__user_id"]),
            row["patient__date_of_birth"],
            now.date(),
            settings,
        )
        if terms.live:
            return _access(row, patient_id, kind, terms.confidential)
    return None


def _access(
    row: dict[str, Any], patient_id: int, kind: GrantKind, confidential: tuple[str, ...]
) -> CaregiverAccess:
    scopes = stored_scopes(row["scopes"])
    return CaregiverAccess(
        int(row["id"]),
        patient_id,
        scopes,
        guardian=kind is GrantKind.GUARDIAN,
        confidential=frozenset(confidential),
    )
