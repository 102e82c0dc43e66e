"""A plan's life: created as a draft, its details edited, activated, completed.

At most one plan per patient is ACTIVE. Activating locks every plan row of the patient (in id
order, so two activations wait for each other instead of deadlocking), completes the active
one and activates the draft with conditional updates, in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from api.access.scope import AccessScope
from api.errors import NotFound
from api.loaders.plans import weeks
from api.models.patients import CareTeamMember, CareTeamRole
from api.models.plans import PlanStatus, Prescription, TreatmentPlan
from api.realtime.events import transaction
from api.services.plans import revisions, wording
from api.services.plans.commands import Actor, PlanDetailsPatch, PlanDraft
from api.services.plans.errors import PlanErrorCode, Problem, fail, raise_if_any
from api.services.plans.prescribing import Prescribed, catalogue_for, prescribe
from api.services.plans.storage import locked_plan, store_phase
from api.services.plans.validation import (
    MAX_PHASES,
    MAX_PRESCRIPTIONS_PER_PHASE,
    WeekSpan,
    check_count,
    check_phase_sequence,
    check_text,
    check_week_range,
)
from api.services.plans.wording import PLAN, Change, ChangeKind

DETAIL_FIELDS = (
    ("title", "title"),
    ("condition", "condition"),
    ("goals", "goals"),
    ("expected_outcome", "expectedOutcome"),
)


async def create_plan(actor: Actor, draft: PlanDraft) -> int:
    """A new DRAFT plan with its phases and prescriptions; revision 1. Returns its id."""
    actor.scope.require_clinician(draft.patient_id)
    problems: list[Problem] = []
    for attribute, name in DETAIL_FIELDS:
        problems += check_text(getattr(draft, attribute), name)
    problems += check_count(len(draft.phases), MAX_PHASES, "phases", "phases")
    catalogue = await catalogue_for(
        p.exercise_id for phase in draft.phases for p in phase.prescriptions if p.exercise_id
    )
    spans: list[WeekSpan] = []
    planned: list[list[Prescribed]] = []
    for index, phase in enumerate(draft.phases):
        prefix = f"phases[{index}]"
        problems += check_text(phase.name, "name", prefix) + check_text(
            phase.focus, "focus", prefix
        )
        problems += check_count(
            len(phase.prescriptions),
            MAX_PRESCRIPTIONS_PER_PHASE,
            "exercises in a phase",
            f"{prefix}.prescriptions",
        )
        week_problems = check_week_range(phase.start_week, phase.end_week, prefix)
        if not week_problems:
            spans.append(WeekSpan(phase.start_week, phase.end_week, prefix))
        problems += week_problems
        planned.append([])
        for position, asked in enumerate(phase.prescriptions):
            item, found = prescribe(asked, catalogue, f"{prefix}.prescriptions[{position}]")
            problems += found
            if item is not None:
                planned[-1].append(item)
    problems += check_phase_sequence(spans)
    therapist_id = await _treating_therapist(actor.scope, draft.patient_id)
    if therapist_id is None:
        message = "The patient has no therapist on their care team to lead this plan."
        problems.append(Problem(PlanErrorCode.NO_THERAPIST, message, "patientId"))
    raise_if_any(problems)
    async with transaction():
        plan = await TreatmentPlan.create(
            patient_id=draft.patient_id,
            therapist_id=therapist_id,
            title=draft.title.strip(),
            condition=draft.condition.strip(),
            goals=draft.goals.strip(),
            expected_outcome=draft.expected_outcome.strip(),
            starts_on=draft.starts_on,
            status=PlanStatus.DRAFT,
            revision=1,
        )
        changes: list[Change] = []
        for position, (phase, items) in enumerate(zip(draft.phases, planned, strict=True)):
            changes += (await store_phase(plan, position, phase, items))[1]
        await revisions.record(
            actor,
            plan,
            action="create",
            summary="Plan created",
            changes=changes,
            notify_patient=False,
            first=True,
        )
    return int(plan.id)


async def _treating_therapist(scope: AccessScope, patient_id: int) -> int | None:
    """The author when a therapist on the care team writes; else the patient's lead clinician."""
    if scope.therapist_id is not None and scope.is_care_team(patient_id):
        return scope.therapist_id
    members = await CareTeamMember.filter(patient_id=patient_id, ended_at=None).order_by("id")
    members.sort(key=lambda member: member.role is not CareTeamRole.PRIMARY)
    return members[0].therapist_id if members else None


