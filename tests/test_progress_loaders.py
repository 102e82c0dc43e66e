"""The dashboard's and caseload's progress loaders: one statement for any number of patients,
and the Patient field resolvers the patients schema attaches, exercised on a stand-in type."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import strawberry

from api.access.rate_limits import build_rate_limits
from api.access.scope import AccessScope, Viewer
from api.context import Context
from api.loaders.progress import (
    ActiveGoalsByPatientIdLoader,
    LatestPainByPatientIdLoader,
    RecentPainByPatientIdLoader,
)
from api.models.accounts import Role
from api.models.patients import Patient
from api.models.progress import (
    GoalStatus,
    Measurement,
    MeasurementMethod,
    MetricKind,
    RecorderRole,
)
from api.schema.progress import (
    Goal,
    patient_goals,
    patient_latest_pain,
    patient_recent_pain,
)
from api.schema.progress import (
    Measurement as MeasurementNode,
)
from api.settings import Settings
from tests.progress_support import add_goal, add_measurement, make_clinic, utc
from tests.sql_counter import count_sql

START = utc(2024, 1, 1, 12)


async def make_patients(count: int) -> list[Patient]:
    await Patient.bulk_create(
        [Patient(given_name=f"P{index}", family_name="Test") for index in range(count)]
    )
    return list(await Patient.filter(family_name="Test").order_by("id"))


async def add_pain(patients: list[Patient], per_patient: int) -> None:
    """`per_patient` pain scores a day apart (value = day % 11) and one function score each."""
    rows = []
    for patient in patients:
        for day in range(per_patient):
            rows.append(_row(patient, MetricKind.PAIN, day % 11, day))
        rows.append(_row(patient, MetricKind.FUNCTION, 50, per_patient + 5))  # newer, not pain
    await Measurement.bulk_create(rows)


def _row(patient: Patient, kind: MetricKind, value: float, day: int) -> Measurement:
    moment = START + timedelta(days=day)
    return Measurement(
        patient=patient,
        kind=kind,
        value=value,
        unit="{score}" if kind is MetricKind.PAIN else "%",
        measured_at=moment,
        method=MeasurementMethod.SELF_REPORT,
        recorded_by_role=RecorderRole.PATIENT,
        recorded_at=moment,
    )


@pytest.mark.parametrize("patient_count", [3, 50])
async def test_recent_pain_is_one_statement_for_any_number_of_patients(
    database: None, patient_count: int
) -> None:
    patients = await make_patients(patient_count + 1)
    with_pain, without = patients[:-1], patients[-1]
    await add_pain(with_pain, 35)
    loader = RecentPainByPatientIdLoader()
    with count_sql() as sql:
        results = await loader.load_many([p.id for p in patients])
    assert sql.count == 1
    assert "ROW_NUMBER() OVER(PARTITION BY" in sql.statements[0]
    for patient, rows in zip(with_pain, results, strict=False):
        assert len(rows) == 30
        assert {row.patient_id for row in rows} == {patient.id}
        assert {row.kind for row in rows} == {MetricKind.PAIN}
        # Newest first: days 34 down to 5.
        assert [row.measured_at for row in rows] == [
            START + timedelta(days=day) for day in range(34, 4, -1)
        ]
        assert rows[0].value == 34 % 11
    assert results[-1] == []
    assert without.id not in {row.patient_id for rows in results for row in rows}


async def test_recent_pain_breaks_ties_by_the_newest_id(database: None) -> None:
    clinic = await make_clinic()
    first = await add_measurement(clinic.maria_record, 2, START)
    second = await add_measurement(clinic.maria_record, 6, START)
    rows = await RecentPainByPatientIdLoader().load(clinic.maria_record.id)
    assert [row.id for row in rows] == [second.id, first.id]


async def test_latest_pain_is_one_statement_for_500_patients(database: None) -> None:
    patients = await make_patients(500)
    await add_pain(patients[:499], 3)
    loader = LatestPainByPatientIdLoader()
    with count_sql() as sql:
        results = await loader.load_many([p.id for p in patients])
    assert sql.count == 1
    assert [row.value if row else None for row in results[:2]] == [2.0, 2.0]
    assert all(
        row is not None and row.measured_at == START + timedelta(days=2) for row in results[:499]
    )
    assert results[499] is None


async def test_active_goals_are_one_statement_soonest_first(database: None) -> None:
    patients = await make_patients(50)
    for patient in patients:
        for target_day, status in (
            (20, GoalStatus.ACTIVE),
            (10, GoalStatus.ACTIVE),
            (5, GoalStatus.STOPPED),
        ):
            goal = await add_goal(
                patient,
                baseline=8,
                baseline_at=START,
                target=2,
                target_date=date(2024, 1, target_day),
            )
            if status is not GoalStatus.ACTIVE:
                goal.status = status
                await goal.save()
    loader = ActiveGoalsByPatientIdLoader()
    with count_sql() as sql:
        results = await loader.load_many([p.id for p in patients])
    assert sql.count == 1
    assert all([goal.target_date.day for goal in goals] == [10, 20] for goals in results)


# --- the Patient fields, attached to a stand-in type as the patients schema attaches them ------


@strawberry.type
class PatientStandIn:
    id: int
    recent_pain: list[MeasurementNode] = strawberry.field(resolver=patient_recent_pain)
    latest_pain: MeasurementNode | None = strawberry.field(resolver=patient_latest_pain)
    goals: list[Goal] = strawberry.field(resolver=patient_goals)


@strawberry.type
class CaseloadQuery:
    @strawberry.field
    def patients(self, ids: list[int]) -> list[PatientStandIn]:
        return [PatientStandIn(id=key) for key in ids]


CASELOAD = strawberry.Schema(query=CaseloadQuery, types=[MeasurementNode, Goal])
CASELOAD_QUERY = """query($ids: [Int!]!) { patients(ids: $ids) {
  id latestPain { value } recentPain { value } goals { targetValue } } }"""


async def run_caseload(
    settings: Settings, scope: AccessScope, ids: list[int]
) -> tuple[Any, Context]:
    async def resolve_scope() -> AccessScope:
        return scope

    context = Context(
        settings=settings,
        request_id="test",
        rate_limits=build_rate_limits(settings),
        resolve_scope=resolve_scope,
    )
    result = await CASELOAD.execute(CASELOAD_QUERY, {"ids": ids}, context_value=context)
    return result, context


@pytest.mark.parametrize("patient_count", [3, 50])
async def test_a_caseload_costs_one_statement_per_field(
    database: None, settings: Settings, patient_count: int
) -> None:
    patients = await make_patients(patient_count)
    await add_pain(patients, 31)
    for patient in patients:
        await add_goal(
            patient, baseline=8, baseline_at=START, target=2, target_date=date(2024, 3, 1)
        )
    therapist = AccessScope(
        Viewer(user_id=1, roles=frozenset({Role.THERAPIST})),
        care_team=frozenset(p.id for p in patients),
    )
    with count_sql() as sql:
        result, context = await run_caseload(settings, therapist, [p.id for p in patients])
    assert result.errors is None
    assert sql.count == 3  # recent pain, latest pain, active goals
    rows = result.data["patients"]
    assert len(rows) == patient_count
    assert rows[0]["latestPain"] == {"value": 30 % 11}
    assert len(rows[0]["recentPain"]) == 30
    assert rows[0]["goals"] == [{"targetValue": 2.0}]
    seen = context.record_access.drain()
    assert len({(r.resource, r.resource_id) for r in seen if r.resource == "Measurement"}) == (
        patient_count * 30
    )
    assert sum(r.resource == "Goal" for r in seen) == patient_count


async def test_patient_fields_check_the_scope(database: None, settings: Settings) -> None:
    clinic = await make_clinic()
    await add_measurement(clinic.maria_record, 4, START)
    stranger = AccessScope(
        Viewer(user_id=clinic.bob.id, roles=frozenset({Role.PATIENT})),
        patient_id=clinic.bob_record.id,
    )
    result, _ = await run_caseload(settings, stranger, [clinic.maria_record.id])
    assert result.data is None  # non-null fields: the error reaches the root
    assert {error.message for error in result.errors or []} == {"No such patient."}
    own = AccessScope(
        Viewer(user_id=clinic.maria.id, roles=frozenset({Role.PATIENT})),
        patient_id=clinic.maria_record.id,
    )
    mine, _ = await run_caseload(settings, own, [clinic.maria_record.id])
    assert mine.data["patients"][0]["latestPain"] == {"value": 4.0}
