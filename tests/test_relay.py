"""Global ids, node(id:) through the access scope, and capped keyset connections."""

from __future__ import annotations

from strawberry.relay import GlobalID

from api.models.accounts import Role, User
from api.services import accounts
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql

PASSWORD = "a fine long password"
NODE = "query($id: ID!) { node(id: $id) { id ... on User { email roles } } }"
USERS = """query($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges { cursor node { id email roles } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def _user(email: str, *roles: Role) -> User:
    return await accounts.create_user(email=email, password=PASSWORD, roles=roles or [Role.PATIENT])


def gid(user: User) -> str:
    return str(GlobalID("User", str(user.id)))


async def test_global_ids_are_opaque_and_round_trip(gql: GraphQLClient) -> None:
    admin = await _user("admin@clinic.test", Role.ADMIN, Role.THERAPIST)
    body = await gql.execute(NODE, {"id": gid(admin)}, as_user=admin.id)
    node = body["data"]["node"]
    assert node == {"id": gid(admin), "email": "admin@clinic.test", "roles": ["ADMIN", "THERAPIST"]}
    assert str(admin.id) != node["id"]


async def test_node_outside_the_scope_does_not_exist(gql: GraphQLClient) -> None:
    alice = await _user("alice@example.org")
    bob = await _user("bob@example.org")
    assert (await gql.execute(NODE, {"id": gid(alice)}, as_user=alice.id))["data"]["node"]
    as_bob = await gql.execute(NODE, {"id": gid(alice)}, as_user=bob.id)
    missing = await gql.execute(NODE, {"id": str(GlobalID("User", "999999"))}, as_user=bob.id)
    assert as_bob == missing == {"data": {"node": None}}
    with count_sql() as sql:
        anonymous = await gql.execute(NODE, {"id": gid(alice)})
    assert anonymous == {"data": {"node": None}}
    assert sql.count == 0


async def test_malformed_and_foreign_ids(gql: GraphQLClient) -> None:
    bad = await gql.execute(NODE, {"id": "not-a-global-id"})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    unknown_type = await gql.execute(NODE, {"id": str(GlobalID("Nope", "1"))})
    assert unknown_type == {"data": {"node": None}}
    bad_key = await gql.execute(NODE, {"id": str(GlobalID("User", "abc"))})
    assert bad_key == {"data": {"node": None}}


async def test_nodes_is_capped(gql: GraphQLClient) -> None:
    ids = [str(GlobalID("User", str(i))) for i in range(101)]
    body = await gql.execute("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_connection_pages_forward_with_cursors(gql: GraphQLClient) -> None:
    admin = await _user("admin@clinic.test", Role.ADMIN)
    others = [await _user(f"p{i}@example.org") for i in range(4)]
    everyone = [admin, *others]

    first = await gql.execute(USERS, {"first": 2}, as_user=admin.id)
    page = first["data"]["users"]
    assert [edge["node"]["id"] for edge in page["edges"]] == [gid(u) for u in everyone[:2]]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False
    assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]

    seen = [edge["node"]["id"] for edge in page["edges"]]
    after = page["pageInfo"]["endCursor"]
    while after:
        body = await gql.execute(USERS, {"first": 2, "after": after}, as_user=admin.id)
        page = body["data"]["users"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is True
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert seen == [gid(u) for u in everyone]


async def test_page_size_is_capped_at_100(gql: GraphQLClient) -> None:
    admin = await _user("admin@clinic.test", Role.ADMIN)
    for first in (0, -1, 101):
        body = await gql.execute(USERS, {"first": first}, as_user=admin.id)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    ok = await gql.execute(USERS, {"first": 100}, as_user=admin.id)
    assert "errors" not in ok


async def test_garbage_cursor_is_bad_user_input(gql: GraphQLClient) -> None:
    admin = await _user("admin@clinic.test", Role.ADMIN)
    body = await gql.execute(USERS, {"after": "!!garbage"}, as_user=admin.id)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_a_page_costs_the_same_statements_for_2_or_60_rows(gql: GraphQLClient) -> None:
    admin = await _user("admin@clinic.test", Role.ADMIN)
    for i in range(60):
        await _user(f"bulk{i}@example.org")
    counts = []
    for first in (2, 60):
        with count_sql() as sql:
            body = await gql.execute(USERS, {"first": first}, as_user=admin.id)
        assert len(body["data"]["users"]["edges"]) == first
        counts.append(sql.count)
    # one page query + one batched roles query; the viewer's own roles come from the test header
    assert counts[0] == counts[1] == 3
