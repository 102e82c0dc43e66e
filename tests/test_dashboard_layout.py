"""The dashboard layout: each user's widgets in order, shown or hidden, saved on the server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.models.accounts import Role
from api.models.dashboard import DashboardLayout
from api.services import dashboard
from api.services.dashboard import Widget, WidgetKind
from tests.accounts_support import make_user
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient
from tests.sql_counter import count_sql

FIELDS = "widgets { kind hidden } isDefault updatedAt"
LAYOUT = f"{{ dashboardLayout {{ {FIELDS} }} }}"
SAVE = f"""mutation($widgets: [DashboardWidgetInput!]!) {{
  saveDashboardLayout(widgets: $widgets) {{
    __typename
    ... on DashboardLayout {{ {FIELDS} }}
    ... on DashboardErrors {{ errors {{ code field message }} }} }} }}"""
RESET = f"mutation {{ resetDashboardLayout {{ {FIELDS} }} }}"
# Costs the scope only (the test viewer's roles, and the patient's own record): the baseline.
SCOPE_ONLY = "{ signInState }"

EVERY_KIND = [kind.value for kind in WidgetKind]


def _widgets(layout: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(widget["kind"], widget["hidden"]) for widget in layout["widgets"]]


def _shown(*kinds: str) -> list[tuple[str, bool]]:
    return [(kind, False) for kind in kinds]


async def _sql(gql: GraphQLClient, query: str, user_id: int, **variables: Any) -> list[str]:
    with count_sql() as sql:
        body = await gql.execute(query, variables, as_user=user_id)
    assert "errors" not in body, body
    return sql.statements


async def _statements(gql: GraphQLClient, query: str, user_id: int, **variables: Any) -> int:
    return len(await _sql(gql, query, user_id, **variables))


async def test_without_a_saved_layout_everyone_gets_the_default_for_one_statement(
    gql: GraphQLClient,
) -> None:
    maria = await make_user()
    body = await gql.execute(LAYOUT, as_user=maria.id)
    layout = body["data"]["dashboardLayout"]
    assert _widgets(layout) == _shown(*EVERY_KIND)
    assert layout["isDefault"] is True
    assert layout["updatedAt"] is None
    # The default is made in code: reading stores nothing.
    assert await DashboardLayout.all().count() == 0

    scope = await _statements(gql, SCOPE_ONLY, maria.id)
    assert await _statements(gql, LAYOUT, maria.id) == scope + 1

    anonymous = await gql.execute(LAYOUT)
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_saved_layout_comes_back_in_its_order_with_hidden_widgets(
    gql: GraphQLClient,
) -> None:
    maria = await make_user()
    chosen = [
        {"kind": "QUICK_ACTIONS", "hidden": False},
        {"kind": "TODAYS_EXERCISES", "hidden": False},
        {"kind": "NOTIFICATIONS", "hidden": True},
        {"kind": "PROGRESS_CHART", "hidden": False},
        {"kind": "RECENT_MESSAGES", "hidden": False},
        {"kind": "UPCOMING_APPOINTMENTS", "hidden": True},
    ]
    expected = [(item["kind"], item["hidden"]) for item in chosen]
    saved = (await gql.execute(SAVE, {"widgets": chosen}, as_user=maria.id))["data"]
    layout = saved["saveDashboardLayout"]
    assert layout["__typename"] == "DashboardLayout"
    assert _widgets(layout) == expected
    assert layout["isDefault"] is False
    assert layout["updatedAt"] is not None

    read = (await gql.execute(LAYOUT, as_user=maria.id))["data"]["dashboardLayout"]
    assert _widgets(read) == expected
    assert read["updatedAt"] == layout["updatedAt"]
    assert read["isDefault"] is False


async def test_saving_is_one_upsert_statement_the_first_time_and_every_time_after(
    gql: GraphQLClient,
) -> None:
    maria = await make_user()
    scope = await _statements(gql, SCOPE_ONLY, maria.id)
    first = [{"kind": "NOTIFICATIONS", "hidden": True}]
    second = [{"kind": "RECENT_MESSAGES", "hidden": False}]
    for widgets in (first, second):  # the insert, then the update: the same one statement
        statements = await _sql(gql, SAVE, maria.id, widgets=widgets)
        assert len(statements) == scope + 1
        assert "ON CONFLICT" in statements[-1].upper()
    assert await DashboardLayout.filter(user_id=maria.id).count() == 1
    read = (await gql.execute(LAYOUT, as_user=maria.id))["data"]["dashboardLayout"]
    assert read["widgets"][0] == {"kind": "RECENT_MESSAGES", "hidden": False}
    assert await _statements(gql, RESET, maria.id) == scope + 1


async def test_kinds_left_out_are_appended_shown_in_the_default_order(
    gql: GraphQLClient,
) -> None:
    maria = await make_user()
    chosen = [
        {"kind": "PROGRESS_CHART", "hidden": True},
        {"kind": "QUICK_ACTIONS"},  # hidden defaults to false
    ]
    body = await gql.execute(SAVE, {"widgets": chosen}, as_user=maria.id)
    layout = body["data"]["saveDashboardLayout"]
    assert _widgets(layout) == [
        ("PROGRESS_CHART", True),
        ("QUICK_ACTIONS", False),
        *_shown("UPCOMING_APPOINTMENTS", "RECENT_MESSAGES", "TODAYS_EXERCISES", "NOTIFICATIONS"),
    ]
    # The complete list is what is stored, so what was answered is what is read.
    (row,) = await DashboardLayout.filter(user_id=maria.id)
    assert [item["kind"] for item in row.widgets] == [kind for kind, _ in _widgets(layout)]

    # An empty list saves the default order (still a saved layout, not the default one).
    emptied = await gql.execute(SAVE, {"widgets": []}, as_user=maria.id)
    assert _widgets(emptied["data"]["saveDashboardLayout"]) == _shown(*EVERY_KIND)
    assert emptied["data"]["saveDashboardLayout"]["isDefault"] is False


async def test_a_kind_twice_or_too_many_widgets_are_typed_errors_and_nothing_is_saved(
    gql: GraphQLClient,
) -> None:
    maria = await make_user()
    twice = [
        {"kind": "NOTIFICATIONS", "hidden": False},
        {"kind": "QUICK_ACTIONS", "hidden": False},
        {"kind": "NOTIFICATIONS", "hidden": True},
    ]
    body = await gql.execute(SAVE, {"widgets": twice}, as_user=maria.id)
    result = body["data"]["saveDashboardLayout"]
    assert result["__typename"] == "DashboardErrors"
    assert [(error["code"], error["field"]) for error in result["errors"]] == [
        ("DUPLICATE_WIDGET", "widgets.2.kind")
    ]
    assert result["errors"][0]["message"] == "Each widget can appear only once on the dashboard."

    many = [{"kind": kind, "hidden": False} for kind in EVERY_KIND] + [
        {"kind": "QUICK_ACTIONS", "hidden": True}
    ]
    body = await gql.execute(SAVE, {"widgets": many}, as_user=maria.id)
    result = body["data"]["saveDashboardLayout"]
    assert [(error["code"], error["field"]) for error in result["errors"]] == [
        ("TOO_MANY_WIDGETS", "widgets")
    ]
    assert await DashboardLayout.all().count() == 0

    # A kind the schema does not know never reaches the service: the enum rejects it.
    unknown = await gql.execute(
        SAVE, {"widgets": [{"kind": "WEATHER", "hidden": False}]}, as_user=maria.id
    )
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_stored_kinds_this_release_no_longer_has_are_dropped_and_new_ones_appended(
    gql: GraphQLClient,
) -> None:
    maria = await make_user()
    # As an older (or newer) release might have left it: a removed kind, a repeat, junk, and
    # two kinds missing altogether.
    await DashboardLayout.create(
        user_id=maria.id,
        updated_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        widgets=[
            {"kind": "WEATHER", "hidden": False},
            {"kind": "NOTIFICATIONS", "hidden": True},
            {"kind": "QUICK_ACTIONS", "hidden": False},
            {"kind": "NOTIFICATIONS", "hidden": False},
            "PROGRESS_CHART",
            {"kind": "RECENT_MESSAGES", "hidden": "yes"},
            {"kind": "UPCOMING_APPOINTMENTS"},
        ],
    )
    layout = (await gql.execute(LAYOUT, as_user=maria.id))["data"]["dashboardLayout"]
    assert _widgets(layout) == [
        ("NOTIFICATIONS", True),
        ("QUICK_ACTIONS", False),
        ("RECENT_MESSAGES", False),  # only a real `true` hides
        ("UPCOMING_APPOINTMENTS", False),
        ("PROGRESS_CHART", False),  # not in a readable entry: appended, in the default order
        ("TODAYS_EXERCISES", False),
    ]
    assert layout["updatedAt"].startswith("2026-01-05T09:30:00")


async def test_reset_forgets_the_saved_layout(gql: GraphQLClient) -> None:
    maria = await make_user()
    await gql.execute(
        SAVE, {"widgets": [{"kind": "NOTIFICATIONS", "hidden": True}]}, as_user=maria.id
    )
    body = await gql.execute(RESET, as_user=maria.id)
    layout = body["data"]["resetDashboardLayout"]
    assert _widgets(layout) == _shown(*EVERY_KIND)
    assert layout["isDefault"] is True
    assert layout["updatedAt"] is None
    assert await DashboardLayout.all().count() == 0
    # Resetting a default layout is no error.
    again = await gql.execute(RESET, as_user=maria.id)
    assert again["data"]["resetDashboardLayout"]["isDefault"] is True

    anonymous_calls: list[tuple[str, dict[str, Any]]] = [(RESET, {}), (SAVE, {"widgets": []})]
    for mutation, variables in anonymous_calls:
        anonymous = await gql.execute(mutation, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_each_user_has_their_own_layout(gql: GraphQLClient) -> None:
    maria = await make_user()
    liam = await make_user("liam@example.org", name="Liam Chen")
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    await gql.execute(
        SAVE, {"widgets": [{"kind": "QUICK_ACTIONS", "hidden": True}]}, as_user=maria.id
    )
    for other in (liam, admin):
        layout = (await gql.execute(LAYOUT, as_user=other.id))["data"]["dashboardLayout"]
        assert layout["isDefault"] is True
    await gql.execute(RESET, as_user=liam.id)
    maria_layout = (await gql.execute(LAYOUT, as_user=maria.id))["data"]["dashboardLayout"]
    assert maria_layout["widgets"][0] == {"kind": "QUICK_ACTIONS", "hidden": True}


async def test_a_caregiver_acting_for_a_patient_arranges_their_own_dashboard(
    gql: GraphQLClient,
) -> None:
    maria_user, maria = await make_patient("maria@example.org")
    grace = await make_caregiver()
    await grant(maria, grace)
    acting = gid("Patient", maria.id)
    body = await gql.execute(
        SAVE,
        {"widgets": [{"kind": "NOTIFICATIONS", "hidden": True}]},
        as_user=grace.id,
        acting_for=acting,
    )
    assert body["data"]["saveDashboardLayout"]["widgets"][0] == {
        "kind": "NOTIFICATIONS",
        "hidden": True,
    }
    # The layout is the caregiver's, whoever they act for; the patient's own is untouched.
    own = (await gql.execute(LAYOUT, as_user=grace.id))["data"]["dashboardLayout"]
    assert own["widgets"][0] == {"kind": "NOTIFICATIONS", "hidden": True}
    patients = (await gql.execute(LAYOUT, as_user=maria_user.id))["data"]["dashboardLayout"]
    assert patients["isDefault"] is True
    assert await DashboardLayout.filter(user_id=grace.id).count() == 1


async def test_a_therapist_who_is_not_a_patient_has_their_own_treatment_widgets_hidden(
    gql: GraphQLClient,
) -> None:
    dana = await make_user("dana@clinic.test", roles=(Role.THERAPIST,), name="Dana Reyes")
    layout = (await gql.execute(LAYOUT, as_user=dana.id))["data"]["dashboardLayout"]
    hidden = {kind for kind, is_hidden in _widgets(layout) if is_hidden}
    assert hidden == {"PROGRESS_CHART", "TODAYS_EXERCISES"}
    assert [kind for kind, _ in _widgets(layout)] == EVERY_KIND

    # A kind a therapist leaves out of a save is appended as their default has it: hidden.
    body = await gql.execute(
        SAVE, {"widgets": [{"kind": "TODAYS_EXERCISES", "hidden": False}]}, as_user=dana.id
    )
    saved = _widgets(body["data"]["saveDashboardLayout"])
    assert saved[0] == ("TODAYS_EXERCISES", False)
    assert ("PROGRESS_CHART", True) in saved

    # Someone who is both therapist and patient sees every widget by default.
    both = await make_user("sam@clinic.test", roles=(Role.THERAPIST, Role.PATIENT), name="Sam")
    layout = (await gql.execute(LAYOUT, as_user=both.id))["data"]["dashboardLayout"]
    assert _widgets(layout) == _shown(*EVERY_KIND)


def test_stored_json_that_is_not_a_list_reads_as_the_default() -> None:
    roles = frozenset({Role.PATIENT})
    default = dashboard.default_widgets(roles)
    junk: list[object] = [None, {}, "QUICK_ACTIONS", 7, [[]], [{"kind": None}]]
    for stored in junk:
        assert dashboard.from_stored(stored, roles) == default
    assert dashboard.from_stored([{"kind": "QUICK_ACTIONS", "hidden": True}], roles)[0] == Widget(
        WidgetKind.QUICK_ACTIONS, hidden=True
    )
