"""The Web Push channel: pywebpush with VAPID, to every browser the user subscribed.

The push body is JSON with `title`, `body` and `link` only; it is encrypted for the browser
(aes128gcm), but the service worker shows it on a lock screen, so it says no more than the kind
of thing that happened. A 404 or 410 from the push service means the browser dropped the
subscription: the row is deleted. Without VAPID keys nothing is sent (SKIPPED, "not configured").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import aiohttp
from py_vapid import Vapid02  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush_async  # type: ignore[import-untyped]

from api.delivery.channels import ChannelMessage, Recipient, SendResult
from api.models.notifications import PushSubscription
from api.settings import Settings

TIMEOUT_SECONDS = 10.0
# How long the push service keeps a message for a browser that is offline.
TTL_SECONDS = 24 * 60 * 60
GONE = frozenset({404, 410})


def payload_of(message: ChannelMessage) -> str:
    return json.dumps({"title": "Relief", "body": message.headline, "link": message.link})


class PushSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        private = settings.vapid_private_key
        self.vapid = (
            Vapid02.from_string(private.get_secret_value())
            if private is not None and settings.push_configured
            else None
        )

    async def send(self, recipient: Recipient, message: ChannelMessage) -> SendResult:
        if self.vapid is None:
            return SendResult.skipped("push is not configured (no VAPID keys)")
        subscriptions = await PushSubscription.filter(user_id=recipient.user_id).order_by("id")
        if not subscriptions:
            return SendResult.skipped("no push subscription")
        statuses: list[str] = []
        delivered: list[int] = []
        gone: list[int] = []
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for subscription in subscriptions:
                status = await self._one(session, subscription, message)
                statuses.append(status if isinstance(status, str) else f"HTTP {status}")
                if isinstance(status, int) and 200 <= status < 300:
                    delivered.append(subscription.id)
                elif status in GONE:
                    gone.append(subscription.id)
        if gone:
            await PushSubscription.filter(id__in=gone).delete()
        if delivered:
            await PushSubscription.filter(id__in=delivered).update(
                last_success_at=datetime.now(UTC)
            )
        detail = f"push service: {', '.join(statuses)}"
        if delivered:
            return SendResult.sent(detail)
        if len(gone) == len(subscriptions):
            return SendResult.skipped(f"no push subscription ({detail}; subscriptions removed)")
        return SendResult.failed(detail)

    async def _one(
        self,
        session: aiohttp.ClientSession,
        subscription: PushSubscription,
        message: ChannelMessage,
    ) -> int | str:
        """The push service's HTTP status, or a short reason when there was no answer."""
        try:
            response = await webpush_async(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=payload_of(message),
                vapid_private_key=self.vapid,
                # A fresh dict each time: pywebpush writes `aud` and `exp` into it.
                vapid_claims={"sub": self.settings.vapid_subject},
                ttl=TTL_SECONDS,
                headers={"Urgency": "high" if message.urgent else "normal"},
                timeout=TIMEOUT_SECONDS,
                aiohttp_session=session,
            )
        except WebPushException as error:
            response = error.response
            status = getattr(response, "status", None)
            return status if isinstance(status, int) else "refused"
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            return f"no answer ({type(error).__name__})"
        status = getattr(response, "status", None)
        return status if isinstance(status, int) else "no status"
