"""Who treats a patient: assigning therapists to the care team and ending assignments.

Admins and the patient's PRIMARY therapist manage the team. A patient has at most one PRIMARY:
naming a new one makes the old one TREATING in the same transaction. Every change holds the
patient row's lock, so two changes to one team run one after the other and cannot both leave
a primary behind. An ended assignment keeps its row; assigning the therapist again reopens it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from api.access.scope import AccessScope
from api.errors import Forbidden, NotFound
from api.models.patients import CareTeamMember, CareTeamRole, Patient
from api.models.therapists import Therapist
from api.realtime.events import transaction
from api.services import audit
from api.services.therapists.problems import TherapistErrorCode, fail

NOT_ALLOWED = "Only an admin or the patient's primary therapist can change the care team."


async def _lock_patient(patient_id: int) -> None:
    # A model query: `.values()` would drop the FOR UPDATE. Only the key is read.
    locked = await Patient.filter(id=patient_id).select_for_update().only("id").first()
    if locked is None:
        raise NotFound("No such patient.")


async def _require_manager(scope: AccessScope, patient_id: int) -> None:
    """Read under the patient lock, so a primary who was just replaced is refused."""
    if scope.is_admin:
        return
    if (
        scope.therapist_id is None
        or not await CareTeamMember.filter(
            patient_id=patient_id,
            therapist_id=scope.therapist_id,
            role=CareTeamRole.PRIMARY,
            ended_at=None,
        ).exists()
    ):
        raise Forbidden(NOT_ALLOWED)


async def assign(
    scope: AccessScope,
    ctx: audit.AuditContext,
    patient_id: int,
    therapist_id: int | None,
    role: CareTeamRole,
) -> None:
    scope.require_patient(patient_id)
    async with transaction():
        await _lock_patient(patient_id)
        await _require_manager(scope, patient_id)
        if therapist_id is None:
            raise fail(
                TherapistErrorCode.INVALID_ID, "This is not the id of a therapist.", "therapistId"
            )
        if not await Therapist.filter(id=therapist_id).exists():
            raise fail(
                TherapistErrorCode.UNKNOWN_THERAPIST,
                "There is no therapist with this id.",
                "therapistId",
            )
        demoted: int | None = None
        if role is CareTeamRole.PRIMARY:
            previous = (
                await CareTeamMember.filter(
                    patient_id=patient_id, role=CareTeamRole.PRIMARY, ended_at=None
                )
                .exclude(therapist_id=therapist_id)
                .values("therapist_id")
            )
            if previous:
                demoted = int(previous[0]["therapist_id"])
                await CareTeamMember.filter(
                    patient_id=patient_id,
                    therapist_id__in=[row["therapist_id"] for row in previous],
                ).update(role=CareTeamRole.TREATING)
        now = datetime.now(UTC)
        member = await CareTeamMember.filter(
            patient_id=patient_id, therapist_id=therapist_id
        ).first()
        reopened = member is not None and member.ended_at is not None
        if member is None:
            await CareTeamMember.create(
                patient_id=patient_id, therapist_id=therapist_id, role=role, started_at=now
            )
        elif reopened:
            member.role, member.started_at, member.ended_at = role, now, None
            await member.save(update_fields=["role", "started_at", "ended_at"])
        elif member.role is not role:
            member.role = role
            await member.save(update_fields=["role"])
        await audit.record(
            ctx,
            "care_team.assigned",
            target_type="Patient",
            target_id=str(patient_id),
            details={
                "therapistId": therapist_id,
                "role": role.value,
                "reopened": reopened,
                "demotedTherapistId": demoted,
            },
        )


async def end(
    scope: AccessScope, ctx: audit.AuditContext, patient_id: int, therapist_id: int | None
) -> None:
    scope.require_patient(patient_id)
    async with transaction():
        await _lock_patient(patient_id)
        await _require_manager(scope, patient_id)
        member = (
            await CareTeamMember.filter(
                patient_id=patient_id, therapist_id=therapist_id, ended_at=None
            ).first()
            if therapist_id is not None
            else None
        )
        if member is None:
            raise fail(
                TherapistErrorCode.NOT_ON_CARE_TEAM,
                "This therapist is not on the patient's care team.",
                "therapistId",
            )
        member.ended_at = datetime.now(UTC)
        await member.save(update_fields=["ended_at"])
        await audit.record(
            ctx,
            "care_team.ended",
            target_type="Patient",
            target_id=str(patient_id),
            details={"therapistId": therapist_id, "role": member.role.value},
        )


async def join_by_booking(patient_id: int, therapist_id: int, booked_by_user_id: int) -> bool:
    """The therapist a patient is booked with treats them, so joins their care team (TREATING,
    or PRIMARY when the team has nobody) unless already on it; inside the booking's
    transaction. Without this the therapist could not open the record of their own session's
    patient. Returns whether they joined."""
    current = await CareTeamMember.filter(patient_id=patient_id, ended_at=None).values_list(
        "therapist_id", flat=True
    )
    if therapist_id in {int(str(member)) for member in current}:
        return False
    role = CareTeamRole.TREATING if current else CareTeamRole.PRIMARY
    now = datetime.now(UTC)
    updated = await CareTeamMember.filter(patient_id=patient_id, therapist_id=therapist_id).update(
        role=role, started_at=now, ended_at=None
    )
    if not updated:
        await CareTeamMember.create(
            patient_id=patient_id, therapist_id=therapist_id, role=role, started_at=now
        )
    await audit.record(
        audit.AuditContext(actor_user_id=booked_by_user_id),
        "care_team.joined_by_booking",
        target_type="Patient",
        target_id=str(patient_id),
        details={"therapistId": therapist_id, "role": role.value},
    )
    return True
