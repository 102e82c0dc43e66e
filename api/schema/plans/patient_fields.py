"""Resolvers the Patient type attaches (it is written elsewhere; `root` is any object with
the patient's `id: int`). Each loads through the request's batch loaders, so a caseload of
any size costs the same few statements.

    active_plan: TreatmentPlan | None = strawberry.field(
        resolver=patient_active_plan, metadata=requires(Need.PLAN_VIEW))
"""

from __future__ import annotations

from api.access.needs import Need
from api.context import Info
from api.errors import Forbidden
from api.schema.plans.common import WeekAdherence
from api.schema.plans.plan import TreatmentPlan, visible_plan
from api.schema.relay import HasPatientId


async def _require_plan_view(info: Info, patient_id: int) -> None:
    scope = await info.context.scope()
    if not scope.can_read_patient(patient_id, Need.PLAN_VIEW):
        raise Forbidden("You do not have access to this patient's plans.")


async def patient_active_plan(root: HasPatientId, info: Info) -> TreatmentPlan | None:
    """The patient's ACTIVE plan, if any."""
    await _require_plan_view(info, root.id)
    row = await info.context.loaders.plans.active_plan_by_patient_id.load(root.id)
    return visible_plan(info, await info.context.scope(), row)


async def patient_plans(root: HasPatientId, info: Info) -> list[TreatmentPlan]:
    """Every plan of the patient this viewer may see, newest first (drafts: care team only)."""
    await _require_plan_view(info, root.id)
    scope = await info.context.scope()
    rows = await info.context.loaders.plans.plans_by_patient_id.load(root.id)
    return [plan for plan in (visible_plan(info, scope, row) for row in rows) if plan]


async def patient_adherence_this_week(root: HasPatientId, info: Info) -> WeekAdherence | None:
    """This week's adherence to the patient's active plan; null without one or before it
    starts."""
    await _require_plan_view(info, root.id)
    figures = await info.context.loaders.plans.adherence_this_week_by_patient_id.load(root.id)
    if figures is None:
        return None
    info.context.record_access.saw(root.id, "WeekAdherence", f"{root.id}:{figures.week}")
    return WeekAdherence.from_figures(figures)
