"""Changing a plan's phases and prescriptions; each successful change is one revision.

A removed prescription keeps its row (`removed_at`), so the sessions logged against it keep
their meaning; a phase is deleted only while nobody has logged anything against it.
"""

from __future__ import annotations

from api.errors import NotFound
from api.loaders.plans import weeks
from api.models.plans import ExerciseLog, PlanPhase, PlanStatus, Prescription, TreatmentPlan
from api.realtime.events import transaction
from api.services.plans import revisions, wording
from api.services.plans.commands import (
    DOSAGE_FIELDS,
    Actor,
    PhaseDraft,
    PhasePatch,
    PrescriptionDraft,
    PrescriptionPatch,
)
from api.services.plans.errors import PlanErrorCode, Problem, fail, raise_if_any
from api.services.plans.prescribing import Prescribed, catalogue_for, choose_variant, prescribe
from api.services.plans.storage import (
    added,
    locked_plan,
    new_prescription,
    plan_id_of_phase,
    plan_id_of_prescription,
    renumber_phases,
    store_phase,
)
from api.services.plans.validation import (
    MAX_PRESCRIPTIONS_PER_PHASE,
    WeekSpan,
    check_count,
    check_dosage,
    check_no_overlap,
    check_text,
    check_week_range,
)
from api.services.plans.wording import Change, ChangeKind


async def _record(
    actor: Actor, plan: TreatmentPlan, action: str, summary: str, changes: list[Change]
) -> None:
    await revisions.record(
        actor,
        plan,
        action=action,
        summary=summary,
        changes=changes,
        notify_patient=plan.status is PlanStatus.ACTIVE,
    )


async def _other_spans(plan_id: int, except_id: int | None = None) -> list[WeekSpan]:
    phases = await PlanPhase.filter(plan_id=plan_id).order_by("start_week")
    return [
        WeekSpan(phase.start_week, phase.end_week, "", phase.name)
        for phase in phases
        if phase.id != except_id
    ]


# --- phases -----------------------------------------------------------------------------------


async def add_phase(actor: Actor, plan_id: int, draft: PhaseDraft) -> int:
    """Adds a phase (with its prescriptions) where its weeks put it. Returns the phase id."""
    problems = check_text(draft.name, "name") + check_text(draft.focus, "focus")
    problems += check_count(
        len(draft.prescriptions),
        MAX_PRESCRIPTIONS_PER_PHASE,
        "exercises in a phase",
        "prescriptions",
    )
    week_problems = check_week_range(draft.start_week, draft.end_week)
    problems += week_problems
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        if not week_problems:
            span = WeekSpan(draft.start_week, draft.end_week, "")
            problems += check_no_overlap(span, await _other_spans(plan.id))
        catalogue = await catalogue_for(p.exercise_id for p in draft.prescriptions if p.exercise_id)
        items: list[Prescribed] = []
        for position, asked in enumerate(draft.prescriptions):
            item, found = prescribe(asked, catalogue, f"prescriptions[{position}]")
            problems += found
            items += [item] if item is not None else []
        raise_if_any(problems)
        phase, changes = await store_phase(plan, 1_000, draft, items)
        await renumber_phases(plan.id)
        await _record(actor, plan, "phase.add", "New phase added", changes)
    return int(phase.id)


async def update_phase(actor: Actor, patch: PhasePatch) -> int:
    plan_id = await plan_id_of_phase(patch.phase_id)
    problems: list[Problem] = []
    for name, value in (("name", patch.name), ("focus", patch.focus)):
        problems += check_text(value, name) if value is not None else []
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        phase = await PlanPhase.get_or_none(id=patch.phase_id, plan_id=plan.id)
        if phase is None:
            raise NotFound("No such phase.")
        start = patch.start_week if patch.start_week is not None else phase.start_week
        end = patch.end_week if patch.end_week is not None else phase.end_week
        week_problems = check_week_range(start, end)
        problems += week_problems
        if not week_problems:
            span = WeekSpan(start, end, "")
            problems += check_no_overlap(span, await _other_spans(plan.id, except_id=phase.id))
        raise_if_any(problems)
        target = wording.phase_target(phase.name)
        name = patch.name.strip() if patch.name is not None else phase.name
        focus = patch.focus.strip() if patch.focus is not None else phase.focus
        changes = wording.differences(
            target,
            [
                ("name", phase.name, name),
                (
                    "weeks",
                    wording.week_range(phase.start_week, phase.end_week),
                    wording.week_range(start, end),
                ),
                ("focus", wording.text(phase.focus), wording.text(focus)),
            ],
        )
        if not changes:
            return int(phase.id)
        phase.name, phase.start_week, phase.end_week, phase.focus = name, start, end, focus
        await phase.save()
        await renumber_phases(plan.id)
        await _record(actor, plan, "phase.update", "Phase changed", changes)
    return int(phase.id)


