"""Work that must not delay (or show in the timing of) a response: run after it, in-process.

Not durable: a crash loses what was still running. Password-reset issuing is the one user
today, and its user can simply ask again; durable jobs come with the realtime issue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from api.observability import get_logger

log = get_logger(__name__)
_running: set[asyncio.Task[None]] = set()


def run_in_background(work: Coroutine[Any, Any, None], name: str) -> None:
    task = asyncio.get_running_loop().create_task(_logged(work, name), name=name)
    _running.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_running.discard)


async def _logged(work: Coroutine[Any, Any, None], name: str) -> None:
    try:
        await work
    except Exception as error:  # a background task must log, never crash the worker
        log.error("background_task_failed", task=name, error=error)


async def wait_for_background() -> None:
    """Until every background task has finished (tests, and shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
