"""The exercise catalogue through GraphQL: browsing, filters, paging, and the SQL it costs."""

from __future__ import annotations

from typing import Any

from api.models.plans import BodyRegion, Exercise
from api.services.exercise_library import load_library
from api.services.exercises import sync_library
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql
from tests.therapists_support import error_codes, result_of

EXERCISES = """query($filter: ExerciseFilter, $first: Int, $after: String) {
  exercises(filter: $filter, first: $first, after: $after) {
    edges { node { id slug name bodyRegion archived } }
    pageInfo { hasNextPage endCursor }
  }
}"""
WITH_VARIANTS = """query($filter: ExerciseFilter, $first: Int) {
  exercises(filter: $filter, first: $first) { edges { node {
    slug defaultDosage { sets reps timesPerDay daysPerWeek }
    regression { slug } progression { slug }
  } } }
}"""
ONE = """query($id: ID!) { exercise(id: $id) {
  slug name bodyRegion instructions equipment cautions videoUrl imageUrls custom archived
  defaultDosage { sets reps holdSeconds durationSeconds timesPerDay daysPerWeek }
  regression { slug } progression { slug }
} }"""


def slugs(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["slug"] for edge in result_of(body, "exercises")["edges"]]


async def test_the_whole_catalogue_by_region_then_name_in_pages(gql: GraphQLClient) -> None:
    await sync_library()
    viewer, _ = await make_patient()
    rows = await Exercise.all()
    expected = [row.slug for row in sorted(rows, key=lambda r: (r.body_region.value, r.name, r.id))]
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        body = await gql.execute(EXERCISES, {"first": 25, "after": after}, as_user=viewer.id)
        seen += slugs(body)
        pages += 1
        info = result_of(body, "exercises")["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == expected
    assert (len(seen), pages) == (62, 3)
    assert {row.body_region for row in rows if row.slug == seen[0]} == {BodyRegion.ANKLE_FOOT}


async def test_filters(gql: GraphQLClient) -> None:
    await sync_library()
    viewer, _ = await make_patient()

    async def search(**criteria: Any) -> list[str]:
        body = await gql.execute(EXERCISES, {"filter": criteria, "first": 100}, as_user=viewer.id)
        return slugs(body)

    library = load_library()
    knee = sorted((e.name, e.slug) for e in library if e.body_region is BodyRegion.KNEE)
    assert await search(bodyRegion="KNEE") == [slug for _, slug in knee]
    assert await search(text="BAND") == ["clamshell-with-band", "band-external-rotation"]
    assert await search(text="band clamshell") == ["clamshell-with-band"]
    assert await search(text="band knee") == []
    chairs = sorted(
        ((e.body_region.value, e.name), e.slug) for e in library if "sturdy chair" in e.equipment
    )
    assert await search(equipment="Sturdy  Chair") == [slug for _, slug in chairs]
    assert len(chairs) == 4  # not the "sturdy chair with armrests" one
    assert await search(equipment="resistance band", bodyRegion="HIP") == ["clamshell-with-band"]
    assert await search(equipment="nothing like this") == []

    archived = await Exercise.get(slug="clamshell-with-band")
    archived.archived = True
    await archived.save()
    assert await search(text="clamshell") == ["clamshell"]
    assert await search(text="clamshell", includeArchived=True) == [
        "clamshell",
        "clamshell-with-band",
    ]

    body = await gql.execute(EXERCISES, {"filter": {"text": "x" * 201}}, as_user=viewer.id)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.text"}


async def test_forged_cursors_are_bad_input(gql: GraphQLClient) -> None:
    import base64

    viewer, _ = await make_patient()
    forged = base64.urlsafe_b64encode(b'["ks","MARS","x",1]').decode().rstrip("=")
    wrong_kind = base64.urlsafe_b64encode(b'["ks","KNEE","x","1"]').decode().rstrip("=")
    for cursor in ("garbage", forged, wrong_kind):
        body = await gql.execute(EXERCISES, {"after": cursor}, as_user=viewer.id)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_one_exercise_with_its_variants(gql: GraphQLClient) -> None:
    await sync_library()
    viewer, _ = await make_patient()
    quad = await Exercise.get(slug="quad-set")
    body = await gql.execute(ONE, {"id": gid("Exercise", quad.id)}, as_user=viewer.id)
    exercise = result_of(body, "exercise")
    entry = next(e for e in load_library() if e.slug == "quad-set")
    assert exercise["name"] == entry.name
    assert exercise["instructions"] == list(entry.instructions)
    assert (exercise["custom"], exercise["archived"], exercise["videoUrl"]) == (False, False, None)
    assert exercise["regression"] is None
    assert exercise["progression"] == {"slug": "straight-leg-raise"}

    missing = await gql.execute(ONE, {"id": gid("Exercise", 999999)}, as_user=viewer.id)
    assert missing == {"data": {"exercise": None}}
    anonymous = await gql.execute(ONE, {"id": gid("Exercise", quad.id)})
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(await gql.execute(EXERCISES)) == ["UNAUTHENTICATED"]
    node = "query($id: ID!) { node(id: $id) { ... on Exercise { slug } } }"
    assert await gql.execute(node, {"id": gid("Exercise", quad.id)}) == {"data": {"node": None}}


async def test_a_page_with_its_variants_costs_fixed_statements(gql: GraphQLClient) -> None:
    await sync_library()
    viewer, _ = await make_patient()
    counts = []
    for first in (5, 60):
        with count_sql() as sql:
            body = await gql.execute(WITH_VARIANTS, {"first": first}, as_user=viewer.id)
        assert len(result_of(body, "exercises")["edges"]) == first
        counts.append(sql.count)
    # Viewer's roles + own patient record, the page, one batch of variants.
    assert counts == [4, 4]
