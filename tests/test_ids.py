"""Ids and cursors from clients: anything that is not a storable key is "not valid", never a
crash in the database driver (a key past 64 bits cannot exist in a BIGINT column)."""

from __future__ import annotations

import base64

import pytest
from strawberry.relay import GlobalID

from api.services.ids import MAX_ID, parse_id
from tests.clinical_support import make_patient
from tests.conftest import GraphQLClient

HUGE = str(2**64)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (HUGE, None),
        ("0", None),
        ("-3", None),
        ("+3", None),
        (" 3", None),
        ("1_000", None),
        ("٣", None),  # an Arabic-Indic digit: int() reads it, a URL should not carry it
        ("", None),
    ],
)
def test_parse_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


async def test_huge_ids_are_not_found_or_not_valid_never_internal(
    database: None, gql: GraphQLClient
) -> None:
    user, _ = await make_patient()
    for type_name in ("MessageThread", "Notification", "TreatmentPlan", "Appointment"):
        node = await gql.execute(
            "query($id: ID!) { node(id: $id) { id } }",
            {"id": str(GlobalID(type_name, HUGE))},
            as_user=user.id,
        )
        assert node == {"data": {"node": None}}, type_name
    marked = await gql.execute(
        "mutation($id: ID!) { markNotificationRead(id: $id) { unreadNotificationCount } }",
        {"id": str(GlobalID("Notification", HUGE))},
        as_user=user.id,
    )
    assert marked["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    cursor = base64.urlsafe_b64encode(f"k:{HUGE}".encode()).decode()  # the id-cursor format
    paged = await gql.execute(
        "query($after: String) { notifications(after: $after) { edges { cursor } } }",
        {"after": cursor},
        as_user=user.id,
    )
    assert paged["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
