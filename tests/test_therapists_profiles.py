"""Directory upkeep: a therapist's own profile, admins adding therapists and locations."""

from __future__ import annotations

from typing import Any

from api.models.accounts import Role
from api.models.therapists import Location, Specialty, Therapist, TherapistLanguage
from tests.accounts_support import make_user
from tests.clinical_support import gid, make_location, make_patient
from tests.conftest import GraphQLClient
from tests.therapists_support import (
    audit_actions,
    error_codes,
    listed_therapist,
    make_admin,
    result_of,
    typed_errors,
)

RESULT = """__typename
  ... on TherapistPayload { therapist { id name credentials bio telehealth acceptingNewPatients
    listed discipline specialties languages locations { name } } }
  ... on TherapistErrors { errors { code field message } }"""
UPDATE = f"""mutation($input: UpdateTherapistProfileInput!) {{
  updateTherapistProfile(input: $input) {{ {RESULT} }} }}"""
CREATE = f"""mutation($input: CreateTherapistInput!) {{ createTherapist(input: $input) {{ {RESULT} }} }}"""
LOCATION_RESULT = """__typename
  ... on LocationPayload { location { id name addressLine1 addressLine2 city region postalCode
    country timeZone phone } }
  ... on TherapistErrors { errors { code field } }"""
CREATE_LOCATION = f"""mutation($input: CreateLocationInput!) {{
  createLocation(input: $input) {{ {LOCATION_RESULT} }} }}"""
UPDATE_LOCATION = f"""mutation($input: UpdateLocationInput!) {{
  updateLocation(input: $input) {{ {LOCATION_RESULT} }} }}"""


async def test_a_therapist_edits_their_own_profile(gql: GraphQLClient) -> None:
    riverside = await make_location("Riverside Clinic")
    harbor = await make_location("Harbor Clinic")
    user, dana = await listed_therapist(
        "dana@clinic.test", "Dana Whitfield", specialties=[Specialty.SPORTS], languages=["en"]
    )
    body = await gql.execute(
        UPDATE,
        {
            "input": {
                "therapistId": gid("Therapist", dana.id),
                "credentials": "  PT, DPT, OCS ",
                "bio": "Knees.\nShoulders.",
                "telehealth": True,
                "acceptingNewPatients": False,
                "specialties": ["ORTHOPEDIC", "SPORTS"],
                "languages": ["pt-BR", "EN"],
                "locationIds": [gid("Location", harbor.id), gid("Location", riverside.id)],
            }
        },
        as_user=user.id,
    )
    result = result_of(body, "updateTherapistProfile")
    assert result == {
        "__typename": "TherapistPayload",
        "therapist": {
            "id": gid("Therapist", dana.id),
            "name": "Dana Whitfield",
            "credentials": "PT, DPT, OCS",
            "bio": "Knees.\nShoulders.",
            "telehealth": True,
            "acceptingNewPatients": False,
            "listed": True,
            "discipline": "PHYSICAL_THERAPY",
            "specialties": ["ORTHOPEDIC", "SPORTS"],
            "languages": ["pt-br", "en"],
            "locations": [{"name": "Harbor Clinic"}, {"name": "Riverside Clinic"}],
        },
    }
    assert await audit_actions() == [("therapist.profile_updated", {"parts": 7})]

    # Left out stays; a list given replaces the list.
    body = await gql.execute(
        UPDATE,
        {"input": {"therapistId": gid("Therapist", dana.id), "languages": []}},
        as_user=user.id,
    )
    therapist = result_of(body, "updateTherapistProfile")["therapist"]
    assert therapist["languages"] == []
    assert therapist["specialties"] == ["ORTHOPEDIC", "SPORTS"]
    assert therapist["credentials"] == "PT, DPT, OCS"
    assert await TherapistLanguage.filter(therapist_id=dana.id).count() == 0


