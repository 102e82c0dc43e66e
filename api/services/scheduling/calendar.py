"""The calendar side of scheduling: a patient's appointments with every provider, a therapist's
own schedule, and each user's secret iCalendar feed.

The feed's token is the credential (a calendar client cannot sign in): 32 random bytes, shown
once, stored only as its SHA-256. A new token replaces the old one; revoking deletes it.
The expected outcomes of the calendar, reminder and questionnaire operations are here too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import Forbidden, NotFound
from api.models.accounts import Role
from api.models.patients import Patient
from api.models.scheduling import Appointment, AppointmentStatus, CalendarFeed
from api.models.therapists import Therapist
from api.observability import get_logger
from api.realtime.events import transaction
from api.services import audit, jobs, keyset, problems
from api.services.pagination import Page, page_size
from api.services.scheduling import ics
from api.settings import Settings

log = get_logger(__name__)


class CalendarErrorCode(StrEnum):
    COUNT = "COUNT"  # too few or too many reminder offsets
    OUT_OF_RANGE = "OUT_OF_RANGE"
    DUPLICATE = "DUPLICATE"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    NO_QUESTIONNAIRE = "NO_QUESTIONNAIRE"  # the appointment has none (cancelled, or none assigned)
    SESSION_STARTED = "SESSION_STARTED"  # answers can change until the session starts
    NOT_A_PATIENT = "NOT_A_PATIENT"  # reminders and questionnaires are a patient's


class CalendarProblems(problems.Problems[CalendarErrorCode]):
    """Raised by calendar, reminder and questionnaire services; resolvers return typed errors."""

    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) with the calendar input"


fail = CalendarProblems.one


# Listing -----------------------------------------------------------------------------------

# Soonest first, ties by id: the cursor carries (start in microseconds since the epoch, id).
SORT_KEY = keyset.SortKey(paths=("starts_at", "id"), kinds=(int, int))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Window:
    """Appointments still running at `starts_from` (ending after it) and starting before
    `until`; `starts_from` None means now: a list opens on what is still to come."""

    starts_from: datetime | None = None
    until: datetime | None = None
    statuses: tuple[AppointmentStatus, ...] = ()


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


async def _page(
    queryset: QuerySet[Appointment],
    window: Window,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[Appointment]:
    starts_from = window.starts_from or jobs.now()
    queryset = queryset.filter(ends_at__gt=starts_from)
    if window.until is not None:
        queryset = queryset.filter(starts_at__lt=window.until)
    if window.statuses:
        queryset = queryset.filter(status__in=list(window.statuses))
    size = page_size(first, max_page_size)
    if after is not None:
        micros, last_id = keyset.decode_cursor(after, SORT_KEY)
        start = _from_micros(int(micros))
        queryset = queryset.filter(Q(starts_at__gt=start) | Q(starts_at=start, id__gt=last_id))
    rows = list(await queryset.order_by("starts_at", "id").limit(size + 1))
    has_next = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        cursors=[keyset.encode_cursor([_micros(row.starts_at), row.id]) for row in rows],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )


async def patient_appointments(
    scope: AccessScope,
    patient_id: int | None,
    window: Window,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[Appointment]:
    """One patient's appointments with every provider: the patient's own when no id is given."""
    scope.require_authenticated()
    if patient_id is None:
        patient_id = scope.default_patient_id
        if patient_id is None:
            raise NotFound("You have no patient record; name the patient.", field="patientId")
    scope.require_patient(patient_id, Need.APPOINTMENTS_VIEW)
    return await _page(
        Appointment.filter(patient_id=patient_id),
        window,
        first=first,
        after=after,
        max_page_size=max_page_size,
    )


async def therapist_appointments(
    scope: AccessScope,
    window: Window,
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
) -> Page[Appointment]:
    """The signed-in therapist's own schedule (with every patient booked with them)."""
    scope.require_authenticated()
    if scope.therapist_id is None:
        raise Forbidden("Only therapists have a schedule of their own.")
    return await _page(
        Appointment.filter(therapist_id=scope.therapist_id),
        window,
        first=first,
        after=after,
        max_page_size=max_page_size,
    )


# The feed ----------------------------------------------------------------------------------

FEED_PAST = timedelta(days=30)
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/calendar/{token}.ics"


async def feed_of(user_id: int) -> CalendarFeed | None:
    return await CalendarFeed.get_or_none(user_id=user_id)


