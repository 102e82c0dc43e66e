"""Who sees which plans and logs. Drafts are the care team's work in progress: the patient
(and their caregivers with PLAN_VIEW) see ACTIVE and COMPLETED plans only."""

from __future__ import annotations

from datetime import date

from api.access.needs import Need
from api.access.scope import AccessScope
from api.models.plans import ExerciseLog, PlanStatus
from api.services.pagination import Page, paginate


def can_see_plan(scope: AccessScope, patient_id: int, status: PlanStatus) -> bool:
    if not scope.can_read_patient(patient_id, Need.PLAN_VIEW):
        return False
    if status is not PlanStatus.DRAFT:
        return True
    return scope.is_care_team(patient_id) or scope.is_admin


def require_plan_need(scope: AccessScope, patient_id: int) -> None:
    """FORBIDDEN for a plan of a record the viewer reaches without PLAN_VIEW (a caregiver whose
    grant leaves the plan out); a plan out of reach stays "not found" for the caller to say."""
    if scope.can_reach_patient(patient_id):
        scope.require_patient(patient_id, Need.PLAN_VIEW)


async def logs_page(
    scope: AccessScope,
    patient_id: int,
    *,
    start: date | None,
    end: date | None,
    plan_id: int | None,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[ExerciseLog]:
    """A patient's logged sessions, newest first (NotFound outside the viewer's reach)."""
    scope.require_patient(patient_id, Need.PLAN_VIEW)
    query = ExerciseLog.filter(patient_id=patient_id)
    if start is not None:
        query = query.filter(performed_on__gte=start)
    if end is not None:
        query = query.filter(performed_on__lte=end)
    if plan_id is not None:
        query = query.filter(plan_id=plan_id)
    return await paginate(
        query, first=first, after=after, max_page_size=max_page_size, descending=True
    )
