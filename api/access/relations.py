"""Reads, once per request, the relations an AccessScope needs: own patient record, care team.

At most one statement per role the viewer holds: a patient's own record id, and a therapist's
directory id with today's care team (a therapist with no patients costs a second, small read).
"""

from __future__ import annotations

from api.access.scope import AccessScope, Viewer
from api.models.accounts import Role
from api.models.patients import CareTeamMember, Patient
from api.models.therapists import Therapist


async def scope_for(viewer: Viewer) -> AccessScope:
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
    return AccessScope(
        viewer, patient_id=patient_id, therapist_id=therapist_id, care_team=care_team
    )
