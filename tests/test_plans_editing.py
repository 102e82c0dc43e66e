"""Changing a plan's details, phases and prescriptions: each change one revision in words."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.relay import GlobalID

from api.models.plans import Exercise, PlanRevision, Prescription
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.plans_support import (
    ERRORS,
    NOW,
    REVISIONS,
    Clinic,
    activate,
    create_plan,
    log_session,
    make_clinic,
    set_now,
)

UPDATE_PLAN = f"""mutation($input: UpdateTreatmentPlanInput!) {{ updateTreatmentPlan(input: $input) {{
  __typename ... on TreatmentPlanPayload {{ plan {{ title startsOn revision }} }} {ERRORS} }} }}"""
PHASE = "phase { id name startWeek endWeek position prescriptions { exercise { name } } }"
ADD_PHASE = f"""mutation($input: AddPlanPhaseInput!) {{ addPlanPhase(input: $input) {{
  __typename ... on PlanPhasePayload {{ plan {{ revision phases {{ name position }} }} {PHASE} }}
  {ERRORS} }} }}"""
UPDATE_PHASE = f"""mutation($input: UpdatePlanPhaseInput!) {{ updatePlanPhase(input: $input) {{
  __typename ... on PlanPhasePayload {{ plan {{ revision phases {{ name position }} }} {PHASE} }}
  {ERRORS} }} }}"""
REMOVE_PHASE = f"""mutation($id: ID!) {{ removePlanPhase(phaseId: $id) {{
  __typename ... on TreatmentPlanPayload {{ plan {{ revision phases {{ name }} }} }} {ERRORS} }} }}"""
PRESCRIPTION = """prescription { id level removedAt notes exercise { name }
  dosage { sets reps holdSeconds timesPerDay daysPerWeek } }"""
ADD_PRESCRIPTION = f"""mutation($input: AddPrescriptionInput!) {{ addPrescription(input: $input) {{
  __typename ... on PrescriptionPayload {{ plan {{ revision }} {PRESCRIPTION} }} {ERRORS} }} }}"""
UPDATE_PRESCRIPTION = f"""mutation($input: UpdatePrescriptionInput!) {{
  updatePrescription(input: $input) {{
  __typename ... on PrescriptionPayload {{ plan {{ revision }} {PRESCRIPTION} }} {ERRORS} }} }}"""
REMOVE_PRESCRIPTION = f"""mutation($id: ID!) {{ removePrescription(prescriptionId: $id) {{
  __typename ... on PrescriptionPayload {{ plan {{ revision phases {{ prescriptions {{ id }} }} }}
  {PRESCRIPTION} }} {ERRORS} }} }}"""


@pytest.fixture
async def clinic(database: None, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    set_now(monkeypatch, NOW)
    return await make_clinic()


async def _run(
    gql: GraphQLClient, document: str, variables: dict[str, Any], as_user: int
) -> dict[str, Any]:
    body = await gql.execute(document, variables, as_user=as_user)
    assert body.get("errors") is None, body
    (result,) = body["data"].values()
    assert isinstance(result, dict)
    return result


def _codes(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    assert result["__typename"] == "PlanErrors", result
    return [(error["code"], error["field"]) for error in result["errors"]]


async def _latest(gql: GraphQLClient, clinic: Clinic, plan_id: str) -> dict[str, Any]:
    body = await gql.execute(REVISIONS, {"id": plan_id}, as_user=clinic.dana.id)
    latest: dict[str, Any] = body["data"]["treatmentPlan"]["revisions"]["edges"][0]["node"]
    return latest


async def test_updating_details_is_a_revision(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    variables = {
        "input": {
            "planId": plan["id"],
            "title": "Back to the trails",
            "startsOn": "2026-03-09",
            "condition": plan["condition"],  # the same: not a change
        }
    }
    result = await _run(gql, UPDATE_PLAN, variables, clinic.dana.id)

    assert result["plan"] == {
        "title": "Back to the trails",
        "startsOn": "2026-03-09",
        "revision": 2,
    }
    latest = await _latest(gql, clinic, plan["id"])
    assert latest["summary"] == "Plan details changed"
    assert [change["text"] for change in latest["changes"]] == [
        "Plan: title Back to running -> Back to the trails",
        "Plan: start date 2 March 2026 -> 9 March 2026",
    ]
    assert latest["changes"][0] == {
        "kind": "CHANGED",
        "target": "Plan",
        "field": "title",
        "before": "Back to running",
        "after": "Back to the trails",
        "text": "Plan: title Back to running -> Back to the trails",
    }


async def test_an_update_that_changes_nothing_makes_no_revision(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)
    variables = {"input": {"planId": plan["id"], "title": " Back to running "}}
    result = await _run(gql, UPDATE_PLAN, variables, clinic.dana.id)
    assert result["plan"]["revision"] == 1
    assert await PlanRevision.all().count() == 1


async def test_update_errors_and_who_may_update(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    variables = {"input": {"planId": plan["id"], "title": "", "goals": "g" * 4001}}
    result = await _run(gql, UPDATE_PLAN, variables, clinic.dana.id)
    assert _codes(result) == [("REQUIRED", "title"), ("TOO_LONG", "goals")]

    renamed = {"input": {"planId": plan["id"], "title": "Mine now"}}
    outcomes = {}
    for who, user_id in (
        ("patient", clinic.maria.id),
        ("lee", clinic.lee.id),
        ("bob", clinic.bob.id),
    ):
        body = await gql.execute(UPDATE_PLAN, renamed, as_user=user_id)
        outcomes[who] = body["errors"][0]["extensions"]["code"]
    assert outcomes == {"patient": "FORBIDDEN", "lee": "NOT_FOUND", "bob": "NOT_FOUND"}
    body = await gql.execute(UPDATE_PLAN, renamed, as_user=None)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await gql.execute(
        UPDATE_PLAN, {"input": {"planId": gid("Exercise", 1)}}, as_user=clinic.dana.id
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "planId"}
    admin = await _run(gql, UPDATE_PLAN, renamed, clinic.admin.id)
    assert admin["plan"]["title"] == "Mine now"


async def test_adding_and_moving_phases_keeps_them_in_week_order(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)
    added = await _run(
        gql,
        ADD_PHASE,
        {
            "input": {
                "planId": plan["id"],
                "name": "Return to running",
                "startWeek": 7,
                "endWeek": 8,
                "prescriptions": [{"exerciseId": gid("Exercise", clinic.plank.id)}],
            }
        },
        clinic.dana.id,
    )
    assert added["phase"]["position"] == 2
    assert added["phase"]["prescriptions"] == [{"exercise": {"name": "Plank"}}]
    assert added["plan"]["revision"] == 2
    latest = await _latest(gql, clinic, plan["id"])
    assert latest["summary"] == "New phase added"
    assert [change["text"] for change in latest["changes"]] == [
        'Added Phase "Return to running": weeks 7-8',
        'Added Plank: 3 sets, hold 20 s, once a day, 3 days a week (Phase "Return to running")',
    ]

    strength = plan["phases"][1]["id"]
    moved = await _run(
        gql,
        UPDATE_PHASE,
        {"input": {"phaseId": strength, "startWeek": 9, "endWeek": 12, "focus": "Heavier"}},
        clinic.dana.id,
    )
    assert [(p["name"], p["position"]) for p in moved["plan"]["phases"]] == [
        ("Calm it down", 0),
        ("Return to running", 1),
        ("Build strength", 2),
    ]
    latest = await _latest(gql, clinic, plan["id"])
    assert (latest["summary"], [change["text"] for change in latest["changes"]]) == (
        "Phase changed",
        [
            'Phase "Build strength": weeks 3-6 -> 9-12',
            'Phase "Build strength": focus none -> Heavier',
        ],
    )


async def test_phase_problems(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    overlapping = await _run(
        gql,
        ADD_PHASE,
        {
            "input": {
                "planId": plan["id"],
                "name": "",
                "startWeek": 5,
                "endWeek": 7,
                "prescriptions": [{"exerciseId": gid("Exercise", clinic.plank.id), "reps": 0}],
            }
        },
        clinic.dana.id,
    )
    assert _codes(overlapping) == [
        ("REQUIRED", "name"),
        ("PHASES_OVERLAP", "startWeek"),
        ("OUT_OF_RANGE", "prescriptions[0].reps"),
    ]
    assert overlapping["errors"][1]["message"] == (
        'These weeks overlap the phase "Build strength" (weeks 3-6).'
    )
    calm = plan["phases"][0]["id"]
    backwards = await _run(
        gql, UPDATE_PHASE, {"input": {"phaseId": calm, "startWeek": 3}}, clinic.dana.id
    )
    assert _codes(backwards) == [("INVALID_WEEK_RANGE", "endWeek")]
    body = await gql.execute(
        UPDATE_PHASE, {"input": {"phaseId": calm, "name": "x"}}, as_user=clinic.maria.id
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await PlanRevision.all().count() == 1


async def test_removing_a_phase(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    strength = plan["phases"][1]["id"]
    result = await _run(gql, REMOVE_PHASE, {"id": strength}, clinic.dana.id)
    assert result["plan"] == {"revision": 2, "phases": [{"name": "Calm it down"}]}
    latest = await _latest(gql, clinic, plan["id"])
    assert [c["text"] for c in latest["changes"]] == ['Removed Phase "Build strength"']
    body = await gql.execute(REMOVE_PHASE, {"id": strength}, as_user=clinic.dana.id)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_phase_with_logged_sessions_stays(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    await activate(gql, clinic, plan["id"])
    calm = plan["phases"][0]
    await log_session(gql, clinic.maria.id, calm["prescriptions"][0]["id"], "DONE")
    result = await _run(gql, REMOVE_PHASE, {"id": calm["id"]}, clinic.dana.id)
    assert _codes(result) == [("PHASE_HAS_LOGS", "phaseId")]


async def test_adding_a_prescription(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    strength = plan["phases"][1]["id"]
    variables = {
        "input": {
            "phaseId": strength,
            "exerciseId": gid("Exercise", clinic.bridge.id),
            "level": "REGRESSION",
            "reps": 12,
            "daysPerWeek": 7,
        }
    }
    result = await _run(gql, ADD_PRESCRIPTION, variables, clinic.dana.id)
    prescription = result["prescription"]
    assert prescription["exercise"] == {"name": "Bridge on both feet"}
    assert prescription["dosage"] == {
        "sets": 2,
        "reps": 12,
        "holdSeconds": None,
        "timesPerDay": 1,
        "daysPerWeek": 7,
    }
    latest = await _latest(gql, clinic, plan["id"])
    assert latest["summary"] == "Exercise added"
    assert [c["text"] for c in latest["changes"]] == [
        'Added Bridge on both feet: 2 sets, 12 reps, once a day, every day (Phase "Build strength")'
    ]
    rows = await Prescription.filter(phase_id=int(GlobalID.from_id(strength).node_id))
    assert sorted(row.position for row in rows) == [0, 1]  # added after the one there


async def test_prescription_problems(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    strength = plan["phases"][1]["id"]
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            {"exerciseId": gid("Exercise", clinic.plank.id), "level": "PROGRESSION"},
            "NO_VARIANT",
            "level",
        ),
        ({"exerciseId": gid("Exercise", clinic.old.id)}, "EXERCISE_ARCHIVED", "exerciseId"),
        (
            {"exerciseId": gid("Exercise", clinic.plank.id), "daysPerWeek": 8},
            "OUT_OF_RANGE",
            "daysPerWeek",
        ),
        (
            {"exerciseId": gid("Exercise", clinic.plank.id), "notes": "n" * 1001},
            "TOO_LONG",
            "notes",
        ),
    ]
    for fields, code, field in cases:
        result = await _run(
            gql, ADD_PRESCRIPTION, {"input": {"phaseId": strength, **fields}}, clinic.dana.id
        )
        assert _codes(result) == [(code, field)]
    await Exercise.filter(id=clinic.hard_bridge.id).update(archived=True)
    variant_archived = await _run(
        gql,
        ADD_PRESCRIPTION,
        {
            "input": {
                "phaseId": strength,
                "exerciseId": gid("Exercise", clinic.bridge.id),
                "level": "PROGRESSION",
            }
        },
        clinic.dana.id,
    )
    assert _codes(variant_archived) == [("EXERCISE_ARCHIVED", "level")]


async def test_updating_a_prescription_in_words(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    bridge = plan["phases"][0]["prescriptions"][0]["id"]

    reps = await _run(
        gql, UPDATE_PRESCRIPTION, {"input": {"prescriptionId": bridge, "reps": 12}}, clinic.dana.id
    )
    assert reps["prescription"]["dosage"]["reps"] == 12
    latest = await _latest(gql, clinic, plan["id"])
    assert (latest["summary"], [c["text"] for c in latest["changes"]]) == (
        "Exercise dosage changed",
        ["Bridge: reps 10 -> 12"],
    )

    easier = await _run(
        gql,
        UPDATE_PRESCRIPTION,
        {
            "input": {
                "prescriptionId": bridge,
                "level": "REGRESSION",
                "holdSeconds": 5,
                "sets": None,
            }
        },
        clinic.dana.id,
    )
    assert easier["prescription"]["exercise"] == {"name": "Bridge on both feet"}
    assert easier["prescription"]["dosage"]["sets"] is None  # null clears an amount
    assert easier["plan"]["revision"] == 3
    latest = await _latest(gql, clinic, plan["id"])
    assert latest["summary"] == "Exercise level changed"
    assert [c["text"] for c in latest["changes"]] == [
        "Bridge: exercise Bridge -> Bridge on both feet",
        "Bridge: level standard -> easier version",
        "Bridge: sets 3 -> none",
        "Bridge: hold none -> 5 s",
    ]


async def test_update_prescription_problems(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    plank = plan["phases"][0]["prescriptions"][1]["id"]
    result = await _run(
        gql,
        UPDATE_PRESCRIPTION,
        {
            "input": {
                "prescriptionId": plank,
                "level": "REGRESSION",
                "holdSeconds": None,
                "timesPerDay": None,
            }
        },
        clinic.dana.id,
    )
    assert _codes(result) == [
        ("NO_VARIANT", "level"),
        ("REQUIRED", "timesPerDay"),
        ("AMOUNT_REQUIRED", "reps"),
    ]
    assert await PlanRevision.all().count() == 1


async def test_removing_a_prescription_keeps_its_row_and_logs(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)
    await activate(gql, clinic, plan["id"])
    plank = plan["phases"][0]["prescriptions"][1]["id"]
    logged = await log_session(gql, clinic.maria.id, plank, "PARTIAL")

    result = await _run(gql, REMOVE_PRESCRIPTION, {"id": plank}, clinic.dana.id)
    assert result["prescription"]["removedAt"] is not None
    assert [p["id"] for p in result["plan"]["phases"][0]["prescriptions"]] == [
        plan["phases"][0]["prescriptions"][0]["id"]
    ]
    latest = await _latest(gql, clinic, plan["id"])
    assert (latest["summary"], [c["text"] for c in latest["changes"]]) == (
        "Exercise removed",
        ["Removed Plank"],
    )
    # The log still says what was done.
    body = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on ExerciseLog { outcome prescription { "
        "exercise { name } removedAt } } } }",
        {"id": logged["log"]["id"]},
        as_user=clinic.maria.id,
    )
    node = body["data"]["node"]
    assert node["outcome"] == "PARTIAL"
    assert node["prescription"]["exercise"] == {"name": "Plank"}
    assert node["prescription"]["removedAt"] is not None

    again = await _run(gql, REMOVE_PRESCRIPTION, {"id": plank}, clinic.dana.id)
    assert _codes(again) == [("PRESCRIPTION_REMOVED", "prescriptionId")]
    changed = await _run(
        gql, UPDATE_PRESCRIPTION, {"input": {"prescriptionId": plank, "reps": 3}}, clinic.dana.id
    )
    assert _codes(changed) == [("PRESCRIPTION_REMOVED", "prescriptionId")]


async def test_only_the_care_team_edits_phases_and_exercises(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)
    await activate(gql, clinic, plan["id"])
    phase = plan["phases"][0]
    bridge = phase["prescriptions"][0]["id"]
    attempts = [
        (
            ADD_PHASE,
            {"input": {"planId": plan["id"], "name": "Later", "startWeek": 9, "endWeek": 9}},
        ),
        (UPDATE_PHASE, {"input": {"phaseId": phase["id"], "name": "Mine"}}),
        (REMOVE_PHASE, {"id": phase["id"]}),
        (
            ADD_PRESCRIPTION,
            {"input": {"phaseId": phase["id"], "exerciseId": gid("Exercise", clinic.plank.id)}},
        ),
        (UPDATE_PRESCRIPTION, {"input": {"prescriptionId": bridge, "reps": 1}}),
        (REMOVE_PRESCRIPTION, {"id": bridge}),
    ]
    for document, variables in attempts:
        codes = []
        for user_id in (clinic.maria.id, clinic.lee.id, clinic.bob.id, None):
            body = await gql.execute(document, variables, as_user=user_id)
            assert body["data"] is None, body
            codes.append(body["errors"][0]["extensions"]["code"])
        assert codes == ["FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], document
    assert await PlanRevision.all().count() == 2  # created, activated: nothing else
