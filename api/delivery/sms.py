"""The SMS channel: an HTTP gateway (`PORTAL_SMS_GATEWAY_URL`), or the development outbox.

The gateway gets `POST {to, body}` as JSON with `Authorization: Bearer <PORTAL_SMS_GATEWAY_TOKEN>`
and an `Idempotency-Key` that stays the same across retries of one delivery. Any 2xx is a
success; another status or a network error is a failure to retry. Without a gateway the text
is written to `outbox_sms` (shown at /dev/outbox), which is then the delivery.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from api.delivery.channels import ChannelMessage, Recipient, SendResult
from api.models.outbox import OutboxSms
from api.settings import Settings

TIMEOUT_SECONDS = 10.0
MAX_BODY = 640


def text_of(message: ChannelMessage) -> str:
    return f"Relief: {message.headline}. {message.link}"[:MAX_BODY]


class SmsSender:
    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.client = client

    async def send(self, recipient: Recipient, message: ChannelMessage) -> SendResult:
        if not recipient.phone:
            return SendResult.skipped("no phone number")
        body = text_of(message)
        url = self.settings.sms_gateway_url
        if url is None:
            await OutboxSms.create(to_number=recipient.phone, body=body)
            return SendResult.sent("kept in the development SMS outbox (no gateway configured)")
        headers = {"Idempotency-Key": f"relief-delivery-{message.delivery_id}"}
        token = self.settings.sms_gateway_token
        if token is not None:
            headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        payload = {"to": recipient.phone, "body": body}
        try:
            if self.client is not None:
                response = await self.client.post(url, json=payload, headers=headers)
            else:
                async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
                    response = await client.post(url, json=payload, headers=headers)
        except httpx.HTTPError as error:
            return SendResult.failed(f"no answer from the SMS gateway ({type(error).__name__})")
        if not response.is_success:
            return SendResult.failed(f"the SMS gateway answered HTTP {response.status_code}")
        await OutboxSms.create(to_number=recipient.phone, body=body, sent_at=datetime.now(UTC))
        return SendResult.sent(f"HTTP {response.status_code} from the SMS gateway")


async def newest(limit: int = 20) -> list[OutboxSms]:
    """The development SMS outbox, newest first."""
    return await OutboxSms.all().order_by("-created_at", "-id").limit(limit)
