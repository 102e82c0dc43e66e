"""A clinic's own exercises: who adds and edits them, the checks, archiving, variant links."""

from __future__ import annotations

from typing import Any

from api.models.accounts import Role
from api.models.plans import Exercise
from api.services.exercises import sync_library
from tests.accounts_support import make_user
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.therapists_support import (
    error_codes,
    listed_therapist,
    make_admin,
    result_of,
    typed_errors,
)

RESULT = """__typename
  ... on ExercisePayload { exercise { id slug name bodyRegion instructions equipment cautions
    videoUrl imageUrls custom archived
    defaultDosage { sets reps holdSeconds durationSeconds timesPerDay daysPerWeek }
    regression { slug } progression { slug } } }
  ... on ExerciseErrors { errors { code field message } }"""
CREATE = (
    f"""mutation($input: CreateExerciseInput!) {{ createExercise(input: $input) {{ {RESULT} }} }}"""
)
UPDATE = (
    f"""mutation($input: UpdateExerciseInput!) {{ updateExercise(input: $input) {{ {RESULT} }} }}"""
)
ARCHIVE = "mutation($id: ID!) { archiveExercise(id: $id) { exercise { slug archived } } }"
RESTORE = "mutation($id: ID!) { restoreExercise(id: $id) { exercise { slug archived } } }"


def new_exercise(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Towel  squeeze",
        "bodyRegion": "ELBOW_WRIST_HAND",
        "instructions": ["Roll a small towel.", "Squeeze it for five seconds.", "Let go slowly."],
        "equipment": ["small towel"],
        "cautions": "Stop if your fingers tingle.",
        "videoUrl": "https://media.clinic.test/towel.mp4",
        "imageUrls": ["https://media.clinic.test/towel-1.png"],
        "defaultDosage": {"sets": 2, "reps": 10, "holdSeconds": 5, "timesPerDay": 2},
    }
    values.update(overrides)
    return {"input": values}


async def test_a_therapist_adds_a_clinic_exercise(gql: GraphQLClient) -> None:
    await sync_library()
    user, _ = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    easier = await Exercise.get(slug="quad-set")
    harder = await Exercise.get(slug="straight-leg-raise")
    body = await gql.execute(
        CREATE,
        new_exercise(
            regressionId=gid("Exercise", easier.id), progressionId=gid("Exercise", harder.id)
        ),
        as_user=user.id,
    )
    exercise = result_of(body, "createExercise")["exercise"]
    row = await Exercise.get(slug="custom-towel-squeeze")
    assert exercise == {
        "id": gid("Exercise", row.id),
        "slug": "custom-towel-squeeze",
        "name": "Towel squeeze",
        "bodyRegion": "ELBOW_WRIST_HAND",
        "instructions": ["Roll a small towel.", "Squeeze it for five seconds.", "Let go slowly."],
        "equipment": ["small towel"],
        "cautions": "Stop if your fingers tingle.",
        "videoUrl": "https://media.clinic.test/towel.mp4",
        "imageUrls": ["https://media.clinic.test/towel-1.png"],
        "custom": True,
        "archived": False,
        "defaultDosage": {
            "sets": 2,
            "reps": 10,
            "holdSeconds": 5,
            "durationSeconds": None,
            "timesPerDay": 2,
            "daysPerWeek": 7,
        },
        "regression": {"slug": "quad-set"},
        "progression": {"slug": "straight-leg-raise"},
    }
    assert row.created_by_id == user.id

    again = await gql.execute(CREATE, new_exercise(), as_user=user.id)
    assert result_of(again, "createExercise")["exercise"]["slug"] == "custom-towel-squeeze-2"
    accented = await gql.execute(
        CREATE, new_exercise(name="Élévation du bras, côté"), as_user=user.id
    )
    assert (
        result_of(accented, "createExercise")["exercise"]["slug"] == "custom-elevation-du-bras-cote"
    )


