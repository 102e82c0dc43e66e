"""A small clinic for progress tests, the GraphQL documents they send, and row builders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from api.models.accounts import Role, User
from api.models.patients import Patient
from api.models.progress import (
    BodySide,
    Goal,
    Measurement,
    MeasurementMethod,
    MetricKind,
    RecorderRole,
)
from tests.accounts_support import make_user
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient

RECORD = """mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) {
  __typename
  ... on MeasurementPayload { measurement { id kind value unit loinc bodySite side movement
    measuredAt method note recordedByRole recordedAt definition { id name } } }
  ... on ProgressErrors { errors { code message field } }
} }"""

GOAL_FIELDS = """id description kind bodySite side movement unit baselineValue baselineAt
  targetValue targetDate status planId definition { id }"""

SET_GOAL = (
    """mutation($input: SetGoalInput!) { setGoal(input: $input) {
  __typename
  ... on GoalPayload { goal { """
    + GOAL_FIELDS
    + """ } }
  ... on ProgressErrors { errors { code message field } }
} }"""
)


@dataclass
class Clinic:
    maria: User  # a patient
    maria_record: Patient
    bob: User  # another patient
    bob_record: Patient
    dana: User  # Maria's therapist
    lee: User  # a therapist with nobody on his care team
    admin: User

    @property
    def maria_id(self) -> str:
        return gid("Patient", self.maria_record.id)

    @property
    def bob_id(self) -> str:
        return gid("Patient", self.bob_record.id)


async def make_clinic(time_zone: str = "America/New_York") -> Clinic:
    maria, maria_record = await make_patient(time_zone=time_zone)
    bob, bob_record = await make_patient("bob@example.org", given_name="Bob", family_name="Stone")
    dana, therapist = await make_therapist()
    lee, _ = await make_therapist("lee@clinic.test", name="Lee Park")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    await assign(maria_record, therapist)
    return Clinic(maria, maria_record, bob, bob_record, dana, lee, admin)


async def record(gql: GraphQLClient, as_user: int | None, **fields: Any) -> dict[str, Any]:
    """The recordMeasurement answer (or the whole body when it failed at the top level)."""
    body = await gql.execute(RECORD, {"input": fields}, as_user=as_user)
    if body.get("errors"):
        return body
    result: dict[str, Any] = body["data"]["recordMeasurement"]
    return result


def problems(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(code, field) of each typed error, in order."""
    assert result["__typename"] == "ProgressErrors", result
    return [(error["code"], error["field"]) for error in result["errors"]]


def top_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def add_measurement(
    patient: Patient,
    value: float,
    measured_at: datetime,
    *,
    kind: MetricKind = MetricKind.PAIN,
    unit: str = "{score}",
    body_site: str = "",
    side: BodySide = BodySide.NOT_APPLICABLE,
    movement: str = "",
    role: RecorderRole = RecorderRole.PATIENT,
) -> Measurement:
    return await Measurement.create(
        patient=patient,
        kind=kind,
        value=value,
        unit=unit,
        body_site=body_site,
        side=side,
        movement=movement,
        measured_at=measured_at,
        method=MeasurementMethod.SELF_REPORT,
        recorded_by_role=role,
        recorded_at=measured_at,
    )


async def add_goal(
    patient: Patient,
    *,
    baseline: float,
    baseline_at: datetime,
    target: float,
    target_date: date,
    kind: MetricKind = MetricKind.PAIN,
    unit: str = "{score}",
    body_site: str = "",
    side: BodySide = BodySide.NOT_APPLICABLE,
    movement: str = "",
) -> Goal:
    return await Goal.create(
        patient=patient,
        description="Less pain on stairs",
        kind=kind,
        unit=unit,
        body_site=body_site,
        side=side,
        movement=movement,
        baseline_value=baseline,
        baseline_at=baseline_at,
        target_value=target,
        target_date=target_date,
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
