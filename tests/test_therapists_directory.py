"""The therapist directory: who sees which entries, every filter, order, paging, SQL budget."""

from __future__ import annotations

from typing import Any

from api.models.accounts import Role
from api.models.therapists import Discipline, Specialty
from tests.clinical_support import gid, make_location, make_patient
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql
from tests.therapists_support import error_codes, listed_therapist, make_admin, result_of

DIRECTORY = """query($filter: TherapistFilter, $first: Int, $after: String) {
  therapists(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""
FULL_DIRECTORY = """query($first: Int) { therapists(first: $first) { edges { node {
  id name credentials discipline bio telehealth acceptingNewPatients listed
  specialties languages
  locations { id name addressLine1 addressLine2 city region postalCode country timeZone phone }
} } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Therapist { name listed } } }"


def names(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in result_of(body, "therapists")["edges"]]


async def test_an_entry_shows_the_directory_fields(gql: GraphQLClient) -> None:
    riverside = await make_location("Riverside Clinic")
    harbor = await make_location("Harbor Clinic", time_zone="America/Chicago")
    await harbor.update_from_dict({"phone": "+13125550100"}).save()
    _, dana = await listed_therapist(
        "dana@clinic.test",
        "Dana Whitfield",
        credentials="PT, DPT, OCS",
        bio="Knees and shoulders.",
        specialties=[Specialty.SPORTS, Specialty.ORTHOPEDIC],
        languages=["en", "es-mx"],
        locations=[riverside, harbor],
        telehealth=True,
    )
    patient_user, _ = await make_patient()
    body = await gql.execute(FULL_DIRECTORY, as_user=patient_user.id)
    [edge] = result_of(body, "therapists")["edges"]
    assert edge["node"] == {
        "id": gid("Therapist", dana.id),
        "name": "Dana Whitfield",
        "credentials": "PT, DPT, OCS",
        "discipline": "PHYSICAL_THERAPY",
        "bio": "Knees and shoulders.",
        "telehealth": True,
        "acceptingNewPatients": True,
        "listed": True,
        "specialties": ["SPORTS", "ORTHOPEDIC"],
        "languages": ["en", "es-mx"],
        "locations": [
            {
                "id": gid("Location", riverside.id),
                "name": "Riverside Clinic",
                "addressLine1": "12 River Road",
                "addressLine2": None,
                "city": "Springfield",
                "region": "MA",
                "postalCode": "01101",
                "country": "US",
                "timeZone": "America/New_York",
                "phone": None,
            },
            {
                "id": gid("Location", harbor.id),
                "name": "Harbor Clinic",
                "addressLine1": "12 River Road",
                "addressLine2": None,
                "city": "Springfield",
                "region": "MA",
                "postalCode": "01101",
                "country": "US",
                "timeZone": "America/Chicago",
                "phone": "+13125550100",
            },
        ],
    }


async def test_unlisted_entries_exist_only_for_admins_and_themselves(gql: GraphQLClient) -> None:
    await listed_therapist("ann@clinic.test", "Ann Listed")
    hidden_user, hidden = await listed_therapist("hal@clinic.test", "Hal Hidden", listed=False)
    patient_user, _ = await make_patient()
    colleague, _ = await listed_therapist("col@clinic.test", "Col League")
    admin = await make_admin()

    assert names(await gql.execute(DIRECTORY, as_user=patient_user.id)) == [
        "Ann Listed",
        "Col League",
    ]
    assert names(await gql.execute(DIRECTORY, as_user=colleague.id)) == ["Ann Listed", "Col League"]
    assert names(await gql.execute(DIRECTORY, as_user=hidden_user.id)) == [
        "Ann Listed",
        "Col League",
        "Hal Hidden",
    ]
    assert names(await gql.execute(DIRECTORY, as_user=admin.id)) == [
        "Ann Listed",
        "Col League",
        "Hal Hidden",
    ]

    node_id = gid("Therapist", hidden.id)
    for viewer in (patient_user, colleague):
        assert await gql.execute(NODE, {"id": node_id}, as_user=viewer.id) == {
            "data": {"node": None}
        }
    for viewer in (hidden_user, admin):
        body = await gql.execute(NODE, {"id": node_id}, as_user=viewer.id)
        assert body == {"data": {"node": {"name": "Hal Hidden", "listed": False}}}


