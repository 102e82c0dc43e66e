"""Structured logs with a request id on every line, and nothing a patient told us in them.

The rules that keep PHI out: we never log GraphQL variables or results; exceptions are logged
as their class and stack frames only (an exception's message can carry the values of a failed
query); Tortoise's statement log, which prints bound values, stays below the emitted level.
"""

from __future__ import annotations

import logging
import sys
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from structlog.types import EventDict

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being served, or a fresh one outside any request."""
    return request_id_var.get() or new_request_id()


def _add_request_id(_: Any, __: str, event: EventDict) -> EventDict:
    request_id = request_id_var.get()
    if request_id is not None:
        event.setdefault("request_id", request_id)
    return event


def _exception_without_message(_: Any, __: str, event: EventDict) -> EventDict:
    error = event.pop("error", None)
    if isinstance(error, BaseException):
        event["error_type"] = f"{type(error).__module__}.{type(error).__qualname__}"
        event["stack"] = "".join(traceback.format_tb(error.__traceback__))
    return event


class _CurrentStderr:
    """Writes to whatever sys.stderr is at the time (test capture swaps it per test)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level.upper())
    # Statement logs carry bound parameter values (PHI): never emit them. Tortoise's own info
    # lines ("Tortoise-ORM shutdown") are noise on a CLI's one-line answers.
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    logging.getLogger("tortoise.db_client").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_request_id,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _exception_without_message,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
