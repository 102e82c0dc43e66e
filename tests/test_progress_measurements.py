"""recordMeasurement: the rules of each kind, who may record what, and what is kept about it;
the measurements connection and Measurement nodes through the access scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.models.audit import AuditEvent, RecordAccess
from api.models.progress import Measurement, MetricDefinition, MetricKind
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.progress_support import add_measurement, make_clinic, problems, record, top_code, utc

ROM = {"kind": "RANGE_OF_MOTION", "bodySite": "KNEE", "movement": "FLEXION", "side": "RIGHT"}
STRENGTH = {"kind": "STRENGTH", "bodySite": "SHOULDER", "movement": "ABDUCTION", "side": "LEFT"}


async def test_a_patient_records_pain_and_everything_about_it_is_kept(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    before = datetime.now(UTC)
    result = await record(gql, clinic.maria.id, patientId=clinic.maria_id, kind="PAIN", value=4)
    measurement = result["measurement"]
    assert measurement["kind"] == "PAIN"
    assert measurement["value"] == 4.0
    assert measurement["unit"] == "{score}"
    assert measurement["loinc"] == "72514-3"
    assert measurement["method"] == "SELF_REPORT"
    assert measurement["recordedByRole"] == "PATIENT"
    assert measurement["side"] == "NOT_APPLICABLE"
    assert measurement["bodySite"] is None
    row = await Measurement.get()
    assert row.recorded_by_id == clinic.maria.id
    assert before <= row.measured_at <= datetime.now(UTC)  # "now" when left out
    assert row.recorded_at == row.measured_at
    event = await AuditEvent.get(action="progress.measurement_recorded")
    assert event.actor_user_id == clinic.maria.id
    assert event.acting_for_patient_id == clinic.maria_record.id
    assert (event.target_type, event.target_id) == ("Measurement", str(row.id))
    assert event.details == {"kind": "PAIN", "method": "SELF_REPORT", "role": "PATIENT"}
    access = await RecordAccess.get(resource="Measurement")
    assert (access.resource_id, access.action) == (str(row.id), "CREATE")


async def test_the_care_team_records_a_range_of_motion(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    result = await record(
        gql,
        clinic.dana.id,
        patientId=clinic.maria_id,
        value=-5,  # hyperextension
        measuredAt="2024-05-01T10:00:00-04:00",
        note="Post-op week 6",
        **ROM,
    )
    measurement = result["measurement"]
    assert measurement["unit"] == "deg"
    assert measurement["loinc"] is None
    assert (measurement["bodySite"], measurement["movement"], measurement["side"]) == (
        "KNEE",
        "FLEXION",
        "RIGHT",
    )
    assert measurement["method"] == "GONIOMETER"
    assert measurement["recordedByRole"] == "THERAPIST"
    assert measurement["measuredAt"] == "2024-05-01T14:00:00+00:00"
    assert measurement["note"] == "Post-op week 6"
    row = await Measurement.get()
    assert (row.body_site, row.movement) == ("KNEE", "FLEXION")  # stored by name


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "PAIN", "value": 11}, [("OUT_OF_RANGE", "value")]),
        ({"kind": "PAIN", "value": -1}, [("OUT_OF_RANGE", "value")]),
        ({"kind": "PAIN", "value": 4.5}, [("NOT_WHOLE_NUMBER", "value")]),
        ({"kind": "PAIN", "value": 4, "unit": "deg"}, [("INVALID_UNIT", "unit")]),
        (
            {"kind": "RANGE_OF_MOTION", "value": 361},
            [
                ("REQUIRED", "bodySite"),
                ("REQUIRED", "movement"),
                ("INVALID_SIDE", "side"),
                ("OUT_OF_RANGE", "value"),
            ],
        ),
        ({**ROM, "value": -31}, [("OUT_OF_RANGE", "value")]),
        ({**ROM, "side": "NOT_APPLICABLE", "value": 90}, [("INVALID_SIDE", "side")]),
        ({**ROM, "value": 90, "unit": "rad"}, [("INVALID_UNIT", "unit")]),
        ({**STRENGTH, "value": 4}, [("REQUIRED", "unit")]),
        ({**STRENGTH, "value": 3.25, "unit": "{MMT}"}, [("INVALID_STEP", "value")]),
        ({**STRENGTH, "value": 5.5, "unit": "{MMT}"}, [("OUT_OF_RANGE", "value")]),
        ({**STRENGTH, "value": 501, "unit": "kg"}, [("OUT_OF_RANGE", "value")]),
        ({**STRENGTH, "value": 30, "unit": "lb"}, [("INVALID_UNIT", "unit")]),
        (
            {"kind": "STRENGTH", "value": 4, "unit": "{MMT}"},
            [("REQUIRED", "bodySite"), ("REQUIRED", "movement")],
        ),
        ({"kind": "FUNCTION", "value": 100.5}, [("OUT_OF_RANGE", "value")]),
        ({"kind": "SYMPTOM_FREQUENCY", "value": -0.5}, [("OUT_OF_RANGE", "value")]),
        ({"kind": "CUSTOM", "value": 3}, [("REQUIRED", "definitionId")]),
        (
            {"kind": "CUSTOM", "value": 3, "definitionId": "bm9wZQ"},
            [("INVALID_ID", "definitionId")],
        ),
        (
            {"kind": "PAIN", "value": 3, "measuredAt": "1899-12-31T23:00:00Z"},
            [("DATE_TOO_EARLY", "measuredAt")],
        ),
        (
            {"kind": "PAIN", "value": 3, "measuredAt": "2024-05-01T10:00:00"},
            [("TIME_ZONE_REQUIRED", "measuredAt")],
        ),
        ({"kind": "PAIN", "value": 3, "note": "x" * 2001}, [("TOO_LONG", "note")]),
        ({"kind": "PAIN", "value": 3, "note": "bad\x00note"}, [("INVALID_TEXT", "note")]),
    ],
)
async def test_each_rule_is_a_typed_error_on_its_field(
    gql: GraphQLClient, fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    clinic = await make_clinic()
    result = await record(gql, clinic.dana.id, patientId=clinic.maria_id, **fields)
    assert problems(result) == expected
    assert await Measurement.all().count() == 0


@pytest.mark.parametrize(
    ("fields", "unit", "method"),
    [
        ({**STRENGTH, "value": 3.5, "unit": "{MMT}"}, "{MMT}", "MANUAL_MUSCLE_TEST"),
        ({**STRENGTH, "value": 42.5, "unit": "kg"}, "kg", "DYNAMOMETER"),
        ({"kind": "FUNCTION", "value": 55.5}, "%", "SELF_REPORT"),
        ({"kind": "SYMPTOM_FREQUENCY", "value": 12}, "/d", "SELF_REPORT"),
        ({**ROM, "value": 360, "method": "INCLINOMETER"}, "deg", "INCLINOMETER"),
        ({"kind": "PAIN", "value": 0}, "{score}", "SELF_REPORT"),
        ({"kind": "PAIN", "value": 10}, "{score}", "SELF_REPORT"),
    ],
)
async def test_values_at_and_inside_the_bounds_are_kept(
    gql: GraphQLClient, fields: dict[str, Any], unit: str, method: str
) -> None:
    clinic = await make_clinic()
    result = await record(gql, clinic.dana.id, patientId=clinic.maria_id, **fields)
    assert result["__typename"] == "MeasurementPayload", result
    assert (result["measurement"]["unit"], result["measurement"]["method"]) == (unit, method)
    assert result["measurement"]["value"] == float(fields["value"])


async def test_measured_at_allows_five_minutes_of_clock_drift_and_no_more(
    gql: GraphQLClient,
) -> None:
    clinic = await make_clinic()
    soon = (datetime.now(UTC) + timedelta(minutes=3)).isoformat()
    later = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    ok = await record(
        gql, clinic.maria.id, patientId=clinic.maria_id, kind="PAIN", value=2, measuredAt=soon
    )
    assert ok["__typename"] == "MeasurementPayload"
    late = await record(
        gql, clinic.maria.id, patientId=clinic.maria_id, kind="PAIN", value=2, measuredAt=later
    )
    assert problems(late) == [("DATE_IN_FUTURE", "measuredAt")]


async def test_custom_metrics_follow_their_definition(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    stance = await MetricDefinition.create(
        patient=clinic.maria_record, name="Single-leg stance", unit="s", minimum=0, maximum=120
    )
    bobs = await MetricDefinition.create(patient=clinic.bob_record, name="Steps", unit="{steps}")
    clinic_wide = await MetricDefinition.create(name="Timed up and go", unit="s", minimum=0)
    base = {"patientId": clinic.maria_id, "kind": "CUSTOM"}
    too_long = await record(
        gql, clinic.maria.id, **base, definitionId=gid("MetricDefinition", stance.id), value=121
    )
    assert problems(too_long) == [("OUT_OF_RANGE", "value")]
    wrong_unit = await record(
        gql,
        clinic.maria.id,
        **base,
        definitionId=gid("MetricDefinition", stance.id),
        value=30,
        unit="min",
    )
    assert problems(wrong_unit) == [("INVALID_UNIT", "unit")]
    others = await record(
        gql, clinic.maria.id, **base, definitionId=gid("MetricDefinition", bobs.id), value=300
    )
    assert problems(others) == [("UNKNOWN_DEFINITION", "definitionId")]
    kept = await record(
        gql, clinic.maria.id, **base, definitionId=gid("MetricDefinition", stance.id), value=42
    )
    assert kept["measurement"]["unit"] == "s"
    assert kept["measurement"]["definition"]["name"] == "Single-leg stance"
    assert kept["measurement"]["recordedByRole"] == "PATIENT"
    clinics = await record(
        gql, clinic.dana.id, **base, definitionId=gid("MetricDefinition", clinic_wide.id), value=9
    )
    assert clinics["measurement"]["method"] == "CLINICAL_OBSERVATION"
    pain_with_definition = await record(
        gql,
        clinic.dana.id,
        patientId=clinic.maria_id,
        kind="PAIN",
        value=3,
        definitionId=gid("MetricDefinition", stance.id),
    )
    assert problems(pain_with_definition) == [("NOT_ALLOWED", "definitionId")]


async def test_a_patient_records_only_what_they_can_report(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    rom = await record(gql, clinic.maria.id, patientId=clinic.maria_id, value=90, **ROM)
    assert problems(rom) == [("NOT_SELF_REPORTED", "kind")]
    goniometer = await record(
        gql, clinic.maria.id, patientId=clinic.maria_id, kind="PAIN", value=3, method="GONIOMETER"
    )
    assert problems(goniometer) == [("INVALID_METHOD", "method")]
    device = await record(
        gql,
        clinic.maria.id,
        patientId=clinic.maria_id,
        kind="SYMPTOM_FREQUENCY",
        value=3,
        method="DEVICE",
    )
    assert device["measurement"]["method"] == "DEVICE"


async def test_who_may_record(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    pain = {"patientId": clinic.maria_id, "kind": "PAIN", "value": 3}
    assert top_code(await record(gql, clinic.bob.id, **pain)) == "NOT_FOUND"
    assert top_code(await record(gql, clinic.lee.id, **pain)) == "NOT_FOUND"  # not his patient
    assert top_code(await record(gql, clinic.admin.id, **pain)) == "FORBIDDEN"
    assert top_code(await record(gql, None, **pain)) == "UNAUTHENTICATED"
    assert top_code(await record(gql, clinic.dana.id, **{**pain, "patientId": clinic.bob_id})) == (
        "NOT_FOUND"
    )
    assert await Measurement.all().count() == 0
    assert await AuditEvent.filter(action="progress.measurement_recorded").count() == 0


MEASUREMENTS = """query($p: ID!, $kind: MetricKind, $first: Int, $after: String) {
  measurements(patientId: $p, kind: $kind, first: $first, after: $after) {
    edges { cursor node { id value kind measuredAt } }
    pageInfo { hasNextPage endCursor }
} }"""


def values(body: dict[str, Any]) -> list[float]:
    return [edge["node"]["value"] for edge in body["data"]["measurements"]["edges"]]


async def test_measurements_come_newest_measured_first_in_pages(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    maria = clinic.maria_record
    await add_measurement(maria, 5, utc(2024, 5, 3, 9))
    await add_measurement(maria, 4, utc(2024, 5, 4, 9))
    await add_measurement(maria, 7, utc(2024, 5, 1, 9))  # entered last, measured first
    await add_measurement(maria, 6, utc(2024, 5, 4, 9))  # same moment: the later id first
    await add_measurement(maria, 80, utc(2024, 5, 2, 9), kind=MetricKind.FUNCTION, unit="%")
    first = await gql.execute(
        MEASUREMENTS, {"p": clinic.maria_id, "first": 2}, as_user=clinic.maria.id
    )
    assert values(first) == [6, 4]
    assert first["data"]["measurements"]["pageInfo"]["hasNextPage"] is True
    after = first["data"]["measurements"]["pageInfo"]["endCursor"]
    rest = await gql.execute(
        MEASUREMENTS, {"p": clinic.maria_id, "first": 5, "after": after}, as_user=clinic.maria.id
    )
    assert values(rest) == [5, 80, 7]
    assert rest["data"]["measurements"]["pageInfo"]["hasNextPage"] is False
    pain = await gql.execute(
        MEASUREMENTS, {"p": clinic.maria_id, "kind": "PAIN"}, as_user=clinic.dana.id
    )
    assert values(pain) == [6, 4, 5, 7]
    admin = await gql.execute(MEASUREMENTS, {"p": clinic.maria_id}, as_user=clinic.admin.id)
    assert len(values(admin)) == 5
    for viewer in (clinic.bob.id, clinic.lee.id):
        body = await gql.execute(MEASUREMENTS, {"p": clinic.maria_id}, as_user=viewer)
        assert top_code(body) == "NOT_FOUND"
    assert top_code(await gql.execute(MEASUREMENTS, {"p": clinic.maria_id})) == "UNAUTHENTICATED"
    bad = await gql.execute(
        MEASUREMENTS, {"p": clinic.maria_id, "after": "nonsense"}, as_user=clinic.maria.id
    )
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    reads = await RecordAccess.filter(resource="Measurement", actor_user_id=clinic.admin.id).count()
    assert reads == 5


NODE = "query($id: ID!) { node(id: $id) { id ... on Measurement { value unit } } }"


async def test_a_measurement_node_resolves_through_the_scope(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    row = await add_measurement(clinic.maria_record, 3, utc(2024, 5, 1, 9))
    node_id = gid("Measurement", row.id)
    for viewer in (clinic.maria.id, clinic.dana.id, clinic.admin.id):
        body = await gql.execute(NODE, {"id": node_id}, as_user=viewer)
        assert body["data"]["node"] == {"id": node_id, "value": 3.0, "unit": "{score}"}
    for viewer in (clinic.bob.id, clinic.lee.id, None):
        body = await gql.execute(NODE, {"id": node_id}, as_user=viewer)
        assert body["data"]["node"] is None
    missing = await gql.execute(
        NODE, {"id": gid("Measurement", row.id + 99)}, as_user=clinic.maria.id
    )
    assert missing["data"]["node"] is None
