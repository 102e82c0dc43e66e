"""submitOutcomeMeasure and outcomeMeasures: worked examples through the API, the scorer's
errors as typed field errors, PSFS activities, who may submit and read."""

from __future__ import annotations

from typing import Any

import pytest

from api.models.audit import AuditEvent, RecordAccess
from api.models.progress import OutcomeMeasureSubmission, RecorderRole
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.progress_support import make_clinic, problems, top_code

SUBMIT = """mutation($input: SubmitOutcomeMeasureInput!) { submitOutcomeMeasure(input: $input) {
  __typename
  ... on OutcomeMeasureResult { id measure score maximum band answered answers activities
    interpretation submittedAt submittedByRole }
  ... on ProgressErrors { errors { code message field } }
} }"""

LIST = """query($p: ID!, $measure: OutcomeMeasure, $first: Int, $after: String) {
  outcomeMeasures(patientId: $p, measure: $measure, first: $first, after: $after) {
    edges { node { measure score } } pageInfo { hasNextPage endCursor }
} }"""


async def submit(
    gql: GraphQLClient,
    as_user: int | None,
    patient: str,
    measure: str,
    answers: list[Any],
    **more: Any,
) -> dict[str, Any]:
    variables = {"input": {"patientId": patient, "measure": measure, "answers": answers, **more}}
    body = await gql.execute(SUBMIT, variables, as_user=as_user)
    if body.get("errors"):
        return body
    result: dict[str, Any] = body["data"]["submitOutcomeMeasure"]
    return result


@pytest.mark.parametrize(
    ("measure", "answers", "score", "maximum", "band", "answered", "interpretation"),
    [
        (
            "LEFS",
            [3] * 20,
            60.0,
            80.0,
            None,
            20,
            "60 out of 80. Higher means better function of the legs.",
        ),
        (
            "ODI",
            [2, 2, 1, 1, 2, 1, 0, 1, 1, 1],
            24.0,
            100.0,
            "MODERATE",
            10,
            "24% on the Oswestry index: moderate disability (21-40%). Lower is better.",
        ),
        (
            "ODI",
            [2, 2, 1, 1, 2, 1, 0, 1, 1, None],
            24.4,
            100.0,
            "MODERATE",
            9,
            "24.4% on the Oswestry index: moderate disability (21-40%). Lower is better.",
        ),
        (
            "NDI",
            [1] * 10,
            20.0,
            100.0,
            "MILD",
            10,
            "20% on the Neck Disability Index: mild disability (5-14 of 50). Lower is better.",
        ),
        (
            "QUICK_DASH",
            [3] * 10 + [None],
            50.0,
            100.0,
            None,
            10,
            "50 out of 100. Lower means less difficulty with the arm, shoulder and hand.",
        ),
    ],
)
async def test_worked_examples_round_trip(
    gql: GraphQLClient,
    measure: str,
    answers: list[int | None],
    score: float,
    maximum: float,
    band: str | None,
    answered: int,
    interpretation: str,
) -> None:
    clinic = await make_clinic()
    result = await submit(gql, clinic.maria.id, clinic.maria_id, measure, answers)
    assert (result["measure"], result["score"], result["maximum"]) == (measure, score, maximum)
    assert (result["band"], result["answered"]) == (band, answered)
    assert result["answers"] == answers
    assert result["interpretation"] == interpretation
    assert result["submittedByRole"] == "PATIENT"
    row = await OutcomeMeasureSubmission.get()
    assert (row.score, row.band, row.submitted_by_id) == (score, band, clinic.maria.id)
    node = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on OutcomeMeasureResult { score } } }",
        {"id": result["id"]},
        as_user=clinic.dana.id,
    )
    assert node["data"]["node"] == {"score": score}


