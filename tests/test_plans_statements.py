"""Statement budgets: a plan costs the same statements at any size, and a caseload's
adherence this week costs the same for 5 patients as for 50."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import strawberry

from api.access.rate_limits import build_rate_limits
from api.access.scope import AccessScope, Viewer
from api.context import Context
from api.loaders import Loaders
from api.models.accounts import Role, User
from api.models.patients import Patient
from api.models.plans import (
    Exercise,
    PlanRevision,
    PlanStatus,
    Prescription,
    SessionOutcome,
    TreatmentPlan,
)
from api.models.therapists import Therapist
from api.schema.plans import (
    TYPES,
    WeekAdherence,
    patient_active_plan,
    patient_adherence_this_week,
    patient_plans,
)
from api.schema.plans import (
    TreatmentPlan as TreatmentPlanType,
)
from api.settings import Settings
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.plans_support import NOW, STARTS_ON, build_plan, log_directly, make_exercise, set_now
from tests.sql_counter import count_sql

PLAN = """query($id: ID!) { treatmentPlan(id: $id) {
  title status currentWeek currentPhase { name }
  phases { name startsOn endsOn adherence { rate } week1: adherence(week: 1) { done }
    prescriptions { level sessionsPerWeek notes dosage { sets reps }
      exercise { name regression { name } progression { name } } baseExercise { name } } }
  adherence(weeks: 4) { week prescribed done rate }
  thisWeekAdherence { rate done }
  revisions(first: 5) { edges { node { number summary createdByName changes { text } } } }
} }"""


@pytest.fixture
async def library(database: None, monkeypatch: pytest.MonkeyPatch) -> list[Exercise]:
    set_now(monkeypatch, NOW)
    easier = [await make_exercise(f"easy-{n}", f"Easy {n}", reps=5) for n in range(3)]
    return [
        await make_exercise(f"ex-{n}", f"Exercise {n}", reps=10, regression=easier[n % 3])
        for n in range(12)
    ]


async def _plan_with(
    patient: Patient,
    therapist: Therapist,
    author: User,
    library: list[Exercise],
    phases: int,
    per_phase: int,
) -> TreatmentPlan:
    plan = await build_plan(patient, therapist, library, phases=phases, per_phase=per_phase)
    await PlanRevision.create(
        plan=plan, number=1, created_by=author, created_at=NOW, summary="Plan created"
    )
    for prescription in await Prescription.filter(phase__plan=plan).limit(3):
        await log_directly(plan, prescription, STARTS_ON + timedelta(days=8), SessionOutcome.DONE)
    return plan


async def _statements_for_plan(
    gql: GraphQLClient, library: list[Exercise], phases: int, per_phase: int
) -> tuple[int, dict[str, Any]]:
    await PlanRevision.all().delete()
    maria, record = await make_patient(f"maria{phases}@example.org")
    dana, therapist = await make_therapist(f"dana{phases}@clinic.test")
    await assign(record, therapist)
    plan = await _plan_with(record, therapist, dana, library, phases, per_phase)
    with count_sql() as sql:
        body = await gql.execute(PLAN, {"id": gid("TreatmentPlan", plan.id)}, as_user=maria.id)
    assert "errors" not in body, body
    return sql.count, body["data"]["treatmentPlan"]


async def test_a_plan_costs_the_same_statements_at_any_size(
    gql: GraphQLClient, library: list[Exercise]
) -> None:
    small, small_plan = await _statements_for_plan(gql, library, phases=3, per_phase=5)
    large, large_plan = await _statements_for_plan(gql, library, phases=6, per_phase=10)

    assert sum(len(phase["prescriptions"]) for phase in small_plan["phases"]) == 15
    assert sum(len(phase["prescriptions"]) for phase in large_plan["phases"]) == 60
    assert large_plan["thisWeekAdherence"] == {"rate": 3 / 70, "done": 3}
    # The patient's scope (roles, own record) 2, plan 1, phases 1, prescriptions with both
    # exercises 1, their easier/harder variants 1, log tallies 1, revisions 1, their authors 1,
    # the access log 1.
    assert (small, large) == (10, 10)


async def _caseload(therapist: Therapist, library: list[Exercise], patients: int) -> list[int]:
    ids = []
    for n in range(patients):
        patient = await Patient.create(
            given_name=f"P{n}", family_name="Case", time_zone="America/New_York"
        )
        await assign(patient, therapist)
        plan = await build_plan(patient, therapist, library, phases=2, per_phase=3)
        first = await Prescription.filter(phase__plan=plan).order_by("id").first()
        assert first is not None
        await log_directly(plan, first, date(2026, 3, 10), SessionOutcome.PARTIAL)
        ids.append(patient.id)
    return ids


async def test_caseload_adherence_costs_three_statements_for_any_size(
    library: list[Exercise],
) -> None:
    _, therapist = await make_therapist()
    counts = []
    for size in (5, 50):
        ids = await _caseload(therapist, library, size)
        loaders = Loaders()
        with count_sql() as sql:
            figures = await loaders.plans.adherence_this_week_by_patient_id.load_many(ids)
        counts.append(sql.count)
        assert all(
            f is not None and (f.week, f.prescribed, f.partial) == (2, 21, 1) for f in figures
        )
        assert figures[0] is not None
        assert figures[0].rate == 0.5 / 21
    assert counts == [3, 3]  # active plans, their doses, their logs


async def test_no_active_plan_or_not_started_means_no_figures(library: list[Exercise]) -> None:
    _, therapist = await make_therapist()
    draft_only = await Patient.create(given_name="D", family_name="Raft")
    await build_plan(draft_only, therapist, library, phases=1, per_phase=1, status=PlanStatus.DRAFT)
    later = await Patient.create(given_name="L", family_name="Ater")
    await build_plan(later, therapist, library, phases=1, per_phase=1, starts_on=date(2026, 4, 1))
    figures = await Loaders().plans.adherence_this_week_by_patient_id.load_many(
        [draft_only.id, later.id, 999_999]
    )
    assert figures == [None, None, None]


@strawberry.type
class PatientStub:
    """Stands in for the Patient type, which attaches the plan resolvers the same way."""

    id: int
    active_plan: TreatmentPlanType | None = strawberry.field(resolver=patient_active_plan)
    plans: list[TreatmentPlanType] = strawberry.field(resolver=patient_plans)
    adherence_this_week: WeekAdherence | None = strawberry.field(
        resolver=patient_adherence_this_week
    )


@strawberry.type
class CaseloadQuery:
    @strawberry.field
    def patients(self, ids: list[int]) -> list[PatientStub]:
        return [PatientStub(id=key) for key in ids]


CASELOAD = """query($ids: [Int!]!) { patients(ids: $ids) {
  id activePlan { status currentWeek } plans { title } adherenceThisWeek { week rate } } }"""


async def test_the_patient_resolvers_cost_the_same_for_5_and_50_patients(
    library: list[Exercise], settings: Settings
) -> None:
    schema = strawberry.Schema(query=CaseloadQuery, types=list(TYPES))
    dana, therapist = await make_therapist()
    counts = []
    for size in (5, 50):
        ids = await _caseload(therapist, library, size)
        scope = AccessScope(
            Viewer(user_id=dana.id, roles=frozenset({Role.THERAPIST})),
            therapist_id=therapist.id,
            care_team=frozenset(ids),
        )

        async def resolve_scope(scope: AccessScope = scope) -> AccessScope:
            return scope

        context = Context(
            settings=settings,
            request_id="caseload",
            rate_limits=build_rate_limits(settings),
            resolve_scope=resolve_scope,
        )
        with count_sql() as sql:
            result = await schema.execute(CASELOAD, {"ids": ids}, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        rows = result.data["patients"]
        assert rows[0] == {
            "id": ids[0],
            "activePlan": {"status": "ACTIVE", "currentWeek": 2},
            "plans": [{"title": "Plan"}],
            "adherenceThisWeek": {"week": 2, "rate": 0.5 / 21},
        }
        counts.append(sql.count)
        assert {record.resource for record in context.record_access.drain()} == {
            "TreatmentPlan",
            "WeekAdherence",
        }
    assert counts[0] == counts[1] == 4  # active plans, all plans, doses, logs

    outsider = AccessScope(Viewer(user_id=dana.id, roles=frozenset({Role.THERAPIST})))

    async def outside() -> AccessScope:
        return outsider

    context = Context(
        settings=settings,
        request_id="outsider",
        rate_limits=build_rate_limits(settings),
        resolve_scope=outside,
    )
    result = await schema.execute(CASELOAD, {"ids": [ids[0]]}, context_value=context)
    assert result.errors is not None
    assert {(error.path or [""])[-1] for error in result.errors} == {
        "activePlan",
        "plans",
        "adherenceThisWeek",
    }
