"""The treatment plan as the patient and the care team read it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.access.scope import AccessScope
from api.context import Info
from api.errors import BadUserInput
from api.loaders.plans import PlanRow
from api.models import plans as models
from api.schema.plans import fetch
from api.schema.plans.common import PlanStatus, WeekAdherence
from api.schema.plans.history import PlanRevision
from api.schema.plans.phases import PlanPhase
from api.schema.relay import connection_from_page, database_keys, global_id
from api.schema.therapists import Therapist
from api.services.pagination import paginate
from api.services.plans.reading import can_see_plan

MAX_ADHERENCE_WEEKS = 52


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(
    description="A patient's treatment plan: condition, goals, and phases of weeks with "
    "prescribed exercises. Every change by the care team is a revision the patient can read."
)
class TreatmentPlan(relay.Node):
    id: relay.NodeID[int]
    patient_id: strawberry.ID = strawberry.field(description="The patient's global id.")
    therapist_id: strawberry.ID = strawberry.field(
        description="The global id of the therapist leading the plan (see `therapist`)."
    )
    title: str
    condition: str
    goals: str
    expected_outcome: str
    status: PlanStatus  # type: ignore[valid-type]
    starts_on: date = strawberry.field(
        description="Week 1 begins on this day, in the patient's time zone."
    )
    revision: int = strawberry.field(description="The number of the latest revision.")
    created_at: datetime
    updated_at: datetime
    activated_at: datetime | None
    completed_at: datetime | None
    current_week: int | None = strawberry.field(
        description="This week's number (1-based) in the patient's time zone; null before the "
        "plan starts."
    )
    row: strawberry.Private[PlanRow]

    @classmethod
    def from_row(cls, row: PlanRow) -> TreatmentPlan:
        return cls(
            id=row.id,
            patient_id=global_id("Patient", row.patient_id),
            therapist_id=global_id("Therapist", row.therapist_id),
            title=row.title,
            condition=row.condition,
            goals=row.goals,
            expected_outcome=row.expected_outcome,
            status=row.status,
            starts_on=row.starts_on,
            revision=row.revision,
            created_at=row.created_at,
            updated_at=row.updated_at,
            activated_at=row.activated_at,
            completed_at=row.completed_at,
            current_week=row.current_week(),
            row=row,
        )

    @strawberry.field(
        description="The therapist leading the plan.", metadata=requires(Need.PLAN_VIEW)
    )
    async def therapist(self, info: Info) -> Therapist | None:
        loader = info.context.loaders.therapists.therapist_by_id
        record = await loader.load(self.row.therapist_id)
        return Therapist.from_model(record) if record is not None else None

    @strawberry.field(
        description="The phases, in the order of their weeks.", metadata=requires(Need.PLAN_VIEW)
    )
    async def phases(self, info: Info) -> list[PlanPhase]:
        rows = await fetch.phase_rows(info, self.row)
        return [PlanPhase.from_model(row, self.row) for row in rows]

    @strawberry.field(
        description="The phase covering this week, if any.", metadata=requires(Need.PLAN_VIEW)
    )
    async def current_phase(self, info: Info) -> PlanPhase | None:
        week = self.row.current_week()
        if week is None:
            return None
        for row in await fetch.phase_rows(info, self.row):
            if row.start_week <= week <= row.end_week:
                return PlanPhase.from_model(row, self.row)
        return None

    @strawberry.field(
        description="Adherence of the last `weeks` weeks, oldest first, up to this week (for a "
        "completed plan, up to the week it was completed).",
        metadata=requires(Need.PLAN_VIEW),
    )
    async def adherence(self, info: Info, weeks: int = 4) -> list[WeekAdherence]:
        if not 1 <= weeks <= MAX_ADHERENCE_WEEKS:
            raise BadUserInput(f"Ask for 1 to {MAX_ADHERENCE_WEEKS} weeks.", field="weeks")
        last = self.row.last_week_counted()
        if last is None:
            return []
        wanted = list(range(max(1, last - weeks + 1), last + 1))
        figures = await fetch.week_figures(info, self.row, wanted)
        return [WeekAdherence.from_figures(week) for week in figures]

    @strawberry.field(
        description="This week's adherence; null before the plan starts.",
        metadata=requires(Need.PLAN_VIEW),
    )
    async def this_week_adherence(self, info: Info) -> WeekAdherence | None:
        week = self.row.current_week()
        if week is None:
            return None
        (figures,) = await fetch.week_figures(info, self.row, [week])
        return WeekAdherence.from_figures(figures)

    @strawberry.field(
        description="What changed and when, newest first.", metadata=requires(Need.PLAN_VIEW)
    )
    async def revisions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> relay.Connection[PlanRevision]:
        page = await paginate(
            models.PlanRevision.filter(plan_id=self.id),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
            descending=True,
        )
        for row in page.rows:
            info.context.record_access.saw(self.row.patient_id, "PlanRevision", row.id)
        return connection_from_page(page, PlanRevision.from_model)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[TreatmentPlan | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        if not scope.viewer.is_authenticated:
            return [None for _ in keys]
        rows = await info.context.loaders.plans.plan_by_id.load_many([k or 0 for k in keys])
        return [visible_plan(info, scope, row) for row in rows]


def visible_plan(info: Info, scope: AccessScope, row: PlanRow | None) -> TreatmentPlan | None:
    """The plan if this viewer may see it (recorded as read), else None."""
    if row is None or not can_see_plan(scope, row.patient_id, row.status):
        return None
    info.context.record_access.saw(row.patient_id, "TreatmentPlan", row.id)
    return TreatmentPlan.from_row(row)
