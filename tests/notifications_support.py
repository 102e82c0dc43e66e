"""Stand-ins for the services outside this machine, and helpers for notification tests.

The SMS gateway and the Web Push service are third parties on the internet; tests stand each up
as a real HTTP server on 127.0.0.1 (aiohttp, in the test's own event loop) that records every
request and answers with the statuses a test queues. Push keys are made here the way a browser
makes them (P-256 with cryptography), so a test can decrypt what the push service received.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from api.models.jobs import Job
from api.models.notifications import PushSubscription
from api.services import jobs
from api.services.notifications.subscriptions import endpoint_hash
from api.settings import Settings


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass(frozen=True)
class VapidKeys:
    private: str  # base64url raw 32-byte scalar, as PORTAL_VAPID_PRIVATE_KEY takes it
    public: str  # base64url uncompressed point, as a browser's applicationServerKey takes it


def make_vapid_keys() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    return VapidKeys(private=b64url(scalar), public=b64url(public_point(key)))


@dataclass(frozen=True)
class BrowserKeys:
    """What a browser keeps for one push subscription: its key pair and the auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(public_point(self.private_key))

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)


def make_browser_keys() -> BrowserKeys:
    import os

    return BrowserKeys(private_key=ec.generate_private_key(ec.SECP256R1()), auth=os.urandom(16))


async def add_push_subscription(user_id: int, endpoint: str, keys: BrowserKeys) -> None:
    """Stored as registerPushSubscription would, minus its https check (the test push service
    speaks plain HTTP on 127.0.0.1)."""
    await PushSubscription.create(
        user_id=user_id,
        endpoint=endpoint,
        endpoint_hash=endpoint_hash(endpoint),
        p256dh=keys.p256dh,
        auth=keys.auth_b64,
        created_at=datetime.now(UTC),
    )


def verify_vapid(authorization: str, public_key: str) -> dict[str, Any]:
    """Checks a `vapid t=<jwt>,k=<key>` header's ES256 signature; returns the JWT's claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    assert values["k"] == public_key
    head, body, signature = values["t"].split(".")
    assert json.loads(b64url_decode(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = b64url_decode(signature)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    key.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    claims: dict[str, Any] = json.loads(b64url_decode(body))
    return claims


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeHttpService:
    """A local HTTP server: records each POST and answers with queued statuses (then 201/200)."""

    default_status: int
    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            Received(
                path=request.path,
                # Lower-case names: HTTP header names are case-insensitive.
                headers={name.lower(): value for name, value in request.headers.items()},
                body=await request.read(),
            )
        )
        status = self.statuses.pop(0) if self.statuses else self.default_status
        return web.Response(status=status, text="" if status < 300 else "no")


@asynccontextmanager
async def running_http_service(default_status: int = 200) -> AsyncIterator[FakeHttpService]:
    service = FakeHttpService(default_status=default_status)
    app = web.Application()
    app.router.add_post("/{tail:.*}", service.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    service.url = f"http://{host}:{port}"
    try:
        yield service
    finally:
        await runner.cleanup()


async def make_jobs_due() -> None:
    """Moves every waiting job to the past: what a retry's backoff or quiet hours wait for."""
    await Job.filter(finished_at=None).update(run_at=datetime.now(UTC) - timedelta(seconds=1))


async def run_jobs(settings: Settings) -> int:
    return await jobs.run_until_idle(settings)
