"""Who reads which plans and logs: the patient (never drafts), their care team, admins; other
patients and other therapists find nothing; every record read is in the access log."""

from __future__ import annotations

from typing import Any

import pytest

from api.models.audit import RecordAccess
from api.models.plans import PlanRevision
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.plans_support import (
    NOW,
    Clinic,
    activate,
    create_plan,
    log_session,
    make_clinic,
    set_now,
)

ONE = "query($id: ID!) { treatmentPlan(id: $id) { title status } }"
LIST = """query($patient: ID!, $status: PlanStatus) {
  treatmentPlans(patientId: $patient, status: $status) { title status } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"""
LOGS = """query($patient: ID!, $from: Date, $to: Date, $first: Int, $after: String) {
  exerciseLogs(patientId: $patient, from: $from, to: $to, first: $first, after: $after) {
    edges { node { performedOn outcome } } pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture
async def clinic(database: None, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    set_now(monkeypatch, NOW)
    return await make_clinic()


@pytest.fixture
async def plans(gql: GraphQLClient, clinic: Clinic) -> dict[str, dict[str, Any]]:
    """Maria's completed, active and draft plans."""
    completed = await create_plan(gql, clinic, title="Old")
    await activate(gql, clinic, completed["id"])
    active = await create_plan(gql, clinic, title="Now")
    await activate(gql, clinic, active["id"])
    draft = await create_plan(gql, clinic, title="Next")
    return {"completed": completed, "active": active, "draft": draft}


async def _read(gql: GraphQLClient, plan_id: str, as_user: int | None) -> Any:
    body = await gql.execute(ONE, {"id": plan_id}, as_user=as_user)
    if "errors" in body:
        return body["errors"][0]["extensions"]["code"]
    return body["data"]["treatmentPlan"]


async def test_one_plan_by_id(
    gql: GraphQLClient, clinic: Clinic, plans: dict[str, dict[str, Any]]
) -> None:
    active, draft = plans["active"]["id"], plans["draft"]["id"]
    assert await _read(gql, active, clinic.maria.id) == {"title": "Now", "status": "ACTIVE"}
    assert await _read(gql, draft, clinic.maria.id) is None  # drafts are the care team's
    assert await _read(gql, active, clinic.bob.id) is None
    assert await _read(gql, active, clinic.lee.id) is None
    assert await _read(gql, draft, clinic.dana.id) == {"title": "Next", "status": "DRAFT"}
    assert await _read(gql, draft, clinic.admin.id) == {"title": "Next", "status": "DRAFT"}
    assert await _read(gql, active, None) == "UNAUTHENTICATED"
    assert await _read(gql, gid("TreatmentPlan", 999), clinic.dana.id) is None
    assert await _read(gql, gid("Patient", 1), clinic.dana.id) == "BAD_USER_INPUT"


async def test_a_patients_plans(
    gql: GraphQLClient, clinic: Clinic, plans: dict[str, dict[str, Any]]
) -> None:
    patient = gid("Patient", clinic.record.id)

    async def titles(as_user: int | None, status: str | None = None) -> Any:
        body = await gql.execute(LIST, {"patient": patient, "status": status}, as_user=as_user)
        if "errors" in body:
            return body["errors"][0]["extensions"]["code"]
        return [plan["title"] for plan in body["data"]["treatmentPlans"]]

    assert sorted(await titles(clinic.maria.id)) == ["Now", "Old"]
    assert await titles(clinic.maria.id, "DRAFT") == []
    assert sorted(await titles(clinic.dana.id)) == ["Next", "Now", "Old"]
    assert await titles(clinic.dana.id, "COMPLETED") == ["Old"]
    assert sorted(await titles(clinic.admin.id)) == ["Next", "Now", "Old"]
    assert await titles(clinic.bob.id) == "NOT_FOUND"
    assert await titles(clinic.lee.id) == "NOT_FOUND"
    assert await titles(None) == "UNAUTHENTICATED"


