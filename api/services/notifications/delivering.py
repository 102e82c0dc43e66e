"""Running one delivery: the `notifications.deliver` job sends a notification on one channel.

Each run records a DeliveryAttempt (the channel's answer, without personal data). A failure is
retried with the jobs' backoff; after the job's last attempt the delivery is FAILED. A delivery
that is no longer PENDING is left alone, so a job that runs twice sends once. What leaves the
app is the kind's headline and a link, never the notification's title or body.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from tortoise.expressions import F

from api.delivery.channels import ChannelMessage, Outcome, Recipient, Sender, SendResult
from api.delivery.email_sender import EmailSender
from api.delivery.push import PushSender
from api.delivery.sms import SmsSender
from api.models.accounts import User
from api.models.notifications import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationKind,
)
from api.observability import get_logger
from api.realtime.events import transaction
from api.services import jobs
from api.services.notifications.centre import DELIVER_JOB
from api.settings import Settings

log = get_logger(__name__)
K = NotificationKind

HEADLINES: Mapping[NotificationKind, str] = {
    K.PLAN_UPDATED: "Your plan in Relief was updated",
    K.PROFILE_REVIEW_DUE: "Please review your profile in Relief",
    K.QUESTIONNAIRE_DUE: "You have a questionnaire waiting in Relief",
    K.APPOINTMENT_BOOKED: "You have a new appointment in Relief",
    K.APPOINTMENT_CHANGED: "One of your appointments in Relief changed",
    K.APPOINTMENT_REMINDER: "You have an upcoming appointment in Relief",
    K.WAITLIST_SLOT_OPEN: "A time you were waiting for is free in Relief",
    K.NEW_MESSAGE: "You have a new message in Relief",
    K.URGENT_MESSAGE_ESCALATION: "An urgent message in Relief is waiting for an answer",
    K.NEW_MESSAGE_URGENT: "You have a new urgent message in Relief",
    K.MESSAGE_OVERDUE: "A message in Relief is waiting for an answer",
    K.VIDEO_COMMENT: "You have a new comment in Relief",
    K.SECURITY: "There was a security change on your Relief account",
    K.CAREGIVER_ACCESS: "There was a change to caregiver access in Relief",
    # The same words for the patient, a guardian and the admins: no patient is named.
    K.EMERGENCY_ACCESS: "A clinician opened a record in Relief in an emergency",
}

SENDERS: Mapping[NotificationChannel, Callable[[Settings], Sender]] = {
    NotificationChannel.EMAIL: EmailSender,
    NotificationChannel.SMS: SmsSender,
    NotificationChannel.PUSH: PushSender,
}


class DeliveryFailed(Exception):
    """The channel did not take the message this time (the attempt row says why)."""


def link_for(settings: Settings, path: str) -> str:
    """An absolute link from PORTAL_PUBLIC_URL; anything but an app path goes to the centre."""
    if not path.startswith("/") or path.startswith("//"):
        path = "/notifications"
    return f"{settings.public_url}{path}"


@jobs.handler(DELIVER_JOB)
async def deliver(run: jobs.JobRun) -> None:
    notification_id = run.payload.get("notification_id")
    channel_name = run.payload.get("channel")
    if not isinstance(notification_id, int) or not isinstance(channel_name, str):
        raise ValueError("a delivery job needs notification_id and channel")
    channel = NotificationChannel(channel_name)
    delivery = await Delivery.get_or_none(notification_id=notification_id, channel=channel)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return  # sent, skipped or given up already: this run is a repeat
    at = jobs.now()
    if delivery.not_before > at:  # the job was made due early (moved by hand, or a clock)
        raise jobs.RetryLater("waiting for quiet hours to end", delivery.not_before - at)
    notification = await Notification.get(id=notification_id)
    person = await User.get(id=notification.user_id)
    recipient = Recipient(
        user_id=person.id, name=person.display_name, email=person.email, phone=person.phone
    )
    message = ChannelMessage(
        delivery_id=delivery.id,
        headline=HEADLINES[NotificationKind(notification.kind)],
        link=link_for(run.settings, notification.link),
        urgent=notification.urgent,
    )
    started = time.perf_counter()
    try:
        result = await SENDERS[channel](run.settings).send(recipient, message)
    except Exception as error:  # a sender's bug: recorded as a failed attempt, FAILED at the last
        result = SendResult.failed(f"the {channel.value} sender raised {type(error).__name__}")
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    done = jobs.now()
    if result.outcome is Outcome.SENT:
        status, changes = DeliveryStatus.SENT, {"sent_at": done, "last_error": ""}
    elif result.outcome is Outcome.SKIPPED:
        status, changes = DeliveryStatus.SKIPPED, {"last_error": result.detail}
    else:
        status = DeliveryStatus.FAILED if run.is_last_attempt else DeliveryStatus.PENDING
        changes = {"last_error": result.detail}
    async with transaction():
        await DeliveryAttempt.create(
            delivery_id=delivery.id,
            attempted_at=done,
            succeeded=result.outcome is Outcome.SENT,
            detail=result.detail,
        )
        await Delivery.filter(id=delivery.id, status=DeliveryStatus.PENDING).update(
            status=status, attempts=F("attempts") + 1, **changes
        )
    log.info(
        "notification_delivery",
        delivery_id=delivery.id,
        channel=channel.value,
        outcome=result.outcome.value,
        attempt=run.attempt,
        elapsed_ms=elapsed_ms,
    )
    if result.outcome is Outcome.FAILED:
        raise DeliveryFailed(channel.value)