async def test_who_may_change_the_catalogue(gql: GraphQLClient) -> None:
    await sync_library()
    library_row = await Exercise.get(slug="quad-set")
    therapist, _ = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    colleague, _ = await listed_therapist("col@clinic.test", "Col League")
    patient_user, _ = await make_patient()
    caregiver = await make_user("carl@example.org", roles=(Role.CAREGIVER,), name="Carl")
    admin = await make_admin()

    assert error_codes(await gql.execute(CREATE, new_exercise())) == ["UNAUTHENTICATED"]
    for outsider in (patient_user, caregiver):
        assert error_codes(await gql.execute(CREATE, new_exercise(), as_user=outsider.id)) == [
            "FORBIDDEN"
        ]
    created = await gql.execute(CREATE, new_exercise(), as_user=therapist.id)
    custom_id = result_of(created, "createExercise")["exercise"]["id"]

    # A clinic exercise is shared clinic content: any therapist keeps it up to date.
    body = await gql.execute(
        UPDATE, {"input": {"id": custom_id, "name": "Towel grip"}}, as_user=colleague.id
    )
    assert result_of(body, "updateExercise")["exercise"]["name"] == "Towel grip"
    body = await gql.execute(
        UPDATE, {"input": {"id": custom_id, "name": "X"}}, as_user=patient_user.id
    )
    assert error_codes(body) == ["FORBIDDEN"]

    # The shipped library is kept by admins.
    library_id = gid("Exercise", library_row.id)
    for mutation, variables in (
        (UPDATE, {"input": {"id": library_id, "name": "Mine now"}}),
        (ARCHIVE, {"id": library_id}),
    ):
        assert error_codes(await gql.execute(mutation, variables, as_user=therapist.id)) == [
            "FORBIDDEN"
        ]
    assert (await Exercise.get(id=library_row.id)).name == library_row.name
    body = await gql.execute(
        UPDATE, {"input": {"id": library_id, "cautions": "Gently."}}, as_user=admin.id
    )
    assert result_of(body, "updateExercise")["exercise"]["cautions"] == "Gently."

    missing = {"input": {"id": gid("Exercise", 999999), "name": "X"}}
    assert error_codes(await gql.execute(UPDATE, missing, as_user=admin.id)) == ["NOT_FOUND"]
    wrong_type = {"input": {"id": gid("Therapist", 1), "name": "X"}}
    assert (await gql.execute(UPDATE, wrong_type, as_user=admin.id))["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "id",
    }


async def test_every_problem_is_reported_with_its_field(gql: GraphQLClient) -> None:
    await sync_library()
    user, _ = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    archived = await Exercise.get(slug="clamshell")
    archived.archived = True
    await archived.save()
    body = await gql.execute(
        CREATE,
        new_exercise(
            name=" ",
            instructions=["Only one step.", "  "],
            equipment=["band", "Band", "x" * 61],
            videoUrl="http://media.clinic.test/v.mp4",
            imageUrls=[
                "https://ok.test/a.png",
                "ftp://files.test/b.png",
                "https://user@evil.test/c",
            ],
            defaultDosage={"timesPerDay": 7, "daysPerWeek": 0},
            regressionId=gid("Exercise", 999999),
            progressionId=gid("Exercise", archived.id),
        ),
        as_user=user.id,
    )
    assert typed_errors(result_of(body, "createExercise")) == [
        ("REQUIRED", "name"),
        ("TOO_FEW", "instructions"),
        ("REQUIRED", "instructions.1"),
        ("DUPLICATE", "equipment.1"),
        ("TOO_LONG", "equipment.2"),
        ("INVALID_URL", "videoUrl"),
        ("INVALID_URL", "imageUrls.1"),
        ("INVALID_URL", "imageUrls.2"),
        ("OUT_OF_RANGE", "defaultDosage.timesPerDay"),
        ("OUT_OF_RANGE", "defaultDosage.daysPerWeek"),
        ("DOSAGE_REQUIRED", "defaultDosage"),
        ("UNKNOWN_EXERCISE", "regressionId"),
        ("ARCHIVED_EXERCISE", "progressionId"),
    ]
    assert await Exercise.filter(created_by_id=user.id).count() == 0

    eight = [f"Step {n}." for n in range(8)]
    quad = await Exercise.get(slug="quad-set")
    body = await gql.execute(
        CREATE,
        new_exercise(
            instructions=eight,
            defaultDosage={"sets": 21, "reps": 0, "durationSeconds": 7201},
            regressionId=gid("Exercise", quad.id),
            progressionId=gid("Exercise", quad.id),
        ),
        as_user=user.id,
    )
    assert typed_errors(result_of(body, "createExercise")) == [
        ("TOO_MANY", "instructions"),
        ("OUT_OF_RANGE", "defaultDosage.sets"),
        ("OUT_OF_RANGE", "defaultDosage.reps"),
        ("OUT_OF_RANGE", "defaultDosage.durationSeconds"),
        ("SAME_VARIANT", "progressionId"),
    ]
    body = await gql.execute(
        CREATE, new_exercise(regressionId="garbage", name="n" * 121), as_user=user.id
    )
    assert typed_errors(result_of(body, "createExercise")) == [
        ("TOO_LONG", "name"),
        ("INVALID_ID", "regressionId"),
    ]