async def test_nodes_go_through_the_same_rules(
    gql: GraphQLClient, clinic: Clinic, plans: dict[str, dict[str, Any]]
) -> None:
    active, draft = plans["active"], plans["draft"]
    logged = await log_session(
        gql, clinic.maria.id, active["phases"][0]["prescriptions"][0]["id"], "DONE"
    )
    first_revision = await PlanRevision.filter(number=1).order_by("id").first()
    assert first_revision is not None  # the completed plan's: Maria may read it
    revision = gid("PlanRevision", first_revision.id)
    ids = [
        active["id"],
        active["phases"][0]["id"],
        active["phases"][0]["prescriptions"][0]["id"],
        logged["log"]["id"],
        draft["id"],
        draft["phases"][0]["id"],
        draft["phases"][0]["prescriptions"][0]["id"],
    ]

    async def found(as_user: int) -> list[str | None]:
        body = await gql.execute(NODES, {"ids": ids}, as_user=as_user)
        return [node["__typename"] if node else None for node in body["data"]["nodes"]]

    visible = ["TreatmentPlan", "PlanPhase", "Prescription", "ExerciseLog"]
    drafts = ["TreatmentPlan", "PlanPhase", "Prescription"]
    assert await found(clinic.maria.id) == [*visible, None, None, None]
    assert await found(clinic.dana.id) == [*visible, *drafts]
    assert await found(clinic.admin.id) == [*visible, *drafts]
    assert await found(clinic.bob.id) == [None] * 7
    assert await found(clinic.lee.id) == [None] * 7
    body = await gql.execute(NODES, {"ids": [revision]}, as_user=clinic.maria.id)
    assert body["data"]["nodes"] == [{"__typename": "PlanRevision", "id": revision}]
    body = await gql.execute(NODES, {"ids": [revision]}, as_user=clinic.bob.id)
    assert body["data"]["nodes"] == [None]


async def test_exercise_logs_page_newest_first(
    gql: GraphQLClient, clinic: Clinic, plans: dict[str, dict[str, Any]]
) -> None:
    bridge = plans["active"]["phases"][0]["prescriptions"][0]["id"]
    for day, outcome in (
        ("2026-03-02", "DONE"),
        ("2026-03-05", "PARTIAL"),
        ("2026-03-09", "SKIPPED"),
    ):
        await log_session(gql, clinic.maria.id, bridge, outcome, performedOn=day)
    patient = gid("Patient", clinic.record.id)

    body = await gql.execute(LOGS, {"patient": patient, "first": 2}, as_user=clinic.maria.id)
    page = body["data"]["exerciseLogs"]
    assert [edge["node"] for edge in page["edges"]] == [
        {"performedOn": "2026-03-09", "outcome": "SKIPPED"},
        {"performedOn": "2026-03-05", "outcome": "PARTIAL"},
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    body = await gql.execute(LOGS, {"patient": patient, "after": after}, as_user=clinic.dana.id)
    assert [edge["node"]["performedOn"] for edge in body["data"]["exerciseLogs"]["edges"]] == [
        "2026-03-02"
    ]
    window = {"patient": patient, "from": "2026-03-03", "to": "2026-03-08"}
    body = await gql.execute(LOGS, window, as_user=clinic.admin.id)
    assert [edge["node"]["performedOn"] for edge in body["data"]["exerciseLogs"]["edges"]] == [
        "2026-03-05"
    ]
    for user_id, code in (
        (clinic.bob.id, "NOT_FOUND"),
        (clinic.lee.id, "NOT_FOUND"),
        (None, "UNAUTHENTICATED"),
    ):
        body = await gql.execute(LOGS, {"patient": patient}, as_user=user_id)
        assert body["errors"][0]["extensions"]["code"] == code


async def test_every_record_read_is_in_the_access_log(
    gql: GraphQLClient, clinic: Clinic, plans: dict[str, dict[str, Any]]
) -> None:
    active = plans["active"]
    await RecordAccess.all().delete()
    query = """query($id: ID!) { treatmentPlan(id: $id) { phases { prescriptions { id } } } }"""
    await gql.execute(query, {"id": active["id"]}, as_user=clinic.maria.id)

    rows = await RecordAccess.all()
    assert {row.actor_role for row in rows} == {"PATIENT"}
    assert {row.patient_id for row in rows} == {clinic.record.id}
    assert sorted((row.resource, row.action) for row in rows) == sorted(
        [("TreatmentPlan", "READ"), ("PlanPhase", "READ"), ("PlanPhase", "READ")]
        + [("Prescription", "READ")] * 3
    )
