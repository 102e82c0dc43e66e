"""The clinic's session types: four defaults seeded idempotently, then managed by admins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.models.scheduling import SessionType
from api.realtime.events import transaction
from api.services.problems import Collector
from api.services.scheduling.hours import ScheduleErrorCode, ScheduleProblems

MIN_DURATION = 15
MAX_DURATION = 240


@dataclass(frozen=True, slots=True)
class SessionTypeSpec:
    code: str
    name: str
    description: str
    duration_minutes: int
    telehealth_allowed: bool
    active: bool = True


# An assessment measures range of motion, strength and gait by hand: it needs the room.
DEFAULT_SESSION_TYPES: tuple[SessionTypeSpec, ...] = (
    SessionTypeSpec(
        "initial_consultation",
        "Initial consultation",
        "A first visit: your history, your goals, and a plan to start with.",
        60,
        True,
    ),
    SessionTypeSpec(
        "follow_up",
        "Follow-up treatment",
        "A treatment session on your current plan.",
        45,
        True,
    ),
    SessionTypeSpec(
        "assessment",
        "Assessment",
        "Hands-on measurements of movement, strength and function, in the clinic.",
        60,
        False,
    ),
    SessionTypeSpec(
        "specialized_therapy",
        "Specialized therapy",
        "A longer session in one of the therapist's specialties.",
        60,
        True,
    ),
)


async def ensure_default_session_types() -> list[SessionType]:
    """Create the default types that are missing (by code); never changes an existing one."""
    async with transaction():
        existing = {str(row["code"]) for row in await SessionType.all().values("code")}
        for order, spec in enumerate(DEFAULT_SESSION_TYPES):
            if spec.code not in existing:
                await SessionType.create(
                    code=spec.code,
                    name=spec.name,
                    description=spec.description,
                    duration_minutes=spec.duration_minutes,
                    telehealth_allowed=spec.telehealth_allowed,
                    active=spec.active,
                    sort_order=order,
                )
    return await SessionType.all().order_by("sort_order", "id")


async def list_session_types(*, include_inactive: bool = False) -> list[SessionType]:
    query = SessionType.all() if include_inactive else SessionType.filter(active=True)
    return await query.order_by("sort_order", "id")


def _check(
    problems: Collector[ScheduleErrorCode],
    *,
    code: str | None,
    name: str | None,
    duration_minutes: int | None,
) -> None:
    if code is not None:
        cleaned = code.strip()
        if not cleaned or len(cleaned) > 40 or not cleaned.replace("_", "").isalnum():
            problems.add(
                ScheduleErrorCode.INVALID_CODE,
                "Use 1 to 40 letters, digits or underscores.",
                "code",
            )
    if name is not None and not (0 < len(name.strip()) <= 120):
        problems.add(ScheduleErrorCode.INVALID_NAME, "Give a name of up to 120 characters.", "name")
    if duration_minutes is not None and (
        not MIN_DURATION <= duration_minutes <= MAX_DURATION or duration_minutes % 5
    ):
        problems.add(
            ScheduleErrorCode.INVALID_DURATION,
            f"A session lasts {MIN_DURATION} to {MAX_DURATION} minutes, in steps of 5.",
            "durationMinutes",
        )


async def create_session_type(spec: SessionTypeSpec) -> SessionType:
    problems = Collector(ScheduleProblems)
    _check(problems, code=spec.code, name=spec.name, duration_minutes=spec.duration_minutes)
    problems.raise_if_any()
    async with transaction():
        if await SessionType.exists(code=spec.code.strip()):
            raise ScheduleProblems.one(
                ScheduleErrorCode.DUPLICATE_CODE, "A session type has this code already.", "code"
            )
        last = await SessionType.all().order_by("-sort_order").first()
        return await SessionType.create(
            code=spec.code.strip(),
            name=spec.name.strip(),
            description=spec.description.strip(),
            duration_minutes=spec.duration_minutes,
            telehealth_allowed=spec.telehealth_allowed,
            active=spec.active,
            sort_order=(last.sort_order + 1) if last else 0,
        )


async def update_session_type(
    session_type_id: int,
    *,
    code: str | None = None,
    name: str | None = None,
    description: str | None = None,
    duration_minutes: int | None = None,
    telehealth_allowed: bool | None = None,
    active: bool | None = None,
) -> SessionType:
    """Change what is given. Existing bookings keep the times they were booked with."""
    problems = Collector(ScheduleProblems)
    _check(problems, code=code, name=name, duration_minutes=duration_minutes)
    problems.raise_if_any()
    async with transaction():
        session_type = await SessionType.get_or_none(id=session_type_id)
        if session_type is None:
            raise ScheduleProblems.one(ScheduleErrorCode.NOT_FOUND, "No such session type.", "id")
        changed: list[str] = []
        if code is not None and code.strip() != session_type.code:
            if await SessionType.exists(code=code.strip()):
                raise ScheduleProblems.one(
                    ScheduleErrorCode.DUPLICATE_CODE,
                    "A session type has this code already.",
                    "code",
                )
            session_type.code = code.strip()
            changed.append("code")
        updates: Sequence[tuple[str, object]] = (
            ("name", name.strip() if name is not None else None),
            ("description", description.strip() if description is not None else None),
            ("duration_minutes", duration_minutes),
            ("telehealth_allowed", telehealth_allowed),
            ("active", active),
        )
        for attribute, value in updates:
            if value is not None:
                setattr(session_type, attribute, value)
                changed.append(attribute)
        if changed:
            await session_type.save(update_fields=changed)
        return session_type
