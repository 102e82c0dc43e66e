"""The progress domain's enums as the schema shows them (the values are the stored names)."""

from __future__ import annotations

import strawberry

from api.models import progress as models
from api.services import outcome_measures
from api.services.progress import errors, goals, series, vocabulary

MetricKind = strawberry.enum(
    models.MetricKind,
    description=(
        "What a measurement measures: PAIN (NRS 0-10), RANGE_OF_MOTION (degrees), STRENGTH "
        "(MMT grade or kg), FUNCTION (0-100 %), SYMPTOM_FREQUENCY (per day), or a CUSTOM metric."
    ),
)
BodySide = strawberry.enum(models.BodySide, description="Which side of the body.")
BodySite = strawberry.enum(vocabulary.BodySite, description="Where on the body it was measured.")
Movement = strawberry.enum(vocabulary.Movement, description="The movement measured at a site.")
MeasurementMethod = strawberry.enum(
    models.MeasurementMethod, description="How a value was obtained."
)
RecorderRole = strawberry.enum(
    models.RecorderRole, description="In what capacity the person who recorded it acted."
)
GoalStatus = strawberry.enum(models.GoalStatus, description="Where a goal stands.")
ClosedGoalStatus = strawberry.enum(
    goals.ClosedGoalStatus, description="How a goal ends: reached, or stopped."
)
Bucket = strawberry.enum(
    series.Bucket,
    description=(
        "A chart's bucket: a calendar DAY, an ISO WEEK (Monday to Sunday) or a calendar MONTH, "
        "in the patient's time zone."
    ),
)
OutcomeMeasure = strawberry.enum(
    outcome_measures.OutcomeMeasure,
    description="A standard outcome measure: PSFS, LEFS, ODI, NDI or QuickDASH.",
)
ProgressErrorCode = strawberry.enum(
    errors.ProgressErrorCode, description="Stable codes of progress operations' errors."
)
