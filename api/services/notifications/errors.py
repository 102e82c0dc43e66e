"""Expected outcomes of notification settings: a stable code and the input field it is about."""

from __future__ import annotations

from enum import StrEnum

from api.services import problems


class NotificationErrorCode(StrEnum):
    PREFERENCE_LOCKED = "PREFERENCE_LOCKED"  # in-app always, security email always
    DUPLICATE_CHANGE = "DUPLICATE_CHANGE"  # one kind and channel twice in one request
    QUIET_HOURS_EMPTY = "QUIET_HOURS_EMPTY"  # starts == ends: no window at all
    INVALID_ENDPOINT = "INVALID_ENDPOINT"
    INVALID_KEY = "INVALID_KEY"


class NotificationProblems(problems.Problems[NotificationErrorCode]):
    """Raised by notification settings services; resolvers return them as typed errors."""

    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) with the notification settings"


fail = NotificationProblems.one
