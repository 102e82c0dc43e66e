"""Emergency ("break-glass") access: a clinician opens a record outside their reach, with a reason.

Who: therapists and admins. The record opens for `settings.emergency_access_minutes`; while it
is open the scope reads it like the care team does (api/access/relations.py), writes that need
the care team stay forbidden, and every read is logged with the access it happened under, so
the patient sees the reason next to it (api/services/access_log.py).

Opening is audited at HIGH severity with the reason, every admin gets an urgent alert, and the
patient (and a minor's guardians) are told, in words that name no patient and no detail.
Opening again while one is open for the same patient changes nothing and answers the open one.

Finding the patient: break-glass exists for records outside one's reach, so a clinician cannot
browse for the id. `find_patients` answers an exact family name and date of birth with ids and
names only (at most a handful); each lookup is audited at HIGH severity and shows in the access
log of every patient it matched.

`User.emergency_access_until` mirrors the latest expiry of the user's open accesses: a request
reads the accesses only while it lies ahead. Opening and closing both lock the user's row first,
so two changes to one user's accesses never interleave and the mirror is never too early.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from strawberry.relay import GlobalID

from api.access.scope import AccessScope
from api.errors import BadUserInput, Forbidden, NotFound
from api.models.accounts import Role, User, UserRole
from api.models.audit import AuditSeverity
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.models.emergency_access import EmergencyAccess
from api.models.notifications import NotificationKind
from api.models.patients import Patient
from api.realtime.events import transaction
from api.services import audit
from api.services.notifications import NewNotification, notify
from api.services.pagination import Page, decode_cursor, encode_cursor, page_size
from api.services.problems import Collector, Problems
from api.settings import Settings

REASON_MIN_CHARACTERS = 10  # letters and digits: "asdf asdf" or "..........." is no reason
REASON_MAX_LENGTH = 1000
LOOKUP_MAX_MATCHES = 10
NAME_MAX_LENGTH = 100
# The audit trail keeps short texts: the first part of the reason, and a hash of all of it.
AUDIT_REASON_LENGTH = 200

ADMIN_LINK = "/admin/emergency-access"
PATIENT_LINK = "/access-log"

_COLUMNS = (
    "id",
    "user_id",
    "user__display_name",
    "patient_id",
    "reason",
    "opened_at",
    "expires_at",
    "closed_at",
)


class EmergencyAccessErrorCode(StrEnum):
    REASON_REQUIRED = "REASON_REQUIRED"
    REASON_TOO_SHORT = "REASON_TOO_SHORT"
    REASON_TOO_LONG = "REASON_TOO_LONG"
    # On the care team already (or the viewer's own record): nothing to break open.
    NOT_NEEDED = "NOT_NEEDED"


class EmergencyAccessProblems(Problems[EmergencyAccessErrorCode]):
    """Raised with every problem of one request for emergency access."""


class AccessStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"  # ended early by the clinician (or an admin)
    EXPIRED = "EXPIRED"


@dataclass(frozen=True, slots=True)
class AccessView:
    """One emergency access as the API shows it (with its clinician's name)."""

    id: int
    user_id: int
    clinician_name: str
    patient_id: int
    reason: str
    opened_at: datetime
    expires_at: datetime
    closed_at: datetime | None

    def status(self, at: datetime) -> AccessStatus:
        if self.closed_at is not None:
            return AccessStatus.CLOSED
        return AccessStatus.OPEN if self.expires_at > at else AccessStatus.EXPIRED

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AccessView:
        return cls(
            id=int(row["id"]),
            user_id=int(row["user_id"]),
            clinician_name=str(row["user__display_name"]),
            patient_id=int(row["patient_id"]),
            reason=str(row["reason"]),
            opened_at=row["opened_at"],
            expires_at=row["expires_at"],
            closed_at=row["closed_at"],
        )


@dataclass(frozen=True, slots=True)
class Opened:
    access: AccessView
    created: bool  # False: one was open already and is answered as it is


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """Where the request came from, for the audit and the access log."""

    ip: str | None
    request_id: str


@dataclass(frozen=True, slots=True)
class PatientMatch:
    patient_id: int
    given_name: str
    family_name: str


def now() -> datetime:
    return datetime.now(UTC)


def require_clinician_or_admin(scope: AccessScope) -> int:
    """The viewer's user id if they may break the glass (a therapist or an admin)."""
    user_id = scope.require_authenticated()
    if not (scope.viewer.has_role(Role.THERAPIST) or scope.viewer.has_role(Role.ADMIN)):
        raise Forbidden("Only clinicians and administrators can open a record in an emergency.")
    return user_id


def checked_reason(text: str) -> str:
    """The reason as stored (trimmed), or every problem with it."""
    problems = Collector(EmergencyAccessProblems)
    reason = text.strip()
    meaningful = sum(1 for ch in reason if ch.isalnum())
    if not reason:
        problems.add(
            EmergencyAccessErrorCode.REASON_REQUIRED,
            "Write why you need this record now: it is shown to the patient and the admins.",
            "reason",
        )
    elif len(reason) > REASON_MAX_LENGTH:
        problems.add(
            EmergencyAccessErrorCode.REASON_TOO_LONG,
            f"Keep the reason to {REASON_MAX_LENGTH} characters.",
            "reason",
        )
    elif meaningful < REASON_MIN_CHARACTERS or "\x00" in reason:
        problems.add(
            EmergencyAccessErrorCode.REASON_TOO_SHORT,
            f"Say in a few words why you need this record (at least {REASON_MIN_CHARACTERS} "
            "letters or digits).",
            "reason",
        )
    problems.raise_if_any()
    return reason


def _audit_context(scope: AccessScope, facts: RequestFacts, patient_id: int) -> audit.AuditContext:
    return audit.AuditContext(
        actor_user_id=scope.viewer.user_id,
        acting_for_patient_id=patient_id,
        ip=facts.ip,
        session_id=scope.viewer.session_id,
    )


async def _view(access_id: int) -> AccessView:
    row = await EmergencyAccess.filter(id=access_id).first().values(*_COLUMNS)
    if row is None:
        raise NotFound("No such emergency access.")
    return AccessView.from_row(row)


async def open_access(
    scope: AccessScope,
    settings: Settings,
    facts: RequestFacts,
    patient_id: int,
    reason_text: str,
) -> Opened:
    """Open `patient_id`'s record for the viewer; NOT_FOUND for an unknown patient."""
    user_id = require_clinician_or_admin(scope)
    reason = checked_reason(reason_text)
    if scope.is_care_team(patient_id) or scope.is_own_record(patient_id):
        raise EmergencyAccessProblems.one(
            EmergencyAccessErrorCode.NOT_NEEDED,
            "You can already open this record: no emergency access is needed.",
            "patientId",
        )
    at = now()
    async with transaction():
        # The user's row first, as closing does: one change to their accesses at a time.
        user = await User.filter(id=user_id).select_for_update().first()
        patient = await Patient.filter(id=patient_id).first().values("id", "user_id")
        if user is None or patient is None:
            raise NotFound("No such patient.", field="patientId")
        existing = (
            await EmergencyAccess.filter(
                user_id=user_id, patient_id=patient_id, closed_at=None, expires_at__gt=at
            )
            .order_by("-expires_at")
            .first()
            .values("id")
        )
        if existing is not None:
            return Opened(await _view(int(existing["id"])), created=False)
        expires_at = at + timedelta(minutes=settings.emergency_access_minutes)
        access = await EmergencyAccess.create(
            user_id=user_id,
            patient_id=patient_id,
            reason=reason,
            opened_at=at,
            expires_at=expires_at,
            session_id=scope.viewer.session_id,
            ip=(facts.ip or "")[:45],
        )
        latest = user.emergency_access_until
        if latest is None or latest < expires_at:
            await User.filter(id=user_id).update(emergency_access_until=expires_at)
        # The opening itself is in the patient's access log, with its reason, even if the
        # clinician then reads nothing.
        await audit.record_accesses(
            [
                audit.RecordAccessEntry(
                    actor_user_id=user_id,
                    actor_role=scope.actor_role(patient_id).value,
                    patient_id=patient_id,
                    resource="EmergencyAccess",
                    resource_id=str(access.id),
                    action="CREATE",
                    ip=facts.ip,
                    session_id=scope.viewer.session_id,
                    request_id=facts.request_id,
                    emergency_access_id=access.id,
                )
            ]
        )
        await notify(
            *await _alerts(settings, user_id, user.display_name, patient_id, patient["user_id"])
        )
        await audit.record(  # last: an appended audit row holds the chain's head until commit
            _audit_context(scope, facts, patient_id),
            "emergency_access.opened",
            target_type="Patient",
            target_id=str(patient_id),
            severity=AuditSeverity.HIGH,
            details={
                "access_id": access.id,
                "minutes": settings.emergency_access_minutes,
                "reason": reason[:AUDIT_REASON_LENGTH],
                "reason_truncated": len(reason) > AUDIT_REASON_LENGTH,
                # Seals the whole reason in the chain: an edited row no longer matches.
                "reason_sha256": hashlib.sha256(reason.encode()).hexdigest(),
            },
        )
    return Opened(await _view(access.id), created=True)


async def _alerts(
    settings: Settings,
    opener_id: int,
    opener_name: str,
    patient_id: int,
    patient_user_id: int | None,
) -> list[NewNotification]:
    """Every admin (but the opener) urgently; the patient; a minor's guardians.

    No patient is named and nothing of the record is said: the access log has the rest."""
    admins = await UserRole.filter(
        role=Role.ADMIN, user__is_active=True, user__deactivated_at=None
    ).values("user_id")
    alerts = [
        NewNotification(
            user_id=admin,
            kind=NotificationKind.EMERGENCY_ACCESS,
            title="Emergency access opened",
            body=f"{opener_name or 'A clinician'} opened a patient's record in an emergency. "
            "Please review the reason.",
            link=ADMIN_LINK,
            urgent=True,
        )
        for admin in sorted({int(row["user_id"]) for row in admins})
        if admin != opener_id
    ]
    if patient_user_id is not None:
        alerts.append(
            NewNotification(
                user_id=patient_user_id,
                kind=NotificationKind.EMERGENCY_ACCESS,
                title="A clinician opened your record in an emergency",
                body="Your record's access log shows who it was and why.",
                link=PATIENT_LINK,
                patient_id=patient_id,
            )
        )
    gid = str(GlobalID("Patient", str(patient_id)))
    for guardian in await _guardians(settings, patient_id):
        if guardian == patient_user_id:
            continue
        alerts.append(
            NewNotification(
                user_id=guardian,
                kind=NotificationKind.EMERGENCY_ACCESS,
                title="A clinician opened the record of someone you care for in an emergency",
                body="Their record's access log shows who it was and why.",
                link=f"{PATIENT_LINK}?patient={gid}",
                patient_id=patient_id,
            )
        )
    return alerts


async def _guardians(settings: Settings, patient_id: int) -> list[int]:
    """Users with a live guardian grant for this patient (a minor): one statement."""
    at = now()
    rows = await CaregiverGrant.filter(
        patient_id=patient_id,
        kind=GrantKind.GUARDIAN,
        status=GrantStatus.ACTIVE,
        caregiver_id__isnull=False,
    ).values_list("caregiver_id", "expires_at", "patient__date_of_birth")
    found: set[int] = set()
    for caregiver, expires_at, born in rows:
        if expires_at is not None and expires_at <= at:
            continue
        if born is not None and _age_on(born, at.date()) >= settings.adult_age:
            continue  # guardianship ended at adulthood (api/access/relations.live_grant)
        found.add(int(caregiver))
    return sorted(found)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


async def close_access(scope: AccessScope, facts: RequestFacts, access_id: int) -> AccessView:
    """End an access early: its clinician, or an admin. Others: NOT_FOUND. Again: unchanged."""
    viewer_id = scope.require_authenticated()
    found = await EmergencyAccess.filter(id=access_id).first().values("user_id")
    owner = int(found["user_id"]) if found is not None else None
    if owner is None or (owner != viewer_id and not scope.is_admin):
        raise NotFound("No such emergency access.")
    at = now()
    async with transaction():
        await User.filter(id=owner).select_for_update().first()
        row = await EmergencyAccess.filter(id=access_id).first()
        if row is None:
            raise NotFound("No such emergency access.")
        if row.closed_at is not None or row.expires_at <= at:
            return await _view(access_id)
        await EmergencyAccess.filter(id=access_id).update(closed_at=at)
        latest = (
            await EmergencyAccess.filter(user_id=row.user_id, closed_at=None, expires_at__gt=at)
            .order_by("-expires_at")
            .first()
            .values("expires_at")
        )
        await User.filter(id=row.user_id).update(
            emergency_access_until=latest["expires_at"] if latest is not None else None
        )
        await audit.record(
            _audit_context(scope, facts, row.patient_id),
            "emergency_access.closed",
            target_type="Patient",
            target_id=str(row.patient_id),
            severity=AuditSeverity.WARNING,
            details={"access_id": access_id, "by_owner": owner == viewer_id},
        )
    return await _view(access_id)


async def readable(scope: AccessScope, access_ids: Sequence[int]) -> dict[int, AccessView]:
    """The accesses among `access_ids` this viewer may see: their own, or any for an admin."""
    if not scope.viewer.is_authenticated or not access_ids:
        return {}
    rows = EmergencyAccess.filter(id__in=list(access_ids))
    if not scope.is_admin:
        rows = rows.filter(user_id=scope.viewer.user_id)
    return {int(row["id"]): AccessView.from_row(row) for row in await rows.values(*_COLUMNS)}


async def open_for_viewer(scope: AccessScope) -> list[AccessView]:
    """The viewer's own open accesses, newest first (none for anyone who cannot open one)."""
    user_id = scope.require_authenticated()
    if scope.viewer.emergency_access_until is None:
        return []  # never opened one: no statement
    rows = (
        await EmergencyAccess.filter(user_id=user_id, closed_at=None, expires_at__gt=now())
        .order_by("-id")
        .values(*_COLUMNS)
    )
    return [AccessView.from_row(row) for row in rows]


async def review_page(
    scope: AccessScope,
    *,
    first: int | None,
    after: str | None,
    open_only: bool,
    max_page_size: int,
) -> Page[AccessView]:
    """Every emergency access, newest first, for the admins who review them."""
    scope.require_role(Role.ADMIN)
    size = page_size(first, max_page_size)
    rows = EmergencyAccess.all()
    if open_only:
        rows = rows.filter(closed_at=None, expires_at__gt=now())
    if after is not None:
        rows = rows.filter(id__lt=decode_cursor(after))
    found = [
        AccessView.from_row(row)
        for row in await rows.order_by("-id").limit(size + 1).values(*_COLUMNS)
    ]
    has_next = len(found) > size
    found = found[:size]
    return Page(
        rows=found,
        cursors=[encode_cursor(view.id) for view in found],
        has_next_page=has_next,
        has_previous_page=after is not None,
    )


async def find_patients(
    scope: AccessScope, facts: RequestFacts, family_name: str, date_of_birth: date
) -> list[PatientMatch]:
    """Patients with exactly this family name (any case) and date of birth: ids and names only.

    Audited at HIGH severity; the caller logs a read of each match in its patient's log."""
    user_id = require_clinician_or_admin(scope)
    name = " ".join(family_name.split())
    if not name or len(name) > NAME_MAX_LENGTH:
        raise BadUserInput(
            f"Enter the patient's family name (at most {NAME_MAX_LENGTH} characters).",
            field="familyName",
        )
    rows = (
        await Patient.filter(date_of_birth=date_of_birth, family_name__iexact=name)
        .order_by("given_name", "id")
        .limit(LOOKUP_MAX_MATCHES)
        .values_list("id", "given_name", "family_name")
    )
    matches = [PatientMatch(int(pid), str(given), str(family)) for pid, given, family in rows]
    await audit.record(
        audit.AuditContext(actor_user_id=user_id, ip=facts.ip, session_id=scope.viewer.session_id),
        "emergency_access.patient_lookup",
        severity=AuditSeverity.HIGH,
        details={"matches": len(matches)},
    )
    return matches
