"""Batch loads of the plans domain, one fresh set per request (see `PlansLoaders`).

`batches` holds the loaders, `rows` the plan row they read, `weeks` the plan calendar and the
weekly adherence tally that caseloads are counted with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.loaders.plans.batches import (
    ActivePlanByPatientIdLoader,
    AdherenceThisWeekByPatientIdLoader,
    DosesByPlanIdLoader,
    LogTalliesByPlanWeekLoader,
    PhaseByIdLoader,
    PhasesByPlanIdLoader,
    PlanByIdLoader,
    PlansByPatientIdLoader,
    PrescriptionByIdLoader,
    PrescriptionsByPhaseIdLoader,
)
from api.loaders.plans.rows import PlanRow
from api.loaders.plans.weeks import Dose, Tally, WeekFigures

__all__ = [
    "ActivePlanByPatientIdLoader",
    "AdherenceThisWeekByPatientIdLoader",
    "Dose",
    "DosesByPlanIdLoader",
    "LogTalliesByPlanWeekLoader",
    "PhaseByIdLoader",
    "PhasesByPlanIdLoader",
    "PlanByIdLoader",
    "PlanRow",
    "PlansByPatientIdLoader",
    "PlansLoaders",
    "PrescriptionByIdLoader",
    "PrescriptionsByPhaseIdLoader",
    "Tally",
    "WeekFigures",
]


@dataclass(slots=True)
class PlansLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader.

    A patient's dashboard: `active_plan_by_patient_id`, then `phases_by_plan_id` and
    `prescriptions_by_phase_id` (exercises joined in), and the plan's own week figures from
    those plus `log_tallies_by_plan_week`: four statements at any plan size. A caseload:
    `adherence_this_week_by_patient_id` (three statements for any number of patients).
    """

    plan_by_id: PlanByIdLoader = field(default_factory=PlanByIdLoader)
    phases_by_plan_id: PhasesByPlanIdLoader = field(default_factory=PhasesByPlanIdLoader)
    phase_by_id: PhaseByIdLoader = field(default_factory=PhaseByIdLoader)
    prescriptions_by_phase_id: PrescriptionsByPhaseIdLoader = field(
        default_factory=PrescriptionsByPhaseIdLoader
    )
    prescription_by_id: PrescriptionByIdLoader = field(default_factory=PrescriptionByIdLoader)
    log_tallies_by_plan_week: LogTalliesByPlanWeekLoader = field(
        default_factory=LogTalliesByPlanWeekLoader
    )
    # These share the loaders above (filled in __post_init__), so a plan read one way is
    # not read again another way in the same request.
    plans_by_patient_id: PlansByPatientIdLoader = field(init=False)
    active_plan_by_patient_id: ActivePlanByPatientIdLoader = field(init=False)
    doses_by_plan_id: DosesByPlanIdLoader = field(init=False)
    adherence_this_week_by_patient_id: AdherenceThisWeekByPatientIdLoader = field(init=False)

    def __post_init__(self) -> None:
        self.plans_by_patient_id = PlansByPatientIdLoader(self.plan_by_id)
        self.active_plan_by_patient_id = ActivePlanByPatientIdLoader(self.plan_by_id)
        self.doses_by_plan_id = DosesByPlanIdLoader(self.plan_by_id)
        self.adherence_this_week_by_patient_id = AdherenceThisWeekByPatientIdLoader(
            self.active_plan_by_patient_id, self.doses_by_plan_id, self.log_tallies_by_plan_week
        )
