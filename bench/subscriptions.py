"""Fan-out latency: 1,000 graphql-transport-ws subscribers of `notificationAdded` receive one
notification each, stored in one transaction (`notify`), from real `portal serve` processes.

Two runs: one worker holding all 1,000 sockets, then two workers holding 500 each. The bench
process stores the notifications and publishes through Redis, like any worker would, so both
runs need Redis (PORTAL_BENCH_REDIS_URL, else redis://127.0.0.1:6379/0; skipped, with the
reason, when none answers). Latency runs from the publish to each client reading its `next`
message; the clients share one process, so their own parsing is part of it. SQLite file
database; compare runs on the same machine only.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as redis
from pydantic import SecretStr
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from api import db
from api.models.accounts import ClientKind, Role, Session, User, UserRole
from api.models.notifications import NotificationKind
from api.realtime.broker import Event, get_broker, set_broker
from api.realtime.redis import RedisBroker
from api.services import passwords
from api.services.accounts.tokens import new_token, token_hash
from api.services.notifications import NewNotification, notify
from api.settings import Settings

SUBSCRIBERS = 1000
CONNECTING_AT_ONCE = 50
DELIVERY_TIMEOUT_SECONDS = 20.0
PROTOCOL = Subprotocol("graphql-transport-ws")
QUERY = "subscription { notificationAdded { id title } }"


class TimedBroker(RedisBroker):
    """Notes when the events leave (after the commit)."""

    published_at: float = 0.0

    async def publish(self, events: list[Event]) -> None:
        self.published_at = time.perf_counter()
        await super().publish(events)


def _raise_file_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(soft, min(hard, 8192))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # the workers inherit it
    return wanted


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _worker(database_url: str, redis_url: str) -> Iterator[str]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env |= {
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_REDIS_URL": redis_url,
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with suppress(httpx.TransportError):
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("a bench worker did not start")
            time.sleep(0.2)
        yield base.replace("http://", "ws://") + "/graphql"
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _users(count: int) -> list[tuple[int, str]]:
    """(user id, bearer token) of `count` signed-in patients, written directly."""
    moment = datetime.now(UTC)
    run = uuid.uuid4().hex[:8]
    password_hash = passwords.hash_password("bench password 1")  # one hash: argon2 is slow
    await User.bulk_create(
        [
            User(
                email=f"s{run}-{n}@bench.test",
                password_hash=password_hash,
                display_name=f"Subscriber {n}",
                time_zone="UTC",
                email_verified_at=moment,
            )
            for n in range(count)
        ]
    )
    rows = await User.filter(email__startswith=f"s{run}-").order_by("id").values("id")
    ids = [int(row["id"]) for row in rows]
    await UserRole.bulk_create([UserRole(user_id=user_id, role=Role.PATIENT) for user_id in ids])
    tokens = [new_token() for _ in ids]
    await Session.bulk_create(
        [
            Session(
                user_id=user_id,
                token_hash=token_hash(token),
                client=ClientKind.MOBILE,
                last_seen_at=moment,
                expires_at=moment + timedelta(hours=12),
                second_factor_at=moment,
            )
            for user_id, token in zip(ids, tokens, strict=True)
        ]
    )
    return list(zip(ids, tokens, strict=True))


class Fanout:
    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.ready = 0
        self.all_ready = asyncio.Event()
        self.received: list[float] = []
        self.all_received = asyncio.Event()
        self.finished = asyncio.Event()
        self.failures = 0

    async def subscriber(self, url: str, token: str, gate: asyncio.Semaphore) -> None:
        try:
            async with gate:
                ws = await connect(
                    url, subprotocols=[PROTOCOL], open_timeout=60, ping_interval=None
                )
                init = {"authorization": f"Bearer {token}"}
                await ws.send(json.dumps({"type": "connection_init", "payload": init}))
                assert json.loads(await ws.recv())["type"] == "connection_ack"
                subscribe = {"type": "subscribe", "id": "1", "payload": {"query": QUERY}}
                await ws.send(json.dumps(subscribe))
                # The worker starts an operation before it reads the next message, and
                # notificationAdded reaches the broker without I/O: answered, it listens.
                await ws.send(json.dumps({"type": "ping"}))
                assert json.loads(await ws.recv())["type"] == "pong"
        except Exception:
            self.failures += 1
            self._count_ready()
            return
        async with ws:
            self._count_ready()
            message = json.loads(await ws.recv())
            if message.get("type") == "next":
                self.received.append(time.perf_counter())
                if len(self.received) == self.expected:
                    self.all_received.set()
            await self.finished.wait()

    def _count_ready(self) -> None:
        self.ready += 1
        if self.ready == self.expected:
            self.all_ready.set()


async def _fanout(urls: list[str], users: list[tuple[int, str]]) -> dict[str, Any]:
    fanout = Fanout(len(users))
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
    started = time.perf_counter()
    tasks = [
        asyncio.create_task(fanout.subscriber(urls[n % len(urls)], token, gate))
        for n, (_, token) in enumerate(users)
    ]
    await asyncio.wait_for(fanout.all_ready.wait(), timeout=120)
    connected_seconds = time.perf_counter() - started
    broker = get_broker()
    assert isinstance(broker, TimedBroker)
    stored_at = time.perf_counter()
    await notify(
        *(
            NewNotification(user_id=user_id, kind=NotificationKind.SECURITY, title="Bench")
            for user_id, _ in users
        )
    )
    with suppress(TimeoutError):
        await asyncio.wait_for(fanout.all_received.wait(), timeout=DELIVERY_TIMEOUT_SECONDS)
    fanout.finished.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = sorted((moment - broker.published_at) * 1000 for moment in fanout.received)
    return {
        "workers": len(urls),
        "subscribers": len(users),
        "connection_failures": fanout.failures,
        "received": len(latencies),
        "connect_all_seconds": round(connected_seconds, 2),
        "store_and_commit_ms": round((broker.published_at - stored_at) * 1000, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1)
        if latencies
        else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
    }


async def _redis_url() -> str | None:
    url = os.environ.get("PORTAL_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url)
    try:
        await asyncio.wait_for(client.ping(), timeout=2)
    except Exception:
        return None
    finally:
        await client.aclose()
    return url


async def run() -> dict[str, Any]:
    redis_url = await _redis_url()
    if redis_url is None:
        return {"skipped": "no Redis answered (set PORTAL_BENCH_REDIS_URL)"}
    file_limit = _raise_file_limit()
    results: dict[str, Any] = {"open_file_limit": file_limit}
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=database_url,
            secret_key=SecretStr("bench-" + "x" * 40),
        )
        async with db.database(settings):
            await db.migrate(settings)
            previous = get_broker()
            broker = TimedBroker(redis_url)
            await broker.start()
            set_broker(broker)
            try:
                users = await _users(SUBSCRIBERS)
                with _worker(database_url, redis_url) as url:
                    results["one_worker"] = await _fanout([url], users)
                more = await _users(SUBSCRIBERS)
                with (
                    _worker(database_url, redis_url) as first,
                    _worker(database_url, redis_url) as second,
                ):
                    results["two_workers"] = await _fanout([first, second], more)
            finally:
                set_broker(previous)
                await broker.close()
    return results


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run()), indent=2))
