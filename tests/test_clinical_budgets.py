"""Statement budgets of the two busiest screens, counted through a real signed-in session.

The patient dashboard (profile summary, care team, active plan with phases, prescriptions and
exercises, this week's adherence, the last 30 pain scores, unread notifications) must stay within
12 statements, and the therapist caseload (every patient with latest pain, this week's adherence
and plan status) within 10; both must not grow with the data. Each count includes the session
lookup and the one insert of the record-access log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.models.accounts import Role
from api.models.audit import RecordAccess
from api.models.notifications import Notification, NotificationKind
from api.models.patients import CareTeamMember, CareTeamRole, Patient
from api.models.plans import Exercise, ExerciseLog, Prescription, SessionOutcome, TreatmentPlan
from api.models.progress import Measurement, MeasurementMethod, MetricKind, RecorderRole
from api.models.therapists import Therapist
from api.services.exercises import sync_library
from api.settings import Settings
from tests.accounts_support import browser, gql, make_user, sign_in
from tests.clinical_documents import CASELOAD, DASHBOARD
from tests.clinical_support import make_patient, make_therapist
from tests.plans_support import build_plan
from tests.sql_counter import count_sql

DASHBOARD_BUDGET = 12
CASELOAD_BUDGET = 10
ZONE = "America/New_York"


@pytest.fixture
def session_app(settings: Settings, database: None) -> Starlette:
    return create_app(settings)


@pytest.fixture
async def signed_in(session_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(session_app) as http:
        yield http


def _today() -> datetime:
    return datetime.now(ZoneInfo(ZONE))


async def _pain(patient: Patient, count: int) -> None:
    start = _today() - timedelta(days=count)
    await Measurement.bulk_create(
        [
            Measurement(
                patient=patient,
                kind=MetricKind.PAIN,
                value=float(day % 7 + 2),
                unit="{score}",
                measured_at=start + timedelta(days=day, hours=day % 5),
                method=MeasurementMethod.SELF_REPORT,
                recorded_by_role=RecorderRole.PATIENT,
                recorded_at=datetime.now(UTC),
            )
            for day in range(count)
        ]
    )


async def _active_plan(
    patient: Patient, therapist: Therapist, exercises: list[Exercise], *, phases: int, per: int
) -> TreatmentPlan:
    today = _today().date()
    return await build_plan(
        patient,
        therapist,
        exercises,
        phases=phases,
        per_phase=per,
        starts_on=today - timedelta(days=3),
    )


async def _logs(plan: TreatmentPlan, per_prescription: int) -> None:
    today = _today().date()
    prescriptions = await Prescription.filter(phase__plan=plan)
    await ExerciseLog.bulk_create(
        [
            ExerciseLog(
                patient_id=plan.patient_id,
                plan=plan,
                prescription=prescription,
                performed_on=today - timedelta(days=n % 3),
                outcome=(SessionOutcome.DONE, SessionOutcome.PARTIAL, SessionOutcome.SKIPPED)[
                    n % 3
                ],
                logged_by_role="PATIENT",
                logged_at=datetime.combine(today, time(12), ZoneInfo(ZONE)),
            )
            for prescription in prescriptions
            for n in range(per_prescription)
        ]
    )


async def _dashboard_patient(scale: int) -> str:
    """A patient whose dashboard has `scale` times the ordinary amount of everything."""
    await sync_library()
    exercises = list(await Exercise.all().order_by("id").limit(20))
    email = f"dash{scale}@example.org"
    user, patient = await make_patient(email, time_zone=ZONE)
    therapists = [await make_therapist(f"t{scale}-{n}@clinic.test") for n in range(2 * scale)]
    for index, (_, therapist) in enumerate(therapists):
        role = CareTeamRole.PRIMARY if index == 0 else CareTeamRole.TREATING
        await CareTeamMember.create(
            patient=patient, therapist=therapist, role=role, started_at=datetime.now(UTC)
        )
    plan = await _active_plan(patient, therapists[0][1], exercises, phases=3 * scale, per=5)
    await _logs(plan, per_prescription=scale)
    await _pain(patient, 40 * scale)
    await Notification.bulk_create(
        [
            Notification(
                user=user,
                kind=NotificationKind.PLAN_UPDATED,
                title="Plan",
                created_at=datetime.now(UTC),
            )
            for _ in range(3 * scale)
        ]
    )
    return email


@pytest.mark.parametrize("scale", [1, 10])
async def test_the_patient_dashboard_fits_its_budget_at_any_size(
    signed_in: httpx.AsyncClient, scale: int
) -> None:
    email = await _dashboard_patient(scale)
    assert (await sign_in(signed_in, email))["__typename"] == "SignInPayload"
    with count_sql() as sql:
        body = await gql(signed_in, DASHBOARD)
    assert "errors" not in body, body["errors"]
    data = body["data"]
    patient = data["myPatient"]
    assert len(patient["careTeam"]) == 2 * scale
    assert len(patient["activePlan"]["phases"]) == 3 * scale
    assert all(len(phase["prescriptions"]) == 5 for phase in patient["activePlan"]["phases"])
    assert patient["activePlan"]["thisWeekAdherence"]["logged"] > 0
    assert len(patient["recentPain"]) == 30
    assert data["unreadNotificationCount"] == 3 * scale
    assert sql.count <= DASHBOARD_BUDGET, "\n".join(sql.statements)
    # The same statements, whatever the size: record it so a regression shows as a number.
    assert sql.count == DASHBOARD_STATEMENTS, "\n".join(sql.statements)


DASHBOARD_STATEMENTS = 12


async def test_the_dashboard_writes_its_record_accesses_in_one_statement(
    signed_in: httpx.AsyncClient,
) -> None:
    email = await _dashboard_patient(1)
    await sign_in(signed_in, email)
    await RecordAccess.all().delete()
    with count_sql() as sql:
        await gql(signed_in, DASHBOARD)
    inserts = [s for s in sql.statements if "audit_record_access" in s]
    assert len(inserts) == 1
    patient = await Patient.get(user__email=email)
    rows = await RecordAccess.filter(patient_id=patient.id)
    resources = {row.resource for row in rows}
    assert {"Patient", "CareTeam", "TreatmentPlan", "Measurement"} <= resources
    assert all(row.actor_role == "PATIENT" and row.action == "READ" for row in rows)
    assert len([row for row in rows if row.resource == "Measurement"]) == 30


async def _caseload(count: int) -> str:
    await sync_library()
    exercises = list(await Exercise.all().order_by("id").limit(6))
    therapist_user, therapist = await make_therapist(f"case{count}@clinic.test")
    await Patient.bulk_create(
        [
            Patient(given_name=f"Given{n}", family_name=f"Family{n:04d}", time_zone=ZONE)
            for n in range(count)
        ]
    )
    patients = list(await Patient.filter(family_name__startswith="Family").order_by("id"))
    await CareTeamMember.bulk_create(
        [
            CareTeamMember(
                patient=p,
                therapist=therapist,
                role=CareTeamRole.PRIMARY,
                started_at=datetime.now(UTC),
            )
            for p in patients
        ]
    )
    for patient in patients[:10]:  # plans for some, so every kind of row is there
        plan = await _active_plan(patient, therapist, exercises, phases=2, per=3)
        await _logs(plan, per_prescription=1)
    for patient in patients[: max(10, count // 5)]:
        await _pain(patient, 3)
    return therapist_user.email


@pytest.mark.parametrize("patients", [50, 500])
async def test_the_caseload_fits_its_budget_at_any_size(
    signed_in: httpx.AsyncClient, patients: int
) -> None:
    email = await _caseload(patients)
    assert (await sign_in(signed_in, email))["__typename"] == "SignInPayload"
    with count_sql() as sql:
        body = await gql(signed_in, CASELOAD)
    assert "errors" not in body, body["errors"]
    rows = body["data"]["caseload"]
    assert len(rows) == patients
    assert [row["familyName"] for row in rows] == sorted(row["familyName"] for row in rows)
    with_plans = [row for row in rows if row["activePlan"]]
    assert len(with_plans) == 10
    assert all(row["adherenceThisWeek"]["prescribed"] > 0 for row in with_plans)
    assert sum(1 for row in rows if row["latestPain"]) == max(10, patients // 5)
    assert sql.count <= CASELOAD_BUDGET, "\n".join(sql.statements)
    assert sql.count == CASELOAD_STATEMENTS, "\n".join(sql.statements)


CASELOAD_STATEMENTS = 9


async def test_only_therapists_have_a_caseload(session_app: Starlette) -> None:
    await make_patient("patient@example.org")
    await make_user("admin@clinic.test", roles=(Role.ADMIN,))
    for email in ("patient@example.org", "admin@clinic.test"):
        async with browser(session_app) as http:
            await sign_in(http, email)
            body = await gql(http, CASELOAD)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
