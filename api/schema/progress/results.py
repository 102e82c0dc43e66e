"""What the progress mutations answer: the record written, or every problem with the input."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.access.needs import Need, patient_owned
from api.schema.progress.errors import ProgressErrors
from api.schema.progress.nodes import Goal, Measurement, MetricDefinition, OutcomeMeasureResult


@patient_owned(Need.PROGRESS_LOG)
@strawberry.type(description="The measurement as recorded.")
class MeasurementPayload:
    measurement: Measurement


@patient_owned(Need.PROGRESS_LOG)
@strawberry.type(description="The custom metric as defined.")
class MetricDefinitionPayload:
    metric_definition: MetricDefinition


@patient_owned(Need.PROGRESS_LOG)
@strawberry.type(description="The goal as it now stands.")
class GoalPayload:
    goal: Goal


RecordMeasurementResult = Annotated[
    MeasurementPayload | ProgressErrors, strawberry.union("RecordMeasurementResult")
]
DefineMetricResult = Annotated[
    MetricDefinitionPayload | ProgressErrors, strawberry.union("DefineMetricResult")
]
GoalResult = Annotated[GoalPayload | ProgressErrors, strawberry.union("GoalResult")]
SubmitOutcomeMeasureResult = Annotated[
    OutcomeMeasureResult | ProgressErrors, strawberry.union("SubmitOutcomeMeasureResult")
]
