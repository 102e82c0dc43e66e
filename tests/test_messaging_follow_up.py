"""What a message sets off: notifications, urgent escalation, the response promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.jobs import Job
from api.models.messaging import Message, MessageThread
from api.models.notifications import Notification, NotificationKind
from api.services import jobs
from api.services.messaging.business_hours import BusinessCalendar, add_business_hours
from api.settings import Settings
from tests.clinical_support import gid
from tests.conftest import GraphQLClient
from tests.messaging_support import (
    MARK_READ,
    OVERDUE,
    THREADS,
    Clinic,
    make_clinic,
    send,
    start_thread,
)


async def _notifications(kind: NotificationKind) -> list[Notification]:
    return await Notification.filter(kind=kind).order_by("user_id")


async def _due_now(kind: str) -> None:
    """Time passes: the job of this kind is due."""
    moved = await Job.filter(kind=kind, finished_at=None).update(
        run_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert moved == 1


async def test_messages_notify_the_other_side_without_their_words(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user, body="My secret symptoms")
    thread_id = started["thread"]["id"]
    to_team = await _notifications(NotificationKind.NEW_MESSAGE)
    assert [n.user_id for n in to_team] == sorted(
        [clinic.therapist_user.id, clinic.colleague_user.id]
    )
    for notification in to_team:
        assert notification.link == f"/messages/{thread_id}"
        assert notification.patient_id == clinic.patient.id
        assert notification.urgent is False
        assert "secret" not in notification.title + notification.body
        assert "Maria" not in notification.title + notification.body

    await Notification.all().delete()
    await send(gql, clinic.therapist_user, thread_id, body="Rest it for two days")
    to_patient = await Notification.all()
    assert [(n.user_id, n.kind, n.title) for n in to_patient] == [
        (clinic.patient_user.id, NotificationKind.NEW_MESSAGE, "New message from your therapist")
    ]
    assert "Rest" not in to_patient[0].body


async def test_an_urgent_message_reaches_the_whole_team_at_once(
    gql: GraphQLClient, database: None
) -> None:
    clinic = await make_clinic()
    await start_thread(gql, clinic.patient_user, urgent=True)
    urgent = await _notifications(NotificationKind.NEW_MESSAGE_URGENT)
    assert [(n.user_id, n.urgent) for n in urgent] == sorted(
        [(clinic.therapist_user.id, True), (clinic.colleague_user.id, True)]
    )
    assert await _notifications(NotificationKind.NEW_MESSAGE) == []
    job = await Job.get(kind="messaging.urgent_escalation")
    message = await Message.get()
    assert job.dedupe_key == f"messaging.urgent_escalation:{message.id}"
    assert abs((job.run_at - message.created_at) - timedelta(minutes=60)) < timedelta(seconds=1)


async def _urgent(gql: GraphQLClient, clinic: Clinic) -> tuple[str, str]:
    started = await start_thread(gql, clinic.patient_user, urgent=True, body="Sudden swelling")
    return started["thread"]["id"], started["message"]["id"]


async def test_an_unread_urgent_message_is_escalated_to_admins(
    gql: GraphQLClient, database: None, settings: Settings
) -> None:
    clinic = await make_clinic()
    thread_id, _ = await _urgent(gql, clinic)
    # Not yet due: nothing happens.
    await jobs.run_until_idle(settings)
    assert await _notifications(NotificationKind.URGENT_MESSAGE_ESCALATION) == []

    await _due_now("messaging.urgent_escalation")
    await jobs.run_until_idle(settings)
    escalated = await _notifications(NotificationKind.URGENT_MESSAGE_ESCALATION)
    assert [(n.user_id, n.urgent, n.link) for n in escalated] == [
        (clinic.admin_user.id, True, f"/messages/{thread_id}")
    ]
    assert "swelling" not in escalated[0].body
    message = await Message.get()
    assert message.escalated_at is not None
    assert message.acknowledged_at is None
    job = await Job.get(kind="messaging.urgent_escalation")
    assert job.outcome == "DONE"


async def test_an_urgent_message_a_clinician_read_is_not_escalated(
    gql: GraphQLClient, database: None, settings: Settings
) -> None:
    clinic = await make_clinic()
    thread_id, message_id = await _urgent(gql, clinic)
    # The patient reading their own thread acknowledges nothing.
    await gql.execute(MARK_READ, {"threadId": thread_id}, as_user=clinic.patient_user.id)
    assert (await Message.get()).acknowledged_at is None

    urgent_only = {"filter": {"urgentOnly": True}}
    inbox = await gql.execute(THREADS, urgent_only, as_user=clinic.therapist_user.id)
    assert [e["node"]["id"] for e in inbox["data"]["messageThreads"]["edges"]] == [thread_id]

    await gql.execute(
        MARK_READ, {"threadId": thread_id, "upTo": message_id}, as_user=clinic.colleague_user.id
    )
    inbox = await gql.execute(THREADS, urgent_only, as_user=clinic.therapist_user.id)
    assert inbox["data"]["messageThreads"]["edges"] == []
    message = await Message.get()
    assert message.acknowledged_at is not None
    assert message.acknowledged_by_id == clinic.colleague_user.id

    await _due_now("messaging.urgent_escalation")
    await jobs.run_until_idle(settings)
    assert await _notifications(NotificationKind.URGENT_MESSAGE_ESCALATION) == []
    assert (await Message.get()).escalated_at is None


async def test_an_urgent_message_answered_is_not_escalated(
    gql: GraphQLClient, database: None, settings: Settings
) -> None:
    clinic = await make_clinic()
    thread_id, _ = await _urgent(gql, clinic)
    reply = await send(gql, clinic.therapist_user, thread_id, body="Call me now")
    assert reply["thread"]["awaitingReplySince"] is None
    urgent = await Message.get(urgent=True)
    assert urgent.acknowledged_by_id == clinic.therapist_user.id

    await _due_now("messaging.urgent_escalation")
    await jobs.run_until_idle(settings)
    assert await _notifications(NotificationKind.URGENT_MESSAGE_ESCALATION) == []


async def test_the_response_promise_is_counted_in_business_hours(
    gql: GraphQLClient, database: None, settings: Settings
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    thread = await MessageThread.get()
    assert thread.awaiting_reply_since is not None
    expected = add_business_hours(
        thread.awaiting_reply_since, 24, BusinessCalendar.from_settings(settings)
    )
    assert thread.response_due_at == expected
    job = await Job.get(kind="messaging.response_due")
    assert job.run_at == expected
    assert job.dedupe_key == f"messaging.response_due:{thread.id}"

    # A second patient message joins the same wait: the promise does not move.
    await send(gql, clinic.patient_user, started["thread"]["id"], body="Also my ankle")
    again = await MessageThread.get()
    assert again.awaiting_reply_since == thread.awaiting_reply_since
    assert again.response_due_at == thread.response_due_at
    assert await Job.filter(kind="messaging.response_due").count() == 1


async def test_an_unanswered_thread_becomes_overdue(
    gql: GraphQLClient, database: None, settings: Settings
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    answered = await start_thread(gql, clinic.other_patient_user)  # nobody's care team
    assert answered["thread"]["overdue"] is False
    await jobs.run_until_idle(settings)  # not due yet
    assert await MessageThread.filter(overdue_at__isnull=False).count() == 0

    await Job.filter(kind="messaging.response_due").update(
        run_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    await jobs.run_until_idle(settings)
    overdue = await _notifications(NotificationKind.MESSAGE_OVERDUE)
    assert sorted({n.link for n in overdue}) == sorted(
        [f"/messages/{started['thread']['id']}", f"/messages/{answered['thread']['id']}"]
    )
    assert {n.user_id for n in overdue} == {clinic.admin_user.id}

    admin_view = await gql.execute(OVERDUE, as_user=clinic.admin_user.id)
    admin_ids = {e["node"]["id"] for e in admin_view["data"]["overdueMessageThreads"]["edges"]}
    assert admin_ids == {started["thread"]["id"], answered["thread"]["id"]}
    team_view = await gql.execute(OVERDUE, as_user=clinic.therapist_user.id)
    team_nodes = [e["node"] for e in team_view["data"]["overdueMessageThreads"]["edges"]]
    assert [(n["id"], n["overdue"]) for n in team_nodes] == [(started["thread"]["id"], True)]
    patient_view = await gql.execute(OVERDUE, as_user=clinic.patient_user.id)
    assert patient_view["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # The answer clears the flag and the promise.
    reply = await send(gql, clinic.therapist_user, started["thread"]["id"])
    assert reply["thread"]["overdue"] is False
    assert reply["thread"]["responseDueAt"] is None
    team_view = await gql.execute(OVERDUE, as_user=clinic.therapist_user.id)
    assert team_view["data"]["overdueMessageThreads"]["edges"] == []


async def test_a_reply_cancels_the_promise_job(
    gql: GraphQLClient, database: None, settings: Settings
) -> None:
    clinic = await make_clinic()
    started = await start_thread(gql, clinic.patient_user)
    await send(gql, clinic.therapist_user, started["thread"]["id"])
    job = await Job.get(kind="messaging.response_due")
    assert job.outcome == "CANCELLED"
    # A new question starts a new wait, with a job of its own.
    await send(gql, clinic.patient_user, started["thread"]["id"], body="Follow-up")
    assert await Job.filter(kind="messaging.response_due", finished_at=None).count() == 1
    await Job.filter(kind="messaging.response_due", finished_at=None).update(
        run_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    await jobs.run_until_idle(settings)
    assert await MessageThread.filter(overdue_at__isnull=False).count() == 1
    assert gid("MessageThread", (await MessageThread.get()).id) == started["thread"]["id"]
