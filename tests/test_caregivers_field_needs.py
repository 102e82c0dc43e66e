"""The issue's bar: a caregiver with only APPOINTMENTS_VIEW lists and sees appointments but
gets FORBIDDEN on pain scores and medications in the same query; the rest still answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.access.needs import Need
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.progress_support import add_measurement

QUERY = """
query ($id: ID!) {
  patient(id: $id) {
    givenName
    recentPain { value }
    healthHistory { medications { name } }
  }
  appointments(patientId: $id) { edges { node { id } } }
}
"""


def _codes_by_path(body: dict[str, object]) -> dict[str, str]:
    errors = body.get("errors") or []
    assert isinstance(errors, list)
    return {
        ".".join(str(part) for part in error["path"]): error["extensions"]["code"]
        for error in errors
    }


async def test_appointments_view_alone_reads_appointments_not_pain_or_medications(
    gql: GraphQLClient,
) -> None:
    _, patient = await make_patient()
    await add_measurement(patient, 4, datetime.now(UTC) - timedelta(days=1))
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.APPOINTMENTS_VIEW])
    patient_id = gid("Patient", patient.id)
    body = await gql.execute(QUERY, {"id": patient_id}, as_user=caregiver.id, acting_for=patient_id)
    assert _codes_by_path(body) == {
        "patient.recentPain": "FORBIDDEN",
        "patient.healthHistory": "FORBIDDEN",
    }
    data = body["data"]
    assert data["patient"] == {"givenName": "Maria", "recentPain": None, "healthHistory": None}
    assert data["appointments"] == {"edges": []}


async def test_without_acting_for_the_record_is_not_found(gql: GraphQLClient) -> None:
    _, patient = await make_patient()
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.APPOINTMENTS_VIEW, Need.PROGRESS_VIEW])
    body = await gql.execute(QUERY, {"id": gid("Patient", patient.id)}, as_user=caregiver.id)
    assert body["data"] is None or body["data"]["patient"] is None
    assert {error["extensions"]["code"] for error in body["errors"]} == {"NOT_FOUND"}
