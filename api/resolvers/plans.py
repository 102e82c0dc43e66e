"""Root queries and mutations of the plans domain; thin: parse, call a service, map.

Expected outcomes come back as `PlanErrors`; not signed in, out of reach (NOT_FOUND) and not
allowed (FORBIDDEN) as coded top-level errors.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import date
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.needs import Need, requires
from api.access.record_access import AccessAction
from api.context import Info
from api.errors import NotFound
from api.loaders.plans import PlansLoaders
from api.realtime import topics
from api.realtime.broker import Message
from api.realtime.live import follow
from api.schema import plans as types
from api.schema.plans.inputs import (
    AddPlanPhaseInput,
    AddPrescriptionInput,
    CreateTreatmentPlanInput,
    LogExerciseSessionInput,
    UpdatePlanPhaseInput,
    UpdatePrescriptionInput,
    UpdateTreatmentPlanInput,
    target_key,
)
from api.schema.plans.plan import visible_plan
from api.schema.record_access import audited
from api.schema.relay import connection_from_page
from api.services.plans import adherence, editing, lifecycle, revisions
from api.services.plans.commands import Actor
from api.services.plans.errors import PlanProblems
from api.services.plans.reading import logs_page, require_plan_need


async def _actor(info: Info) -> Actor:
    scope = await info.context.scope()
    scope.require_authenticated()
    return Actor(scope=scope, ip=info.context.client.ip or None)


def _fresh_loaders(info: Info) -> PlansLoaders:
    """After a change, plan rows read earlier in this request are stale: start over."""
    info.context.loaders.plans = PlansLoaders()
    return info.context.loaders.plans


async def _plan(info: Info, plan_id: int, action: AccessAction) -> types.TreatmentPlan:
    """The plan as it is after a change, recorded as created or updated."""
    row = await info.context.loaders.plans.plan_by_id.load(plan_id)
    assert row is not None  # the change succeeded, so the plan exists
    info.context.record_access.saw(row.patient_id, "TreatmentPlan", row.id, action)
    return types.TreatmentPlan.from_row(row)


async def _phase_payload(info: Info, phase_id: int) -> types.PlanPhasePayload:
    phase = await _fresh_loaders(info).phase_by_id.load(phase_id)
    assert phase is not None
    plan = await _plan(info, phase.plan_id, AccessAction.UPDATE)
    return types.PlanPhasePayload(plan=plan, phase=types.PlanPhase.from_model(phase, plan.row))


async def _prescription_payload(info: Info, prescription_id: int) -> types.PrescriptionPayload:
    row = await _fresh_loaders(info).prescription_by_id.load(prescription_id)
    assert row is not None
    plan = await _plan(info, row.phase.plan_id, AccessAction.UPDATE)
    info.context.record_access.saw(plan.row.patient_id, "Prescription", row.id, AccessAction.UPDATE)
    return types.PrescriptionPayload(plan=plan, prescription=types.Prescription.from_model(row))


@strawberry.type
class PlansQuery:
    @strawberry.field(description="One treatment plan; null if it does not exist for you.")
    async def treatment_plan(self, info: Info, id: strawberry.ID) -> types.TreatmentPlan | None:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = target_key(id, "TreatmentPlan", "id")
        row = await info.context.loaders.plans.plan_by_id.load(key)
        if row is not None:
            require_plan_need(scope, row.patient_id)
        return visible_plan(info, scope, row)

    @strawberry.field(
        description="A patient's plans, newest first. Patients see active and completed plans; "
        "drafts are the care team's."
    )
    async def treatment_plans(
        self,
        info: Info,
        patient_id: strawberry.ID,
        status: types.PlanStatus | None = None,  # type: ignore[valid-type]
    ) -> list[types.TreatmentPlan]:
        scope = await info.context.scope()
        key = target_key(patient_id, "Patient", "patientId")
        scope.require_patient(key, Need.PLAN_VIEW)
        rows = await info.context.loaders.plans.plans_by_patient_id.load(key)
        plans = (visible_plan(info, scope, row) for row in rows if status in (None, row.status))
        return [plan for plan in plans if plan is not None]

    @strawberry.field(description="A patient's logged sessions, newest first.")
    async def exercise_logs(
        self,
        info: Info,
        patient_id: strawberry.ID,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        plan_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> relay.Connection[types.ExerciseLog]:
        scope = await info.context.scope()
        key = target_key(patient_id, "Patient", "patientId")
        page = await logs_page(
            scope,
            key,
            start=from_,
            end=to,
            plan_id=target_key(plan_id, "TreatmentPlan", "planId") if plan_id else None,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        for row in page.rows:
            info.context.record_access.saw(key, "ExerciseLog", row.id)
        return connection_from_page(page, types.ExerciseLog.from_model)


@strawberry.type
class PlansMutation:
    @strawberry.mutation(description="The care team writes a new plan; it starts as a draft.")
    async def create_treatment_plan(
        self, info: Info, input: CreateTreatmentPlanInput
    ) -> types.TreatmentPlanResult:
        actor = await _actor(info)
        try:
            plan_id = await lifecycle.create_plan(actor, input.to_draft())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        _fresh_loaders(info)
        return types.TreatmentPlanPayload(plan=await _plan(info, plan_id, AccessAction.CREATE))

    @strawberry.mutation(description="Changes a plan's title, condition, goals or start date.")
    async def update_treatment_plan(
        self, info: Info, input: UpdateTreatmentPlanInput
    ) -> types.TreatmentPlanResult:
        actor = await _actor(info)
        try:
            plan_id = await lifecycle.update_plan(actor, input.to_patch())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        _fresh_loaders(info)
        return types.TreatmentPlanPayload(plan=await _plan(info, plan_id, AccessAction.UPDATE))

    @strawberry.mutation(description="Adds a phase with its exercises.")
    async def add_plan_phase(self, info: Info, input: AddPlanPhaseInput) -> types.PlanPhaseResult:
        actor = await _actor(info)
        plan_id = target_key(input.plan_id, "TreatmentPlan", "planId")
        try:
            phase_id = await editing.add_phase(actor, plan_id, input.to_draft())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        return await _phase_payload(info, phase_id)

    @strawberry.mutation(description="Changes a phase's name, weeks or focus.")
    async def update_plan_phase(
        self, info: Info, input: UpdatePlanPhaseInput
    ) -> types.PlanPhaseResult:
        actor = await _actor(info)
        try:
            phase_id = await editing.update_phase(actor, input.to_patch())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        return await _phase_payload(info, phase_id)

    @strawberry.mutation(description="Removes a phase nobody has logged sessions in.")
    async def remove_plan_phase(
        self, info: Info, phase_id: strawberry.ID
    ) -> types.TreatmentPlanResult:
        actor = await _actor(info)
        key = target_key(phase_id, "PlanPhase", "phaseId")
        try:
            plan_id = await editing.remove_phase(actor, key)
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        _fresh_loaders(info)
        return types.TreatmentPlanPayload(plan=await _plan(info, plan_id, AccessAction.UPDATE))

    @strawberry.mutation(description="Adds an exercise to a phase.")
    async def add_prescription(
        self, info: Info, input: AddPrescriptionInput
    ) -> types.PrescriptionResult:
        actor = await _actor(info)
        phase_id = target_key(input.phase_id, "PlanPhase", "phaseId")
        try:
            prescription_id = await editing.add_prescription(actor, phase_id, input.to_draft())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        return await _prescription_payload(info, prescription_id)

    @strawberry.mutation(description="Changes an exercise's level, dosage or notes.")
    async def update_prescription(
        self, info: Info, input: UpdatePrescriptionInput
    ) -> types.PrescriptionResult:
        actor = await _actor(info)
        try:
            prescription_id = await editing.update_prescription(actor, input.to_patch())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        return await _prescription_payload(info, prescription_id)

    @strawberry.mutation(
        description="Takes an exercise out of the plan; the sessions logged against it stay."
    )
    async def remove_prescription(
        self, info: Info, prescription_id: strawberry.ID
    ) -> types.PrescriptionResult:
        actor = await _actor(info)
        key = target_key(prescription_id, "Prescription", "prescriptionId")
        try:
            await editing.remove_prescription(actor, key)
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        return await _prescription_payload(info, key)

    @strawberry.mutation(
        description="Makes a draft the patient's active plan; the one active before is completed."
    )
    async def activate_treatment_plan(
        self, info: Info, plan_id: strawberry.ID
    ) -> types.TreatmentPlanResult:
        actor = await _actor(info)
        key = target_key(plan_id, "TreatmentPlan", "planId")
        try:
            await lifecycle.activate_plan(actor, key)
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        _fresh_loaders(info)
        return types.TreatmentPlanPayload(plan=await _plan(info, key, AccessAction.UPDATE))

    @strawberry.mutation(description="Marks the active plan as completed.")
    async def complete_treatment_plan(
        self, info: Info, plan_id: strawberry.ID
    ) -> types.TreatmentPlanResult:
        actor = await _actor(info)
        key = target_key(plan_id, "TreatmentPlan", "planId")
        try:
            await lifecycle.complete_plan(actor, key)
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        _fresh_loaders(info)
        return types.TreatmentPlanPayload(plan=await _plan(info, key, AccessAction.UPDATE))

    @strawberry.mutation(
        description="Logs a home session against a prescription of the active plan (the "
        "patient, or their care team)."
    )
    async def log_exercise_session(
        self, info: Info, input: LogExerciseSessionInput
    ) -> types.LogExerciseSessionResult:
        actor = await _actor(info)
        try:
            log = await adherence.log_session(actor, input.to_entry())
        except PlanProblems as problems:
            return types.PlanErrors.from_problems(problems)
        _fresh_loaders(info)  # tallies read before are stale now
        patient_id: int = log.patient_id
        info.context.record_access.saw(patient_id, "ExerciseLog", log.id, AccessAction.CREATE)
        return types.ExerciseLogPayload(log=types.ExerciseLog.from_model(log))


@dataclass(frozen=True, slots=True)
class _PlanChange:
    revision_id: int  # increasing across the patient's plans: follow's ordering key
    plan: types.TreatmentPlan


@strawberry.type
class PlansSubscription:
    @strawberry.subscription(
        description="A patient's treatment plans as they change (yours without patientId). "
        "Patients receive active and completed plans; drafts reach the care team only.",
        metadata=requires(Need.PLAN_VIEW),
    )
    async def plan_updated(
        self, info: Info, patient_id: strawberry.ID | None = None
    ) -> AsyncGenerator[types.TreatmentPlan, None]:
        scope = await info.context.scope()
        scope.require_authenticated()
        if patient_id is not None:
            key = target_key(patient_id, "Patient", "patientId")
        elif scope.default_patient_id is not None:
            key = scope.default_patient_id
        else:
            raise NotFound("No such patient.")
        scope.require_patient(key, Need.PLAN_VIEW)

        async def visible(plan_id: int, revision_id: int) -> _PlanChange | None:
            # The context outlives this event: a fresh scope (by age) and fresh loaders.
            now_scope = await info.context.scope()
            row = await info.context.fresh_loaders().plans.plan_by_id.load(plan_id)
            if row is None or row.patient_id != key:
                return None
            plan = visible_plan(info, now_scope, row)
            return None if plan is None else _PlanChange(revision_id, plan)

        async def load(message: Message) -> _PlanChange | None:
            plan_id, revision_id = message.get("plan_id"), message.get("revision_id")
            if not isinstance(plan_id, int) or not isinstance(revision_id, int):
                return None
            return await visible(plan_id, revision_id)

        async def catch_up(after_revision: int) -> list[_PlanChange]:
            found = []
            for plan_id, revision_id in await revisions.changed_since(key, after_revision):
                change = await visible(plan_id, revision_id)
                if change is not None:
                    found.append(change)
            return found

        async for change in audited(
            info.context,
            follow(
                [topics.patient_plan(key)],
                load=load,
                key=lambda change: change.revision_id,
                catch_up=catch_up,
            ),
        ):
            yield change.plan
