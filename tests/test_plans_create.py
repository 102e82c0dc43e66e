"""Writing a new plan: a draft with phases and prescriptions, defaults, variants, revision 1,
and every problem of the form at once."""

from __future__ import annotations

from typing import Any

import pytest

from api.models.audit import AuditEvent
from api.models.notifications import Notification
from api.models.plans import PlanRevision, PlanStatus, TreatmentPlan
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.plans_support import (
    CREATE,
    NOW,
    REVISIONS,
    Clinic,
    create_plan,
    make_clinic,
    make_exercise,
    plan_input,
    set_now,
)


@pytest.fixture
async def clinic(database: None, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    set_now(monkeypatch, NOW)
    return await make_clinic()


async def _errors(gql: GraphQLClient, clinic: Clinic, **overrides: Any) -> list[tuple[str, str]]:
    body = await gql.execute(
        CREATE, {"input": plan_input(clinic, **overrides)}, as_user=clinic.dana.id
    )
    result = body["data"]["createTreatmentPlan"]
    assert result["__typename"] == "PlanErrors", body
    return [(error["code"], error["field"]) for error in result["errors"]]


async def test_a_new_plan_is_a_draft_with_defaults_and_variants(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)

    assert plan["status"] == "DRAFT"
    assert plan["revision"] == 1
    assert plan["startsOn"] == "2026-03-02"
    assert plan["currentWeek"] == 2
    assert plan["therapistId"] == gid("Therapist", clinic.therapist.id)
    assert plan["patientId"] == gid("Patient", clinic.record.id)
    first, second = plan["phases"]
    assert (first["name"], first["startWeek"], first["endWeek"], first["position"]) == (
        "Calm it down",
        1,
        2,
        0,
    )
    bridge, plank = first["prescriptions"]
    # Left out: the library's defaults.
    assert bridge["dosage"] == {
        "sets": 3,
        "reps": 10,
        "holdSeconds": None,
        "durationSeconds": None,
        "timesPerDay": 1,
        "daysPerWeek": 5,
    }
    assert bridge["sessionsPerWeek"] == 5
    # Given fields win, the others come from the exercise.
    assert plank["dosage"] == {
        "sets": 3,
        "reps": None,
        "holdSeconds": 30,
        "durationSeconds": None,
        "timesPerDay": 2,
        "daysPerWeek": 3,
    }
    assert plank["sessionsPerWeek"] == 6
    assert plank["notes"] == "Stop if the knee aches"
    (harder,) = second["prescriptions"]
    assert harder["level"] == "PROGRESSION"
    assert harder["exercise"] == {"name": "Single-leg bridge"}
    assert harder["baseExercise"] == {"name": "Bridge"}
    # The performed variant's own defaults.
    assert (harder["dosage"]["sets"], harder["dosage"]["reps"]) == (3, 6)


async def test_creating_is_revision_one_with_readable_changes_and_no_notification(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)

    body = await gql.execute(REVISIONS, {"id": plan["id"]}, as_user=clinic.dana.id)
    (edge,) = body["data"]["treatmentPlan"]["revisions"]["edges"]
    revision = edge["node"]
    assert (revision["number"], revision["summary"]) == (1, "Plan created")
    assert revision["createdByName"] == "Dana Whitfield"
    assert [change["text"] for change in revision["changes"]] == [
        'Added Phase "Calm it down": weeks 1-2',
        'Added Bridge: 3 sets, 10 reps, once a day, 5 days a week (Phase "Calm it down")',
        'Added Plank: 3 sets, hold 30 s, twice a day, 3 days a week (Phase "Calm it down")',
        'Added Phase "Build strength": weeks 3-6',
        'Added Single-leg bridge: 3 sets, 6 reps, once a day, every day (Phase "Build strength")',
    ]
    assert await Notification.all().count() == 0  # a draft is nobody's news yet
    event = await AuditEvent.get(action="plan.create")
    assert event.acting_for_patient_id == clinic.record.id
    assert event.details == {"revision": 1, "changes": 5, "status": "DRAFT"}


async def test_every_problem_is_reported_with_its_path(gql: GraphQLClient, clinic: Clinic) -> None:
    phases = [
        {
            "name": " ",
            "startWeek": 0,
            "endWeek": 3,
            "prescriptions": [
                {"exerciseId": gid("Exercise", clinic.bridge.id), "reps": 101, "sets": 0},
            ],
        },
        {
            "name": "Two",
            "startWeek": 5,
            "endWeek": 4,
            "prescriptions": [{"exerciseId": gid("Exercise", clinic.plank.id), "timesPerDay": 7}],
        },
        {
            "name": "Three",
            "startWeek": 2,
            "endWeek": 3,
            "focus": "x" * 2001,
            "prescriptions": [
                {"exerciseId": gid("Exercise", clinic.plank.id)},
                {"exerciseId": gid("Exercise", clinic.plank.id), "level": "REGRESSION"},
                {"exerciseId": gid("Exercise", clinic.old.id)},
                {"exerciseId": "not-an-id"},
                {"exerciseId": gid("Exercise", 999_999)},
                {"exerciseId": gid("Exercise", clinic.plank.id), "holdSeconds": 601},
            ],
        },
        {"name": "Four", "startWeek": 3, "endWeek": 105},
    ]
    errors = await _errors(gql, clinic, title="", condition="c" * 201, phases=phases)
    assert errors == [
        ("REQUIRED", "title"),
        ("TOO_LONG", "condition"),
        ("REQUIRED", "phases[0].name"),
        ("OUT_OF_RANGE", "phases[0].startWeek"),
        ("OUT_OF_RANGE", "phases[0].prescriptions[0].sets"),
        ("OUT_OF_RANGE", "phases[0].prescriptions[0].reps"),
        ("INVALID_WEEK_RANGE", "phases[1].endWeek"),
        ("OUT_OF_RANGE", "phases[1].prescriptions[0].timesPerDay"),
        ("TOO_LONG", "phases[2].focus"),
        ("NO_VARIANT", "phases[2].prescriptions[1].level"),
        ("EXERCISE_ARCHIVED", "phases[2].prescriptions[2].exerciseId"),
        ("INVALID_ID", "phases[2].prescriptions[3].exerciseId"),
        ("EXERCISE_NOT_FOUND", "phases[2].prescriptions[4].exerciseId"),
        ("OUT_OF_RANGE", "phases[2].prescriptions[5].holdSeconds"),
        ("OUT_OF_RANGE", "phases[3].endWeek"),
    ]
    assert await TreatmentPlan.all().count() == 0


async def test_phases_must_follow_each_other_without_overlap(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    phases = [
        {"name": "One", "startWeek": 1, "endWeek": 4},
        {"name": "Two", "startWeek": 4, "endWeek": 6},
        {"name": "Three", "startWeek": 1, "endWeek": 2},
    ]
    assert await _errors(gql, clinic, phases=phases) == [
        ("PHASES_OVERLAP", "phases[1].startWeek"),
        ("PHASES_OUT_OF_ORDER", "phases[2].startWeek"),
    ]


async def test_a_plan_has_at_most_20_phases(gql: GraphQLClient, clinic: Clinic) -> None:
    phases = [{"name": f"Week {n}", "startWeek": n, "endWeek": n} for n in range(1, 22)]
    assert await _errors(gql, clinic, phases=phases) == [("TOO_MANY", "phases")]


async def test_a_dosage_needs_an_amount(gql: GraphQLClient, clinic: Clinic) -> None:
    marching = await make_exercise("marching", "Marching", sets=2)  # no default amount
    phase = {"name": "One", "startWeek": 1, "endWeek": 1}
    prescriptions = [
        {"exerciseId": gid("Exercise", marching.id)},
        {"exerciseId": gid("Exercise", marching.id), "durationSeconds": 60},
    ]
    errors = await _errors(gql, clinic, phases=[{**phase, "prescriptions": prescriptions}])
    assert errors == [("AMOUNT_REQUIRED", "phases[0].prescriptions[0].reps")]


async def test_the_patient_and_strangers_cannot_create(gql: GraphQLClient, clinic: Clinic) -> None:
    variables = {"input": plan_input(clinic)}
    codes = {}
    for who, user_id in (
        ("patient", clinic.maria.id),
        ("other therapist", clinic.lee.id),
        ("other patient", clinic.bob.id),
        ("anonymous", None),
    ):
        body = await gql.execute(CREATE, variables, as_user=user_id)
        assert body["data"] is None
        codes[who] = body["errors"][0]["extensions"]["code"]
    assert codes == {
        "patient": "FORBIDDEN",
        "other therapist": "NOT_FOUND",
        "other patient": "NOT_FOUND",
        "anonymous": "UNAUTHENTICATED",
    }
    assert await TreatmentPlan.all().count() == 0


async def test_an_admin_writes_for_the_lead_therapist(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic, as_user=clinic.admin.id)
    assert plan["therapistId"] == gid("Therapist", clinic.therapist.id)
    revision = await PlanRevision.get()
    assert revision.created_by_id == clinic.admin.id
    assert (await TreatmentPlan.get()).status is PlanStatus.DRAFT


async def test_nobody_on_the_care_team_means_no_plan(gql: GraphQLClient, clinic: Clinic) -> None:
    body = await gql.execute(
        CREATE,
        {"input": plan_input(clinic, patientId=gid("Patient", clinic.bob_record.id))},
        as_user=clinic.admin.id,
    )
    result = body["data"]["createTreatmentPlan"]
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("NO_THERAPIST", "patientId")]
