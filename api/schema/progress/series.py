"""The progress series a chart draws: buckets with the goal's lines, and the raw points."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from api.access.needs import Need, patient_owned
from api.context import Info
from api.models import progress as models
from api.schema.progress.enums import BodySide, BodySite, MetricKind, Movement, RecorderRole
from api.schema.progress.nodes import Goal
from api.schema.relay import database_key, global_id, parse_global_id
from api.services.progress import series
from api.services.progress.checks import MetricSpec


@strawberry.input(
    description=(
        "Which metric a series shows. RANGE_OF_MOTION needs bodySite, movement and side; "
        "STRENGTH needs bodySite, movement and unit ({MMT} or kg); CUSTOM needs definitionId. "
        "A site, side or movement left out matches any."
    )
)
class MetricSelector:
    kind: MetricKind  # type: ignore[valid-type]
    definition_id: strawberry.ID | None = None
    body_site: BodySite | None = None  # type: ignore[valid-type]
    side: BodySide | None = None  # type: ignore[valid-type]
    movement: Movement | None = None  # type: ignore[valid-type]
    unit: str | None = None

    def to_spec(self) -> MetricSpec:
        definition_id = None
        if self.definition_id is not None:
            field = "metric.definitionId"
            definition_id = database_key(
                parse_global_id(self.definition_id, field), "MetricDefinition", field
            )
        return MetricSpec(
            kind=models.MetricKind(self.kind),
            definition_id=definition_id,
            body_site=self.body_site,
            side=self.side,
            movement=self.movement,
            unit=self.unit,
        )


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(description="One calendar bucket of a series, with the goal's lines.")
class ProgressBucket:
    start: date = strawberry.field(description="The bucket's first day (patient's calendar).")
    end: date = strawberry.field(description="The bucket's last day, inclusive.")
    average: float | None = strawberry.field(description="Null when nothing was measured.")
    minimum: float | None
    maximum: float | None
    count: int
    baseline: float | None = strawberry.field(description="The active goal's baseline.")
    target: float | None = strawberry.field(description="The active goal's target.")
    projected: float | None = strawberry.field(
        description="Where the goal's line is on the bucket's last day."
    )


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(description="One measurement of a series, oldest first.")
class ProgressPoint:
    measurement_id: strawberry.ID
    measured_at: datetime
    value: float
    recorded_by_role: RecorderRole  # type: ignore[valid-type]


@patient_owned(Need.PROGRESS_VIEW)
@strawberry.type(description="A metric over time: calendar buckets, points and the active goal.")
class ProgressSeries:
    unit: str
    buckets: list[ProgressBucket] = strawberry.field(
        description="Every bucket of the range, empty ones too, so a chart has its x axis."
    )
    points: list[ProgressPoint]
    goal: Goal | None = strawberry.field(description="The active goal for this metric, if any.")

    @classmethod
    def seen(cls, info: Info, patient_id: int, result: series.Series) -> ProgressSeries:
        for point in result.points:
            info.context.record_access.saw(patient_id, "Measurement", point.measurement_id)
        return cls(
            unit=result.unit,
            buckets=[
                ProgressBucket(
                    start=bucket.start,
                    end=bucket.end,
                    average=bucket.average,
                    minimum=bucket.minimum,
                    maximum=bucket.maximum,
                    count=bucket.count,
                    baseline=bucket.baseline,
                    target=bucket.target,
                    projected=bucket.projected,
                )
                for bucket in result.buckets
            ],
            points=[
                ProgressPoint(
                    measurement_id=global_id("Measurement", point.measurement_id),
                    measured_at=point.measured_at,
                    value=point.value,
                    recorded_by_role=point.recorded_by_role,
                )
                for point in result.points
            ],
            goal=Goal.seen(info, result.goal) if result.goal is not None else None,
        )
