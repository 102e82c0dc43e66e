"""Progress fields of the Patient type, for the dashboard and the caseload.

The patients schema attaches these resolvers (`strawberry.field(resolver=patient_recent_pain,
metadata=requires(Need.PROGRESS_VIEW))`); `root` is any object with the patient's `id`. Each
goes through a batch loader, so a caseload of 500 patients costs one statement per field.
"""

from __future__ import annotations

from api.access.needs import Need
from api.context import Info
from api.schema.progress.nodes import Goal, Measurement
from api.schema.relay import HasPatientId


async def patient_recent_pain(root: HasPatientId, info: Info) -> list[Measurement]:
    """The last 30 pain scores, newest first."""
    scope = await info.context.scope()
    scope.require_patient(root.id, Need.PROGRESS_VIEW)
    rows = await info.context.loaders.progress.recent_pain_by_patient_id.load(root.id)
    return [Measurement.seen(info, row) for row in rows]


async def patient_latest_pain(root: HasPatientId, info: Info) -> Measurement | None:
    """The newest pain score, if any."""
    scope = await info.context.scope()
    scope.require_patient(root.id, Need.PROGRESS_VIEW)
    row = await info.context.loaders.progress.latest_pain_by_patient_id.load(root.id)
    return Measurement.seen(info, row) if row is not None else None


async def patient_goals(root: HasPatientId, info: Info) -> list[Goal]:
    """The active goals, soonest target first."""
    scope = await info.context.scope()
    scope.require_patient(root.id, Need.PROGRESS_VIEW)
    rows = await info.context.loaders.progress.active_goals_by_patient_id.load(root.id)
    return [Goal.seen(info, row) for row in rows]