async def test_anonymous_callers_get_nothing(gql: GraphQLClient) -> None:
    _, ann = await listed_therapist("ann@clinic.test", "Ann Listed")
    body = await gql.execute(DIRECTORY)
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert error_codes(await gql.execute("{ locations { name } }")) == ["UNAUTHENTICATED"]
    with count_sql() as sql:
        node = await gql.execute(NODE, {"id": gid("Therapist", ann.id)})
    assert node == {"data": {"node": None}}
    assert sql.count == 0


async def test_every_filter_and_their_combination(gql: GraphQLClient) -> None:
    riverside = await make_location("Riverside Clinic")
    harbor = await make_location("Harbor Clinic")
    await listed_therapist(
        "ana@clinic.test",
        "Ana Ortiz",
        specialties=[Specialty.CEREBRAL_PALSY, Specialty.PEDIATRIC],
        languages=["es-mx"],
        locations=[riverside],
        telehealth=True,
    )
    await listed_therapist(
        "ben@clinic.test",
        "Ben Neuro",
        credentials="PT, NCS",
        specialties=[Specialty.NEUROLOGICAL],
        languages=["en", "es"],
        locations=[harbor],
        accepting_new_patients=False,
    )
    await listed_therapist(
        "cy@clinic.test",
        "Cy Speech",
        discipline=Discipline.SPEECH_LANGUAGE_PATHOLOGY,
        credentials="CCC-SLP",
        bio="Swallowing after STROKE; 100% telehealth_friendly.",
        specialties=[Specialty.SWALLOWING],
        languages=["pt-br", "en"],
        locations=[riverside, harbor],
        telehealth=True,
    )
    viewer, _ = await make_patient()

    async def search(**criteria: Any) -> list[str]:
        return names(await gql.execute(DIRECTORY, {"filter": criteria}, as_user=viewer.id))

    assert await search() == ["Ana Ortiz", "Ben Neuro", "Cy Speech"]
    # The neurological label includes cerebral palsy, so its search does too.
    assert await search(specialty="NEUROLOGICAL") == ["Ana Ortiz", "Ben Neuro"]
    assert await search(specialty="CEREBRAL_PALSY") == ["Ana Ortiz"]
    assert await search(specialty="VESTIBULAR") == []
    assert await search(locationId=gid("Location", harbor.id)) == ["Ben Neuro", "Cy Speech"]
    assert await search(telehealth=True) == ["Ana Ortiz", "Cy Speech"]
    assert await search(telehealth=False) == ["Ben Neuro"]
    assert await search(acceptingNewPatients=False) == ["Ben Neuro"]
    assert await search(language="es") == ["Ana Ortiz", "Ben Neuro"]
    assert await search(language="ES-MX") == ["Ana Ortiz", "Ben Neuro"]
    assert await search(language="pt") == ["Cy Speech"]
    assert await search(language="fr") == []
    assert await search(text="neuro") == ["Ben Neuro"]  # the name
    assert await search(text="ncs") == ["Ben Neuro"]  # the credentials
    assert await search(text="stroke") == ["Cy Speech"]  # the bio, any case
    assert await search(text="STROKE swallowing") == ["Cy Speech"]  # every word
    assert await search(text="stroke neuro") == []
    assert await search(text="100%") == ["Cy Speech"]  # LIKE wildcards are plain characters
    assert await search(text="0%") == ["Cy Speech"]
    assert await search(text="swallowing_after") == []  # "_" is no wildcard
    assert await search(text="health_friendly") == ["Cy Speech"]
    assert await search(text="   ") == ["Ana Ortiz", "Ben Neuro", "Cy Speech"]
    assert await search(
        telehealth=True, language="en", locationId=gid("Location", riverside.id)
    ) == ["Cy Speech"]
    assert await search(specialty="NEUROLOGICAL", telehealth=True, language="es") == ["Ana Ortiz"]


