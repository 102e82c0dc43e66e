"""The notification centre: a user's own notifications, newest first, read and unread."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.loaders.notifications import UnreadNotificationCountByUserIdLoader
from api.models.accounts import Role
from api.models.notifications import Notification, NotificationKind
from api.services.notifications import NewNotification, notify
from tests.accounts_support import make_user
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql

PAGE = """query($first: Int, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    edges { cursor node { id kind title body link createdAt readAt read } }
    pageInfo { hasNextPage hasPreviousPage endCursor } } }"""
COUNT = "{ unreadNotificationCount }"
MARK = """mutation($id: ID!) { markNotificationRead(id: $id) {
  notification { id read readAt } unreadNotificationCount } }"""
MARK_ALL = "mutation { markAllNotificationsRead { markedRead unreadNotificationCount } }"


async def _notify(user_id: int, *titles: str) -> list[int]:
    await notify(
        *[
            NewNotification(user_id=user_id, kind=NotificationKind.PLAN_UPDATED, title=title)
            for title in titles
        ]
    )
    rows = await Notification.filter(user_id=user_id, title__in=titles).order_by("id")
    return [row.id for row in rows]


async def test_pages_newest_first_with_cursors(gql: GraphQLClient) -> None:
    maria = await make_user()
    bob = await make_user("bob@example.org", name="Bob Stone")
    ids = await _notify(maria.id, *[f"Plan change {i}" for i in range(5)])
    await _notify(bob.id, "Not Maria's")
    titles: list[str] = []
    after = None
    pages = 0
    while True:
        body = await gql.execute(PAGE, {"first": 2, "after": after}, as_user=maria.id)
        connection = body["data"]["notifications"]
        titles += [edge["node"]["title"] for edge in connection["edges"]]
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert titles == [f"Plan change {i}" for i in (4, 3, 2, 1, 0)]
    assert pages == 3
    first = (await gql.execute(PAGE, {"first": 1}, as_user=maria.id))["data"]["notifications"]
    node = first["edges"][0]["node"]
    assert node["id"] == gid("Notification", ids[-1])
    assert (node["kind"], node["body"], node["link"], node["read"], node["readAt"]) == (
        "PLAN_UPDATED",
        "",
        "",
        False,
        None,
    )


async def test_unread_only_and_the_count(gql: GraphQLClient) -> None:
    maria = await make_user()
    ids = await _notify(maria.id, "one", "two", "three")
    await Notification.filter(id=ids[1]).update(read_at=datetime.now(UTC))
    body = await gql.execute(PAGE, {"unreadOnly": True}, as_user=maria.id)
    titles = [edge["node"]["title"] for edge in body["data"]["notifications"]["edges"]]
    assert titles == ["three", "one"]
    assert await gql.execute(COUNT, as_user=maria.id) == {"data": {"unreadNotificationCount": 2}}
    nobody = await make_user("new@example.org", name="New Person")
    assert await gql.execute(COUNT, as_user=nobody.id) == {"data": {"unreadNotificationCount": 0}}


async def test_marking_one_read(gql: GraphQLClient) -> None:
    maria = await make_user()
    bob = await make_user("bob@example.org", name="Bob Stone")
    ids = await _notify(maria.id, "one", "two")
    (bobs,) = await _notify(bob.id, "bob's")
    body = await gql.execute(MARK, {"id": gid("Notification", ids[0])}, as_user=maria.id)
    marked = body["data"]["markNotificationRead"]
    assert marked["notification"]["id"] == gid("Notification", ids[0])
    assert marked["notification"]["read"] is True
    assert marked["unreadNotificationCount"] == 1
    read_at = marked["notification"]["readAt"]
    again = await gql.execute(MARK, {"id": gid("Notification", ids[0])}, as_user=maria.id)
    assert again["data"]["markNotificationRead"]["notification"]["readAt"] == read_at

    others = await gql.execute(MARK, {"id": gid("Notification", bobs)}, as_user=maria.id)
    assert others["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await Notification.get(id=bobs)).read_at is None
    unknown = await gql.execute(MARK, {"id": gid("Notification", 999999)}, as_user=maria.id)
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    wrong_type = await gql.execute(MARK, {"id": gid("User", ids[1])}, as_user=maria.id)
    assert wrong_type["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def test_marking_all_read(gql: GraphQLClient) -> None:
    maria = await make_user()
    bob = await make_user("bob@example.org", name="Bob Stone")
    await _notify(maria.id, "one", "two", "three")
    await _notify(bob.id, "bob's")
    body = await gql.execute(MARK_ALL, as_user=maria.id)
    assert body == {
        "data": {"markAllNotificationsRead": {"markedRead": 3, "unreadNotificationCount": 0}}
    }
    again = await gql.execute(MARK_ALL, as_user=maria.id)
    assert again == {
        "data": {"markAllNotificationsRead": {"markedRead": 0, "unreadNotificationCount": 0}}
    }
    assert await gql.execute(COUNT, as_user=bob.id) == {"data": {"unreadNotificationCount": 1}}


async def test_only_the_owner_reaches_a_notification(gql: GraphQLClient) -> None:
    maria = await make_user()
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Morgan Reyes")
    (notification,) = await _notify(maria.id, "one")
    node = "query($id: ID!) { node(id: $id) { ... on Notification { title } } }"
    variables = {"id": gid("Notification", notification)}
    assert await gql.execute(node, variables, as_user=maria.id) == {
        "data": {"node": {"title": "one"}}
    }
    assert await gql.execute(node, variables, as_user=admin.id) == {"data": {"node": None}}
    assert await gql.execute(node, variables) == {"data": {"node": None}}
    admins_own = await gql.execute(PAGE, as_user=admin.id)
    assert admins_own["data"]["notifications"]["edges"] == []


async def test_anonymous_requests_are_refused(gql: GraphQLClient) -> None:
    outcomes: list[Any] = [
        await gql.execute(PAGE),
        await gql.execute(COUNT),
        await gql.execute(MARK, {"id": gid("Notification", 1)}),
        await gql.execute(MARK_ALL),
    ]
    assert [body["errors"][0]["extensions"]["code"] for body in outcomes] == ["UNAUTHENTICATED"] * 4


async def test_counts_for_many_users_are_one_statement(gql: GraphQLClient) -> None:
    users = [await make_user(f"u{i}@example.org", name=f"User {i}") for i in range(3)]
    for index, user in enumerate(users):
        await _notify(user.id, *[f"n{index}-{k}" for k in range(index + 1)])
    loader = UnreadNotificationCountByUserIdLoader()
    with count_sql() as sql:
        counts = await loader.load_many([user.id for user in users] + [999999])
    assert counts == [1, 2, 3, 0]
    assert sql.count == 1
