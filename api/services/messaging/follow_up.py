"""What happens later to a message: escalation of an unread urgent one, and the response promise.

Both are durable jobs enqueued in the transaction that stored the message, one per message
(urgent escalation) or per waiting thread (response due), deduplicated by key. Each handler
checks the row's state first: a job that runs twice, or after its reason went away, does
nothing.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from api.models.messaging import Message, MessageThread
from api.models.notifications import NotificationKind
from api.realtime.events import transaction
from api.services import jobs
from api.services.messaging.business_hours import BusinessCalendar, add_business_hours
from api.services.messaging.participants import admin_user_ids
from api.services.notifications import NewNotification, notify
from api.settings import Settings

URGENT_ESCALATION = "messaging.urgent_escalation"
RESPONSE_DUE = "messaging.response_due"
# A due time read back from the database may have lost sub-second precision.
_SAME_DUE = timedelta(seconds=1)


def thread_link(thread_id: int) -> str:
    """The app's page of a thread: /messages/<the thread's global id>."""
    # Strawberry's global id, spelt out here because services do not import Strawberry.
    encoded = base64.b64encode(f"MessageThread:{thread_id}".encode()).decode()
    return f"/messages/{encoded}"


def escalation_key(message_id: int) -> str:
    return f"{URGENT_ESCALATION}:{message_id}"


def response_due_key(thread_id: int) -> str:
    return f"{RESPONSE_DUE}:{thread_id}"


async def schedule_escalation(settings: Settings, message_id: int, at: datetime) -> None:
    await jobs.enqueue(
        URGENT_ESCALATION,
        {"message_id": message_id},
        run_at=at + timedelta(minutes=settings.urgent_escalation_minutes),
        dedupe_key=escalation_key(message_id),
    )


def response_due_at(settings: Settings, since: datetime) -> datetime:
    return add_business_hours(
        since, settings.response_promise_business_hours, BusinessCalendar.from_settings(settings)
    )


async def schedule_response_due(thread_id: int, due: datetime) -> None:
    await jobs.enqueue(
        RESPONSE_DUE,
        {"thread_id": thread_id, "due": due.astimezone(UTC).isoformat()},
        run_at=due,
        dedupe_key=response_due_key(thread_id),
    )


async def cancel_response_due(thread_id: int) -> None:
    await jobs.cancel(response_due_key(thread_id))


@jobs.handler(URGENT_ESCALATION)
async def escalate_urgent_message(run: jobs.JobRun) -> None:
    """Nobody of the clinic read or answered an urgent message in time: tell every admin."""
    message_id = run.payload.get("message_id")
    if not isinstance(message_id, int):
        return
    async with transaction():
        escalated = await Message.filter(
            id=message_id, urgent=True, acknowledged_at=None, escalated_at=None
        ).update(escalated_at=jobs.now())
        if not escalated:  # acknowledged in time, or escalated by an earlier run
            return
        found = (
            await Message.filter(id=message_id).first().values("thread_id", "thread__patient_id")
        )
        if found is None:
            return
        link = thread_link(int(found["thread_id"]))
        patient_id = int(found["thread__patient_id"])
        await notify(
            *(
                NewNotification(
                    user_id=admin,
                    kind=NotificationKind.URGENT_MESSAGE_ESCALATION,
                    title="Urgent patient message not yet read",
                    body=(
                        "An urgent message from a patient has not been read by their care "
                        "team. Please make sure somebody answers it."
                    ),
                    link=link,
                    patient_id=patient_id,
                    urgent=True,
                )
                for admin in await admin_user_ids()
            )
        )


@jobs.handler(RESPONSE_DUE)
async def flag_overdue_thread(run: jobs.JobRun) -> None:
    """The response promise ran out and the thread still waits: flag it, tell the admins."""
    thread_id = run.payload.get("thread_id")
    due_text = run.payload.get("due")
    if not isinstance(thread_id, int) or not isinstance(due_text, str):
        return
    due = datetime.fromisoformat(due_text)
    async with transaction():
        thread = await MessageThread.get_or_none(id=thread_id)
        if thread is None or thread.awaiting_reply_since is None or thread.overdue_at is not None:
            return
        # A job of an earlier wait (answered since, then asked again) is not this wait's.
        if thread.response_due_at is None or abs(thread.response_due_at - due) > _SAME_DUE:
            return
        flagged = await MessageThread.filter(
            id=thread_id, awaiting_reply_since__isnull=False, overdue_at=None
        ).update(overdue_at=jobs.now())
        if not flagged:
            return
        await notify(
            *(
                NewNotification(
                    user_id=admin,
                    kind=NotificationKind.MESSAGE_OVERDUE,
                    title="A patient is waiting for an answer",
                    body="A patient message was not answered within the response promise.",
                    link=thread_link(thread_id),
                    patient_id=thread.patient_id,
                )
                for admin in await admin_user_ids()
            )
        )
