"""Home sessions logged against a prescription: by the patient, by a caregiver acting for
them through a grant with PROGRESS_LOG (logged as CAREGIVER, under the caregiver's account), or
by their care team.

A session can be logged on an ACTIVE plan's current prescriptions, for a day between the
plan's start (and at most 30 days back) and today, both in the patient's time zone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api.access.needs import Need
from api.errors import Forbidden, NotFound
from api.loaders.plans import weeks
from api.models.plans import ExerciseLog, PlanStatus, Prescription
from api.realtime.events import transaction
from api.services import audit
from api.services.plans.commands import Actor, SessionEntry
from api.services.plans.errors import PlanErrorCode, Problem, raise_if_any
from api.services.plans.validation import check_scale, check_text

MAX_DAYS_BACK = 30

_FACTS = (
    "removed_at",
    "phase__plan_id",
    "phase__plan__status",
    "phase__plan__starts_on",
    "phase__plan__patient_id",
    "phase__plan__patient__time_zone",
)


async def log_session(actor: Actor, entry: SessionEntry) -> ExerciseLog:
    """Stores one logged session."""
    facts: dict[str, Any] | None = (
        await Prescription.filter(id=entry.prescription_id).first().values(*_FACTS)
    )
    if facts is None:
        raise NotFound("No such prescription.")
    patient_id = int(facts["phase__plan__patient_id"])
    scope = actor.scope
    scope.require_patient(patient_id, Need.PROGRESS_LOG)
    if not (scope.acts_for(patient_id) or scope.is_care_team(patient_id)):
        raise Forbidden("Only the patient, their caregivers or their care team can log sessions.")
    today = weeks.local_date(weeks.now(), str(facts["phase__plan__patient__time_zone"]))
    performed_on = entry.performed_on or today
    problems = check_scale(entry.pain_during, "painDuring", "Pain during the session")
    problems += check_scale(entry.effort, "effort", "Effort")
    problems += check_text(entry.note, "note")
    problems += _prescription_problems(facts)
    problems += _date_problems(performed_on, today, facts["phase__plan__starts_on"])
    raise_if_any(problems)
    async with transaction():
        log = await ExerciseLog.create(
            patient_id=patient_id,
            plan_id=facts["phase__plan_id"],
            prescription_id=entry.prescription_id,
            performed_on=performed_on,
            outcome=entry.outcome,
            pain_during=entry.pain_during,
            effort=entry.effort,
            note=entry.note.strip(),
            logged_by_id=actor.user_id,
            logged_by_role=scope.actor_role(patient_id).value,
            logged_at=weeks.now(),
        )
        await audit.record(
            actor.audit_context(patient_id),
            "plan.session.log",
            target_type="ExerciseLog",
            target_id=str(log.id),
        )
    return log


def _prescription_problems(facts: dict[str, Any]) -> list[Problem]:
    if PlanStatus(facts["phase__plan__status"]) is not PlanStatus.ACTIVE:
        message = "Sessions can be logged on the active plan only."
        return [Problem(PlanErrorCode.NOT_ACTIVE, message, "prescriptionId")]
    if facts["removed_at"] is not None:
        message = "This exercise was removed from the plan."
        return [Problem(PlanErrorCode.PRESCRIPTION_REMOVED, message, "prescriptionId")]
    return []


def _date_problems(performed_on: date, today: date, starts_on: date) -> list[Problem]:
    if performed_on > today:
        message = "A session cannot be logged for a day still to come."
        return [Problem(PlanErrorCode.DATE_IN_FUTURE, message, "performedOn")]
    if performed_on < starts_on:
        message = "This day is before the plan started."
        return [Problem(PlanErrorCode.BEFORE_PLAN_START, message, "performedOn")]
    if performed_on < today - timedelta(days=MAX_DAYS_BACK):
        message = f"Sessions can be logged up to {MAX_DAYS_BACK} days back."
        return [Problem(PlanErrorCode.TOO_FAR_BACK, message, "performedOn")]
    return []
