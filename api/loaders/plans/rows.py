"""A plan as read for the API: its columns plus the two facts of its patient that reading it
needs (the time zone its weeks are counted in, and the account notifications go to)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from api.loaders.plans import weeks
from api.models.plans import PlanStatus

PLAN_COLUMNS = (
    "id",
    "patient_id",
    "therapist_id",
    "title",
    "condition",
    "goals",
    "expected_outcome",
    "status",
    "starts_on",
    "revision",
    "created_at",
    "updated_at",
    "activated_at",
    "completed_at",
    "patient__time_zone",
    "patient__user_id",
)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A plan with the two facts of its patient that reading it needs (zone, account)."""

    id: int
    patient_id: int
    therapist_id: int
    title: str
    condition: str
    goals: str
    expected_outcome: str
    status: PlanStatus
    starts_on: date
    revision: int
    created_at: datetime
    updated_at: datetime
    activated_at: datetime | None
    completed_at: datetime | None
    time_zone: str
    patient_user_id: int | None

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> PlanRow:
        values = {key: row[key] for key in PLAN_COLUMNS if "__" not in key}
        values["status"] = PlanStatus(values["status"])
        return cls(
            **values,
            time_zone=str(row["patient__time_zone"]),
            patient_user_id=row["patient__user_id"],
        )

    def today(self) -> date:
        return weeks.local_date(weeks.now(), self.time_zone)

    def current_week(self) -> int | None:
        return weeks.week_number(self.starts_on, self.today())

    def last_week_counted(self) -> int | None:
        """This week, or for a completed plan the week it was completed in."""
        day = self.today()
        if self.completed_at is not None:
            day = min(day, weeks.local_date(self.completed_at, self.time_zone))
        return weeks.week_number(self.starts_on, day)