async def test_updates_links_and_archiving(gql: GraphQLClient) -> None:
    await sync_library()
    user, _ = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    viewer, _ = await make_patient()
    quad = await Exercise.get(slug="quad-set")
    created = await gql.execute(
        CREATE, new_exercise(regressionId=gid("Exercise", quad.id)), as_user=user.id
    )
    exercise_id = result_of(created, "createExercise")["exercise"]["id"]

    # Left out stays; null removes the video and the link.
    body = await gql.execute(
        UPDATE,
        {
            "input": {
                "id": exercise_id,
                "videoUrl": None,
                "regressionId": None,
                "defaultDosage": {"durationSeconds": 60, "daysPerWeek": 5},
            }
        },
        as_user=user.id,
    )
    exercise = result_of(body, "updateExercise")["exercise"]
    assert (exercise["videoUrl"], exercise["regression"], exercise["name"]) == (
        None,
        None,
        "Towel squeeze",
    )
    assert exercise["defaultDosage"] == {
        "sets": None,
        "reps": None,
        "holdSeconds": None,
        "durationSeconds": 60,
        "timesPerDay": 1,
        "daysPerWeek": 5,
    }
    body = await gql.execute(
        UPDATE, {"input": {"id": exercise_id, "progressionId": exercise_id}}, as_user=user.id
    )
    assert typed_errors(result_of(body, "updateExercise")) == [("SELF_LINK", "progressionId")]
    body = await gql.execute(
        UPDATE, {"input": {"id": exercise_id, "instructions": ["a", "b"]}}, as_user=user.id
    )
    assert typed_errors(result_of(body, "updateExercise")) == [("TOO_FEW", "instructions")]

    archived = await gql.execute(ARCHIVE, {"id": exercise_id}, as_user=user.id)
    assert result_of(archived, "archiveExercise")["exercise"]["archived"] is True
    listing = '{ exercises(filter: {text: "towel squeeze"}) { edges { node { slug } } } }'
    assert result_of(await gql.execute(listing, as_user=viewer.id), "exercises")["edges"] == []
    one = await gql.execute(
        "query($id: ID!) { exercise(id: $id) { archived } }", {"id": exercise_id}, as_user=viewer.id
    )
    assert result_of(one, "exercise") == {"archived": True}  # plans that use it still show it
    link_to_archived = await gql.execute(
        UPDATE,
        {"input": {"id": gid("Exercise", quad.id), "progressionId": exercise_id}},
        as_user=(await make_admin()).id,
    )
    assert typed_errors(result_of(link_to_archived, "updateExercise")) == [
        ("ARCHIVED_EXERCISE", "progressionId")
    ]
    restored = await gql.execute(RESTORE, {"id": exercise_id}, as_user=user.id)
    assert result_of(restored, "restoreExercise")["exercise"]["archived"] is False
    assert len(result_of(await gql.execute(listing, as_user=viewer.id), "exercises")["edges"]) == 1
    assert error_codes(await gql.execute(ARCHIVE, {"id": exercise_id}, as_user=viewer.id)) == [
        "FORBIDDEN"
    ]
