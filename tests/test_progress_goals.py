"""Custom metric definitions and goals: who may set them, the rules they follow, and the
projected line from baseline to target, with exact numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.models.audit import AuditEvent
from api.models.plans import TreatmentPlan
from api.models.progress import Goal, GoalStatus, MetricDefinition
from api.models.therapists import Therapist
from api.services.progress.goals import GoalLine, projected_value_on
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.progress_support import GOAL_FIELDS, SET_GOAL, make_clinic, problems, top_code

DEFINE = """mutation($input: DefineMetricInput!) { defineMetric(input: $input) {
  __typename
  ... on MetricDefinitionPayload { metricDefinition { id name unit minimum maximum
    higherIsBetter clinicWide } }
  ... on ProgressErrors { errors { code message field } }
} }"""

UPDATE = (
    """mutation($id: ID!, $input: UpdateGoalInput!) { updateGoal(id: $id, input: $input) {
  __typename
  ... on GoalPayload { goal { """
    + GOAL_FIELDS
    + """ } }
  ... on ProgressErrors { errors { code message field } }
} }"""
)

CLOSE = """mutation($id: ID!, $status: ClosedGoalStatus!) { closeGoal(id: $id, status: $status) {
  __typename
  ... on GoalPayload { goal { id status } }
  ... on ProgressErrors { errors { code message field } }
} }"""

PROJECTED = """query($id: ID!) { node(id: $id) { ... on Goal {
  before: projectedValueOn(date: "2023-12-31")
  start: projectedValueOn(date: "2024-01-01")
  day10: projectedValueOn(date: "2024-01-11")
  day15: projectedValueOn(date: "2024-01-16")
  end: projectedValueOn(date: "2024-01-31")
  after: projectedValueOn(date: "2024-03-01")
} } }"""

KNEE_GOAL = {
    "description": "Bend the knee enough to climb stairs",
    "kind": "RANGE_OF_MOTION",
    "bodySite": "KNEE",
    "movement": "FLEXION",
    "side": "RIGHT",
    "baselineValue": 90,
    "baselineAt": "2024-01-01T12:00:00-05:00",
    "targetValue": 120,
    "targetDate": "2024-01-31",
}


async def set_goal(gql: GraphQLClient, as_user: int | None, **fields: Any) -> dict[str, Any]:
    body = await gql.execute(SET_GOAL, {"input": fields}, as_user=as_user)
    if body.get("errors"):
        return body
    result: dict[str, Any] = body["data"]["setGoal"]
    return result


# --- the line, as a pure function ---------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 12, 31), None),  # no line before the baseline
        (date(2024, 1, 1), 90.0),
        (date(2024, 1, 11), 100.0),
        (date(2024, 1, 16), 105.0),
        (date(2024, 1, 31), 120.0),
        (date(2024, 6, 1), 120.0),  # flat at the target afterwards
    ],
)
def test_the_line_runs_straight_from_baseline_to_target_then_flat(
    on: date, expected: float | None
) -> None:
    line = GoalLine(date(2024, 1, 1), 90.0, date(2024, 1, 31), 120.0)
    assert projected_value_on(line, on) == expected


def test_a_falling_line_is_exact() -> None:
    pain = GoalLine(date(2024, 3, 1), 8.0, date(2024, 3, 4), 2.0)
    assert [projected_value_on(pain, date(2024, 3, day)) for day in range(1, 6)] == [
        8.0,
        6.0,
        4.0,
        2.0,
        2.0,
    ]
    thirds = GoalLine(date(2024, 3, 1), 0.0, date(2024, 3, 4), 1.0)
    assert projected_value_on(thirds, date(2024, 3, 2)) == 1 / 3


# --- custom metric definitions -------------------------------------------------------------


async def test_the_care_team_defines_a_custom_metric(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    metric = {"patientId": clinic.maria_id, "name": " Single-leg  stance ", "unit": "s"}
    body = await gql.execute(DEFINE, {"input": {**metric, "maximum": 120}}, as_user=clinic.dana.id)
    defined = body["data"]["defineMetric"]["metricDefinition"]
    assert defined["name"] == "Single-leg  stance"
    assert (defined["unit"], defined["minimum"], defined["maximum"]) == ("s", None, 120.0)
    assert (defined["higherIsBetter"], defined["clinicWide"]) == (True, False)
    row = await MetricDefinition.get()
    assert (row.patient_id, row.created_by_id) == (clinic.maria_record.id, clinic.dana.id)
    event = await AuditEvent.get(action="progress.metric_defined")
    assert event.target_id == str(row.id)
    listed = await gql.execute(
        "query($p: ID!) { metricDefinitions(patientId: $p) { name } }",
        {"p": clinic.maria_id},
        as_user=clinic.maria.id,
    )
    assert listed["data"]["metricDefinitions"] == [{"name": "Single-leg  stance"}]
    for viewer, code in (
        (clinic.maria.id, "FORBIDDEN"),
        (clinic.admin.id, "FORBIDDEN"),
        (clinic.lee.id, "NOT_FOUND"),
        (clinic.bob.id, "NOT_FOUND"),
        (None, "UNAUTHENTICATED"),
    ):
        assert top_code(await gql.execute(DEFINE, {"input": metric}, as_user=viewer)) == code
    assert await MetricDefinition.all().count() == 1


async def test_a_custom_metric_needs_a_name_a_unit_and_a_sensible_range(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    wrong = {
        "patientId": clinic.maria_id,
        "name": " ",
        "unit": "per day",
        "minimum": 5,
        "maximum": 5,
    }
    body = await gql.execute(DEFINE, {"input": wrong}, as_user=clinic.dana.id)
    assert problems(body["data"]["defineMetric"]) == [
        ("REQUIRED", "name"),
        ("INVALID_UNIT", "unit"),
        ("INVALID_RANGE", "maximum"),
    ]


# --- goals ---------------------------------------------------------------------------------


async def test_the_care_team_sets_a_goal_and_it_projects_exactly(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    result = await set_goal(gql, clinic.dana.id, patientId=clinic.maria_id, **KNEE_GOAL)
    goal = result["goal"]
    assert goal["status"] == "ACTIVE"
    assert (goal["unit"], goal["baselineValue"], goal["targetValue"]) == ("deg", 90.0, 120.0)
    assert goal["baselineAt"] == "2024-01-01T17:00:00+00:00"
    assert (goal["bodySite"], goal["side"], goal["movement"]) == ("KNEE", "RIGHT", "FLEXION")
    projected = await gql.execute(PROJECTED, {"id": goal["id"]}, as_user=clinic.maria.id)
    assert projected["data"]["node"] == {
        "before": None,
        "start": 90.0,
        "day10": 100.0,
        "day15": 105.0,
        "end": 120.0,
        "after": 120.0,
    }
    event = await AuditEvent.get(action="progress.goal_set")
    assert event.acting_for_patient_id == clinic.maria_record.id
    assert event.details == {"kind": "RANGE_OF_MOTION"}
    hidden = await gql.execute(PROJECTED, {"id": goal["id"]}, as_user=clinic.bob.id)
    assert hidden["data"]["node"] is None


async def test_the_baseline_date_is_the_patients_own(gql: GraphQLClient) -> None:
    clinic = await make_clinic("America/New_York")
    # 03:00 UTC on 2 January is still 1 January in New York: a target on 2 January is after it.
    late_evening = {**KNEE_GOAL, "baselineAt": "2024-01-02T03:00:00Z", "targetDate": "2024-01-02"}
    result = await set_goal(gql, clinic.dana.id, patientId=clinic.maria_id, **late_evening)
    assert result["__typename"] == "GoalPayload"
    same_day = {**KNEE_GOAL, "baselineAt": "2024-01-02T06:00:00Z", "targetDate": "2024-01-02"}
    rejected = await set_goal(gql, clinic.dana.id, patientId=clinic.maria_id, **same_day)
    assert problems(rejected) == [("TARGET_BEFORE_BASELINE", "targetDate")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"targetDate": "2023-12-01"}, [("TARGET_BEFORE_BASELINE", "targetDate")]),
        (
            {"baselineValue": 400, "targetValue": -40},
            [
                ("OUT_OF_RANGE", "baselineValue"),
                ("OUT_OF_RANGE", "targetValue"),
            ],
        ),
        ({"description": ""}, [("REQUIRED", "description")]),
        ({"side": None}, [("INVALID_SIDE", "side")]),
        (
            {"kind": "PAIN", "bodySite": None, "movement": None, "side": None, "targetValue": 2.5},
            [
                ("NOT_WHOLE_NUMBER", "targetValue"),
                ("OUT_OF_RANGE", "baselineValue"),
            ],
        ),
        (
            {"baselineAt": "2999-01-01T00:00:00Z", "targetDate": "3000-01-01"},
            [("DATE_IN_FUTURE", "baselineAt")],
        ),
        ({"planId": "nonsense"}, [("INVALID_ID", "planId")]),
        ({"kind": "CUSTOM"}, [("REQUIRED", "definitionId")]),
    ],
)
async def test_goal_rules_are_typed_errors_on_their_fields(
    gql: GraphQLClient, changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    clinic = await make_clinic()
    fields = {**KNEE_GOAL, **changes}
    result = await set_goal(gql, clinic.dana.id, patientId=clinic.maria_id, **fields)
    assert sorted(problems(result)) == sorted(expected)
    assert await Goal.all().count() == 0


async def test_a_goal_may_belong_to_the_patients_own_plan_only(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    therapist = await Therapist.get(user_id=clinic.dana.id)
    plan = await TreatmentPlan.create(
        patient=clinic.maria_record,
        therapist=therapist,
        title="Knee rehab",
        condition="TKA",
        starts_on=date(2024, 1, 1),
    )
    bobs = await TreatmentPlan.create(
        patient=clinic.bob_record,
        therapist=therapist,
        title="Back",
        condition="LBP",
        starts_on=date(2024, 1, 1),
    )
    wrong = await set_goal(
        gql,
        clinic.dana.id,
        patientId=clinic.maria_id,
        planId=gid("TreatmentPlan", bobs.id),
        **KNEE_GOAL,
    )
    assert problems(wrong) == [("UNKNOWN_PLAN", "planId")]
    right = await set_goal(
        gql,
        clinic.dana.id,
        patientId=clinic.maria_id,
        planId=gid("TreatmentPlan", plan.id),
        **KNEE_GOAL,
    )
    assert right["goal"]["planId"] == gid("TreatmentPlan", plan.id)


async def test_only_the_care_team_sets_goals(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    for viewer, code in (
        (clinic.maria.id, "FORBIDDEN"),
        (clinic.admin.id, "FORBIDDEN"),
        (clinic.lee.id, "NOT_FOUND"),
        (clinic.bob.id, "NOT_FOUND"),
        (None, "UNAUTHENTICATED"),
    ):
        body = await set_goal(gql, viewer, patientId=clinic.maria_id, **KNEE_GOAL)
        assert top_code(body) == code
    assert await Goal.all().count() == 0


async def test_an_active_goal_is_updated_then_closed(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    goal_id = (await set_goal(gql, clinic.dana.id, patientId=clinic.maria_id, **KNEE_GOAL))["goal"][
        "id"
    ]
    changes = {"targetValue": 130, "targetDate": "2024-01-21", "description": "Cycling"}
    body = await gql.execute(UPDATE, {"id": goal_id, "input": changes}, as_user=clinic.dana.id)
    updated = body["data"]["updateGoal"]["goal"]
    assert (updated["targetValue"], updated["targetDate"], updated["description"]) == (
        130.0,
        "2024-01-21",
        "Cycling",
    )
    assert updated["baselineValue"] == 90.0  # left out, left alone
    projected = await gql.execute(PROJECTED, {"id": goal_id}, as_user=clinic.dana.id)
    assert projected["data"]["node"]["day10"] == 110.0  # 90 + 40 x 10/20
    invalid = await gql.execute(
        UPDATE, {"id": goal_id, "input": {"targetValue": 400}}, as_user=clinic.dana.id
    )
    assert problems(invalid["data"]["updateGoal"]) == [("OUT_OF_RANGE", "targetValue")]
    for viewer, code in ((clinic.maria.id, "FORBIDDEN"), (clinic.lee.id, "NOT_FOUND")):
        denied = await gql.execute(CLOSE, {"id": goal_id, "status": "ACHIEVED"}, as_user=viewer)
        assert top_code(denied) == code
    closed = await gql.execute(CLOSE, {"id": goal_id, "status": "ACHIEVED"}, as_user=clinic.dana.id)
    assert closed["data"]["closeGoal"]["goal"]["status"] == "ACHIEVED"
    assert (await Goal.get()).status is GoalStatus.ACHIEVED
    again = await gql.execute(CLOSE, {"id": goal_id, "status": "STOPPED"}, as_user=clinic.dana.id)
    assert problems(again["data"]["closeGoal"]) == [("GOAL_CLOSED", "id")]
    late = await gql.execute(
        UPDATE, {"id": goal_id, "input": {"targetValue": 100}}, as_user=clinic.dana.id
    )
    assert problems(late["data"]["updateGoal"]) == [("GOAL_CLOSED", "id")]
    goal_events = AuditEvent.filter(target_type="Goal").order_by("id")
    actions: list[Any] = list(await goal_events.values_list("action", flat=True))
    assert actions == ["progress.goal_set", "progress.goal_updated", "progress.goal_closed"]
    unknown = await gql.execute(
        CLOSE, {"id": gid("Goal", 999), "status": "STOPPED"}, as_user=clinic.dana.id
    )
    assert top_code(unknown) == "NOT_FOUND"
