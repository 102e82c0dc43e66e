"""The progress records as nodes: measurements, custom metric definitions, goals, outcome
measure results. Each resolves its ids through the request's loaders and the access scope
(an id out of reach answers null, like one that does not exist), and notes each record it
returns in the request's record-access log (`seen`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from strawberry import relay

from api.access.needs import Need, patient_owned, requires
from api.access.record_access import AccessAction
from api.context import Info
from api.models import progress as models
from api.schema.progress.enums import (
    BodySide,
    BodySite,
    GoalStatus,
    MeasurementMethod,
    MetricKind,
    Movement,
    OutcomeMeasure,
    RecorderRole,
)
from api.schema.relay import database_keys, global_id
from api.services.outcome_measures import OutcomeMeasure as Measure
from api.services.progress import goals, measurements, metrics, outcomes
from api.services.progress.vocabulary import loinc_code, movement_or_none, site_or_none


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(
    description="A custom metric a therapist defined for a patient (or the clinic, for all)."
)
class MetricDefinition(relay.Node):
    id: relay.NodeID[int]
    name: str
    unit: str = strawberry.field(description='A UCUM unit where one exists: "s", "{steps}".')
    minimum: float | None = strawberry.field(description="The lowest value; null when open.")
    maximum: float | None = strawberry.field(description="The highest value; null when open.")
    higher_is_better: bool
    clinic_wide: bool = strawberry.field(description="The clinic's, usable for every patient.")
    created_at: datetime
    patient_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.MetricDefinition) -> MetricDefinition:
        return cls(
            id=row.id,
            name=row.name,
            unit=row.unit,
            minimum=row.minimum,
            maximum=row.maximum,
            higher_is_better=row.higher_is_better,
            clinic_wide=row.patient_id is None,
            created_at=row.created_at,
            patient_id=row.patient_id,
        )

    @classmethod
    def seen(
        cls, info: Info, row: models.MetricDefinition, action: AccessAction = AccessAction.READ
    ) -> MetricDefinition:
        if row.patient_id is not None:
            info.context.record_access.saw(row.patient_id, "MetricDefinition", row.id, action)
        return cls.from_model(row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[MetricDefinition | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.progress.metric_definition_by_id.load_many(
            [key or 0 for key in keys]
        )
        readable = metrics.readable_definitions(scope, rows)
        return [cls.seen(info, row) if row is not None else None for row in readable]


async def _definition(info: Info, definition_id: int | None) -> MetricDefinition | None:
    """A measurement's or goal's definition: readable wherever its record is."""
    if definition_id is None:
        return None
    row = await info.context.loaders.progress.metric_definition_by_id.load(definition_id)
    return MetricDefinition.seen(info, row) if row is not None else None


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(description="One measured value: what, where, when, by whom and how.")
class Measurement(relay.Node):
    id: relay.NodeID[int]
    kind: MetricKind  # type: ignore[valid-type]
    value: float
    unit: str = strawberry.field(description='UCUM: "{score}", "deg", "{MMT}", "kg", "%", "/d".')
    loinc: str | None = strawberry.field(description="The LOINC code (pain NRS: 72514-3).")
    body_site: BodySite | None  # type: ignore[valid-type]
    side: BodySide  # type: ignore[valid-type]
    movement: Movement | None  # type: ignore[valid-type]
    measured_at: datetime
    method: MeasurementMethod  # type: ignore[valid-type]
    note: str
    recorded_by_role: RecorderRole  # type: ignore[valid-type]
    recorded_at: datetime
    patient_id: strawberry.Private[int]
    definition_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Measurement) -> Measurement:
        return cls(
            id=row.id,
            kind=row.kind,
            value=row.value,
            unit=row.unit,
            loinc=loinc_code(row.kind),
            body_site=site_or_none(row.body_site),
            side=row.side,
            movement=movement_or_none(row.movement),
            measured_at=row.measured_at,
            method=row.method,
            note=row.note,
            recorded_by_role=row.recorded_by_role,
            recorded_at=row.recorded_at,
            patient_id=row.patient_id,
            definition_id=row.definition_id,
        )

    @classmethod
    def seen(
        cls, info: Info, row: models.Measurement, action: AccessAction = AccessAction.READ
    ) -> Measurement:
        info.context.record_access.saw(row.patient_id, "Measurement", row.id, action)
        return cls.from_model(row)

    @strawberry.field(
        description="The custom metric, for kind CUSTOM.", metadata=requires(Need.PROGRESS_VIEW)
    )
    async def definition(self, info: Info) -> MetricDefinition | None:
        return await _definition(info, self.definition_id)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Measurement | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.progress.measurement_by_id.load_many(
            [key or 0 for key in keys]
        )
        readable = measurements.readable_measurements(scope, rows)
        return [cls.seen(info, row) if row is not None else None for row in readable]


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(
    description=(
        "Where a metric starts (baseline), where it should be by a date (target), and the "
        "straight line between them, flat at the target after the target date."
    )
)
class Goal(relay.Node):
    id: relay.NodeID[int]
    description: str
    kind: MetricKind  # type: ignore[valid-type]
    body_site: BodySite | None  # type: ignore[valid-type]
    side: BodySide  # type: ignore[valid-type]
    movement: Movement | None  # type: ignore[valid-type]
    unit: str
    baseline_value: float
    baseline_at: datetime
    target_value: float
    target_date: date
    status: GoalStatus  # type: ignore[valid-type]
    plan_id: strawberry.ID | None = strawberry.field(description="The treatment plan, if any.")
    created_at: datetime
    patient_id: strawberry.Private[int]
    definition_id: strawberry.Private[int | None]
    row: strawberry.Private[models.Goal]

    @classmethod
    def from_model(cls, row: models.Goal) -> Goal:
        plan_id = row.plan_id
        return cls(
            id=row.id,
            description=row.description,
            kind=row.kind,
            body_site=site_or_none(row.body_site),
            side=row.side,
            movement=movement_or_none(row.movement),
            unit=row.unit,
            baseline_value=row.baseline_value,
            baseline_at=row.baseline_at,
            target_value=row.target_value,
            target_date=row.target_date,
            status=row.status,
            plan_id=(global_id("TreatmentPlan", plan_id) if plan_id is not None else None),
            created_at=row.created_at,
            patient_id=row.patient_id,
            definition_id=row.definition_id,
            row=row,
        )

    @classmethod
    def seen(cls, info: Info, row: models.Goal, action: AccessAction = AccessAction.READ) -> Goal:
        info.context.record_access.saw(row.patient_id, "Goal", row.id, action)
        return cls.from_model(row)

    @strawberry.field(
        description="The custom metric, for kind CUSTOM.", metadata=requires(Need.PROGRESS_VIEW)
    )
    async def definition(self, info: Info) -> MetricDefinition | None:
        return await _definition(info, self.definition_id)

    @strawberry.field(
        description=(
            "Where the metric should be on a date (the patient's calendar): null before the "
            "baseline, the target from the target date on."
        ),
        metadata=requires(Need.PROGRESS_VIEW),
    )
    async def projected_value_on(self, info: Info, date: date) -> float | None:
        zone = await info.context.loaders.progress.time_zone_by_patient_id.load(self.patient_id)
        line = goals.line_of(self.row, goals.zone_of(zone or "UTC"))
        return goals.projected_value_on(line, date)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Goal | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.progress.goal_by_id.load_many([key or 0 for key in keys])
        readable = goals.readable_goals(scope, rows)
        return [cls.seen(info, row) if row is not None else None for row in readable]


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(description="A scored outcome measure form, with what the score means.")
class OutcomeMeasureResult(relay.Node):
    id: relay.NodeID[int]
    measure: OutcomeMeasure  # type: ignore[valid-type]
    score: float = strawberry.field(description="Rounded half-up to one decimal.")
    maximum: float
    band: str | None = strawberry.field(
        description="The ODI's or NDI's published band; null for the other measures."
    )
    answered: int = strawberry.field(description="How many items were answered.")
    answers: list[int | None] = strawberry.field(description="As given; null is unanswered.")
    activities: list[str] = strawberry.field(description="The PSFS activities, one per answer.")
    interpretation: str = strawberry.field(description="What the score means, in plain words.")
    submitted_at: datetime
    submitted_by_role: RecorderRole  # type: ignore[valid-type]

    @classmethod
    def from_model(cls, row: models.OutcomeMeasureSubmission) -> OutcomeMeasureResult:
        return cls(
            id=row.id,
            measure=Measure(row.measure),
            score=row.score,
            maximum=row.maximum,
            band=row.band,
            answered=row.answered,
            answers=list(row.answers),
            activities=list(row.activities),
            interpretation=outcomes.interpretation(row),
            submitted_at=row.submitted_at,
            submitted_by_role=row.submitted_by_role,
        )

    @classmethod
    def seen(
        cls,
        info: Info,
        row: models.OutcomeMeasureSubmission,
        action: AccessAction = AccessAction.READ,
    ) -> OutcomeMeasureResult:
        info.context.record_access.saw(row.patient_id, "OutcomeMeasureResult", row.id, action)
        return cls.from_model(row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OutcomeMeasureResult | None]:
        scope = await info.context.scope()
        keys = database_keys(node_ids)
        rows = await info.context.loaders.progress.outcome_measure_by_id.load_many(
            [key or 0 for key in keys]
        )
        readable = outcomes.readable_submissions(scope, rows)
        return [cls.seen(info, row) if row is not None else None for row in readable]
