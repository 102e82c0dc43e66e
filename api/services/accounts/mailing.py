"""Mail and audit for account events, written inside the caller's transaction and delivered
after it commits (so a rolled-back change mails nobody and SMTP never slows a response)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from api.delivery.mail import MailTemplate, queue_mail, schedule_delivery
from api.models.accounts import User
from api.settings import Settings


@dataclass
class PendingMail:
    """Mail queued during one operation; `send()` after the transaction commits."""

    settings: Settings
    ids: list[int] = field(default_factory=list)

    async def queue(self, to: str, template: MailTemplate, **context: str) -> None:
        row = await queue_mail(to, template, **context)
        self.ids.append(row.id)

    async def to_user(self, user: User, template: MailTemplate, **context: str) -> None:
        await self.queue(user.email, template, name=first_name(user), **context)

    def send(self) -> None:
        if self.ids:
            schedule_delivery(self.settings, list(self.ids))


def first_name(user: User) -> str:
    return (user.display_name.split() or ["there"])[0]


def link(settings: Settings, path: str, token: str) -> str:
    """Links come from PORTAL_PUBLIC_URL, never from the request's Host header."""
    return f"{settings.public_url}{path}?token={token}"


def when(moment: datetime) -> str:
    return moment.strftime("%d %B %Y at %H:%M UTC")


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(1, len(local) - 1)}@{domain}"
