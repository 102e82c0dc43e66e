"""A caregiver acting for a patient in progress and plans: logging pain, measurements, outcome
measures and home sessions with PROGRESS_LOG (recorded as CAREGIVER, under the caregiver's
account, with the patient's limits), reading with PROGRESS_VIEW / PLAN_VIEW (active and
completed plans only, as the patient), and denied otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.access.needs import Need
from api.models.audit import AuditEvent, RecordAccess
from api.models.caregivers import GrantStatus
from api.models.plans import ExerciseLog, PlanStatus
from api.models.progress import Measurement, OutcomeMeasureSubmission, RecorderRole
from tests import plans_support
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.progress_support import RECORD, make_clinic

pytestmark = pytest.mark.usefixtures("database")

SUBMIT = """mutation($input: SubmitOutcomeMeasureInput!) { submitOutcomeMeasure(input: $input) {
  __typename
  ... on OutcomeMeasureResult { id measure score submittedByRole }
  ... on ProgressErrors { errors { code field } }
} }"""
MEASUREMENTS = """query($id: ID!) { measurements(patientId: $id) { edges { node {
  value recordedByRole } } } }"""
PLAN = "query($id: ID!) { treatmentPlan(id: $id) { id status } }"
PLANS = "query($id: ID!) { treatmentPlans(patientId: $id) { id status } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


async def test_a_caregiver_logs_pain_as_a_caregiver_with_the_patients_limits(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.maria_record, caregiver, [Need.PROGRESS_LOG, Need.PROGRESS_VIEW])
    acting = {"as_user": caregiver.id, "acting_for": clinic.maria_id}
    body = await gql.execute(
        RECORD, {"input": {"patientId": clinic.maria_id, "kind": "PAIN", "value": 6}}, **acting
    )
    measurement = body["data"]["recordMeasurement"]["measurement"]
    assert (measurement["recordedByRole"], measurement["method"]) == ("CAREGIVER", "SELF_REPORT")
    row = await Measurement.get()
    assert (row.recorded_by_id, row.recorded_by_role) == (caregiver.id, RecorderRole.CAREGIVER)
    event = await AuditEvent.get(action="progress.measurement_recorded")
    assert (event.actor_user_id, event.acting_for_patient_id) == (
        caregiver.id,
        clinic.maria_record.id,
    )
    assert event.details == {"kind": "PAIN", "method": "SELF_REPORT", "role": "CAREGIVER"}
    access = await RecordAccess.get(resource="Measurement", action="CREATE")
    assert (access.actor_user_id, access.actor_role) == (caregiver.id, "CAREGIVER")

    # What only the care team measures stays theirs, as it is for the patient.
    goniometer = {
        "patientId": clinic.maria_id,
        "kind": "RANGE_OF_MOTION",
        "bodySite": "KNEE",
        "movement": "FLEXION",
        "side": "RIGHT",
        "value": 90,
    }
    refused = await gql.execute(RECORD, {"input": goniometer}, **acting)
    assert [error["code"] for error in refused["data"]["recordMeasurement"]["errors"]] == [
        "NOT_SELF_REPORTED"
    ]
    listed = await gql.execute(MEASUREMENTS, {"id": clinic.maria_id}, **acting)
    assert listed["data"]["measurements"]["edges"] == [
        {"node": {"value": 6.0, "recordedByRole": "CAREGIVER"}}
    ]


async def test_a_caregiver_submits_an_outcome_measure(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(clinic.maria_record, caregiver, [Need.PROGRESS_LOG])
    body = await gql.execute(
        SUBMIT,
        {"input": {"patientId": clinic.maria_id, "measure": "NDI", "answers": [1] * 10}},
        as_user=caregiver.id,
        acting_for=clinic.maria_id,
    )
    assert body["data"]["submitOutcomeMeasure"]["submittedByRole"] == "CAREGIVER", body
    row = await OutcomeMeasureSubmission.get()
    assert (row.submitted_by_id, row.submitted_by_role) == (caregiver.id, RecorderRole.CAREGIVER)
    event = await AuditEvent.get(action="progress.outcome_measure_submitted")
    assert (event.actor_user_id, event.acting_for_patient_id) == (
        caregiver.id,
        clinic.maria_record.id,
    )


async def test_progress_view_reads_but_does_not_log_and_no_progress_scope_reads_nothing(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    viewer = await make_caregiver()
    await grant(clinic.maria_record, viewer, [Need.PROGRESS_VIEW])
    outsider = await make_caregiver("ana@example.org", name="Ana Chen")
    await grant(clinic.maria_record, outsider, [Need.APPOINTMENTS_VIEW])
    pain = {"input": {"patientId": clinic.maria_id, "kind": "PAIN", "value": 3}}
    ndi = {"input": {"patientId": clinic.maria_id, "measure": "NDI", "answers": [1] * 10}}
    for caregiver in (viewer, outsider):
        acting = {"as_user": caregiver.id, "acting_for": clinic.maria_id}
        assert codes(await gql.execute(RECORD, pain, **acting)) == ["FORBIDDEN"]
        assert codes(await gql.execute(SUBMIT, ndi, **acting)) == ["FORBIDDEN"]
    read = await gql.execute(
        MEASUREMENTS, {"id": clinic.maria_id}, as_user=viewer.id, acting_for=clinic.maria_id
    )
    assert read["data"]["measurements"]["edges"] == []
    denied = await gql.execute(
        MEASUREMENTS, {"id": clinic.maria_id}, as_user=outsider.id, acting_for=clinic.maria_id
    )
    assert codes(denied) == ["FORBIDDEN"]
    assert await Measurement.all().count() == 0


@pytest.mark.parametrize("how", ["no header", "revoked", "expired", "another patient"])
async def test_without_a_live_grant_for_this_patient_progress_is_not_found(
    gql: GraphQLClient, how: str
) -> None:
    clinic = await make_clinic()
    caregiver = await make_caregiver()
    await grant(
        clinic.maria_record,
        caregiver,
        [Need.PROGRESS_LOG, Need.PROGRESS_VIEW],
        status=GrantStatus.REVOKED if how == "revoked" else GrantStatus.ACTIVE,
        expires_at=datetime.now(UTC) - timedelta(seconds=1) if how == "expired" else None,
    )
    # Bob granted the same caregiver as much: acting for Bob reaches Bob only.
    await grant(clinic.bob_record, caregiver, [Need.PROGRESS_LOG, Need.PROGRESS_VIEW])
    acting_for = {
        "no header": None,
        "revoked": clinic.maria_id,
        "expired": clinic.maria_id,
        "another patient": clinic.bob_id,
    }[how]
    acting = {"as_user": caregiver.id, "acting_for": acting_for}
    pain = {"input": {"patientId": clinic.maria_id, "kind": "PAIN", "value": 3}}
    assert codes(await gql.execute(RECORD, pain, **acting)) == ["NOT_FOUND"]
    assert codes(await gql.execute(MEASUREMENTS, {"id": clinic.maria_id}, **acting)) == [
        "NOT_FOUND"
    ]
    assert await Measurement.all().count() == 0


# --- plans ---------------------------------------------------------------------------------


@pytest.fixture
async def plans_clinic(database: None, monkeypatch: pytest.MonkeyPatch) -> plans_support.Clinic:
    plans_support.set_now(monkeypatch, plans_support.NOW)
    return await plans_support.make_clinic()


async def test_a_caregiver_logs_a_home_session_as_a_caregiver(
    gql: GraphQLClient, plans_clinic: plans_support.Clinic
) -> None:
    clinic = plans_clinic
    patient_id = gid("Patient", clinic.record.id)
    plan = await plans_support.create_plan(gql, clinic)
    await plans_support.activate(gql, clinic, plan["id"])
    prescription = plan["phases"][0]["prescriptions"][0]["id"]
    caregiver = await make_caregiver()
    await grant(clinic.record, caregiver, [Need.PROGRESS_LOG, Need.PLAN_VIEW])
    entry = {"input": {"prescriptionId": prescription, "outcome": "DONE", "painDuring": 2}}
    body = await gql.execute(plans_support.LOG, entry, as_user=caregiver.id, acting_for=patient_id)
    assert body["data"]["logExerciseSession"]["log"]["loggedByRole"] == "CAREGIVER", body
    row = await ExerciseLog.get()
    assert (row.logged_by_id, row.logged_by_role) == (caregiver.id, "CAREGIVER")
    event = await AuditEvent.get(action="plan.session.log")
    assert (event.actor_user_id, event.acting_for_patient_id) == (caregiver.id, clinic.record.id)

    # Another caregiver who may read the plan but not log; one acting for Bob: not found.
    reader = await make_caregiver("ana@example.org", name="Ana Chen")
    await grant(clinic.record, reader, [Need.PLAN_VIEW])
    denied = await gql.execute(plans_support.LOG, entry, as_user=reader.id, acting_for=patient_id)
    assert codes(denied) == ["FORBIDDEN"]
    await grant(clinic.bob_record, reader, [Need.PROGRESS_LOG])
    elsewhere = await gql.execute(
        plans_support.LOG, entry, as_user=reader.id, acting_for=gid("Patient", clinic.bob_record.id)
    )
    assert codes(elsewhere) == ["NOT_FOUND"]
    assert await ExerciseLog.all().count() == 1


async def test_plan_view_shows_active_and_completed_plans_never_drafts(
    gql: GraphQLClient, plans_clinic: plans_support.Clinic
) -> None:
    clinic = plans_clinic
    patient_id = gid("Patient", clinic.record.id)
    active = await plans_support.create_plan(gql, clinic)
    await plans_support.activate(gql, clinic, active["id"])
    draft = await plans_support.create_plan(gql, clinic, title="Next block")
    caregiver = await make_caregiver()
    await grant(clinic.record, caregiver, [Need.PLAN_VIEW])
    acting = {"as_user": caregiver.id, "acting_for": patient_id}
    listed = await gql.execute(PLANS, {"id": patient_id}, **acting)
    assert listed["data"]["treatmentPlans"] == [{"id": active["id"], "status": "ACTIVE"}]
    one = await gql.execute(PLAN, {"id": active["id"]}, **acting)
    assert one["data"]["treatmentPlan"] == {"id": active["id"], "status": PlanStatus.ACTIVE.value}
    hidden = await gql.execute(PLAN, {"id": draft["id"]}, **acting)
    assert hidden == {"data": {"treatmentPlan": None}}

    without = await make_caregiver("ana@example.org", name="Ana Chen")
    await grant(clinic.record, without, [Need.PROGRESS_VIEW])
    other = {"as_user": without.id, "acting_for": patient_id}
    assert codes(await gql.execute(PLAN, {"id": active["id"]}, **other)) == ["FORBIDDEN"]
    assert codes(await gql.execute(PLANS, {"id": patient_id}, **other)) == ["FORBIDDEN"]
    not_acting = await gql.execute(PLAN, {"id": active["id"]}, as_user=caregiver.id)
    assert not_acting == {"data": {"treatmentPlan": None}}
