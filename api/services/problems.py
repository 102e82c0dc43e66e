"""Expected outcomes of an operation: a stable code, words to show, and the field it is about.

Each domain names its codes (a StrEnum) and its own exception,
`class PlanProblems(Problems[PlanErrorCode])`, so a resolver catches its own domain's problems
only and returns them as typed errors. Checks gather every problem of an input (a `Collector`)
before anything is written, so a form can show them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Self, TypeVar

CodeT = TypeVar("CodeT", bound=StrEnum)


# Not slots: a domain's alias (`Problem[PlanErrorCode](...)`) sets `__orig_class__` on the new
# instance, which a frozen slots dataclass refuses with TypeError on Python 3.11.
@dataclass(frozen=True)
class Problem(Generic[CodeT]):
    code: CodeT
    message: str
    field: str | None = None


class Problems(Exception, Generic[CodeT]):
    """Raised by a service with every problem it found; subclassed once per domain."""

    def __init__(self, *problems: Problem[CodeT]) -> None:
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        """The exception's own message (what a log or traceback shows)."""
        return "; ".join(problem.message for problem in self.problems)

    @classmethod
    def one(cls, code: CodeT, message: str, field: str | None = None) -> Self:
        """A single problem, ready to raise."""
        return cls(Problem(code, message, field))

    @classmethod
    def raise_if_any(cls, problems: Iterable[Problem[CodeT]]) -> None:
        found = tuple(problems)
        if found:
            raise cls(*found)


class Collector(Generic[CodeT]):
    """Gathers the problems of one input; `raise_if_any` then stops the change."""

    __slots__ = ("found", "raises")

    def __init__(self, raises: type[Problems[CodeT]]) -> None:
        self.raises = raises
        self.found: list[Problem[CodeT]] = []

    def add(self, code: CodeT, message: str, field: str | None) -> None:
        self.found.append(Problem(code, message, field))

    def raise_if_any(self) -> None:
        self.raises.raise_if_any(self.found)
