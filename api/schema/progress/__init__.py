"""The progress domain as the API shows it: measurements, custom metrics, goals, the series a
chart draws, and outcome measures. One module per kind of noun; this one gathers them."""

from __future__ import annotations

from api.schema.progress.enums import (
    BodySide,
    BodySite,
    Bucket,
    ClosedGoalStatus,
    GoalStatus,
    MeasurementMethod,
    MetricKind,
    Movement,
    OutcomeMeasure,
    ProgressErrorCode,
    RecorderRole,
)
from api.schema.progress.errors import ProgressError, ProgressErrors
from api.schema.progress.inputs import (
    DefineMetricInput,
    RecordMeasurementInput,
    SetGoalInput,
    SubmitOutcomeMeasureInput,
    UpdateGoalInput,
)
from api.schema.progress.nodes import Goal, Measurement, MetricDefinition, OutcomeMeasureResult
from api.schema.progress.patient_fields import (
    patient_goals,
    patient_latest_pain,
    patient_recent_pain,
)
from api.schema.progress.results import (
    DefineMetricResult,
    GoalPayload,
    GoalResult,
    MeasurementPayload,
    MetricDefinitionPayload,
    RecordMeasurementResult,
    SubmitOutcomeMeasureResult,
)
from api.schema.progress.series import MetricSelector, ProgressBucket, ProgressPoint, ProgressSeries

__all__ = [
    "BodySide",
    "BodySite",
    "Bucket",
    "ClosedGoalStatus",
    "DefineMetricInput",
    "DefineMetricResult",
    "Goal",
    "GoalPayload",
    "GoalResult",
    "GoalStatus",
    "Measurement",
    "MeasurementMethod",
    "MeasurementPayload",
    "MetricDefinition",
    "MetricDefinitionPayload",
    "MetricKind",
    "MetricSelector",
    "Movement",
    "OutcomeMeasure",
    "OutcomeMeasureResult",
    "ProgressBucket",
    "ProgressError",
    "ProgressErrorCode",
    "ProgressErrors",
    "ProgressPoint",
    "ProgressSeries",
    "RecordMeasurementInput",
    "RecordMeasurementResult",
    "RecorderRole",
    "SetGoalInput",
    "SubmitOutcomeMeasureInput",
    "SubmitOutcomeMeasureResult",
    "UpdateGoalInput",
    "patient_goals",
    "patient_latest_pain",
    "patient_recent_pain",
]

# Types the schema must know even where no field returns them by name (node(id:) finds them).
TYPES: tuple[type, ...] = (
    Measurement,
    MetricDefinition,
    Goal,
    OutcomeMeasureResult,
    ProgressError,
)
