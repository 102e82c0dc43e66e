"""Acting for a patient makes them the request's subject: operations that default to "my own
record" default to the acting-for patient, as `myPatient` does."""

from __future__ import annotations

from api.access.needs import Need
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.messaging_support import START_THREAD
from tests.scheduling_support import local_start, make_appointment, make_session_types

APPOINTMENTS = "query { appointments { edges { node { id } } } }"


async def test_appointments_and_new_threads_default_to_the_acting_for_patient(
    gql: GraphQLClient,
) -> None:
    patient_user, patient = await make_patient()
    _, therapist = await make_therapist()
    await assign(patient, therapist)
    follow_up = (await make_session_types())["follow_up"]
    booked = await make_appointment(
        patient.id, therapist.id, follow_up.id, local_start(3), booked_by_id=patient_user.id
    )
    caregiver = await make_caregiver()
    await grant(patient, caregiver, [Need.APPOINTMENTS_VIEW, Need.MESSAGES])
    acting = gid("Patient", patient.id)

    listed = await gql.execute(APPOINTMENTS, as_user=caregiver.id, acting_for=acting)
    assert listed["data"]["appointments"]["edges"] == [
        {"node": {"id": gid("Appointment", booked.id)}}
    ]
    alone = await gql.execute(APPOINTMENTS, as_user=caregiver.id)
    assert alone["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    started = await gql.execute(
        START_THREAD,
        {"input": {"subject": "Knee", "body": "Her knee is swollen today."}},
        as_user=caregiver.id,
        acting_for=acting,
    )
    assert started["data"]["startThread"]["__typename"] == "PostMessagePayload", started