async def test_bad_filters_are_bad_input(gql: GraphQLClient) -> None:
    viewer, _ = await make_patient()
    for criteria, field in (
        ({"language": "e"}, "filter.language"),
        ({"language": "pt_BR"}, "filter.language"),
        ({"text": "x" * 201}, "filter.text"),
        ({"locationId": "nonsense"}, "filter.locationId"),
        ({"locationId": gid("Therapist", 1)}, "filter.locationId"),
    ):
        body = await gql.execute(DIRECTORY, {"filter": criteria}, as_user=viewer.id)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_ordered_by_name_then_id_with_keyset_pages(gql: GraphQLClient) -> None:
    created = []
    for index, name in enumerate(["Zoe Park", "Alex Kim", "Alex Kim", "Mia Lund", "Alex Kim"]):
        _, therapist = await listed_therapist(f"t{index}@clinic.test", name)
        created.append((name, therapist.id))
    expected = [gid("Therapist", key) for _, key in sorted(created)]
    viewer, _ = await make_patient()
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        body = await gql.execute(DIRECTORY, {"first": 2, "after": after}, as_user=viewer.id)
        connection = result_of(body, "therapists")
        seen += [edge["node"]["id"] for edge in connection["edges"]]
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected
    assert pages == 3

    bad = await gql.execute(DIRECTORY, {"after": "garbage"}, as_user=viewer.id)
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    too_many = await gql.execute(DIRECTORY, {"first": 101}, as_user=viewer.id)
    assert too_many["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def _directory_statements(gql: GraphQLClient, therapists: int) -> int:
    places = [await make_location(f"Clinic {n}") for n in range(3)]
    for n in range(therapists):
        await listed_therapist(
            f"t{n}@clinic.test",
            f"Therapist {n:03d}",
            specialties=[Specialty.SPORTS, Specialty.ORTHOPEDIC],
            languages=["en", "es"],
            locations=places[: 1 + n % 3],
        )
    viewer, _ = await make_patient()
    with count_sql() as sql:
        body = await gql.execute(FULL_DIRECTORY, {"first": 100}, as_user=viewer.id)
    edges = result_of(body, "therapists")["edges"]
    assert len(edges) == therapists
    assert edges[-1]["node"]["specialties"] == ["SPORTS", "ORTHOPEDIC"]
    assert len(edges[2]["node"]["locations"]) == 3
    return sql.count


async def test_a_page_costs_the_same_statements_for_3_or_30(gql: GraphQLClient) -> None:
    # Viewer's roles + own patient record, the page (names joined), specialties, languages,
    # locations (joined to their links): six, however many therapists the page holds.
    assert await _directory_statements(gql, 3) == 6


async def test_thirty_therapists_cost_the_same(gql: GraphQLClient) -> None:
    assert await _directory_statements(gql, 30) == 6


async def test_locations_and_the_specialty_vocabulary(gql: GraphQLClient) -> None:
    await make_location("Riverside Clinic")
    await make_location("Harbor Clinic")
    viewer, _ = await make_patient()
    body = await gql.execute("{ locations { name } }", as_user=viewer.id)
    assert result_of(body, "locations") == [{"name": "Harbor Clinic"}, {"name": "Riverside Clinic"}]

    body = await gql.execute("{ specialties { value label includes } }")
    options = result_of(body, "specialties")
    assert [option["value"] for option in options] == [s.value for s in Specialty]
    by_value = {option["value"]: option for option in options}
    assert by_value["NEUROLOGICAL"] == {
        "value": "NEUROLOGICAL",
        "label": "Neurological (incl. cerebral palsy)",
        "includes": ["CEREBRAL_PALSY"],
    }
    assert by_value["PELVIC_HEALTH"]["label"] == "Pelvic health"
    assert all(option["label"] for option in options)


async def test_a_therapist_who_is_also_admin_sees_everything(gql: GraphQLClient) -> None:
    await listed_therapist("hal@clinic.test", "Hal Hidden", listed=False)
    both, _ = await listed_therapist(
        "boss@clinic.test", "Boss Both", roles=(Role.THERAPIST, Role.ADMIN)
    )
    assert names(await gql.execute(DIRECTORY, as_user=both.id)) == ["Boss Both", "Hal Hidden"]
