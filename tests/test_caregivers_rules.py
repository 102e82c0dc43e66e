"""One rule for what the patient's age does to a grant (api/access/grant_terms): each request's
scope, what `caregiverGrants` and `caregiving` show and whom reminders reach all agree with it.
A dependent without an account of their own has their guardians told instead: plan updates and
profile reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from api.access.grant_terms import given_by_patient, grant_terms
from api.access.needs import GRANTABLE, Need
from api.models.accounts import Role, User
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.models.jobs import Job
from api.models.notifications import (
    Delivery,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from api.models.patients import Patient
from api.realtime.events import transaction
from api.services import jobs
from api.services.caregivers.recipients import Recipient, guardians_of, recipients_for
from api.services.patients import review
from api.services.scheduling import reminders
from api.settings import Settings
from tests.accounts_support import make_user
from tests.caregivers_flows import CAREGIVING, GRANTS, result
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import assign, gid
from tests.conftest import GraphQLClient
from tests.plans_support import NOW as PLAN_NOW
from tests.plans_support import activate, create_plan, make_clinic, set_now
from tests.scheduling_support import book_directly, small_clinic
from tests.sql_counter import count_sql

CONFIDENTIAL = ("healthHistory", "currentCondition")
LIVE: tuple[bool, tuple[str, ...]] = (True, ())
HIDING: tuple[bool, tuple[str, ...]] = (True, CONFIDENTIAL)
ENDED: tuple[bool, tuple[str, ...]] = (False, ())
# (live, fields hidden) by who gave the grant and the patient's age (None: not known).
TABLE: dict[str, dict[int | None, tuple[bool, tuple[str, ...]]]] = {
    "patient-given proxy": {12: LIVE, 15: LIVE, 18: LIVE, None: LIVE},
    "guardian-given proxy": {12: LIVE, 15: HIDING, 18: ENDED, None: LIVE},
    "guardian": {12: LIVE, 15: HIDING, 18: ENDED, None: LIVE},
}
RECORD = """query($id: ID!) { patient(id: $id) {
  givenName healthHistory { medications { name } } currentCondition { symptoms }
} }"""


def born(age: int | None) -> date | None:
    """A birthday exactly `age` years ago (the 1st of this month, in UTC as the API counts)."""
    if age is None:
        return None
    today = datetime.now(UTC).date()
    return today.replace(year=today.year - age, day=1)


@dataclass(frozen=True)
class Case:
    name: str  # a row of TABLE
    holder: User
    patient: Patient
    grant: CaregiverGrant


async def _given_by(given: CaregiverGrant, user: User) -> CaregiverGrant:
    given.granted_by_id = user.id
    await given.save(update_fields=["granted_by_id"])
    return given


async def _cases(age: int | None) -> list[Case]:
    """A teenager with an account of their own and a dependent without one, both `age`:
    a friend the teenager chose, their mum (guardian of both) and a grandpa mum chose."""
    teen_user = await make_user("liam@example.org", roles=(Role.PATIENT,))
    teen = await Patient.create(
        user=teen_user, given_name="Liam", family_name="Chen", date_of_birth=born(age)
    )
    child = await Patient.create(given_name="Mia", family_name="Chen", date_of_birth=born(age))
    friend = await make_caregiver("friend@example.org", name="Sam Friend")
    mum = await make_caregiver("mum@example.org", name="Grace Chen")
    grandpa = await make_caregiver("grandpa@example.org", name="Wei Chen")
    cases = [Case("patient-given proxy", friend, teen, await grant(teen, friend, GRANTABLE))]
    for patient in (teen, child):
        cases.append(
            Case("guardian", mum, patient, await grant(patient, mum, kind=GrantKind.GUARDIAN))
        )
        proxy = await _given_by(await grant(patient, grandpa, GRANTABLE), mum)
        cases.append(Case("guardian-given proxy", grandpa, patient, proxy))
    assert (await CaregiverGrant.get(id=cases[0].grant.id)).granted_by_id == teen_user.id
    return cases


async def _per_request(gql: GraphQLClient, case: Case) -> tuple[bool, tuple[str, ...]]:
    """What the request's scope lets the holder do, acting for the patient."""
    patient_id = gid("Patient", case.patient.id)
    body = await gql.execute(
        RECORD, {"id": patient_id}, as_user=case.holder.id, acting_for=patient_id
    )
    found = (body.get("data") or {}).get("patient")
    codes = [error["extensions"]["code"] for error in body.get("errors") or []]
    if found is None:
        assert set(codes) <= {"NOT_FOUND"}, body  # out of reach: null, never FORBIDDEN
        return ENDED
    assert found["givenName"] == case.patient.given_name
    hidden = {
        error["path"][-1]
        for error in body.get("errors") or []
        if error["extensions"]["code"] == "FORBIDDEN"
    }
    assert len(hidden) == len(codes), body  # nothing but confidential fields refused
    return True, tuple(field for field in CONFIDENTIAL if field in hidden)


