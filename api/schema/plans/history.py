"""What happened to a plan and with it: revisions the patient can read, logged sessions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.context import Info
from api.models import plans as models
from api.schema.plans.common import PlanChange, SessionOutcome
from api.schema.plans.phases import Prescription
from api.schema.relay import database_keys
from api.services.plans.reading import can_see_plan
from api.services.plans.wording import Change


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(description="One change of a plan by the care team, as the patient reads it.")
class PlanRevision(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description="1 for the plan as created, then 2, 3, ...")
    created_at: datetime
    summary: str
    changes: list[PlanChange]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.PlanRevision) -> PlanRevision:
        return cls(
            id=row.id,
            number=row.number,
            created_at=row.created_at,
            summary=row.summary,
            changes=[PlanChange.from_change(Change.from_json(item)) for item in row.changes],
            created_by_id=row.created_by_id,
        )

    @strawberry.field(
        description="The name of who made the change.", metadata=requires(Need.PLAN_VIEW)
    )
    async def created_by_name(self, info: Info) -> str | None:
        if self.created_by_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self.created_by_id)
        return user.display_name if user is not None else None

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PlanRevision | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        rows = {
            row.id: row
            for row in await models.PlanRevision.filter(id__in=[k for k in keys if k is not None])
        }
        plans = await info.context.loaders.plans.plan_by_id.load_many(
            [row.plan_id for row in rows.values()]
        )
        visible = {
            plan.id: plan
            for plan in plans
            if plan is not None and can_see_plan(scope, plan.patient_id, plan.status)
        }
        found: list[PlanRevision | None] = []
        for key in keys:
            row = rows.get(key) if key is not None else None
            plan = visible.get(row.plan_id) if row is not None else None
            if row is None or plan is None:
                found.append(None)
                continue
            info.context.record_access.saw(plan.patient_id, "PlanRevision", row.id)
            found.append(cls.from_model(row))
        return found


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(description="A home session logged against one prescription.")
class ExerciseLog(relay.Node):
    id: relay.NodeID[int]
    performed_on: date = strawberry.field(description="The patient's local date.")
    outcome: SessionOutcome  # type: ignore[valid-type]
    pain_during: int | None = strawberry.field(description="Pain during the session, 0-10.")
    effort: int | None = strawberry.field(description="Effort felt (RPE), 0-10.")
    note: str
    logged_by_role: str = strawberry.field(
        description="Who logged it: PATIENT, THERAPIST (care team) or CAREGIVER."
    )
    logged_at: datetime
    prescription_id: strawberry.Private[int]
    patient_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.ExerciseLog) -> ExerciseLog:
        return cls(
            id=row.id,
            performed_on=row.performed_on,
            outcome=row.outcome,
            pain_during=row.pain_during,
            effort=row.effort,
            note=row.note,
            logged_by_role=row.logged_by_role,
            logged_at=row.logged_at,
            prescription_id=row.prescription_id,
            patient_id=row.patient_id,
        )

    @strawberry.field(
        description="What was performed, as prescribed (even if since removed).",
        metadata=requires(Need.PLAN_VIEW),
    )
    async def prescription(self, info: Info) -> Prescription:
        row = await info.context.loaders.plans.prescription_by_id.load(self.prescription_id)
        assert row is not None  # a log's prescription is deleted only with the log
        info.context.record_access.saw(self.patient_id, "Prescription", row.id)
        return Prescription.from_model(row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ExerciseLog | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        rows = {
            row.id: row
            for row in await models.ExerciseLog.filter(id__in=[k for k in keys if k is not None])
            if scope.can_read_patient(row.patient_id, Need.PLAN_VIEW)
        }
        found: list[ExerciseLog | None] = []
        for key in keys:
            row = rows.get(key) if key is not None else None
            if row is not None:
                info.context.record_access.saw(row.patient_id, "ExerciseLog", row.id)
            found.append(cls.from_model(row) if row is not None else None)
        return found
