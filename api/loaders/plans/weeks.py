"""The plan calendar and the weekly tally of adherence.

Week 1 of a plan begins on `starts_on`, in the patient's time zone; week n covers the seven
days from `starts_on + 7(n-1)`. A week's adherence is the sessions logged against the sessions
its phases prescribe. The loaders count caseloads with these; the layers above reuse them, so
every screen counts a week the same way.

`now()` is this domain's one clock: call it as `weeks.now()` so tests can set it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.models.plans import PlanPhase, Prescription, SessionOutcome


def now() -> datetime:
    """The current instant; the one clock of this domain (tests set it)."""
    return datetime.now(UTC)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # an unknown zone must not break a patient's plan


def local_date(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(zone(time_zone)).date()


def week_number(starts_on: date, day: date) -> int | None:
    """1-based week of `day` in a plan starting on `starts_on`; None before the start."""
    if day < starts_on:
        return None
    return (day - starts_on).days // 7 + 1


def week_start(starts_on: date, week: int) -> date:
    return starts_on + timedelta(days=7 * (week - 1))


@dataclass(frozen=True, slots=True)
class Dose:
    """What one prescription asks for in each week its phase covers."""

    prescription_id: int
    phase_id: int
    start_week: int
    end_week: int
    sessions_per_week: int
    removed_on: date | None  # the patient's local date; from that week on it no longer counts

    def counts_in(self, week: int, starts: date) -> bool:
        removed_before = self.removed_on is not None and self.removed_on <= starts
        return self.start_week <= week <= self.end_week and not removed_before

    @classmethod
    def of(cls, prescription: Prescription, phase: PlanPhase, time_zone: str) -> Dose:
        removed_at = prescription.removed_at
        return cls(
            prescription_id=prescription.id,
            phase_id=phase.id,
            start_week=phase.start_week,
            end_week=phase.end_week,
            sessions_per_week=prescription.times_per_day * prescription.days_per_week,
            removed_on=local_date(removed_at, time_zone) if removed_at else None,
        )


@dataclass(frozen=True, slots=True)
class Tally:
    """How many sessions of one prescription were logged with one outcome in one week."""

    prescription_id: int
    outcome: SessionOutcome
    count: int


@dataclass(frozen=True, slots=True)
class WeekFigures:
    week: int
    starts_on: date
    ends_on: date
    prescribed: int
    done: int
    partial: int
    skipped: int

    @property
    def logged(self) -> int:
        return self.done + self.partial + self.skipped

    @property
    def rate(self) -> float | None:
        """(done + half of partial) / prescribed, at most 1; None when nothing was prescribed."""
        if self.prescribed == 0:
            return None
        return min(1.0, (self.done + 0.5 * self.partial) / self.prescribed)


def count_week(
    starts_on: date,
    week: int,
    doses: Iterable[Dose],
    tallies: Iterable[Tally],
    phase_id: int | None = None,
) -> WeekFigures:
    """One week of a plan (or of one phase): sessions logged against sessions prescribed."""
    starts = week_start(starts_on, week)
    doses = [d for d in doses if phase_id is None or d.phase_id == phase_id]
    prescribed = sum(d.sessions_per_week for d in doses if d.counts_in(week, starts))
    mine = {d.prescription_id for d in doses}
    counts = dict.fromkeys(SessionOutcome, 0)
    for tally in tallies:
        if phase_id is None or tally.prescription_id in mine:
            counts[tally.outcome] += tally.count
    return WeekFigures(
        week=week,
        starts_on=starts,
        ends_on=starts + timedelta(days=6),
        prescribed=prescribed,
        done=counts[SessionOutcome.DONE],
        partial=counts[SessionOutcome.PARTIAL],
        skipped=counts[SessionOutcome.SKIPPED],
    )
