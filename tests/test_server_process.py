"""`portal serve` as a real process (uvicorn, lifespan, several workers): what `make run`
gives a person, checked with requests that reach the database."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import httpx

from api.services.demo import DEMO_PASSWORD
from tests.cli import portal_env, run_portal


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(env: dict[str, str], workers: int) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"the server did not start: {process.stderr.read() if process.stderr else ''}"
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


async def test_serve_answers_from_the_database_with_two_workers(
    make_empty_database: Callable[[], Awaitable[str]],
) -> None:
    url = await make_empty_database()
    env = portal_env(database_url=url)
    assert run_portal(["migrate"], env).returncode == 0
    seeded = run_portal(["seed-demo"], env)
    assert seeded.returncode == 0, seeded.stderr
    with _serving(env, workers=2) as base:
        async with httpx.AsyncClient(base_url=base, headers={"x-relief-csrf": "1"}) as web:
            typename = await web.post("/graphql", json={"query": "{ __typename }"})
            assert typename.json() == {"data": {"__typename": "Query"}}
            sign_in = 'mutation { signIn(input: {email: "maria.gonzalez@demo.relief.test", password: "%s"}) { __typename ... on SignInPayload { state } } }'
            signed = await web.post("/graphql", json={"query": sign_in % DEMO_PASSWORD})
            assert signed.json() == {
                "data": {"signIn": {"__typename": "SignInPayload", "state": "SIGNED_IN"}}
            }
            # Whichever worker answers, the session is in the database, not in a worker.
            for _ in range(6):
                me = await web.post("/graphql", json={"query": "{ me { email } }"})
                assert me.json() == {"data": {"me": {"email": "maria.gonzalez@demo.relief.test"}}}
