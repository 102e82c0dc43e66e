"""Notification preferences (kind x channel) and quiet hours, and what they do to deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from api.models.accounts import User
from api.models.jobs import Job
from api.models.notifications import (
    Delivery,
    DeliveryStatus,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from api.services.notifications import DELIVER_JOB, NewNotification, notify
from api.services.notifications.quiet_hours import Window
from api.settings import Settings
from tests.accounts_support import make_user
from tests.conftest import GraphQLClient
from tests.notifications_support import make_jobs_due, run_jobs

NEW_YORK = "America/New_York"

PREFERENCES = "{ notificationPreferences { kind channel enabled isDefault locked } }"
UPDATE = """mutation($changes: [NotificationPreferenceChange!]!) {
  updateNotificationPreferences(changes: $changes) {
    __typename
    ... on NotificationPreferences { preferences { kind channel enabled isDefault locked } }
    ... on NotificationErrors { errors { code field message } } } }"""
QUIET = "{ quietHours { starts ends timeZone } }"
SET_QUIET = """mutation($starts: Time!, $ends: Time!) { setQuietHours(starts: $starts, ends: $ends) {
  __typename ... on QuietHours { starts ends timeZone }
  ... on NotificationErrors { errors { code field } } } }"""
CLEAR_QUIET = "mutation { clearQuietHours }"


def _cell(rows: list[dict[str, object]], kind: str, channel: str) -> dict[str, object]:
    (found,) = [row for row in rows if row["kind"] == kind and row["channel"] == channel]
    return found


# --- preferences ----------------------------------------------------------------------------------


async def test_the_matrix_has_every_kind_on_every_channel(gql: GraphQLClient) -> None:
    maria = await make_user()
    rows = (await gql.execute(PREFERENCES, as_user=maria.id))["data"]["notificationPreferences"]
    assert len(rows) == len(NotificationKind) * len(NotificationChannel)
    assert all(row["isDefault"] for row in rows)
    for kind in NotificationKind:
        assert _cell(rows, kind.value, "IN_APP") == {
            "kind": kind.value,
            "channel": "IN_APP",
            "enabled": True,
            "isDefault": True,
            "locked": True,
        }
    assert _cell(rows, "SECURITY", "EMAIL")["locked"] is True
    assert _cell(rows, "SECURITY", "EMAIL")["enabled"] is True
    assert _cell(rows, "NEW_MESSAGE", "SMS")["enabled"] is False
    assert _cell(rows, "APPOINTMENT_REMINDER", "SMS")["enabled"] is True
    assert _cell(rows, "NEW_MESSAGE", "EMAIL")["locked"] is False
    anonymous = await gql.execute(PREFERENCES)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_changes_store_only_what_differs_from_the_default(gql: GraphQLClient) -> None:
    maria = await make_user()
    changes = [
        {"kind": "NEW_MESSAGE", "channel": "SMS", "enabled": True},
        {"kind": "PLAN_UPDATED", "channel": "EMAIL", "enabled": False},
        {"kind": "NEW_MESSAGE", "channel": "EMAIL", "enabled": True},  # the default already
    ]
    body = await gql.execute(UPDATE, {"changes": changes}, as_user=maria.id)
    rows = body["data"]["updateNotificationPreferences"]["preferences"]
    assert _cell(rows, "NEW_MESSAGE", "SMS") == {
        "kind": "NEW_MESSAGE",
        "channel": "SMS",
        "enabled": True,
        "isDefault": False,
        "locked": False,
    }
    assert _cell(rows, "PLAN_UPDATED", "EMAIL")["enabled"] is False
    assert _cell(rows, "NEW_MESSAGE", "EMAIL")["isDefault"] is True
    stored = await NotificationPreference.filter(user_id=maria.id).values_list(
        "kind", "channel", "enabled"
    )
    assert sorted(stored) == [("NEW_MESSAGE", "SMS", True), ("PLAN_UPDATED", "EMAIL", False)]

    back = [{"kind": "NEW_MESSAGE", "channel": "SMS", "enabled": False}]
    await gql.execute(UPDATE, {"changes": back}, as_user=maria.id)
    assert await NotificationPreference.filter(user_id=maria.id).count() == 1
    again = (await gql.execute(PREFERENCES, as_user=maria.id))["data"]["notificationPreferences"]
    assert _cell(again, "NEW_MESSAGE", "SMS")["isDefault"] is True


async def test_security_email_and_in_app_cannot_be_turned_off(gql: GraphQLClient) -> None:
    maria = await make_user()
    changes = [
        {"kind": "PLAN_UPDATED", "channel": "PUSH", "enabled": False},
        {"kind": "SECURITY", "channel": "EMAIL", "enabled": False},
        {"kind": "NEW_MESSAGE", "channel": "IN_APP", "enabled": False},
        {"kind": "PLAN_UPDATED", "channel": "PUSH", "enabled": True},
    ]
    body = await gql.execute(UPDATE, {"changes": changes}, as_user=maria.id)
    result = body["data"]["updateNotificationPreferences"]
    assert result["__typename"] == "NotificationErrors"
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("PREFERENCE_LOCKED", "changes[1]"),
        ("PREFERENCE_LOCKED", "changes[2]"),
        ("DUPLICATE_CHANGE", "changes[3]"),
    ]
    assert not await NotificationPreference.exists()  # all or nothing
    keep_on = [{"kind": "SECURITY", "channel": "EMAIL", "enabled": True}]
    ok = await gql.execute(UPDATE, {"changes": keep_on}, as_user=maria.id)
    assert ok["data"]["updateNotificationPreferences"]["__typename"] == "NotificationPreferences"


async def test_preferences_decide_the_deliveries(gql: GraphQLClient) -> None:
    maria = await make_user()
    changes = [
        {"kind": "SECURITY", "channel": "PUSH", "enabled": False},
        {"kind": "SECURITY", "channel": "SMS", "enabled": True},
        {"kind": "PLAN_UPDATED", "channel": "EMAIL", "enabled": False},
    ]
    await gql.execute(UPDATE, {"changes": changes}, as_user=maria.id)
    await notify(
        NewNotification(user_id=maria.id, kind=NotificationKind.SECURITY, title="Password changed"),
        NewNotification(user_id=maria.id, kind=NotificationKind.PLAN_UPDATED, title="Plan"),
    )
    made = await Delivery.all().prefetch_related("notification").order_by("id")
    # Security email is the account mail itself (never a second one here); SMS as asked.
    assert [(d.notification.kind, d.channel) for d in made] == [
        (NotificationKind.SECURITY, NotificationChannel.SMS),
        (NotificationKind.PLAN_UPDATED, NotificationChannel.PUSH),
    ]


# --- quiet hours: when a window ends --------------------------------------------------------------


def _at(zone: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


NIGHT = Window(time(22, 0), time(7, 0), NEW_YORK)


@pytest.mark.parametrize(
    ("moment", "release"),
    [
        # An ordinary night: 23:00 EST waits until 07:00 EST (12:00 UTC).
        (_at(NEW_YORK, 2026, 3, 6, 23, 0), datetime(2026, 3, 7, 12, 0, tzinfo=UTC)),
        # The night clocks spring forward (8 March 2026): 07:00 is EDT, 11:00 UTC.
        (_at(NEW_YORK, 2026, 3, 7, 23, 0), datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),
        # After midnight, in the same night's window, before and after the change.
        (_at(NEW_YORK, 2026, 3, 8, 1, 30), datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),
        (_at(NEW_YORK, 2026, 3, 8, 3, 30), datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),
        # The night clocks fall back (1 November 2026): 07:00 is EST again, 12:00 UTC.
        (_at(NEW_YORK, 2026, 10, 31, 23, 0), datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
        # Exactly at the start is quiet; exactly at the end is not.
        (_at(NEW_YORK, 2026, 6, 1, 22, 0), datetime(2026, 6, 2, 11, 0, tzinfo=UTC)),
        (_at(NEW_YORK, 2026, 6, 2, 7, 0), None),
        (_at(NEW_YORK, 2026, 6, 2, 12, 0), None),
    ],
)
def test_a_window_spanning_midnight(moment: datetime, release: datetime | None) -> None:
    assert NIGHT.release_at(moment) == release


def test_a_window_within_one_day_and_an_end_that_the_clock_skips() -> None:
    lunch = Window(time(12, 0), time(13, 30), "Europe/Berlin")
    assert lunch.release_at(_at("Europe/Berlin", 2026, 7, 1, 12, 15)) == datetime(
        2026, 7, 1, 11, 30, tzinfo=UTC
    )
    assert lunch.release_at(_at("Europe/Berlin", 2026, 7, 1, 11, 59)) is None
    assert lunch.release_at(_at("Europe/Berlin", 2026, 7, 1, 23, 0)) is None
    # 02:30 does not exist on 8 March 2026 in New York: the window ends just after the gap.
    gap = Window(time(1, 0), time(2, 30), NEW_YORK)
    assert gap.release_at(_at(NEW_YORK, 2026, 3, 8, 1, 45)) == datetime(
        2026, 3, 8, 7, 30, tzinfo=UTC
    )


# --- quiet hours: the API and the deliveries ------------------------------------------------------


async def test_setting_and_clearing_quiet_hours(gql: GraphQLClient) -> None:
    maria = await make_user()
    assert await gql.execute(QUIET, as_user=maria.id) == {"data": {"quietHours": None}}
    body = await gql.execute(
        SET_QUIET, {"starts": "22:00:00", "ends": "07:00:00"}, as_user=maria.id
    )
    assert body["data"]["setQuietHours"] == {
        "__typename": "QuietHours",
        "starts": "22:00:00",
        "ends": "07:00:00",
        "timeZone": NEW_YORK,
    }
    moved = await gql.execute(
        SET_QUIET, {"starts": "21:30:00", "ends": "06:45:00"}, as_user=maria.id
    )
    assert moved["data"]["setQuietHours"]["starts"] == "21:30:00"
    assert (await gql.execute(QUIET, as_user=maria.id))["data"]["quietHours"] == {
        "starts": "21:30:00",
        "ends": "06:45:00",
        "timeZone": NEW_YORK,
    }
    empty = await gql.execute(
        SET_QUIET, {"starts": "08:00:00", "ends": "08:00:00"}, as_user=maria.id
    )
    assert empty["data"]["setQuietHours"] == {
        "__typename": "NotificationErrors",
        "errors": [{"code": "QUIET_HOURS_EMPTY", "field": "ends"}],
    }
    assert await gql.execute(CLEAR_QUIET, as_user=maria.id) == {"data": {"clearQuietHours": True}}
    assert await gql.execute(CLEAR_QUIET, as_user=maria.id) == {"data": {"clearQuietHours": False}}
    assert await gql.execute(QUIET, as_user=maria.id) == {"data": {"quietHours": None}}


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M:00")


async def test_quiet_hours_hold_non_urgent_deliveries_and_urgent_ones_go_at_once(
    gql: GraphQLClient, settings: Settings
) -> None:
    maria = await make_user()  # America/New_York
    local_now = datetime.now(ZoneInfo(NEW_YORK))
    starts, ends = local_now - timedelta(hours=1), local_now + timedelta(hours=2)
    await gql.execute(SET_QUIET, {"starts": _hhmm(starts), "ends": _hhmm(ends)}, as_user=maria.id)
    expected_release = ends.replace(second=0, microsecond=0).astimezone(UTC)

    await notify(NewNotification(user_id=maria.id, kind=NotificationKind.NEW_MESSAGE, title="A"))
    waiting = await Delivery.get(channel=NotificationChannel.EMAIL)
    assert waiting.not_before == expected_release
    (job,) = await Job.filter(kind=DELIVER_JOB)
    assert job.run_at == expected_release
    assert await run_jobs(settings) == 0  # nothing due yet
    assert (await Delivery.get(id=waiting.id)).status == DeliveryStatus.PENDING

    await notify(
        NewNotification(
            user_id=maria.id, kind=NotificationKind.NEW_MESSAGE_URGENT, title="B", urgent=True
        )
    )
    urgent = await Delivery.get(channel=NotificationChannel.EMAIL, id__gt=waiting.id)
    assert urgent.not_before < expected_release - timedelta(minutes=30)
    assert await run_jobs(settings) == 2  # its email and its SMS, quiet hours or not
    assert (await Delivery.get(id=urgent.id)).status == DeliveryStatus.SENT
    sms = await Delivery.get(
        channel=NotificationChannel.SMS, notification_id=urgent.notification_id
    )
    assert sms.status == DeliveryStatus.SENT
    assert (await Delivery.get(id=waiting.id)).status == DeliveryStatus.PENDING

    # A job that comes due before its delivery may go (moved by hand here) waits again.
    await make_jobs_due()
    assert await run_jobs(settings) == 1
    assert (await Delivery.get(id=waiting.id)).status == DeliveryStatus.PENDING
    job = await Job.get(id=job.id)
    assert job.finished_at is None
    assert job.attempts == 0
    # When quiet hours are over, it goes.
    await Delivery.filter(id=waiting.id).update(not_before=datetime.now(UTC) - timedelta(seconds=1))
    await make_jobs_due()
    await run_jobs(settings)
    assert (await Delivery.get(id=waiting.id)).status == DeliveryStatus.SENT


async def test_an_unknown_time_zone_is_treated_as_utc(database: None) -> None:
    maria = await make_user()
    await User.filter(id=maria.id).update(time_zone="Mars/Olympus_Mons")
    window = Window(time(0, 0), time(23, 59), "Mars/Olympus_Mons")
    moment = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
    assert window.release_at(moment) == datetime(2026, 5, 5, 23, 59, tzinfo=UTC)