async def update_plan(actor: Actor, patch: PlanDetailsPatch) -> int:
    problems: list[Problem] = []
    for attribute, name in DETAIL_FIELDS:
        value = getattr(patch, attribute)
        if value is not None:
            problems += check_text(value, name)
    async with transaction():
        plan = await locked_plan(actor, patch.plan_id)  # who may, before what is wrong
        raise_if_any(problems)
        changes: list[Change] = []
        for attribute, _ in DETAIL_FIELDS:
            value = getattr(patch, attribute)
            if value is not None and value.strip() != getattr(plan, attribute):
                before, after = wording.text(getattr(plan, attribute)), wording.text(value)
                changes.append(_changed(attribute, before, after))
                setattr(plan, attribute, value.strip())
        if patch.starts_on is not None and patch.starts_on != plan.starts_on:
            before, after = wording.day(plan.starts_on), wording.day(patch.starts_on)
            changes.append(_changed("starts_on", before, after))
            plan.starts_on = patch.starts_on
        if not changes:
            return int(plan.id)  # nothing changed: no revision, nobody told
        await plan.save()
        await revisions.record(
            actor,
            plan,
            action="update",
            summary="Plan details changed",
            changes=changes,
            notify_patient=plan.status is PlanStatus.ACTIVE,
        )
    return int(plan.id)


async def activate_plan(actor: Actor, plan_id: int) -> int:
    found = await TreatmentPlan.get_or_none(id=plan_id)
    if found is None:
        raise NotFound("No such plan.")
    patient_id: int = found.patient_id
    actor.scope.require_clinician(patient_id)
    async with transaction():
        # Every plan of the patient, locked in id order: concurrent activations queue here.
        mine = await TreatmentPlan.select_for_update().filter(patient_id=patient_id).order_by("id")
        plan = next((row for row in mine if row.id == plan_id), None)
        if plan is None:
            raise NotFound("No such plan.")
        if plan.status is not PlanStatus.DRAFT:
            raise fail(PlanErrorCode.NOT_DRAFT, "Only a draft plan can be activated.")
        if not await Prescription.filter(phase__plan_id=plan.id, removed_at=None).exists():
            raise fail(PlanErrorCode.EMPTY_PLAN, "Add at least one exercise before activating.")
        when = weeks.now()
        for previous in (row for row in mine if row.status is PlanStatus.ACTIVE):
            await _complete(actor, previous, when, "Plan completed: a new plan started", False)
        activated = await TreatmentPlan.filter(id=plan.id, status=PlanStatus.DRAFT).update(
            status=PlanStatus.ACTIVE, activated_at=when, updated_at=when
        )
        if activated != 1:
            raise fail(PlanErrorCode.NOT_DRAFT, "Only a draft plan can be activated.")
        plan.status = PlanStatus.ACTIVE
        await revisions.record(
            actor,
            plan,
            action="activate",
            summary="Plan started",
            changes=_status_change(PlanStatus.DRAFT, PlanStatus.ACTIVE),
            notify_patient=True,
        )
    return int(plan.id)


async def complete_plan(actor: Actor, plan_id: int) -> int:
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        if plan.status is not PlanStatus.ACTIVE:
            raise fail(PlanErrorCode.NOT_ACTIVE, "Only an active plan can be completed.")
        await _complete(actor, plan, weeks.now(), "Plan completed", True)
    return int(plan.id)


async def _complete(
    actor: Actor, plan: TreatmentPlan, when: datetime, summary: str, notify_patient: bool
) -> None:
    done = await TreatmentPlan.filter(id=plan.id, status=PlanStatus.ACTIVE).update(
        status=PlanStatus.COMPLETED, completed_at=when, updated_at=when
    )
    if done != 1:
        raise fail(PlanErrorCode.NOT_ACTIVE, "Only an active plan can be completed.")
    plan.status = PlanStatus.COMPLETED
    await revisions.record(
        actor,
        plan,
        action="complete",
        summary=summary,
        changes=_status_change(PlanStatus.ACTIVE, PlanStatus.COMPLETED),
        notify_patient=notify_patient,
    )


def _changed(attribute: str, before: str | None, after: str | None) -> Change:
    return Change(ChangeKind.CHANGED, PLAN, wording.FIELD_WORDS[attribute], before, after)


def _status_change(before: PlanStatus, after: PlanStatus) -> list[Change]:
    return [_changed("status", wording.status(before), wording.status(after))]