async def regenerate_feed(settings: Settings, user_id: int) -> tuple[str, CalendarFeed]:
    """A new secret URL (returned this once); the previous one stops working at once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    at = jobs.now()
    async with transaction():
        row = await CalendarFeed.select_for_update().get_or_none(user_id=user_id)
        if row is None:
            row = await CalendarFeed.create(
                user_id=user_id, token_hash=token_hash(token), created_at=at
            )
        else:
            row.token_hash = token_hash(token)
            row.created_at = at
            await row.save(update_fields=["token_hash", "created_at"])
    log.info("calendar_feed_regenerated", user_id=user_id)
    return feed_url(settings, token), row


async def revoke_feed(user_id: int) -> bool:
    deleted = await CalendarFeed.filter(user_id=user_id).delete()
    log.info("calendar_feed_revoked", user_id=user_id, existed=bool(deleted))
    return bool(deleted)


@dataclass(frozen=True, slots=True)
class FeedDocument:
    user_id: int
    body: bytes
    # (patient id, appointment id, the reader's capacity) of each event, for the access audit.
    seen: tuple[tuple[int, int, Role], ...]


_FEED_FIELDS = (
    "id",
    "patient_id",
    "therapist_id",
    "status",
    "starts_at",
    "ends_at",
    "telehealth",
    "updated_at",
    "rescheduled_from_id",
    "session_type__name",
    "therapist__discipline",
    "therapist__user__display_name",
    "patient__given_name",
    "patient__preferred_name",
    "patient__family_name",
    "location__name",
    "location__address_line1",
    "location__address_line2",
    "location__city",
    "location__region",
    "location__postal_code",
)


async def feed_document(settings: Settings, token: str) -> FeedDocument | None:
    """The feed behind a token, or None for a token that is unknown (or was replaced)."""
    if not token or len(token) > 200:
        return None
    owner = await CalendarFeed.filter(token_hash=token_hash(token)).values_list(
        "user_id", flat=True
    )
    if not owner:
        return None
    user_id = int(str(owner[0]))
    patient_ids = [int(row["id"]) for row in await Patient.filter(user_id=user_id).values("id")]
    therapist_ids = [int(row["id"]) for row in await Therapist.filter(user_id=user_id).values("id")]
    at = jobs.now()
    mine = Q(patient_id__in=patient_ids) | Q(therapist_id__in=therapist_ids)
    rows = await (
        Appointment.filter(
            mine,
            starts_at__gte=at - FEED_PAST,
            starts_at__lte=at + timedelta(days=settings.booking_horizon_days),
        )
        .order_by("starts_at", "id")
        .values(*_FEED_FIELDS)
    )
    chains = await _chains({int(row["id"]): row["rescheduled_from_id"] for row in rows})
    # A moved booking lives on as its successor's event (same UID): only the latest is listed.
    replaced = {int(row["rescheduled_from_id"]) for row in rows if row["rescheduled_from_id"]}
    items: list[ics.AppointmentEvent] = []
    seen: list[tuple[int, int, Role]] = []
    for row in rows:
        if int(row["id"]) in replaced:
            continue
        root_id, moves = chains[int(row["id"])]
        own = int(row["patient_id"]) in patient_ids
        with_whom = (
            str(row["therapist__user__display_name"] or "")
            if own
            else _short_name(
                row["patient__preferred_name"] or row["patient__given_name"],
                row["patient__family_name"],
            )
        )
        items.append(
            ics.AppointmentEvent(
                appointment_id=int(row["id"]),
                root_id=root_id,
                moves=moves,
                status=AppointmentStatus(row["status"]),
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                summary=ics.summary(
                    str(row["therapist__discipline"]), str(row["session_type__name"]), with_whom
                ),
                location=ics.place(
                    telehealth=bool(row["telehealth"]),
                    name=str(row["location__name"] or ""),
                    address_parts=[
                        str(row[key] or "")
                        for key in (
                            "location__address_line1",
                            "location__address_line2",
                            "location__city",
                            "location__region",
                            "location__postal_code",
                        )
                    ],
                ),
                changed_at=row["updated_at"],
                url=f"{settings.public_url.rstrip('/')}{ics.appointment_link(int(row['id']))}",
            )
        )
        seen.append(
            (int(row["patient_id"]), int(row["id"]), Role.PATIENT if own else Role.THERAPIST)
        )
    body = ics.calendar(settings, items, name="Relief appointments")
    return FeedDocument(user_id=user_id, body=body, seen=tuple(seen))


async def _chains(parents: dict[int, int | None]) -> dict[int, tuple[int, int]]:
    """(first booking of the chain, number of moves) for each id; one read per older step."""
    known: dict[int, int | None] = dict(parents)
    while True:
        missing = {p for p in known.values() if p is not None and p not in known}
        if not missing:
            break
        for row_id, parent in await Appointment.filter(id__in=list(missing)).values_list(
            "id", "rescheduled_from_id"
        ):
            known[int(row_id)] = None if parent is None else int(parent)
        known.update({gone: None for gone in missing if gone not in known})
    result: dict[int, tuple[int, int]] = {}
    for start in parents:
        current, moves = start, 0
        while (parent := known.get(current)) is not None:
            current, moves = parent, moves + 1
        result[start] = (current, moves)
    return result


def _short_name(given: object, family: object) -> str:
    """A patient as a therapist's calendar shows them: given name and the family initial."""
    first = str(given or "").strip()
    initial = str(family or "").strip()[:1]
    return f"{first} {initial}." if initial else first


async def record_feed_read(document: FeedDocument, *, ip: str | None, request_id: str) -> None:
    """One record-access row per appointment the feed carried, like a GraphQL read of it."""
    await audit.record_accesses(
        [
            audit.RecordAccessEntry(
                actor_user_id=document.user_id,
                actor_role=role.value,
                patient_id=patient_id,
                resource="Appointment",
                resource_id=str(appointment_id),
                action="READ",
                ip=ip,
                session_id=None,
                request_id=request_id,
            )
            for patient_id, appointment_id, role in document.seen
        ]
    )
