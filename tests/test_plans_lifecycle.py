"""Activating and completing plans: one active plan per patient, also under concurrent
activations; the patient is told about changes to the plan they follow, and only that one."""

from __future__ import annotations

import asyncio

import pytest

from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.models.plans import PlanStatus, Prescription, TreatmentPlan
from tests.clinical_support import assign, gid
from tests.conftest import GraphQLClient
from tests.plans_support import (
    ACTIVATE,
    COMPLETE,
    NOW,
    REVISIONS,
    Clinic,
    activate,
    create_plan,
    make_clinic,
    set_now,
)

RENAME = """mutation($id: ID!, $title: String!) {
  updateTreatmentPlan(input: {planId: $id, title: $title}) { __typename } }"""
CHANGE_REPS = """mutation($id: ID!, $reps: Int!) {
  updatePrescription(input: {prescriptionId: $id, reps: $reps}) {
    __typename ... on PlanErrors { errors { code } } } }"""


@pytest.fixture
async def clinic(database: None, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    set_now(monkeypatch, NOW)
    return await make_clinic()


async def _statuses(patient: Patient) -> list[PlanStatus]:
    return [row.status for row in await TreatmentPlan.filter(patient=patient).order_by("id")]


async def _messages(user_id: int) -> list[tuple[str, str]]:
    rows = await Notification.filter(user_id=user_id).order_by("id")
    return [(row.title, row.body) for row in rows]


async def test_activating_starts_the_plan_and_tells_the_patient(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)
    result = await activate(gql, clinic, plan["id"])

    assert result["__typename"] == "TreatmentPlanPayload"
    assert result["plan"]["status"] == "ACTIVE"
    assert result["plan"]["activatedAt"] == "2026-03-11T15:00:00+00:00"
    assert result["plan"]["revision"] == 2
    body = await gql.execute(REVISIONS, {"id": plan["id"]}, as_user=clinic.maria.id)
    latest = body["data"]["treatmentPlan"]["revisions"]["edges"][0]["node"]
    assert latest["summary"] == "Plan started"
    assert [change["text"] for change in latest["changes"]] == ["Plan: status Draft -> Active"]
    (notification,) = await Notification.filter(user_id=clinic.maria.id)
    assert notification.kind is NotificationKind.PLAN_UPDATED
    assert notification.title == "Your treatment plan was updated"
    assert notification.body == "Your therapist changed your plan: Plan started"
    assert notification.link == "/plan"
    assert notification.patient_id == clinic.record.id


async def test_only_changes_to_the_followed_plan_make_notifications(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    plan = await create_plan(gql, clinic)
    bridge = plan["phases"][0]["prescriptions"][0]["id"]
    await gql.execute(RENAME, {"id": plan["id"], "title": "Draft work"}, as_user=clinic.dana.id)
    assert await _messages(clinic.maria.id) == []  # drafts: nobody is told

    await activate(gql, clinic, plan["id"])
    await gql.execute(CHANGE_REPS, {"id": bridge, "reps": 12}, as_user=clinic.dana.id)
    body = await gql.execute(COMPLETE, {"id": plan["id"]}, as_user=clinic.dana.id)
    assert body["data"]["completeTreatmentPlan"]["plan"]["status"] == "COMPLETED"
    refused = await gql.execute(CHANGE_REPS, {"id": bridge, "reps": 14}, as_user=clinic.dana.id)
    assert refused["data"]["updatePrescription"]["errors"] == [{"code": "PLAN_COMPLETED"}]

    prefix = "Your therapist changed your plan: "
    assert [body for _, body in await _messages(clinic.maria.id)] == [
        prefix + "Plan started",
        prefix + "Exercise dosage changed",
        prefix + "Plan completed",
    ]
    assert await Notification.filter(user_id=clinic.dana.id).count() == 0


async def test_a_patient_without_an_account_gets_no_notification(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    child = await Patient.create(given_name="Leo", family_name="Gonzalez", user=None)
    await assign(child, clinic.therapist)
    plan = await create_plan(gql, clinic, patientId=gid("Patient", child.id))
    result = await activate(gql, clinic, plan["id"])
    assert result["plan"]["status"] == "ACTIVE"
    assert await Notification.all().count() == 0


async def test_activating_completes_the_plan_active_before(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    first = await create_plan(gql, clinic, title="Knee, phase one")
    await activate(gql, clinic, first["id"])
    second = await create_plan(gql, clinic, title="Knee, phase two")
    result = await activate(gql, clinic, second["id"])

    assert result["plan"]["status"] == "ACTIVE"
    assert await _statuses(clinic.record) == [PlanStatus.COMPLETED, PlanStatus.ACTIVE]
    body = await gql.execute(REVISIONS, {"id": first["id"]}, as_user=clinic.maria.id)
    plan = body["data"]["treatmentPlan"]
    latest = plan["revisions"]["edges"][0]["node"]
    assert (plan["revision"], latest["summary"]) == (3, "Plan completed: a new plan started")
    assert [change["text"] for change in latest["changes"]] == ["Plan: status Active -> Completed"]
    # One notification per activation, none for the plan completed on the way.
    assert len(await _messages(clinic.maria.id)) == 2


async def test_activation_and_completion_rules(gql: GraphQLClient, clinic: Clinic) -> None:
    empty = await create_plan(gql, clinic, phases=[{"name": "One", "startWeek": 1, "endWeek": 2}])
    result = await activate(gql, clinic, empty["id"])
    assert result["errors"] == [
        {
            "code": "EMPTY_PLAN",
            "field": None,
            "message": "Add at least one exercise before activating.",
        }
    ]
    plan = await create_plan(gql, clinic)
    await Prescription.all().update(removed_at=NOW)  # removed exercises do not count
    assert (await activate(gql, clinic, plan["id"]))["errors"][0]["code"] == "EMPTY_PLAN"
    await Prescription.all().update(removed_at=None)

    body = await gql.execute(COMPLETE, {"id": plan["id"]}, as_user=clinic.dana.id)
    assert body["data"]["completeTreatmentPlan"]["errors"][0]["code"] == "NOT_ACTIVE"
    await activate(gql, clinic, plan["id"])
    assert (await activate(gql, clinic, plan["id"]))["errors"][0]["code"] == "NOT_DRAFT"
    await gql.execute(COMPLETE, {"id": plan["id"]}, as_user=clinic.dana.id)
    body = await gql.execute(COMPLETE, {"id": plan["id"]}, as_user=clinic.dana.id)
    assert body["data"]["completeTreatmentPlan"]["errors"][0]["code"] == "PLAN_COMPLETED"
    assert (await activate(gql, clinic, plan["id"]))["errors"][0]["code"] == "NOT_DRAFT"


async def test_who_may_activate_and_complete(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    codes = {}
    for who, user_id in (
        ("patient", clinic.maria.id),
        ("lee", clinic.lee.id),
        ("bob", clinic.bob.id),
        ("anonymous", None),
    ):
        body = await gql.execute(ACTIVATE, {"id": plan["id"]}, as_user=user_id)
        codes[who] = body["errors"][0]["extensions"]["code"]
    assert codes == {
        "patient": "FORBIDDEN",
        "lee": "NOT_FOUND",
        "bob": "NOT_FOUND",
        "anonymous": "UNAUTHENTICATED",
    }
    body = await gql.execute(ACTIVATE, {"id": plan["id"]}, as_user=clinic.admin.id)
    assert body["data"]["activateTreatmentPlan"]["plan"]["status"] == "ACTIVE"
    body = await gql.execute(COMPLETE, {"id": plan["id"]}, as_user=clinic.maria.id)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql.execute(ACTIVATE, {"id": gid("TreatmentPlan", 999)}, as_user=clinic.dana.id)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_concurrent_activations_leave_one_active_plan(
    gql: GraphQLClient, clinic: Clinic
) -> None:
    already = await create_plan(gql, clinic, title="Running")
    await activate(gql, clinic, already["id"])
    drafts = [await create_plan(gql, clinic, title=f"Draft {n}") for n in range(3)]

    results = await asyncio.gather(*(activate(gql, clinic, draft["id"]) for draft in drafts))

    assert [result["__typename"] for result in results] == ["TreatmentPlanPayload"] * 3
    statuses = await _statuses(clinic.record)
    assert statuses.count(PlanStatus.ACTIVE) == 1
    assert statuses.count(PlanStatus.COMPLETED) == 3
    completed = await TreatmentPlan.filter(status=PlanStatus.COMPLETED)
    assert all(plan.completed_at is not None for plan in completed)


async def test_the_same_draft_activated_twice_at_once(gql: GraphQLClient, clinic: Clinic) -> None:
    plan = await create_plan(gql, clinic)
    results = await asyncio.gather(*(activate(gql, clinic, plan["id"]) for _ in range(2)))
    assert sorted(result["__typename"] for result in results) == [
        "PlanErrors",
        "TreatmentPlanPayload",
    ]
    failed = next(result for result in results if result["__typename"] == "PlanErrors")
    assert failed["errors"][0]["code"] == "NOT_DRAFT"
    assert await _statuses(clinic.record) == [PlanStatus.ACTIVE]
    assert (await TreatmentPlan.get()).revision == 2  # one activation, one revision
