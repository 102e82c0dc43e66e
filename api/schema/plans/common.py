"""Enums and small value types of the plans domain: statuses, levels, outcomes, a week's
adherence, one change of a revision."""

from __future__ import annotations

from datetime import date

import strawberry

from api.access.needs import Need, patient_owned
from api.loaders.plans import WeekFigures
from api.models import plans as models
from api.services.plans import wording
from api.services.plans.errors import PlanErrorCode as PlanErrorCodeEnum

PlanStatus = strawberry.enum(
    models.PlanStatus,
    description="DRAFT: the care team's work in progress, unseen by the patient. ACTIVE: the "
    "plan the patient follows now (at most one). COMPLETED: kept for the record.",
)
AbilityLevel = strawberry.enum(
    models.AbilityLevel,
    description="Which variant of the chosen exercise the patient performs: the easier "
    "(REGRESSION), the exercise itself (STANDARD) or the harder (PROGRESSION).",
)
SessionOutcome = strawberry.enum(
    models.SessionOutcome,
    description="How a home session went: DONE, PARTIAL (counts as half) or SKIPPED.",
)
PlanChangeKind = strawberry.enum(
    wording.ChangeKind,
    description="Whether something was added to, changed in or removed from a plan.",
)
PlanErrorCode = strawberry.enum(
    PlanErrorCodeEnum, description="Stable codes of plan operations' errors."
)


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(
    description="One week of a plan: sessions logged against sessions prescribed. Weeks are "
    "counted from the plan's start date in the patient's time zone."
)
class WeekAdherence:
    week: int = strawberry.field(description="1-based week of the plan.")
    starts_on: date
    ends_on: date
    prescribed: int = strawberry.field(
        description="Sessions the week's phases ask for: the sum of their exercises' "
        "sessionsPerWeek."
    )
    done: int
    partial: int
    skipped: int
    logged: int = strawberry.field(description="done + partial + skipped.")
    rate: float | None = strawberry.field(
        description="(done + half of partial) / prescribed, at most 1; null when nothing "
        "was prescribed."
    )

    @classmethod
    def from_figures(cls, figures: WeekFigures) -> WeekAdherence:
        return cls(
            week=figures.week,
            starts_on=figures.starts_on,
            ends_on=figures.ends_on,
            prescribed=figures.prescribed,
            done=figures.done,
            partial=figures.partial,
            skipped=figures.skipped,
            logged=figures.logged,
            rate=figures.rate,
        )


@patient_owned(Need.PLAN_VIEW)
@strawberry.type(description="One change of a revision, in words the patient can follow.")
class PlanChange:
    kind: PlanChangeKind  # type: ignore[valid-type]
    target: str = strawberry.field(
        description='What changed: "Plan", a phase (\'Phase "Early mobility"\') or an '
        "exercise's name."
    )
    field: str | None = strawberry.field(description='The part that changed, e.g. "reps".')
    before: str | None
    after: str | None
    text: str = strawberry.field(description='The change in one line: "Bridge: reps 10 -> 12".')

    @classmethod
    def from_change(cls, change: wording.Change) -> PlanChange:
        return cls(
            kind=change.kind,
            target=change.target,
            field=change.field,
            before=change.before,
            after=change.after,
            text=change.text,
        )