async def test_only_the_therapist_themself_or_an_admin_edits(gql: GraphQLClient) -> None:
    _, dana = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    _, hidden = await listed_therapist("hal@clinic.test", "Hal Hidden", listed=False)
    colleague, _ = await listed_therapist("col@clinic.test", "Col League")
    patient_user, _ = await make_patient()
    admin = await make_admin()

    def change(therapist: Therapist) -> dict[str, Any]:
        return {"input": {"therapistId": gid("Therapist", therapist.id), "bio": "Edited."}}

    assert error_codes(await gql.execute(UPDATE, change(dana))) == ["UNAUTHENTICATED"]
    for viewer in (patient_user, colleague):
        body = await gql.execute(UPDATE, change(dana), as_user=viewer.id)
        assert error_codes(body) == ["FORBIDDEN"]
        # An unlisted entry does not exist for them: not found, not forbidden.
        body = await gql.execute(UPDATE, change(hidden), as_user=viewer.id)
        assert error_codes(body) == ["NOT_FOUND"]
    missing = {"input": {"therapistId": gid("Therapist", 999999), "bio": "x"}}
    assert error_codes(await gql.execute(UPDATE, missing, as_user=admin.id)) == ["NOT_FOUND"]
    assert (await Therapist.get(id=dana.id)).bio == ""

    body = await gql.execute(UPDATE, change(hidden), as_user=admin.id)
    assert result_of(body, "updateTherapistProfile")["therapist"]["bio"] == "Edited."


async def test_hiding_oneself_from_the_directory(gql: GraphQLClient) -> None:
    user, dana = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    patient_user, _ = await make_patient()
    body = await gql.execute(
        UPDATE,
        {"input": {"therapistId": gid("Therapist", dana.id), "listed": False}},
        as_user=user.id,
    )
    assert result_of(body, "updateTherapistProfile")["therapist"]["listed"] is False
    directory = await gql.execute(
        "{ therapists { edges { node { name } } } }", as_user=patient_user.id
    )
    assert result_of(directory, "therapists")["edges"] == []


async def test_every_problem_is_reported_with_its_field(gql: GraphQLClient) -> None:
    place = await make_location()
    user, dana = await listed_therapist("dana@clinic.test", "Dana Whitfield", languages=["en"])
    body = await gql.execute(
        UPDATE,
        {
            "input": {
                "therapistId": gid("Therapist", dana.id),
                "credentials": "x" * 81,
                "bio": "tab\tok but bell \x07 is not",
                "specialties": ["SPORTS", "HAND", "SPORTS"],
                "languages": ["en", "EN", "english_uk", "x" * 20],
                "locationIds": [
                    gid("Location", place.id),
                    gid("Location", 999999),
                    "not-an-id",
                    gid("Therapist", dana.id),
                    gid("Location", place.id),
                ],
            }
        },
        as_user=user.id,
    )
    result = result_of(body, "updateTherapistProfile")
    assert typed_errors(result) == [
        ("TOO_LONG", "credentials"),
        ("INVALID_TEXT", "bio"),
        ("DUPLICATE", "specialties.2"),
        ("INVALID_LANGUAGE", "languages.2"),
        ("INVALID_LANGUAGE", "languages.3"),
        ("DUPLICATE", "languages.1"),
        ("UNKNOWN_LOCATION", "locationIds.1"),
        ("INVALID_ID", "locationIds.2"),
        ("INVALID_ID", "locationIds.3"),
        ("DUPLICATE", "locationIds.4"),
    ]
    assert all(error["message"] for error in result["errors"])
    unchanged = await Therapist.get(id=dana.id)
    assert (unchanged.credentials, unchanged.bio) == ("PT, DPT", "")
    assert await TherapistLanguage.filter(therapist_id=dana.id).count() == 1
    assert await audit_actions() == []

    too_many = await gql.execute(
        UPDATE,
        {
            "input": {
                "therapistId": gid("Therapist", dana.id),
                "languages": [f"x{chr(97 + n)}" for n in range(13)],
            }
        },
        as_user=user.id,
    )
    assert typed_errors(result_of(too_many, "updateTherapistProfile")) == [
        ("TOO_MANY", "languages")
    ]
    malformed = await gql.execute(
        UPDATE, {"input": {"therapistId": "nope", "bio": "x"}}, as_user=user.id
    )
    assert malformed["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "therapistId",
    }