async def _shown(gql: GraphQLClient, case: Case, admin: User) -> tuple[bool, tuple[str, ...]]:
    """What the caregivers domain shows: the grant's status (to the clinic) and, while it is
    live, the holder's care recipient with its confidential fields."""
    patient_id = gid("Patient", case.patient.id)
    grants = result(
        await gql.execute(GRANTS, {"patient": patient_id}, as_user=admin.id), "caregiverGrants"
    )
    (status,) = [g["status"] for g in grants if g["id"] == gid("CaregiverGrant", case.grant.id)]
    caregiving = result(await gql.execute(CAREGIVING, as_user=case.holder.id), "caregiving")
    listed = [r for r in caregiving if r["patientId"] == patient_id]
    if status == "EXPIRED":
        assert listed == []
        return ENDED
    assert status == "ACTIVE"
    (recipient,) = listed
    return True, tuple(recipient["confidentialFields"])


def _pure(case: Case, settings: Settings) -> tuple[bool, tuple[str, ...]]:
    kind = GrantKind(case.grant.kind)
    terms = grant_terms(
        kind,
        given_by_patient(kind, case.grant.granted_by_id, case.patient.user_id),
        case.patient.date_of_birth,
        datetime.now(UTC).date(),
        settings,
    )
    return (True, terms.confidential) if terms.live else ENDED


