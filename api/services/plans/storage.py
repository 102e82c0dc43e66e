"""Writes shared by creating and editing plans: the locked plan, a stored phase with its
prescriptions, phase order. Used inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from api.errors import NotFound
from api.models.plans import PlanPhase, PlanStatus, Prescription, TreatmentPlan
from api.services.plans import wording
from api.services.plans.commands import Actor, PhaseDraft
from api.services.plans.errors import PlanErrorCode, fail
from api.services.plans.prescribing import Prescribed
from api.services.plans.wording import Change, ChangeKind


async def locked_plan(actor: Actor, plan_id: int) -> TreatmentPlan:
    """The plan, row-locked until the transaction ends, once the actor may change it.

    The lock serialises changes to one plan (revision numbers, phase overlaps). SQLite has no
    row locks, but there a transaction already holds the whole database.
    """
    plan = await TreatmentPlan.select_for_update().get_or_none(id=plan_id)
    if plan is None:
        raise NotFound("No such plan.")
    actor.scope.require_clinician(plan.patient_id)
    if plan.status is PlanStatus.COMPLETED:
        raise fail(PlanErrorCode.PLAN_COMPLETED, "This plan is completed and cannot change.")
    return plan


async def plan_id_of_phase(phase_id: int) -> int:
    row = await PlanPhase.filter(id=phase_id).first().values("plan_id")
    if row is None:
        raise NotFound("No such phase.")
    return int(row["plan_id"])


async def plan_id_of_prescription(prescription_id: int) -> int:
    row = await Prescription.filter(id=prescription_id).first().values("phase__plan_id")
    if row is None:
        raise NotFound("No such prescription.")
    return int(row["phase__plan_id"])


async def store_phase(
    plan: TreatmentPlan, position: int, draft: PhaseDraft, prescribed: Sequence[Prescribed]
) -> tuple[PlanPhase, list[Change]]:
    phase = await PlanPhase.create(
        plan=plan,
        position=position,
        name=draft.name.strip(),
        start_week=draft.start_week,
        end_week=draft.end_week,
        focus=draft.focus.strip(),
    )
    changes = [
        Change(
            ChangeKind.ADDED,
            wording.phase_target(phase.name),
            after=wording.weeks(phase.start_week, phase.end_week),
        )
    ]
    if prescribed:
        await Prescription.bulk_create(
            [new_prescription(phase, index, item) for index, item in enumerate(prescribed)]
        )
        changes += [added(item, phase) for item in prescribed]
    return phase, changes


def new_prescription(phase: PlanPhase, position: int, item: Prescribed) -> Prescription:
    return Prescription(
        phase=phase,
        position=position,
        exercise=item.performed,
        base_exercise=item.base,
        level=item.level,
        notes=item.notes,
        **item.dosage,
    )


def added(item: Prescribed, phase: PlanPhase) -> Change:
    summary = wording.dosage_summary(item.dosage)
    return Change(
        ChangeKind.ADDED,
        item.performed.name,
        after=f"{summary} ({wording.phase_target(phase.name)})",
    )


async def renumber_phases(plan_id: int) -> None:
    """Positions follow the weeks: the earliest phase is position 0."""
    phases = await PlanPhase.filter(plan_id=plan_id).order_by("start_week", "id")
    for position, phase in enumerate(phases):
        if phase.position != position:
            await PlanPhase.filter(id=phase.id).update(position=position)