async def test_admins_add_therapists_for_users_with_the_role(gql: GraphQLClient) -> None:
    admin = await make_admin()
    place = await make_location()
    newcomer = await make_user("new@clinic.test", roles=(Role.THERAPIST,), name="Nia Newcomer")
    patient = await make_user("pat@example.org", roles=(Role.PATIENT,), name="Pat")
    existing_user, _ = await listed_therapist("dana@clinic.test", "Dana Whitfield")

    def add(user_id: str, **more: Any) -> dict[str, Any]:
        return {"input": {"userId": user_id, "discipline": "OCCUPATIONAL_THERAPY", **more}}

    body = await gql.execute(
        CREATE,
        add(
            gid("User", newcomer.id),
            credentials="OTR/L",
            specialties=["HAND"],
            languages=["en"],
            locationIds=[gid("Location", place.id)],
        ),
        as_user=admin.id,
    )
    therapist = result_of(body, "createTherapist")["therapist"]
    assert therapist["name"] == "Nia Newcomer"
    assert (therapist["discipline"], therapist["credentials"]) == ("OCCUPATIONAL_THERAPY", "OTR/L")
    assert (therapist["specialties"], therapist["languages"]) == (["HAND"], ["en"])
    assert therapist["locations"] == [{"name": "Riverside Clinic"}]
    assert (therapist["listed"], therapist["acceptingNewPatients"], therapist["telehealth"]) == (
        True,
        True,
        False,
    )
    created = await Therapist.get(user_id=newcomer.id)
    assert therapist["id"] == gid("Therapist", created.id)
    assert await audit_actions() == [("therapist.created", {"userId": newcomer.id})]

    for user_id, code in (
        (gid("User", patient.id), "NOT_A_THERAPIST"),
        (gid("User", existing_user.id), "ALREADY_A_THERAPIST"),
        (gid("User", newcomer.id), "ALREADY_A_THERAPIST"),
        (gid("User", 999999), "UNKNOWN_USER"),
        (gid("Location", place.id), "INVALID_ID"),
    ):
        body = await gql.execute(CREATE, add(user_id), as_user=admin.id)
        assert typed_errors(result_of(body, "createTherapist")) == [(code, "userId")]

    # The input's other problems are reported with the user's.
    body = await gql.execute(
        CREATE, add(gid("User", patient.id), languages=["??"]), as_user=admin.id
    )
    assert typed_errors(result_of(body, "createTherapist")) == [
        ("NOT_A_THERAPIST", "userId"),
        ("INVALID_LANGUAGE", "languages.0"),
    ]

    therapist_user, _ = await listed_therapist("col@clinic.test", "Col League")
    other = await make_user("other@clinic.test", roles=(Role.THERAPIST,), name="O")
    body = await gql.execute(CREATE, add(gid("User", other.id)), as_user=therapist_user.id)
    assert error_codes(body) == ["FORBIDDEN"]
    assert error_codes(await gql.execute(CREATE, add(gid("User", other.id)))) == ["UNAUTHENTICATED"]


LOCATION_INPUT = {
    "name": "  Harbor   Clinic ",
    "addressLine1": "1 Pier Street",
    "city": "Boston",
    "region": "MA",
    "postalCode": "02110",
    "country": "us",
    "timeZone": "America/New_York",
    "phone": "+1 (617) 555-0100",
}