@pytest.mark.parametrize("age", [12, 15, 18, None])
async def test_the_scope_and_what_is_shown_follow_one_rule(
    gql: GraphQLClient, settings: Settings, age: int | None
) -> None:
    assert settings.guardian_confidential_fields == CONFIDENTIAL
    assert (settings.adolescent_age, settings.adult_age) == (13, 18)
    admin = await make_user("admin@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    cases = await _cases(age)
    assert len(cases) == 5
    for case in cases:
        expected = TABLE[case.name][age]
        assert _pure(case, settings) == expected, case.name
        assert await _per_request(gql, case) == expected, (case.name, case.patient.given_name)
        assert await _shown(gql, case, admin) == expected, (case.name, case.patient.given_name)


# --- reminders: planned and re-checked when sent by the same rule --------------------------


async def _planned_users(appointment_id: int) -> set[int]:
    waiting = await Job.filter(
        kind=reminders.REMINDER_JOB,
        finished_at=None,
        dedupe_key__startswith=reminders.job_key_prefix(appointment_id),
    )
    return {int(str(job.payload["user_id"])) for job in waiting}


async def _reminded(user_id: int) -> int:
    return await Notification.filter(
        user_id=user_id, kind=NotificationKind.APPOINTMENT_REMINDER
    ).count()


async def test_reminders_follow_the_rule_when_planned_and_when_sent(
    database: None, settings: Settings
) -> None:
    clinic = await small_clinic()
    await Patient.filter(id=clinic.patient.id).update(date_of_birth=born(12))
    friend = await make_caregiver("friend@example.org")
    mum = await make_caregiver("mum@example.org")
    grandpa = await make_caregiver("grandpa@example.org")
    await grant(clinic.patient, friend, [Need.REMINDERS])
    await grant(clinic.patient, mum, kind=GrantKind.GUARDIAN)
    await _given_by(await grant(clinic.patient, grandpa, [Need.REMINDERS]), mum)
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    appointment = await book_directly(clinic, starts)
    async with transaction():
        await reminders.schedule_for(settings, appointment)
    own = clinic.patient_user.id
    assert await _planned_users(appointment.id) == {own, friend.id, mum.id, grandpa.id}

    # Eighteen before the reminders go: the grants the patient did not give send nothing.
    await Patient.filter(id=clinic.patient.id).update(date_of_birth=born(18))
    await Job.filter(dedupe_key__startswith=reminders.job_key_prefix(appointment.id)).update(
        run_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    await jobs.run_until_idle(settings)
    assert [await _reminded(user) for user in (own, friend.id, mum.id, grandpa.id)] == [2, 2, 0, 0]
    later = await book_directly(clinic, starts + timedelta(days=2))
    async with transaction():
        await reminders.schedule_for(settings, later)
    assert await _planned_users(later.id) == {own, friend.id}


# --- a dependent's guardians are told ------------------------------------------------------


async def _dependent(name: str, age: int, **columns: Any) -> Patient:
    return await Patient.create(
        given_name=name,
        family_name="Chen",
        date_of_birth=born(age),
        time_zone="America/New_York",
        **columns,
    )


async def _no_email(user: User, kind: NotificationKind) -> None:
    await NotificationPreference.create(
        user_id=user.id,
        kind=kind,
        channel=NotificationChannel.EMAIL,
        enabled=False,
        updated_at=datetime.now(UTC),
    )


async def _channels(notification: Notification) -> set[str]:
    rows = await Delivery.filter(notification_id=notification.id).values_list("channel", flat=True)
    return {str(channel) for channel in rows}


async def test_a_dependents_guardians_hear_of_a_plan_update(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_now(monkeypatch, PLAN_NOW)
    clinic = await make_clinic()
    liam = await _dependent("Liam", 8)
    await assign(liam, clinic.therapist)
    mum = await make_caregiver("mum@example.org", name="Grace Chen")
    dad = await make_caregiver("dad@example.org", name="Wei Chen")
    former = await make_caregiver("former@example.org", name="Ex Guardian")
    grandpa = await make_caregiver("grandpa@example.org", name="Old Chen")
    await grant(liam, mum, kind=GrantKind.GUARDIAN)
    await grant(liam, dad, kind=GrantKind.GUARDIAN)
    await grant(liam, former, kind=GrantKind.GUARDIAN, status=GrantStatus.REVOKED)
    await _given_by(await grant(liam, grandpa, [Need.PLAN_VIEW]), mum)  # not a guardian
    await _no_email(mum, NotificationKind.PLAN_UPDATED)  # her choice, not dad's

    plan = await create_plan(gql, clinic, patientId=gid("Patient", liam.id))
    assert await Notification.all().count() == 0  # a draft is nobody's news yet
    assert (await activate(gql, clinic, plan["id"]))["__typename"] == "TreatmentPlanPayload"

    told = await Notification.filter(kind=NotificationKind.PLAN_UPDATED).order_by("user_id")
    assert [(row.user_id, row.patient_id) for row in told] == [(mum.id, liam.id), (dad.id, liam.id)]
    assert {row.title for row in told} == {"Liam's treatment plan was updated"}
    assert all(row.body.startswith("Liam's therapist changed the plan: ") for row in told)
    assert all(row.link == "/plan" for row in told)
    mine, his = told
    assert NotificationChannel.EMAIL.value not in await _channels(mine)
    assert NotificationChannel.EMAIL.value in await _channels(his)

    # Once Liam is an adult his guardians' access has ended: nobody is told (he has no account).
    await Patient.filter(id=liam.id).update(date_of_birth=born(18))
    rename = """mutation($id: ID!) { updateTreatmentPlan(input: {planId: $id, title: "Run"}) {
      __typename } }"""
    body = await gql.execute(rename, {"id": plan["id"]}, as_user=clinic.dana.id)
    assert body["data"]["updateTreatmentPlan"]["__typename"] == "TreatmentPlanPayload", body
    assert await Notification.filter(kind=NotificationKind.PLAN_UPDATED).count() == 2


async def test_a_dependents_guardians_are_told_of_a_due_profile_review(
    database: None, settings: Settings
) -> None:
    now = datetime.now(UTC)
    due: dict[str, Any] = {"profile_review_due_at": now - timedelta(days=1)}
    maria = await make_user("maria@example.org", roles=(Role.PATIENT,))
    own = await Patient.create(user=maria, given_name="Maria", family_name="Gonzalez", **due)
    liam = await _dependent("Liam", 15, **due)
    mia = await _dependent("Mia", 6, **due)  # nobody to tell yet
    noah = await _dependent("Noah", 19, **due)  # an adult: guardianship over
    mum = await make_caregiver("mum@example.org", name="Grace Chen")
    dad = await make_caregiver("dad@example.org", name="Wei Chen")
    grandpa = await make_caregiver("grandpa@example.org", name="Old Chen")
    await grant(liam, mum, kind=GrantKind.GUARDIAN)
    await grant(liam, dad, kind=GrantKind.GUARDIAN, expires_at=now - timedelta(minutes=1))
    await _given_by(await grant(liam, grandpa, GRANTABLE), mum)
    await grant(noah, mum, kind=GrantKind.GUARDIAN)
    await _no_email(dad, NotificationKind.PROFILE_REVIEW_DUE)

    with count_sql() as sql:
        assert await review.notify_due_profile_reviews(now, settings=settings) == 2
    assert len([s for s in sql.statements if "caregivers_grant" in s]) == 1  # one batch

    rows = await Notification.filter(kind=NotificationKind.PROFILE_REVIEW_DUE).order_by("id")
    assert [(row.user_id, row.patient_id, row.title) for row in rows] == [
        (maria.id, own.id, review.TITLE),
        (mum.id, liam.id, "Time to review Liam's profile"),
    ]
    assert "health history" not in rows[1].body  # she may not see it: Liam is 15
    assert await _channels(rows[1]) == {NotificationChannel.EMAIL.value}  # her own defaults
    claimed = dict(await Patient.all().values_list("id", "profile_review_notified_at"))
    assert (claimed[own.id], claimed[liam.id]) == (now, now)
    assert (claimed[mia.id], claimed[noah.id]) == (None, None)  # nobody to tell

    # A guardian who appears later hears of it on the next round; nobody twice.
    await grant(mia, dad, kind=GrantKind.GUARDIAN)
    assert await review.notify_due_profile_reviews(now, settings=settings) == 1
    latest = await Notification.filter(kind=NotificationKind.PROFILE_REVIEW_DUE).order_by("-id")
    assert (latest[0].user_id, latest[0].patient_id) == (dad.id, mia.id)
    assert await _channels(latest[0]) == set()  # he switched the email off
    assert await review.notify_due_profile_reviews(now, settings=settings) == 0


async def test_the_guardians_of_a_batch_are_one_statement(
    database: None, settings: Settings
) -> None:
    mum = await make_caregiver("mum@example.org")
    children = [await _dependent(f"Child{index}", 5 + index) for index in range(10)]
    for child in children:
        await grant(child, mum, kind=GrantKind.GUARDIAN)
    counts = []
    for size in (1, 10):
        with count_sql() as sql:
            found = await guardians_of(settings, [child.id for child in children[:size]])
        counts.append(sql.count)
        assert found == {child.id: [mum.id] for child in children[:size]}
    assert counts == [1, 1]
    with count_sql() as sql:
        accounts = {children[0].id: None, 999_999: 42}
        assert await recipients_for(settings, accounts) == {
            children[0].id: [Recipient(mum.id, own=False)],
            999_999: [Recipient(42, own=True)],
        }
        assert await recipients_for(settings, {999_999: 42}) == {999_999: [Recipient(42, own=True)]}
    assert sql.count == 1  # none at all when every patient has an account
