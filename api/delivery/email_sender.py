"""The email channel: the notification mail through the outbox and, when configured, SMTP.

Without `PORTAL_SMTP_URL` the outbox row is the delivery (the development outbox, as for every
other mail). With it, the mail goes over SMTP at once and the outbox row is written as a record
of a sent mail, so `deliver_pending` never sends it a second time; a failure leaves no row and
the delivery's job tries again. Retries carry the same Message-ID, so a mail that did arrive
before a lost reply folds together with its copy.
"""

from __future__ import annotations

from datetime import UTC, datetime

import aiosmtplib

from api.delivery.channels import ChannelMessage, Recipient, SendResult
from api.delivery.smtp import build_message, describe_error, open_client, parse_smtp_url
from api.delivery.templates import MailTemplate, render
from api.models.outbox import OutboxMail
from api.settings import Settings


def _domain(settings: Settings) -> str:
    _, at, domain = settings.mail_from.rpartition("@")
    return domain.strip(" >") if at and domain.strip(" >") else "relief.localhost"


class EmailSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, recipient: Recipient, message: ChannelMessage) -> SendResult:
        if not recipient.email:
            return SendResult.skipped("no email address")
        name = (recipient.name.split() or [""])[0]
        rendered = render(
            MailTemplate.NOTIFICATION, name=name, headline=message.headline, link=message.link
        )
        row = OutboxMail(
            to_address=recipient.email,
            template=MailTemplate.NOTIFICATION.value,
            subject=rendered.subject,
            text_body=rendered.text,
            html_body=rendered.html,
        )
        if self.settings.smtp_url is None:
            await row.save()
            return SendResult.sent("kept in the development outbox (no SMTP relay configured)")
        try:
            config = parse_smtp_url(self.settings.smtp_url)
        except ValueError:
            return SendResult.failed("PORTAL_SMTP_URL is not usable")
        mail = build_message(
            mail_id=message.delivery_id,
            created_at=datetime.now(UTC),
            mail_from=self.settings.mail_from,
            to=recipient.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
        )
        del mail["Message-ID"]
        mail["Message-ID"] = f"<relief.delivery.{message.delivery_id}@{_domain(self.settings)}>"
        try:
            async with open_client(config) as client:
                # The DATA reply's text can echo the address: only its success is kept.
                await client.send_message(mail)
        except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as error:
            return SendResult.failed(describe_error(error))
        row.sent_at = datetime.now(UTC)
        row.attempts = 1
        await row.save()
        return SendResult.sent("SMTP 250: accepted by the relay")
