"""Counts the SQL statements Tortoise sends, from its `tortoise.db_client` debug log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_NOT_STATEMENTS = ("Created connection", "Closed connection")


class SqlCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, str) and record.msg.startswith(_NOT_STATEMENTS):
            return
        # Keep the statement text only: the bound values are patient data in real use.
        statement = record.args[0] if isinstance(record.args, tuple) and record.args else record.msg
        self.statements.append(str(statement))

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_sql() -> Iterator[SqlCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter = SqlCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