async def test_admins_create_and_update_locations(gql: GraphQLClient) -> None:
    admin = await make_admin()
    body = await gql.execute(CREATE_LOCATION, {"input": LOCATION_INPUT}, as_user=admin.id)
    location = result_of(body, "createLocation")["location"]
    row = await Location.get(name="Harbor Clinic")
    assert location == {
        "id": gid("Location", row.id),
        "name": "Harbor Clinic",
        "addressLine1": "1 Pier Street",
        "addressLine2": None,
        "city": "Boston",
        "region": "MA",
        "postalCode": "02110",
        "country": "US",
        "timeZone": "America/New_York",
        "phone": "+16175550100",
    }
    body = await gql.execute(
        UPDATE_LOCATION,
        {
            "input": {
                "locationId": gid("Location", row.id),
                "timeZone": "America/Chicago",
                "phone": "",
                "addressLine2": "Suite 4",
            }
        },
        as_user=admin.id,
    )
    updated = result_of(body, "updateLocation")["location"]
    assert (updated["timeZone"], updated["phone"], updated["addressLine2"]) == (
        "America/Chicago",
        None,
        "Suite 4",
    )
    assert updated["name"] == "Harbor Clinic"
    assert [action for action, _ in await audit_actions()] == [
        "location.created",
        "location.updated",
    ]


async def test_location_problems_and_access(gql: GraphQLClient) -> None:
    admin = await make_admin()
    place = await make_location()
    bad = {
        **LOCATION_INPUT,
        "name": "   ",
        "city": "x" * 101,
        "country": "XX",
        "timeZone": "Mars/Olympus_Mons",
        "phone": "call me",
    }
    body = await gql.execute(CREATE_LOCATION, {"input": bad}, as_user=admin.id)
    assert typed_errors(result_of(body, "createLocation")) == [
        ("REQUIRED", "name"),
        ("TOO_LONG", "city"),
        ("INVALID_COUNTRY", "country"),
        ("INVALID_TIME_ZONE", "timeZone"),
        ("INVALID_PHONE", "phone"),
    ]
    assert await Location.all().count() == 1

    body = await gql.execute(
        UPDATE_LOCATION,
        {"input": {"locationId": gid("Location", place.id), "country": "usa", "name": ""}},
        as_user=admin.id,
    )
    assert typed_errors(result_of(body, "updateLocation")) == [
        ("REQUIRED", "name"),
        ("INVALID_COUNTRY", "country"),
    ]
    missing = {"input": {"locationId": gid("Location", 999999), "name": "X"}}
    assert error_codes(await gql.execute(UPDATE_LOCATION, missing, as_user=admin.id)) == [
        "NOT_FOUND"
    ]

    therapist_user, _ = await listed_therapist("dana@clinic.test", "Dana Whitfield")
    patient_user, _ = await make_patient()
    for viewer in (therapist_user, patient_user):
        body = await gql.execute(CREATE_LOCATION, {"input": LOCATION_INPUT}, as_user=viewer.id)
        assert error_codes(body) == ["FORBIDDEN"]
        change = {"input": {"locationId": gid("Location", place.id), "name": "Mine"}}
        assert error_codes(await gql.execute(UPDATE_LOCATION, change, as_user=viewer.id)) == [
            "FORBIDDEN"
        ]
    assert error_codes(await gql.execute(CREATE_LOCATION, {"input": LOCATION_INPUT})) == [
        "UNAUTHENTICATED"
    ]
    assert (await Location.get(id=place.id)).name == "Riverside Clinic"


async def test_location_nodes_are_for_signed_in_users(gql: GraphQLClient) -> None:
    place = await make_location()
    query = "query($id: ID!) { node(id: $id) { ... on Location { name timeZone } } }"
    viewer, _ = await make_patient()
    body = await gql.execute(query, {"id": gid("Location", place.id)}, as_user=viewer.id)
    assert body == {"data": {"node": {"name": "Riverside Clinic", "timeZone": "America/New_York"}}}
    assert await gql.execute(query, {"id": gid("Location", place.id)}) == {"data": {"node": None}}
    missing = await gql.execute(query, {"id": gid("Location", 999999)}, as_user=viewer.id)
    assert missing == {"data": {"node": None}}
