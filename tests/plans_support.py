"""Builders for treatment-plan tests: a small clinic, library exercises, plans through the API
and straight into the database (for volume), and a settable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from api.loaders.plans import weeks
from api.models.accounts import Role, User
from api.models.patients import Patient
from api.models.plans import (
    BodyRegion,
    Exercise,
    ExerciseLog,
    PlanPhase,
    PlanStatus,
    Prescription,
    SessionOutcome,
    TreatmentPlan,
)
from api.models.therapists import Therapist
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient

# Wednesday 11 March 2026, 11:00 in New York: week 2 of a plan starting Monday 2 March.
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
STARTS_ON = date(2026, 3, 2)


def set_now(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(weeks, "now", lambda: moment)


@dataclass
class Clinic:
    maria: User  # the patient
    record: Patient
    bob: User  # another patient
    bob_record: Patient
    dana: User  # Maria's therapist
    therapist: Therapist
    lee: User  # a therapist not on Maria's care team
    admin: User
    bridge: Exercise  # with an easier and a harder variant
    easy_bridge: Exercise
    hard_bridge: Exercise
    plank: Exercise  # a hold, no variants
    old: Exercise  # archived


async def make_exercise(slug: str, name: str, **columns: Any) -> Exercise:
    return await Exercise.create(slug=slug, name=name, body_region=BodyRegion.HIP, **columns)


async def make_clinic() -> Clinic:
    maria, record = await make_patient()
    bob, bob_record = await make_patient("bob@example.org", given_name="Bob")
    dana, therapist = await make_therapist()
    lee, _ = await make_therapist("lee@clinic.test", name="Lee Park")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    await assign(record, therapist)
    easy = await make_exercise("bridge-easy", "Bridge on both feet", sets=2, reps=8)
    hard = await make_exercise("bridge-hard", "Single-leg bridge", sets=3, reps=6)
    bridge = await make_exercise(
        "bridge", "Bridge", sets=3, reps=10, times_per_day=1, days_per_week=5
    )
    await Exercise.filter(id=bridge.id).update(regression_id=easy.id, progression_id=hard.id)
    plank = await make_exercise("plank", "Plank", sets=3, hold_seconds=20, days_per_week=3)
    old = await make_exercise("old", "Old stretch", reps=5, archived=True)
    return Clinic(
        maria, record, bob, bob_record, dana, therapist, lee, admin, bridge, easy, hard, plank, old
    )


PLAN_FIELDS = """id title condition goals expectedOutcome status startsOn revision currentWeek
  patientId therapistId activatedAt completedAt
  phases { id name startWeek endWeek position focus
    prescriptions { id level notes position sessionsPerWeek
      exercise { name } baseExercise { name }
      dosage { sets reps holdSeconds durationSeconds timesPerDay daysPerWeek } } }"""

ERRORS = "... on PlanErrors { errors { code field message } }"

CREATE = f"""mutation($input: CreateTreatmentPlanInput!) {{ createTreatmentPlan(input: $input) {{
  __typename ... on TreatmentPlanPayload {{ plan {{ {PLAN_FIELDS} }} }} {ERRORS} }} }}"""

ACTIVATE = f"""mutation($id: ID!) {{ activateTreatmentPlan(planId: $id) {{
  __typename ... on TreatmentPlanPayload {{ plan {{ id status activatedAt revision }} }}
  {ERRORS} }} }}"""

COMPLETE = f"""mutation($id: ID!) {{ completeTreatmentPlan(planId: $id) {{
  __typename ... on TreatmentPlanPayload {{ plan {{ id status completedAt revision }} }}
  {ERRORS} }} }}"""

REVISIONS = """query($id: ID!) { treatmentPlan(id: $id) { revision revisions(first: 10) {
  edges { node { number summary createdByName changes { kind target field before after text } } }
} } }"""

LOG = f"""mutation($input: LogExerciseSessionInput!) {{ logExerciseSession(input: $input) {{
  __typename ... on ExerciseLogPayload {{ log {{ id performedOn outcome painDuring effort note
    loggedByRole prescription {{ id exercise {{ name }} }} }} }} {ERRORS} }} }}"""


def plan_input(clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    """Two phases: Bridge (defaults) and Plank in weeks 1-2, the harder Bridge in weeks 3-6."""
    value: dict[str, Any] = {
        "patientId": gid("Patient", clinic.record.id),
        "title": "Back to running",
        "condition": "Patellofemoral pain, left knee",
        "goals": "Run 5 km without pain",
        "expectedOutcome": "Pain-free running in 8 weeks",
        "startsOn": STARTS_ON.isoformat(),
        "phases": [
            {
                "name": "Calm it down",
                "startWeek": 1,
                "endWeek": 2,
                "focus": "Load the hip without hurting the knee",
                "prescriptions": [
                    {"exerciseId": gid("Exercise", clinic.bridge.id)},
                    {
                        "exerciseId": gid("Exercise", clinic.plank.id),
                        "holdSeconds": 30,
                        "timesPerDay": 2,
                        "notes": "Stop if the knee aches",
                    },
                ],
            },
            {
                "name": "Build strength",
                "startWeek": 3,
                "endWeek": 6,
                "prescriptions": [
                    {"exerciseId": gid("Exercise", clinic.bridge.id), "level": "PROGRESSION"}
                ],
            },
        ],
    }
    value.update(overrides)
    return value


async def create_plan(
    gql: GraphQLClient, clinic: Clinic, as_user: int | None = None, **overrides: Any
) -> dict[str, Any]:
    """Creates the plan of `plan_input` (as Dana unless told) and returns it."""
    body = await gql.execute(
        CREATE,
        {"input": plan_input(clinic, **overrides)},
        as_user=clinic.dana.id if as_user is None else as_user,
    )
    result = body["data"]["createTreatmentPlan"]
    assert result["__typename"] == "TreatmentPlanPayload", body
    plan: dict[str, Any] = result["plan"]
    return plan


async def activate(gql: GraphQLClient, clinic: Clinic, plan_id: str) -> dict[str, Any]:
    body = await gql.execute(ACTIVATE, {"id": plan_id}, as_user=clinic.dana.id)
    result: dict[str, Any] = body["data"]["activateTreatmentPlan"]
    return result


async def log_session(
    gql: GraphQLClient, as_user: int, prescription_id: str, outcome: str, **fields: Any
) -> dict[str, Any]:
    variables = {"input": {"prescriptionId": prescription_id, "outcome": outcome, **fields}}
    body = await gql.execute(LOG, variables, as_user=as_user)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["logExerciseSession"]
    return result


async def build_plan(
    patient: Patient,
    therapist: Therapist,
    exercises: list[Exercise],
    *,
    phases: int,
    per_phase: int,
    status: PlanStatus = PlanStatus.ACTIVE,
    starts_on: date = STARTS_ON,
) -> TreatmentPlan:
    """A plan written straight to the database: `phases` phases of two weeks each, each with
    `per_phase` prescriptions cycling through `exercises`, once a day, 7 days a week."""
    plan = await TreatmentPlan.create(
        patient=patient,
        therapist=therapist,
        title="Plan",
        condition="Knee",
        starts_on=starts_on,
        status=status,
    )
    for index in range(phases):
        phase = await PlanPhase.create(
            plan=plan,
            position=index,
            name=f"Phase {index + 1}",
            start_week=2 * index + 1,
            end_week=2 * index + 2,
        )
        await Prescription.bulk_create(
            [
                Prescription(
                    phase=phase,
                    position=position,
                    exercise=exercises[position % len(exercises)],
                    base_exercise=exercises[position % len(exercises)],
                    reps=10,
                )
                for position in range(per_phase)
            ]
        )
    return plan


async def log_directly(
    plan: TreatmentPlan, prescription: Prescription, day: date, outcome: SessionOutcome
) -> None:
    await ExerciseLog.create(
        patient_id=plan.patient_id,
        plan=plan,
        prescription=prescription,
        performed_on=day,
        outcome=outcome,
        logged_by_role="PATIENT",
        logged_at=NOW,
    )