async def test_psfs_keeps_the_patients_activities(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    activities = ["Climbing stairs", "  Kneeling   in the garden ", "Running for the bus"]
    result = await submit(
        gql, clinic.dana.id, clinic.maria_id, "PSFS", [3, 5, 8], activities=activities
    )
    assert result["score"] == 5.3  # 16 / 3, half-up to one decimal
    assert result["activities"] == [
        "Climbing stairs",
        "Kneeling in the garden",
        "Running for the bus",
    ]
    assert result["interpretation"] == (
        "Average 5.3 out of 10 over 3 activities. Higher means the activities are easier."
    )
    assert result["submittedByRole"] == "THERAPIST"
    event = await AuditEvent.get(action="progress.outcome_measure_submitted")
    assert event.details == {"measure": "PSFS", "role": "THERAPIST"}
    assert event.acting_for_patient_id == clinic.maria_record.id
    access = await RecordAccess.get(resource="OutcomeMeasureResult")
    assert access.action == "CREATE"


@pytest.mark.parametrize(
    ("measure", "answers", "more", "expected"),
    [
        ("LEFS", [3] * 19, {}, [("INVALID_ANSWER", "answers")]),
        ("LEFS", [3, 3, 3, 3, 5] + [3] * 15, {}, [("INVALID_ANSWER", "answers[4]")]),
        ("LEFS", [3] * 7 + [None] + [3] * 12, {}, [("MISSING_ANSWERS", "answers[7]")]),
        ("ODI", [1] * 8 + [None, None], {}, [("MISSING_ANSWERS", "answers")]),
        ("QUICK_DASH", [0] + [3] * 10, {}, [("INVALID_ANSWER", "answers[0]")]),
        ("LEFS", [3] * 20, {"activities": ["Walking"]}, [("NOT_ALLOWED", "activities")]),
        ("PSFS", [4, 6, 7], {}, [("ACTIVITIES_MISMATCH", "activities")]),
        (
            "PSFS",
            [4, 6, 7],
            {"activities": ["Walking", "Lifting"]},
            [("ACTIVITIES_MISMATCH", "activities")],
        ),
        (
            "PSFS",
            [4, 6, 7],
            {"activities": ["Walking", " ", "Lifting"]},
            [("REQUIRED", "activities[1]")],
        ),
        (
            "PSFS",
            [4, 6, 7],
            {"activities": ["Walking", "x" * 121, "Lifting"]},
            [("TOO_LONG", "activities[1]")],
        ),
        ("PSFS", [4, 6], {"activities": ["Walking", "Lifting"]}, [("INVALID_ANSWER", "answers")]),
        (
            "PSFS",
            [4, 11, 7],
            {"activities": ["A", "B"]},
            [
                ("INVALID_ANSWER", "answers[1]"),
                ("ACTIVITIES_MISMATCH", "activities"),
            ],
        ),
    ],
)
async def test_answers_that_cannot_be_scored_are_field_errors(
    gql: GraphQLClient,
    measure: str,
    answers: list[int | None],
    more: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    clinic = await make_clinic()
    result = await submit(gql, clinic.maria.id, clinic.maria_id, measure, answers, **more)
    assert problems(result) == expected
    assert await OutcomeMeasureSubmission.all().count() == 0


async def test_who_may_submit(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    for viewer, code in (
        (clinic.admin.id, "FORBIDDEN"),
        (clinic.bob.id, "NOT_FOUND"),
        (clinic.lee.id, "NOT_FOUND"),
        (None, "UNAUTHENTICATED"),
    ):
        body = await submit(gql, viewer, clinic.maria_id, "NDI", [1] * 10)
        assert top_code(body) == code
    assert await OutcomeMeasureSubmission.all().count() == 0


async def test_outcome_measures_are_listed_newest_first(gql: GraphQLClient) -> None:
    clinic = await make_clinic()
    await submit(gql, clinic.maria.id, clinic.maria_id, "NDI", [2] * 10)
    await submit(gql, clinic.maria.id, clinic.maria_id, "LEFS", [2] * 20)
    await submit(gql, clinic.dana.id, clinic.maria_id, "NDI", [1] * 10)
    await submit(gql, clinic.bob.id, clinic.bob_id, "NDI", [0] * 10)
    first = await gql.execute(LIST, {"p": clinic.maria_id, "first": 2}, as_user=clinic.maria.id)
    page = first["data"]["outcomeMeasures"]
    assert [edge["node"] for edge in page["edges"]] == [
        {"measure": "NDI", "score": 20.0},
        {"measure": "LEFS", "score": 40.0},
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await gql.execute(
        LIST,
        {"p": clinic.maria_id, "after": page["pageInfo"]["endCursor"]},
        as_user=clinic.maria.id,
    )
    assert [edge["node"]["score"] for edge in rest["data"]["outcomeMeasures"]["edges"]] == [40.0]
    ndi = await gql.execute(LIST, {"p": clinic.maria_id, "measure": "NDI"}, as_user=clinic.admin.id)
    assert [e["node"]["score"] for e in ndi["data"]["outcomeMeasures"]["edges"]] == [20.0, 40.0]
    for viewer in (clinic.bob.id, clinic.lee.id):
        assert (
            top_code(await gql.execute(LIST, {"p": clinic.maria_id}, as_user=viewer)) == "NOT_FOUND"
        )
    roles = await OutcomeMeasureSubmission.filter(patient_id=clinic.maria_record.id).order_by("id")
    assert [row.submitted_by_role for row in roles] == [
        RecorderRole.PATIENT,
        RecorderRole.PATIENT,
        RecorderRole.THERAPIST,
    ]
    hidden = await gql.execute(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": gid("OutcomeMeasureResult", roles[0].id)},
        as_user=clinic.bob.id,
    )
    assert hidden["data"]["node"] is None
