"""Logging home sessions, and adherence per week: logged against prescribed, with partial
sessions counting half, weeks counted from the start date in the patient's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from api.loaders.plans.weeks import Dose, Tally, count_week
from api.models.plans import ExerciseLog, SessionOutcome
from tests.clinical_support import assign, gid, make_patient
from tests.conftest import GraphQLClient
from tests.plans_support import (
    LOG,
    NOW,
    Clinic,
    activate,
    create_plan,
    log_session,
    make_clinic,
    set_now,
)

WEEK = "week startsOn endsOn prescribed done partial skipped logged rate"
ADHERENCE = f"""query($id: ID!, $weeks: Int!) {{ treatmentPlan(id: $id) {{
  currentWeek currentPhase {{ name }}
  adherence(weeks: $weeks) {{ {WEEK} }} thisWeekAdherence {{ {WEEK} }}
  phases {{ name adherence {{ {WEEK} }} week1: adherence(week: 1) {{ rate }} }} }} }}"""


def _phases(clinic: Clinic) -> list[dict[str, Any]]:
    """Weeks 1-2: Bridge 7 a week + Plank 2 x 3 = 13 sessions a week; weeks 3-4: the harder
    Bridge, 5 a week."""
    bridge, plank = gid("Exercise", clinic.bridge.id), gid("Exercise", clinic.plank.id)
    return [
        {
            "name": "Calm it down",
            "startWeek": 1,
            "endWeek": 2,
            "prescriptions": [
                {"exerciseId": bridge, "daysPerWeek": 7},
                {"exerciseId": plank, "timesPerDay": 2},
            ],
        },
        {
            "name": "Build strength",
            "startWeek": 3,
            "endWeek": 4,
            "prescriptions": [{"exerciseId": bridge, "level": "PROGRESSION", "daysPerWeek": 5}],
        },
    ]


@pytest.fixture
async def clinic(database: None, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    set_now(monkeypatch, NOW)
    return await make_clinic()


async def _active_plan(gql: GraphQLClient, clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    plan = await create_plan(gql, clinic, phases=_phases(clinic), **overrides)
    await activate(gql, clinic, plan["id"])
    return plan


def _week(
    week: int, starts: str, ends: str, prescribed: int, done: int, partial: int, skipped: int
) -> dict[str, Any]:
    return {
        "week": week,
        "startsOn": starts,
        "endsOn": ends,
        "prescribed": prescribed,
        "done": done,
        "partial": partial,
        "skipped": skipped,
        "logged": done + partial + skipped,
        "rate": min(1.0, (done + 0.5 * partial) / prescribed) if prescribed else None,
    }


async def test_weekly_adherence_counts_partial_as_half(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await _active_plan(gql, clinic)
    bridge, plank = (p["id"] for p in plan["phases"][0]["prescriptions"])
    (harder,) = (p["id"] for p in plan["phases"][1]["prescriptions"])
    week_one = [
        (bridge, "DONE", "2026-03-02"),
        (bridge, "DONE", "2026-03-03"),
        (bridge, "DONE", "2026-03-04"),
        (bridge, "DONE", "2026-03-05"),
        (bridge, "PARTIAL", "2026-03-06"),
        (bridge, "PARTIAL", "2026-03-08"),  # Sunday: the last day of week 1
        (plank, "SKIPPED", "2026-03-07"),
        (plank, "DONE", "2026-03-02"),
        (plank, "DONE", "2026-03-04"),
        (plank, "DONE", "2026-03-06"),
    ]
    week_two = [
        (bridge, "DONE", "2026-03-09"),  # Monday: the first day of week 2
        (bridge, "DONE", "2026-03-10"),
        (harder, "DONE", "2026-03-10"),  # a later phase's exercise, done early
    ]
    for prescription, outcome, day in week_one + week_two:
        await log_session(gql, clinic.maria.id, prescription, outcome, performedOn=day)
    today = await log_session(gql, clinic.maria.id, plank, "PARTIAL", painDuring=3, effort=6)
    assert today["log"]["performedOn"] == "2026-03-11"  # today in New York

    body = await gql.execute(ADHERENCE, {"id": plan["id"], "weeks": 4}, as_user=clinic.maria.id)
    data = body["data"]["treatmentPlan"]
    assert data["currentWeek"] == 2
    assert data["currentPhase"] == {"name": "Calm it down"}
    first = _week(1, "2026-03-02", "2026-03-08", 13, done=7, partial=2, skipped=1)
    second = _week(2, "2026-03-09", "2026-03-15", 13, done=3, partial=1, skipped=0)
    assert first["rate"] == 8 / 13
    assert second["rate"] == 3.5 / 13
    assert data["adherence"] == [first, second]
    assert data["thisWeekAdherence"] == second
    calm, strength = data["phases"]
    # The phase counts its own exercises only: the harder Bridge is not Calm's.
    assert calm["adherence"] == _week(
        2, "2026-03-09", "2026-03-15", 13, done=2, partial=1, skipped=0
    )
    assert calm["week1"] == {"rate": 8 / 13}
    assert strength["adherence"] is None  # week 2 is not one of its weeks
    assert strength["week1"] is None

    body = await gql.execute(ADHERENCE, {"id": plan["id"], "weeks": 1}, as_user=clinic.maria.id)
    assert body["data"]["treatmentPlan"]["adherence"] == [second]
    body = await gql.execute(ADHERENCE, {"id": plan["id"], "weeks": 53}, as_user=clinic.maria.id)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "weeks"}


def test_the_weekly_tally_by_hand() -> None:
    starts = date(2026, 3, 2)
    doses = [
        Dose(1, 10, 1, 2, sessions_per_week=7, removed_on=None),
        Dose(2, 10, 1, 2, sessions_per_week=6, removed_on=date(2026, 3, 10)),  # in week 2
        Dose(3, 11, 3, 4, sessions_per_week=5, removed_on=date(2026, 3, 16)),  # day 1, week 3
    ]
    tallies = [Tally(1, SessionOutcome.DONE, 9), Tally(2, SessionOutcome.PARTIAL, 4)]
    week_two = count_week(starts, 2, doses, tallies)
    # Removed during week 2: still asked for that week.
    assert (week_two.prescribed, week_two.done, week_two.partial) == (13, 9, 4)
    assert week_two.rate == 11 / 13
    assert count_week(starts, 3, doses, []).prescribed == 0  # removed before week 3 began
    assert count_week(starts, 3, doses, []).rate is None
    capped = count_week(starts, 1, doses, [Tally(1, SessionOutcome.DONE, 20)])
    assert capped.rate == 1.0
    only_phase = count_week(starts, 2, doses, tallies, phase_id=11)
    assert (only_phase.prescribed, only_phase.done, only_phase.logged) == (0, 0, 0)


async def test_weeks_follow_the_patients_time_zone(
    gql: GraphQLClient, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sunday 8 March 12:00 UTC is already Monday 9 March 01:00 in Auckland (week 2), and
    # still Sunday 8 March 08:00 in New York (week 1).
    set_now(monkeypatch, datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    kiri_user, kiri = await make_patient(
        "kiri@example.org", given_name="Kiri", time_zone="Pacific/Auckland"
    )
    await assign(kiri, clinic.therapist)
    kiwi = await _active_plan(gql, clinic, patientId=gid("Patient", kiri.id))
    maria = await _active_plan(gql, clinic)

    logged = await log_session(
        gql, kiri_user.id, kiwi["phases"][0]["prescriptions"][0]["id"], "DONE"
    )
    assert logged["log"]["performedOn"] == "2026-03-09"
    body = await gql.execute(ADHERENCE, {"id": kiwi["id"], "weeks": 4}, as_user=kiri_user.id)
    data = body["data"]["treatmentPlan"]
    assert data["currentWeek"] == 2
    assert data["thisWeekAdherence"] == _week(2, "2026-03-09", "2026-03-15", 13, 1, 0, 0)

    body = await gql.execute(ADHERENCE, {"id": maria["id"], "weeks": 4}, as_user=clinic.maria.id)
    assert body["data"]["treatmentPlan"]["currentWeek"] == 1
    tomorrow = await gql.execute(
        LOG,
        {
            "input": {
                "prescriptionId": maria["phases"][0]["prescriptions"][0]["id"],
                "outcome": "DONE",
                "performedOn": "2026-03-09",
            }
        },
        as_user=clinic.maria.id,
    )
    errors = tomorrow["data"]["logExerciseSession"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("DATE_IN_FUTURE", "performedOn")]


async def test_before_the_start_there_is_no_week(
    gql: GraphQLClient, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = await _active_plan(gql, clinic)
    set_now(monkeypatch, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    body = await gql.execute(ADHERENCE, {"id": plan["id"], "weeks": 4}, as_user=clinic.maria.id)
    data = body["data"]["treatmentPlan"]
    assert data["currentWeek"] is None
    assert data["currentPhase"] is None
    assert data["adherence"] == []
    assert data["thisWeekAdherence"] is None


async def _log_errors(
    gql: GraphQLClient, as_user: int, **fields: Any
) -> list[tuple[str, str | None]]:
    body = await gql.execute(LOG, {"input": {"outcome": "DONE", **fields}}, as_user=as_user)
    result = body["data"]["logExerciseSession"]
    assert result["__typename"] == "PlanErrors", body
    return [(error["code"], error["field"]) for error in result["errors"]]


async def test_logging_problems(
    gql: GraphQLClient, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = await _active_plan(gql, clinic)
    bridge = plan["phases"][0]["prescriptions"][0]["id"]
    maria = clinic.maria.id
    assert await _log_errors(
        gql, maria, prescriptionId=bridge, painDuring=11, effort=-1, note="n" * 1001
    ) == [("OUT_OF_RANGE", "painDuring"), ("OUT_OF_RANGE", "effort"), ("TOO_LONG", "note")]
    assert await _log_errors(gql, maria, prescriptionId=bridge, performedOn="2026-03-12") == [
        ("DATE_IN_FUTURE", "performedOn")
    ]
    assert await _log_errors(gql, maria, prescriptionId=bridge, performedOn="2026-03-01") == [
        ("BEFORE_PLAN_START", "performedOn")
    ]
    set_now(monkeypatch, datetime(2026, 4, 15, 15, 0, tzinfo=UTC))
    assert await _log_errors(gql, maria, prescriptionId=bridge, performedOn="2026-03-15") == [
        ("TOO_FAR_BACK", "performedOn")
    ]
    ok = await log_session(gql, maria, bridge, "DONE", performedOn="2026-03-16")  # 30 days back
    assert ok["__typename"] == "ExerciseLogPayload"

    draft = await create_plan(gql, clinic, title="Next")
    assert await _log_errors(
        gql, maria, prescriptionId=draft["phases"][0]["prescriptions"][0]["id"]
    ) == [("NOT_ACTIVE", "prescriptionId")]
    await gql.execute(
        "mutation($id: ID!) { removePrescription(prescriptionId: $id) { __typename } }",
        {"id": bridge},
        as_user=clinic.dana.id,
    )
    assert await _log_errors(gql, maria, prescriptionId=bridge) == [
        ("PRESCRIPTION_REMOVED", "prescriptionId")
    ]
    assert await ExerciseLog.all().count() == 1


async def test_who_may_log(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await _active_plan(gql, clinic)
    bridge = plan["phases"][0]["prescriptions"][0]["id"]
    variables = {"input": {"prescriptionId": bridge, "outcome": "DONE", "note": "Felt easy"}}
    codes = {}
    for who, user_id in (
        ("bob", clinic.bob.id),
        ("lee", clinic.lee.id),
        ("admin", clinic.admin.id),
        ("anonymous", None),
    ):
        body = await gql.execute(LOG, variables, as_user=user_id)
        codes[who] = body["errors"][0]["extensions"]["code"]
    assert codes == {
        "bob": "NOT_FOUND",
        "lee": "NOT_FOUND",
        "admin": "FORBIDDEN",
        "anonymous": "UNAUTHENTICATED",
    }
    by_patient = await log_session(gql, clinic.maria.id, bridge, "DONE", note="Felt easy")
    by_therapist = await log_session(gql, clinic.dana.id, bridge, "SKIPPED")
    assert by_patient["log"]["loggedByRole"] == "PATIENT"
    assert by_patient["log"]["note"] == "Felt easy"
    assert by_patient["log"]["prescription"]["exercise"] == {"name": "Bridge"}
    assert by_therapist["log"]["loggedByRole"] == "THERAPIST"
    rows = await ExerciseLog.all().order_by("id")
    assert [(row.logged_by_id, row.performed_on) for row in rows] == [
        (clinic.maria.id, date(2026, 3, 11)),
        (clinic.dana.id, date(2026, 3, 11)),
    ]
