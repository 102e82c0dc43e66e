"""Web Push subscriptions: what a browser's PushManager.subscribe() gave, checked before it is kept.

The endpoint must be https on a public name (push services are; the server posts to it, so no
address inside the network), the p256dh key an uncompressed P-256 point (65
bytes) and the auth secret 16 bytes, both base64url as browsers encode them. One endpoint
belongs to one user: a browser that signs in to another account moves its subscription along.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
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


# Names that resolve only inside a network: the server would post to them on a user's behalf.
LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan", ".home.arpa")


def _public_name(host: str) -> bool:
    """A DNS name under a real top-level domain: no address literal in any spelling (127.1,
    0x7f.1 and 2130706433 reach localhost too), no one-label or local-only name."""
    name = host.rstrip(".").lower()
    _, dot, tld = name.rpartition(".")
    if not dot or name.endswith(LOCAL_SUFFIXES):
        return False
    return re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", tld) is not None


def _valid_endpoint(endpoint: str) -> bool:
    """An https push service on its standard port. The server posts to this address, so an
    address inside the clinic's network (a cloud metadata service, an admin port) is refused."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH or any(c.isspace() for c in endpoint):
        return False
    parts = urlsplit(endpoint)
    try:
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and parts.hostname is not None
        and _public_name(parts.hostname)
        and port in (None, 443)
        and not parts.username
    )


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
