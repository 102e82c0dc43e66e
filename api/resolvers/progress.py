"""Root queries and mutations of the progress domain; thin: parse, call a service, map.

Not signed in: UNAUTHENTICATED; a patient out of reach: NOT_FOUND; within reach but not
yours to write (an admin recording, a patient setting a goal): FORBIDDEN. Input problems come
back typed in `ProgressErrors`, each naming its field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.record_access import AccessAction
from api.access.scope import AccessScope
from api.context import Info
from api.schema import progress as types
from api.schema.progress.inputs import patient_key
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services import audit
from api.services.progress import goals, measurements, metrics, outcomes, series
from api.services.progress.errors import ProgressProblems


async def _signed_in(info: Info) -> AccessScope:
    scope = await info.context.scope()
    scope.require_authenticated()
    return scope


def _audit_context(info: Info, scope: AccessScope, patient_id: int | None) -> audit.AuditContext:
    return audit.AuditContext(
        actor_user_id=scope.viewer.user_id,
        acting_for_patient_id=patient_id,
        ip=info.context.client.ip or None,
        session_id=scope.viewer.session_id,
    )


def _goal_key(value: strawberry.ID) -> int:
    return database_key(parse_global_id(value), "Goal")


@strawberry.type
class ProgressQuery:
    @strawberry.field(
        description=(
            "One metric of a patient over [from, to): calendar buckets in the patient's time "
            "zone (every bucket, empty ones too), the points, and the active goal's lines. "
            "At most 366 days, 260 weeks or 120 months."
        )
    )
    async def progress_series(
        self,
        info: Info,
        patient_id: strawberry.ID,
        metric: types.MetricSelector,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        bucket: types.Bucket,  # type: ignore[valid-type]
    ) -> types.ProgressSeries:
        scope = await _signed_in(info)
        key = patient_key(patient_id)
        request = series.SeriesRequest(
            patient_id=key, metric=metric.to_spec(), start=from_, end=to, bucket=bucket
        )
        result = await series.progress_series(scope, info.context.loaders.progress, request)
        return types.ProgressSeries.seen(info, key, result)

    @strawberry.field(description="A patient's measurements, newest measured first.")
    async def measurements(
        self,
        info: Info,
        patient_id: strawberry.ID,
        kind: types.MetricKind | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.Measurement]:
        scope = await _signed_in(info)
        page = await measurements.measurements_page(
            scope,
            patient_key(patient_id),
            kind=kind,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, lambda row: types.Measurement.seen(info, row))

    @strawberry.field(description="A patient's scored outcome measures, newest first.")
    async def outcome_measures(
        self,
        info: Info,
        patient_id: strawberry.ID,
        measure: types.OutcomeMeasure | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.OutcomeMeasureResult]:
        scope = await _signed_in(info)
        page = await outcomes.outcome_measures_page(
            scope,
            patient_key(patient_id),
            measure=measure,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, lambda row: types.OutcomeMeasureResult.seen(info, row))

    @strawberry.field(
        description="The custom metrics usable for a patient: theirs and the clinic's."
    )
    async def metric_definitions(
        self, info: Info, patient_id: strawberry.ID
    ) -> list[types.MetricDefinition]:
        scope = await _signed_in(info)
        rows = await metrics.definitions_for(scope, patient_key(patient_id))
        return [types.MetricDefinition.seen(info, row) for row in rows]


@strawberry.type
class ProgressMutation:
    @strawberry.mutation(
        description=(
            "Record one measurement. The patient records PAIN, FUNCTION, SYMPTOM_FREQUENCY and "
            "CUSTOM metrics; the care team records any kind."
        )
    )
    async def record_measurement(
        self, info: Info, input: types.RecordMeasurementInput
    ) -> types.RecordMeasurementResult:
        scope = await _signed_in(info)
        try:
            command = input.to_command()
            ctx = _audit_context(info, scope, command.patient_id)
            row = await measurements.record_measurement(scope, ctx, command)
        except ProgressProblems as problems:
            return types.ProgressErrors.from_problems(problems)
        measurement = types.Measurement.seen(info, row, AccessAction.CREATE)
        return types.MeasurementPayload(measurement=measurement)

    @strawberry.mutation(description="Define a custom metric for a patient (care team only).")
    async def define_metric(
        self, info: Info, input: types.DefineMetricInput
    ) -> types.DefineMetricResult:
        scope = await _signed_in(info)
        command = input.to_command()
        try:
            row = await metrics.define_metric(
                scope, _audit_context(info, scope, command.patient_id), command
            )
        except ProgressProblems as problems:
            return types.ProgressErrors.from_problems(problems)
        definition = types.MetricDefinition.seen(info, row, AccessAction.CREATE)
        return types.MetricDefinitionPayload(metric_definition=definition)

    @strawberry.mutation(description="Set a goal for one metric (care team only).")
    async def set_goal(self, info: Info, input: types.SetGoalInput) -> types.GoalResult:
        scope = await _signed_in(info)
        try:
            command = input.to_command()
            ctx = _audit_context(info, scope, command.patient_id)
            row = await goals.set_goal(scope, ctx, command)
        except ProgressProblems as problems:
            return types.ProgressErrors.from_problems(problems)
        return types.GoalPayload(goal=types.Goal.seen(info, row, AccessAction.CREATE))

    @strawberry.mutation(description="Change an active goal (care team only).")
    async def update_goal(
        self, info: Info, id: strawberry.ID, input: types.UpdateGoalInput
    ) -> types.GoalResult:
        scope = await _signed_in(info)
        try:
            command = input.to_command(_goal_key(id))
            row = await goals.update_goal(scope, _audit_context(info, scope, None), command)
        except ProgressProblems as problems:
            return types.ProgressErrors.from_problems(problems)
        return types.GoalPayload(goal=types.Goal.seen(info, row, AccessAction.UPDATE))

    @strawberry.mutation(description="Close an active goal as achieved or stopped (care team).")
    async def close_goal(
        self,
        info: Info,
        id: strawberry.ID,
        status: types.ClosedGoalStatus,  # type: ignore[valid-type]
    ) -> types.GoalResult:
        scope = await _signed_in(info)
        try:
            row = await goals.close_goal(
                scope, _audit_context(info, scope, None), _goal_key(id), status
            )
        except ProgressProblems as problems:
            return types.ProgressErrors.from_problems(problems)
        return types.GoalPayload(goal=types.Goal.seen(info, row, AccessAction.UPDATE))

    @strawberry.mutation(
        description="Submit a completed outcome measure form (the patient or the care team)."
    )
    async def submit_outcome_measure(
        self, info: Info, input: types.SubmitOutcomeMeasureInput
    ) -> types.SubmitOutcomeMeasureResult:
        scope = await _signed_in(info)
        command = input.to_command()
        try:
            row = await outcomes.submit_outcome_measure(
                scope, _audit_context(info, scope, command.patient_id), command
            )
        except ProgressProblems as problems:
            return types.ProgressErrors.from_problems(problems)
        return types.OutcomeMeasureResult.seen(info, row, AccessAction.CREATE)
