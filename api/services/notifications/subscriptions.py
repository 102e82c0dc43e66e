"""Web Push subscriptions: what a browser's PushManager.subscribe() gave, checked before it is kept.

The endpoint must be https (push services are), the p256dh key an uncompressed P-256 point (65
bytes) and the auth secret 16 bytes, both base64url as browsers encode them. One endpoint
belongs to one user: a browser that signs in to another account moves its subscription along.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from api.models.notifications import PushSubscription
from api.realtime.events import transaction
from api.services.notifications.errors import NotificationErrorCode, NotificationProblems
from api.services.problems import Collector

MAX_ENDPOINT_LENGTH = 1000
P256DH_BYTES = 65
AUTH_BYTES = 16


def endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def b64url_decode(value: str) -> bytes | None:
    text = value.strip()
    if not text or any(c not in _B64URL for c in text.rstrip("=")):
        return None
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _valid_endpoint(endpoint: str) -> bool:
    if len(endpoint) > MAX_ENDPOINT_LENGTH or any(c.isspace() for c in endpoint):
        return False
    parts = urlsplit(endpoint)
    return parts.scheme == "https" and bool(parts.hostname) and not parts.username


def _valid_p256dh(raw: bytes | None) -> bool:
    if raw is None or len(raw) != P256DH_BYTES or raw[0] != 0x04:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:  # not a point on the curve
        return False
    return True


async def register(
    user_id: int, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    problems = Collector(NotificationProblems)
    endpoint = endpoint.strip()
    if not _valid_endpoint(endpoint):
        problems.add(
            NotificationErrorCode.INVALID_ENDPOINT,
            "The push endpoint must be an https address.",
            "endpoint",
        )
    if not _valid_p256dh(b64url_decode(p256dh)):
        problems.add(
            NotificationErrorCode.INVALID_KEY,
            "p256dh must be a base64url P-256 public key (65 bytes).",
            "p256dh",
        )
    secret = b64url_decode(auth)
    if secret is None or len(secret) != AUTH_BYTES:
        problems.add(
            NotificationErrorCode.INVALID_KEY,
            "auth must be a base64url secret of 16 bytes.",
            "auth",
        )
    problems.raise_if_any()
    digest = endpoint_hash(endpoint)
    values = {
        "user_id": user_id,
        "endpoint": endpoint,
        "p256dh": p256dh.strip(),
        "auth": auth.strip(),
        "user_agent": user_agent[:512],
    }
    async with transaction():
        updated = await PushSubscription.filter(endpoint_hash=digest).update(**values)
        if not updated:
            await PushSubscription.bulk_create(
                [PushSubscription(endpoint_hash=digest, created_at=datetime.now(UTC), **values)],
                on_conflict=["endpoint_hash"],
                update_fields=list(values),
            )
    return await PushSubscription.get(endpoint_hash=digest)


async def unregister(user_id: int, endpoint: str) -> bool:
    """Removes the user's subscription with this endpoint; whether there was one."""
    removed = await PushSubscription.filter(
        user_id=user_id, endpoint_hash=endpoint_hash(endpoint.strip())
    ).delete()
    return removed > 0


async def users_with_subscriptions(user_ids: list[int]) -> set[int]:
    """Which of these users can receive push at all, in one statement."""
    if not user_ids:
        return set()
    rows = await PushSubscription.filter(user_id__in=user_ids).distinct().values_list("user_id")
    return {int(row[0]) for row in rows}
