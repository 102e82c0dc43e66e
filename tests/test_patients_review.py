"""The profile review cycle, its notification job, and the record every patient gets."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from api import cli_ops
from api.models.accounts import Role, User
from api.models.notifications import Notification, NotificationKind
from api.models.patients import Patient
from api.services.accounts.users import EmailTaken
from api.services.patients import profile, review
from api.settings import Settings
from tests.accounts_support import PASSWORD
from tests.cli import portal_env, run_portal
from tests.clinical_support import gid, make_patient
from tests.conftest import GraphQLClient

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 11, 30, 8, 0, tzinfo=UTC), 3, datetime(2027, 2, 28, 8, 0, tzinfo=UTC)),
        (datetime(2027, 11, 30, 8, 0, tzinfo=UTC), 3, datetime(2028, 2, 29, 8, 0, tzinfo=UTC)),
        (datetime(2026, 12, 15, 8, 0, tzinfo=UTC), 3, datetime(2027, 3, 15, 8, 0, tzinfo=UTC)),
        (datetime(2026, 1, 31, 8, 0, tzinfo=UTC), 1, datetime(2026, 2, 28, 8, 0, tzinfo=UTC)),
        (datetime(2026, 5, 17, 8, 0, tzinfo=UTC), 24, datetime(2028, 5, 17, 8, 0, tzinfo=UTC)),
    ],
)
def test_calendar_months(start: datetime, months: int, expected: datetime) -> None:
    assert review.add_months(start, months) == expected


async def _due(email: str, due: datetime | None, **extra: object) -> Patient:
    _, patient = await make_patient(email)
    await Patient.filter(id=patient.id).update(profile_review_due_at=due, **extra)
    return await Patient.get(id=patient.id)


async def test_due_patients_get_one_notification(database: None) -> None:
    due = await _due("due@example.org", NOW - timedelta(days=1))
    exactly_now = await _due("now@example.org", NOW)
    await _due("later@example.org", NOW + timedelta(days=1))
    await _due("told@example.org", NOW - timedelta(days=3), profile_review_notified_at=NOW)
    # A dependent without an account of their own: their guardian is told in a later issue.
    await Patient.create(given_name="Sam", family_name="Lee", profile_review_due_at=NOW)

    assert await review.notify_due_profile_reviews(NOW) == 2
    assert await review.notify_due_profile_reviews(NOW + timedelta(hours=1)) == 0

    rows = (
        await Notification.all()
        .order_by("patient_id")
        .values("user_id", "patient_id", "kind", "title", "link", "read_at")
    )
    assert rows == [
        {
            "user_id": patient.user_id,
            "patient_id": patient.id,
            "kind": NotificationKind.PROFILE_REVIEW_DUE,
            "title": review.TITLE,
            "link": "/profile",
            "read_at": None,
        }
        for patient in (due, exactly_now)
    ]
    stored = await Patient.get(id=due.id)
    assert stored.profile_review_notified_at == NOW


async def test_two_workers_at_once_notify_each_patient_once(database: None) -> None:
    patients = [await _due(f"p{i}@example.org", NOW - timedelta(days=i)) for i in range(12)]
    counts = await asyncio.gather(
        review.notify_due_profile_reviews(NOW), review.notify_due_profile_reviews(NOW)
    )
    assert sum(counts) == 12
    per_patient = await Notification.all().values_list("patient_id", flat=True)
    assert sorted(per_patient) == sorted(patient.id for patient in patients)


async def test_a_record_without_a_due_date_is_scheduled_from_its_start(database: None) -> None:
    old = await _due("old@example.org", None)
    await Patient.filter(id=old.id).update(created_at=NOW - timedelta(days=200))
    recent = await _due("recent@example.org", None)
    await Patient.filter(id=recent.id).update(created_at=NOW - timedelta(days=10))
    assert await review.notify_due_profile_reviews(NOW, review_months=3) == 1
    old_row = await Patient.get(id=old.id)
    assert old_row.profile_review_due_at == review.add_months(NOW - timedelta(days=200), 3)
    recent_row = await Patient.get(id=recent.id)
    assert recent_row.profile_review_due_at == review.add_months(NOW - timedelta(days=10), 3)
    assert await Notification.all().values_list("patient_id", flat=True) == [old.id]


async def test_confirming_a_review_starts_a_new_cycle(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    await Patient.filter(id=patient.id).update(profile_review_due_at=NOW - timedelta(days=1))
    assert await review.notify_due_profile_reviews(NOW) == 1
    confirm = "mutation($id: ID!) { confirmProfileReviewed(patientId: $id) { __typename } }"
    body = await gql.execute(confirm, {"id": gid("Patient", patient.id)}, as_user=user.id)
    assert body == {"data": {"confirmProfileReviewed": {"__typename": "PatientProfilePayload"}}}
    now = datetime.now(UTC)
    assert await review.notify_due_profile_reviews(now) == 0
    stored = await Patient.get(id=patient.id)
    assert stored.profile_review_due_at is not None
    later = stored.profile_review_due_at + timedelta(minutes=1)
    assert await review.notify_due_profile_reviews(later) == 1
    assert await Notification.filter(patient_id=patient.id).count() == 2


async def test_the_periodic_check_runs_until_cancelled(database: None) -> None:
    await _due("due@example.org", datetime.now(UTC) - timedelta(days=1))
    task = asyncio.create_task(review.keep_checking(3, every=timedelta(milliseconds=10)))
    try:
        for _ in range(200):
            if await Notification.all().count():
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # several more rounds: still one notification
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await Notification.all().count() == 1


@pytest.mark.parametrize(
    ("display_name", "given", "family"),
    [
        ("Maria Gonzalez", "Maria", "Gonzalez"),
        ("  Mary   Ann Smith ", "Mary Ann", "Smith"),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Maria de la Cruz", "Maria", "de la Cruz"),
        ("Madonna", "Madonna", ""),
        ("", "", ""),
    ],
)
def test_names_split_into_given_and_family(display_name: str, given: str, family: str) -> None:
    assert profile.split_name(display_name) == profile.PersonName(given=given, family=family)


REGISTER = """mutation($input: RegisterInput!) { register(input: $input) { __typename } }"""
FORM = {
    "email": "liam.chen@example.org",
    "password": PASSWORD,
    "name": "Liam Chen",
    "dateOfBirth": "1992-11-02",
    "phone": "+44 20 7946 0958",
    "timeZone": "Europe/London",
}


async def test_registration_makes_the_patient_record(gql: GraphQLClient) -> None:
    body = await gql.execute(REGISTER, {"input": FORM})
    assert body == {"data": {"register": {"__typename": "Accepted"}}}
    user = await User.get(email="liam.chen@example.org")
    patient = await Patient.get(user_id=user.id)
    assert (patient.given_name, patient.family_name) == ("Liam", "Chen")
    assert (patient.date_of_birth, patient.time_zone, patient.phone) == (
        date(1992, 11, 2),
        "Europe/London",
        "+442079460958",
    )
    assert patient.profile_review_due_at is not None
    expected_due = review.add_months(patient.created_at, 3)
    assert abs(patient.profile_review_due_at - expected_due) < timedelta(seconds=5)
    # The same address again answers the same and makes no second record.
    again = await gql.execute(REGISTER, {"input": FORM})
    assert again == body
    invalid = await gql.execute(REGISTER, {"input": {**FORM, "email": "x@y.z", "timeZone": "Nope"}})
    assert invalid["data"]["register"]["__typename"] == "AccountErrors"
    assert await Patient.all().count() == 1


async def test_created_users_with_the_patient_role_get_a_record(
    settings: Settings, database: None
) -> None:
    patient_user = await cli_ops.create_user(
        settings,
        email="pat@example.org",
        password=PASSWORD,
        roles=[Role.PATIENT],
        display_name="Pat Morgan",
    )
    staff = await cli_ops.create_user(
        settings,
        email="ot@clinic.test",
        password=PASSWORD,
        roles=[Role.THERAPIST],
        display_name="O T",
    )
    with pytest.raises(EmailTaken):
        await cli_ops.create_user(
            settings,
            email="pat@example.org",
            password=PASSWORD,
            roles=[Role.PATIENT],
            display_name="X",
        )
    records = await Patient.all().values_list("user_id", "given_name", "family_name")
    assert records == [(patient_user.id, "Pat", "Morgan")]
    assert not await Patient.filter(user_id=staff.id).exists()


async def test_the_create_user_command_makes_a_patient_record(
    settings: Settings, database: None
) -> None:
    env = portal_env(database_url=settings.database_url, new_user_password=PASSWORD)
    command = [
        "create-user",
        "--email",
        "kim@example.org",
        "--name",
        "Kim Ode",
        "--role",
        "PATIENT",
    ]
    made = await asyncio.to_thread(run_portal, command, env)
    assert made.returncode == 0, made.stderr
    user = await User.get(email="kim@example.org")
    patient = await Patient.get(user_id=user.id)
    assert (patient.given_name, patient.family_name) == ("Kim", "Ode")
    assert patient.profile_review_due_at is not None