async def remove_phase(actor: Actor, phase_id: int) -> int:
    """Deletes a phase nobody has logged against. Returns the plan id."""
    plan_id = await plan_id_of_phase(phase_id)
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        phase = await PlanPhase.get_or_none(id=phase_id, plan_id=plan.id)
        if phase is None:
            raise NotFound("No such phase.")
        if await ExerciseLog.filter(prescription__phase_id=phase.id).exists():
            message = "Sessions were logged in this phase: remove its exercises instead."
            raise fail(PlanErrorCode.PHASE_HAS_LOGS, message, "phaseId")
        await phase.delete()
        await renumber_phases(plan.id)
        change = Change(ChangeKind.REMOVED, wording.phase_target(phase.name))
        await _record(actor, plan, "phase.remove", "Phase removed", [change])
    return int(plan.id)


# --- prescriptions ----------------------------------------------------------------------------


async def add_prescription(actor: Actor, phase_id: int, draft: PrescriptionDraft) -> int:
    plan_id = await plan_id_of_phase(phase_id)
    catalogue = await catalogue_for([draft.exercise_id] if draft.exercise_id else [])
    item, problems = prescribe(draft, catalogue)
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        phase = await PlanPhase.get_or_none(id=phase_id, plan_id=plan.id)
        if phase is None:
            raise NotFound("No such phase.")
        live = Prescription.filter(phase_id=phase.id, removed_at=None)
        problems += check_count(
            await live.count() + 1, MAX_PRESCRIPTIONS_PER_PHASE, "exercises in a phase", "phaseId"
        )
        raise_if_any(problems)
        assert item is not None  # no problems means prescribed
        last = await Prescription.filter(phase_id=phase.id).order_by("-position").first()
        prescription = new_prescription(phase, last.position + 1 if last else 0, item)
        await prescription.save()
        await _record(actor, plan, "prescription.add", "Exercise added", [added(item, phase)])
    return int(prescription.id)


async def update_prescription(actor: Actor, patch: PrescriptionPatch) -> int:
    plan_id = await plan_id_of_prescription(patch.prescription_id)
    problems = check_text(patch.notes, "notes") if patch.notes is not None else []
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        prescription = await Prescription.get_or_none(id=patch.prescription_id).select_related(
            "exercise", "base_exercise"
        )
        if prescription is None:
            raise NotFound("No such prescription.")
        if prescription.removed_at is not None:
            message = "This exercise was removed from the plan."
            raise fail(PlanErrorCode.PRESCRIPTION_REMOVED, message, "prescriptionId")
        performed = prescription.exercise
        level = patch.level if patch.level is not None else prescription.level
        if level != prescription.level:
            base = prescription.base_exercise
            variant, found = choose_variant(base, level, await catalogue_for([base.id]))
            problems += found
            performed = variant or performed
        before = {name: getattr(prescription, name) for name in DOSAGE_FIELDS}
        dosage = {**before, **patch.dosage}
        problems += check_dosage(dosage)
        raise_if_any(problems)
        notes = patch.notes.strip() if patch.notes is not None else prescription.notes
        target = prescription.exercise.name
        changes = wording.differences(
            target,
            [
                ("exercise", prescription.exercise.name, performed.name),
                ("level", wording.level(prescription.level), wording.level(level)),
                *(
                    (
                        name,
                        wording.dosage_value(name, before[name]),
                        wording.dosage_value(name, dosage[name]),
                    )
                    for name in DOSAGE_FIELDS
                ),
                ("notes", wording.text(prescription.notes), wording.text(notes)),
            ],
        )
        if not changes:
            return int(prescription.id)
        await Prescription.filter(id=prescription.id).update(
            exercise_id=performed.id, level=level, notes=notes, **dosage
        )
        summary = _summary_of(changes)
        await _record(actor, plan, "prescription.update", summary, changes)
    return int(prescription.id)


def _summary_of(changes: list[Change]) -> str:
    dosage_words = {wording.FIELD_WORDS[name] for name in DOSAGE_FIELDS}
    if all(change.field in dosage_words for change in changes):
        return "Exercise dosage changed"
    if any(change.field == wording.FIELD_WORDS["level"] for change in changes):
        return "Exercise level changed"
    return "Exercise changed"


async def remove_prescription(actor: Actor, prescription_id: int) -> int:
    plan_id = await plan_id_of_prescription(prescription_id)
    async with transaction():
        plan = await locked_plan(actor, plan_id)
        prescription = await Prescription.get_or_none(id=prescription_id).select_related("exercise")
        if prescription is None:
            raise NotFound("No such prescription.")
        if prescription.removed_at is not None:
            message = "This exercise was already removed."
            raise fail(PlanErrorCode.PRESCRIPTION_REMOVED, message, "prescriptionId")
        await Prescription.filter(id=prescription.id).update(removed_at=weeks.now())
        change = Change(ChangeKind.REMOVED, prescription.exercise.name)
        await _record(actor, plan, "prescription.remove", "Exercise removed", [change])
    return int(prescription.id)
