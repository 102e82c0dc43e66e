"""Mail: written to the outbox inside the caller's transaction, delivered after it commits.

The outbox row is the source of truth. Without `PORTAL_SMTP_URL` it *is* the delivery (the
development outbox, `portal outbox`); with it, rows are sent over SMTP in the background so a
response never waits for the relay, and rows that failed stay unsent for `deliver_pending`.
Delivery is at-least-once: two senders racing over one row (a scheduled delivery and a
`deliver_pending` run) can both send it, and the row's fixed Message-ID lets clients fold the
copies together.

Nothing here logs an address or a body: a log line names the outbox row and its template.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage

import aiosmtplib
from tortoise.expressions import F

from api.delivery.smtp import build_message, describe_error, open_client, parse_smtp_url
from api.delivery.templates import MailTemplate, render
from api.models.outbox import OutboxMail
from api.observability import get_logger
from api.services.background import wait_for_background
from api.settings import Settings

# Callers import the template names from here, next to the functions that take them.
__all__ = [
    "MAX_ATTEMPTS",
    "MailTemplate",
    "deliver",
    "deliver_pending",
    "queue_mail",
    "schedule_delivery",
    "schedule_pending_delivery",
    "wait_for_scheduled_deliveries",
]

# After this many failed attempts `deliver_pending` leaves a row alone (a dead address must not
# hold up the queue forever); `deliver` with its id still tries it.
MAX_ATTEMPTS = 8

logger = get_logger(__name__)
_scheduled: set[asyncio.Task[None]] = set()


async def queue_mail(
    to: str, template: MailTemplate, *, attachment_ics: str | None = None, **context: str
) -> OutboxMail:
    """Render and store one mail; call it inside the transaction of the change it reports.

    `attachment_ics`: an iCalendar object sent along as a calendar invitation."""
    if not to or len(to) > 254 or "\r" in to or "\n" in to:
        raise ValueError("not a usable email address")
    rendered = render(template, **context)
    return await OutboxMail.create(
        to_address=to,
        template=template.value,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        attachment_ics=attachment_ics,
    )


async def deliver(settings: Settings, mail_ids: Sequence[int]) -> None:
    """Send these rows if they are still unsent. Never raises: failures stay on the rows."""
    if settings.smtp_url is None or not mail_ids:
        return
    try:
        rows = await OutboxMail.filter(id__in=list(mail_ids), sent_at=None).order_by("id")
        await _send(settings, settings.smtp_url, rows)
    except Exception as error:
        logger.error("mail_delivery_failed", mail_ids=list(mail_ids), error=error)


async def deliver_pending(settings: Settings, limit: int = 100) -> int:
    """Send unsent rows, oldest first (retries after a relay outage); returns how many went."""
    if settings.smtp_url is None:
        return 0
    rows = (
        await OutboxMail.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "id")
        .limit(limit)
    )
    return await _send(settings, settings.smtp_url, rows)


def schedule_delivery(settings: Settings, mail_ids: Sequence[int]) -> None:
    """Deliver in the background; call it only after the transaction that queued the rows."""
    ids = list(mail_ids)
    if settings.smtp_url is None or not ids:
        return
    task = asyncio.get_running_loop().create_task(
        _deliver_in_background(settings, ids), name="relief-mail-delivery"
    )
    # The event loop keeps only weak references to tasks: hold them until they finish.
    _scheduled.add(task)
    task.add_done_callback(_scheduled.discard)


def schedule_pending_delivery(settings: Settings) -> None:
    """Retry, in the background, whatever earlier runs left unsent (called at start-up)."""
    if settings.smtp_url is None:
        return
    task = asyncio.get_running_loop().create_task(
        _deliver_pending_in_background(settings), name="relief-mail-retry"
    )
    _scheduled.add(task)
    task.add_done_callback(_scheduled.discard)


async def _deliver_pending_in_background(settings: Settings) -> None:
    try:
        await deliver_pending(settings)
    except Exception as error:  # a background task must log, never crash the worker
        logger.warning("mail_retry_failed", error=error)


async def wait_for_scheduled_deliveries() -> None:
    """Wait until every scheduled delivery has finished (tests, and shutdown).

    Background work (which may queue mail) finishes first."""
    await wait_for_background()
    while pending := [task for task in _scheduled if not task.done()]:
        await asyncio.gather(*pending, return_exceptions=True)


async def _deliver_in_background(settings: Settings, mail_ids: list[int]) -> None:
    try:
        await deliver(settings, mail_ids)
    except Exception as error:  # deliver() does not raise; nobody awaits this task to see it
        logger.error("mail_delivery_crashed", mail_ids=mail_ids, error=error)


async def _send(settings: Settings, smtp_url: str, rows: Sequence[OutboxMail]) -> int:
    """Send rows over one SMTP connection, then record each outcome; returns how many went."""
    if not rows:
        return 0
    failures: dict[int, str] = {}
    sent: list[int] = []
    try:
        config = parse_smtp_url(smtp_url)
    except ValueError as error:
        failures = dict.fromkeys((row.id for row in rows), str(error))
        await _record_outcomes(rows, sent, failures)
        return 0
    try:
        async with open_client(config) as client:
            for row in rows:
                try:
                    await client.send_message(_message(settings, row))
                except (
                    aiosmtplib.SMTPResponseException,
                    aiosmtplib.SMTPRecipientsRefused,
                    ValueError,
                ) as error:
                    # This message was refused; the connection is still good for the next.
                    failures[row.id] = describe_error(error)
                else:
                    sent.append(row.id)
    except Exception as error:  # the connection failed: every row not sent shares the reason
        reason = describe_error(error)
        for row in rows:
            if row.id not in sent:
                failures.setdefault(row.id, reason)
    await _record_outcomes(rows, sent, failures)
    return len(sent)


def _message(settings: Settings, row: OutboxMail) -> EmailMessage:
    return build_message(
        mail_id=row.id,
        created_at=row.created_at,
        mail_from=settings.mail_from,
        to=row.to_address,
        subject=row.subject,
        text=row.text_body,
        html=row.html_body,
        attachment_ics=row.attachment_ics,
    )


async def _record_outcomes(
    rows: Sequence[OutboxMail], sent: list[int], failures: dict[int, str]
) -> None:
    if sent:
        await OutboxMail.filter(id__in=sent).update(sent_at=datetime.now(UTC))
    by_reason: defaultdict[str, list[int]] = defaultdict(list)
    for mail_id, reason in failures.items():
        by_reason[reason].append(mail_id)
    for reason, ids in by_reason.items():
        await OutboxMail.filter(id__in=ids).update(attempts=F("attempts") + 1, last_error=reason)
    templates = {row.id: row.template for row in rows}
    for mail_id, reason in failures.items():
        logger.warning(
            "mail_not_delivered", mail_id=mail_id, template=templates[mail_id], reason=reason
        )
