"""One interface for every channel a notification leaves the app by: email, SMS, Web Push.

A sender gets who to reach and a message that says no more than the kind of thing that happened
(never the notification's own title or body: mail, SMS and push previews are not private), and
answers SENT, FAILED (try again later) or SKIPPED (nothing to send to). It never raises for a
channel's refusal or a network failure, and its `detail` holds no personal data: an SMTP code,
an HTTP status, "no push subscription".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

MAX_DETAIL = 300


class Outcome(StrEnum):
    SENT = "SENT"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    name: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class ChannelMessage:
    delivery_id: int  # stable across retries: a Message-ID, an idempotency key
    headline: str  # e.g. "You have a new message in Relief"
    link: str  # absolute URL into the app
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    detail: str

    @classmethod
    def sent(cls, detail: str) -> SendResult:
        return cls(Outcome.SENT, detail[:MAX_DETAIL])

    @classmethod
    def failed(cls, detail: str) -> SendResult:
        return cls(Outcome.FAILED, detail[:MAX_DETAIL])

    @classmethod
    def skipped(cls, detail: str) -> SendResult:
        return cls(Outcome.SKIPPED, detail[:MAX_DETAIL])


class Sender(Protocol):
    async def send(self, recipient: Recipient, message: ChannelMessage) -> SendResult: ...
