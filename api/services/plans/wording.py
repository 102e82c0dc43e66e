"""Plan changes in words a patient can follow: "Bridge: reps 10 -> 12".

A revision stores its changes as `{kind, target, field, before, after}`, every value already
in words, so the history reads the same even after exercises are renamed or the rules of
wording change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from api.models.plans import AbilityLevel, PlanStatus

MAX_VALUE_TEXT = 300


class ChangeKind(StrEnum):
    ADDED = "ADDED"
    CHANGED = "CHANGED"
    REMOVED = "REMOVED"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    target: str  # "Plan", 'Phase "Early mobility"', or an exercise's name
    field: str | None = None
    before: str | None = None
    after: str | None = None

    @property
    def text(self) -> str:
        if self.kind is ChangeKind.ADDED:
            return f"Added {self.target}" + (f": {self.after}" if self.after else "")
        if self.kind is ChangeKind.REMOVED:
            return f"Removed {self.target}"
        return f"{self.target}: {self.field} {self.before or 'none'} -> {self.after or 'none'}"

    def as_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind.value,
            "target": self.target,
            "field": self.field,
            "before": self.before,
            "after": self.after,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Change:
        return cls(
            kind=ChangeKind(value["kind"]),
            target=str(value["target"]),
            field=value.get("field"),
            before=value.get("before"),
            after=value.get("after"),
        )


PLAN = "Plan"

FIELD_WORDS = {
    "title": "title",
    "condition": "condition",
    "goals": "goals",
    "expected_outcome": "expected outcome",
    "starts_on": "start date",
    "status": "status",
    "name": "name",
    "weeks": "weeks",
    "focus": "focus",
    "sets": "sets",
    "reps": "reps",
    "hold_seconds": "hold",
    "duration_seconds": "duration",
    "times_per_day": "times a day",
    "days_per_week": "days a week",
    "notes": "notes",
    "level": "level",
    "exercise": "exercise",
}

_LEVEL_WORDS = {
    AbilityLevel.REGRESSION: "easier version",
    AbilityLevel.STANDARD: "standard",
    AbilityLevel.PROGRESSION: "harder version",
}


def phase_target(name: str) -> str:
    return f'Phase "{name}"'


def text(value: str) -> str | None:
    value = value.strip()
    if len(value) > MAX_VALUE_TEXT:
        return value[: MAX_VALUE_TEXT - 1] + "…"
    return value or None


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def status(value: PlanStatus) -> str:
    return value.value.capitalize()


def level(value: AbilityLevel) -> str:
    return _LEVEL_WORDS[value]


def week_range(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}-{end}"


def weeks(start: int, end: int) -> str:
    return f"week {start}" if start == end else f"weeks {start}-{end}"


def seconds(value: int) -> str:
    minutes, rest = divmod(value, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def dosage_value(name: str, value: int | None) -> str | None:
    if value is None:
        return None
    if name in ("hold_seconds", "duration_seconds"):
        return seconds(value)
    return str(value)


def _times(value: int) -> str:
    return {1: "once a day", 2: "twice a day"}.get(value, f"{value} times a day")


def _days(value: int) -> str:
    return "every day" if value == 7 else f"{value} days a week"


def dosage_summary(values: Mapping[str, int | None]) -> str:
    """ "3 sets, 10 reps, hold 5 s, once a day, every day" """
    parts: list[str] = []
    if (sets := values.get("sets")) is not None:
        parts.append("1 set" if sets == 1 else f"{sets} sets")
    if (reps := values.get("reps")) is not None:
        parts.append(f"{reps} reps")
    if (hold := values.get("hold_seconds")) is not None:
        parts.append(f"hold {seconds(hold)}")
    if (duration := values.get("duration_seconds")) is not None:
        parts.append(seconds(duration))
    if (times := values.get("times_per_day")) is not None:
        parts.append(_times(times))
    if (days := values.get("days_per_week")) is not None:
        parts.append(_days(days))
    return ", ".join(parts)


def differences(target: str, pairs: Iterable[tuple[str, str | None, str | None]]) -> list[Change]:
    """A CHANGED entry for each (field, before, after) whose words differ."""
    return [
        Change(ChangeKind.CHANGED, target, FIELD_WORDS[name], before, after)
        for name, before, after in pairs
        if before != after
    ]
