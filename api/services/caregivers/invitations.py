"""Invitations: mailed by the patient (or a guardian acting for them), previewed by whoever
holds the link, accepted with the patient's date of birth, or declined.

The link's token is the secret: 256 random bits, stored only as a hash, working until the
invitation is accepted, declined, voided, revoked or past `caregiver_invitation_days`. Whoever
holds it must also know the patient's date of birth; `caregiver_invitation_attempts` wrong
answers void the invitation and the patient is told. Each answer is judged and counted
under the invitation's row lock, so parallel guesses cannot get more tries between them.

Accepting needs an account: the signed-in viewer's, or a new one made for the invited address
(verified: the link reached that mailbox). A patient cannot accept their own invitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from api.access.needs import Need
from api.access.scope import AccessScope
from api.delivery.mail import MailTemplate
from api.models.accounts import Role, User, UserRole
from api.models.audit import AuditOutcome, AuditSeverity
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus, Relationship
from api.models.patients import Patient
from api.realtime.events import transaction
from api.services import audit, passwords
from api.services.accounts import validation
from api.services.accounts.mailing import PendingMail, link
from api.services.accounts.tokens import new_token, token_hash
from api.services.caregivers import notices
from api.services.caregivers.checks import (
    check_expiry,
    check_scopes,
    collector,
    require_manager,
)
from api.services.caregivers.errors import CaregiverErrorCode as Code
from api.services.caregivers.errors import CaregiverProblems, fail
from api.services.caregivers.grants import (
    GrantRow,
    chosen_scopes,
    grant_row,
    lock_patient,
    now,
    patient_in_view,
)
from api.services.caregivers.liveness import (
    TIMING_COLUMNS,
    ShownStatus,
    Timing,
    reminds,
    shown_status,
)
from api.services.scheduling.reminders import schedule_for_caregiver
from api.settings import Settings

ACCEPT_PATH = "/caregiver/accept"
MAX_TOKEN_LENGTH = 200
ENDED_MESSAGE = "This invitation has ended or expired. Please ask for a new one."


@dataclass(frozen=True, slots=True)
class Invitation:
    patient_id: int | None  # None: the patient this request is about (own, or acted for)
    email: str
    relationship: Relationship
    scopes: tuple[Need, ...]
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewAccount:
    display_name: str
    password: str


@dataclass(frozen=True, slots=True)
class Acceptance:
    token: str
    date_of_birth: date
    new_account: NewAccount | None


@dataclass(frozen=True, slots=True)
class InvitationPreview:
    """What the holder of a link may see before accepting: no more than the first name."""

    patient_first_name: str
    invited_by_name: str
    relationship: Relationship
    scopes: tuple[Need, ...]
    expires_at: datetime | None  # of the access, once accepted
    invitation_expires_at: datetime
    invited_email: str
    has_account: bool


# --- inviting ----------------------------------------------------------------------------


async def invite(
    scope: AccessScope, settings: Settings, ip: str | None, command: Invitation
) -> GrantRow:
    user_id = scope.require_authenticated()
    patient_id = patient_in_view(scope, command.patient_id)
    if patient_id is None:
        raise fail(Code.PATIENT_REQUIRED, "Choose whose caregiver to invite.", "patientId")
    require_manager(scope, patient_id)
    moment = now()
    found = collector()
    email, email_problem = validation.email_problem(command.email)
    if email_problem is not None:
        found.add(Code.INVALID_EMAIL, email_problem.message, "email")
    scopes = check_scopes(found, command.scopes)
    check_expiry(found, command.expires_at, moment)
    found.raise_if_any()

    patient = await Patient.filter(id=patient_id).first().values("date_of_birth", "user__email")
    inviter = await User.filter(id=user_id).first().values("email", "display_name")
    if patient is None or inviter is None:  # deleted meanwhile
        raise fail(Code.PATIENT_REQUIRED, "Choose whose caregiver to invite.", "patientId")
    if email in (inviter["email"], patient["user__email"]):
        raise fail(
            Code.CANNOT_INVITE_SELF,
            "Invite someone else: this address is your own (or the patient's).",
            "email",
        )
    if patient["date_of_birth"] is None:
        raise fail(
            Code.DATE_OF_BIRTH_MISSING,
            "Add the patient's date of birth to the profile first: the person you invite "
            "confirms it before they get access.",
            "patientId",
        )

    token = new_token()
    mail = PendingMail(settings)
    async with transaction():
        # Checked under the patient's row lock: two invitations of one address sent at once
        # queue there, and the second sees the first (else both were made, both mailed).
        await lock_patient(patient_id)
        if await _has_open_grant(settings, patient_id, email, moment):
            raise fail(
                Code.ALREADY_HAS_ACCESS,
                "This person already has access, or an invitation waiting. Change it instead.",
                "email",
            )
        grant = await CaregiverGrant.create(
            patient_id=patient_id,
            kind=GrantKind.PROXY,
            status=GrantStatus.INVITED,
            relationship=command.relationship,
            scopes=[need.value for need in scopes],
            expires_at=command.expires_at,
            invited_email=email,
            invitation_token_hash=token_hash(token),
            invitation_expires_at=moment + timedelta(days=settings.caregiver_invitation_days),
            granted_by_id=user_id,
            created_at=moment,
            updated_at=moment,
        )
        await mail.queue(
            email,
            MailTemplate.CAREGIVER_INVITATION,
            name="",
            inviter=" ".join(str(inviter["display_name"]).split()) or "Someone",
            days=str(settings.caregiver_invitation_days),
            link=link(settings, ACCEPT_PATH, token),
        )
        await audit.record(
            notices.audit_context(scope, patient_id, ip),
            "caregiver.invited",
            target_type="CaregiverGrant",
            target_id=str(grant.id),
            details={
                "scopes": notices.scope_list(scopes),
                "expires": command.expires_at is not None,
            },
        )
    mail.send()
    return await _reloaded(settings, grant.id)


async def _has_open_grant(settings: Settings, patient_id: int, email: str, at: datetime) -> bool:
    """Whether this address already holds a live grant of the patient, or a live invitation."""
    rows = await CaregiverGrant.filter(
        Q(invited_email=email) | Q(caregiver__email=email),
        patient_id=patient_id,
        status__in=[GrantStatus.INVITED, GrantStatus.ACTIVE],
    ).values(*TIMING_COLUMNS)
    return any(
        shown_status(Timing.of(row), at, settings) in (ShownStatus.INVITED, ShownStatus.ACTIVE)
        for row in rows
    )


async def _reloaded(settings: Settings, grant_id: int) -> GrantRow:
    row = await grant_row(settings, grant_id)
    if row is None:  # pragma: no cover - written in this request
        raise LookupError("grant not found after writing it")
    return row


# --- the invitee -------------------------------------------------------------------------

_INVITATION_COLUMNS = (
    "id",
    "patient_id",
    "patient__given_name",
    "patient__date_of_birth",
    "patient__user_id",
    "granted_by_id",
    "granted_by__display_name",
    "invited_email",
    "relationship",
    "kind",
    "status",
    "scopes",
    "expires_at",
    "invitation_expires_at",
)


async def _open_invitation(settings: Settings, token: str) -> dict[str, Any] | None:
    """The invitation behind a token while it can still be accepted, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = (
        await CaregiverGrant.filter(
            invitation_token_hash=token_hash(token), status=GrantStatus.INVITED
        )
        .first()
        .values(*_INVITATION_COLUMNS)
    )
    if row is None or shown_status(Timing.of(row), now(), settings) is not ShownStatus.INVITED:
        return None
    return row


async def preview(settings: Settings, token: str) -> InvitationPreview | None:
    """What the link shows before it is accepted; None once it cannot be."""
    row = await _open_invitation(settings, token)
    if row is None:
        return None
    has_account = await User.filter(email=row["invited_email"]).exists()
    return InvitationPreview(
        patient_first_name=str(row["patient__given_name"]),
        invited_by_name=str(row["granted_by__display_name"] or ""),
        relationship=Relationship(row["relationship"]),
        scopes=chosen_scopes(row["scopes"] or []),
        expires_at=row["expires_at"],
        invitation_expires_at=row["invitation_expires_at"],
        invited_email=str(row["invited_email"]),
        has_account=has_account,
    )


def _invalid_token() -> CaregiverProblems:
    return fail(Code.INVALID_TOKEN, ENDED_MESSAGE, "token")


async def accept(
    scope: AccessScope, settings: Settings, ip: str | None, command: Acceptance
) -> GrantRow:
    """Turns the invitation into an ACTIVE grant held by the viewer (or by a new account)."""
    signed_in = scope.viewer.user_id is not None
    user_id = scope.require_authenticated() if signed_in else None
    invitation = await _open_invitation(settings, command.token)
    if invitation is None:
        raise _invalid_token()
    patient_id = int(invitation["patient_id"])
    if user_id is not None:
        await _check_acceptor(settings, user_id, invitation)
    else:
        await _check_new_account(invitation, command.new_account)

    moment = now()
    attempts_left: int | None = None
    try:
        async with transaction():
            # Each answer is judged under the invitation's row lock (SQLite: the one write
            # lock), so parallel guesses queue: each sees the count the one before left, and
            # once the last allowed wrong answer voided it none is judged at all. (Judged
            # before counting, N parallel guesses got N answers, the right one among them.)
            if not await _lock_open(command.token, int(invitation["id"])):
                raise _invalid_token()
            if command.date_of_birth != invitation["patient__date_of_birth"]:
                # Counted and committed: the problem is raised once the transaction ends.
                attempts_left = await _wrong_answer(scope, settings, ip, invitation, user_id)
            else:
                if user_id is None:
                    assert command.new_account is not None  # checked above
                    user_id = await _create_account(
                        invitation["invited_email"], command.new_account
                    )
                else:
                    # Again under the patient's row lock: one account accepting two
                    # invitations of the patient at once would otherwise get two grants.
                    await lock_patient(patient_id)
                    await _check_acceptor(settings, user_id, invitation)
                accepted = await CaregiverGrant.filter(
                    id=invitation["id"],
                    status=GrantStatus.INVITED,
                    invitation_token_hash=token_hash(command.token),
                ).update(
                    status=GrantStatus.ACTIVE,
                    caregiver_id=user_id,
                    accepted_at=moment,
                    updated_at=moment,
                    invitation_token_hash=None,
                )
                if accepted != 1:  # accepted, declined or revoked in between
                    raise _invalid_token()
                if not await UserRole.filter(user_id=user_id, role=Role.CAREGIVER).exists():
                    await UserRole.create(user_id=user_id, role=Role.CAREGIVER)
                name = await User.filter(id=user_id).values_list("display_name", flat=True)
                await notices.tell_patient_side(
                    patient_id=patient_id,
                    patient_user_id=invitation["patient__user_id"],
                    patient_given_name=str(invitation["patient__given_name"]),
                    granted_by_id=invitation["granted_by_id"],
                    actor_user_id=user_id,
                    title="A caregiver accepted your invitation",
                    body=f"{name[0] if name else 'Your caregiver'} can now help with "
                    "{whose} care, with the access you chose.",
                )
                await audit.record(
                    notices.audit_context(scope, patient_id, ip, actor_user_id=user_id),
                    "caregiver.invitation_accepted",
                    target_type="CaregiverGrant",
                    target_id=str(invitation["id"]),
                    details={"newAccount": not signed_in},
                )
                if reminds(GrantKind(invitation["kind"]), invitation["scopes"] or []):
                    await schedule_for_caregiver(settings, patient_id, user_id)
    except IntegrityError:  # the address got an account in between
        raise _account_exists() from None
    if attempts_left is not None:
        raise CaregiverProblems.wrong_date_of_birth(attempts_left)
    return await _reloaded(settings, int(invitation["id"]))


async def _lock_open(token: str, grant_id: int) -> bool:
    """Locks the invitation until the caller's transaction ends; False once it cannot be
    answered any more (accepted, declined, voided or withdrawn meanwhile)."""
    row = (
        await CaregiverGrant.filter(
            id=grant_id, status=GrantStatus.INVITED, invitation_token_hash=token_hash(token)
        )
        .select_for_update()
        .first()
    )
    return row is not None


async def _check_acceptor(settings: Settings, user_id: int, invitation: dict[str, Any]) -> None:
    if invitation["patient__user_id"] == user_id:
        raise fail(
            Code.CANNOT_ACCEPT_OWN_INVITATION,
            "This invitation is for someone who helps you: pass the link on to them.",
            "token",
        )
    held = await CaregiverGrant.filter(
        caregiver_id=user_id, patient_id=invitation["patient_id"], status=GrantStatus.ACTIVE
    ).values(*TIMING_COLUMNS)
    if any(shown_status(Timing.of(row), now(), settings) is ShownStatus.ACTIVE for row in held):
        raise fail(
            Code.ALREADY_HAS_ACCESS,
            "You already help this patient. They can change your access instead.",
            "token",
        )


def _account_exists() -> CaregiverProblems:
    return fail(
        Code.ACCOUNT_EXISTS,
        "This address already has an account: sign in, then open the link again.",
        "newAccount",
    )


async def _check_new_account(invitation: dict[str, Any], account: NewAccount | None) -> None:
    if account is None:
        raise fail(
            Code.NEW_ACCOUNT_REQUIRED,
            "Sign in, or choose a name and password for a new account.",
            "newAccount",
        )
    found = collector()
    name_problem = validation.name_problem(account.display_name)
    if name_problem is not None:
        found.add(Code.INVALID_NAME, name_problem.message, "newAccount.displayName")
    password_problem = await validation.password_problem(
        account.password, str(invitation["invited_email"]), account.display_name
    )
    if password_problem is not None:
        found.add(Code.WEAK_PASSWORD, password_problem.message, "newAccount.password")
    found.raise_if_any()
    if await User.filter(email=invitation["invited_email"]).exists():
        raise _account_exists()


async def _create_account(email: str, account: NewAccount) -> int:
    """A verified caregiver account for the invited address (in the caller's transaction)."""
    user = await User.create(
        email=email,
        password_hash=await passwords.hash_password_off_loop(account.password),
        display_name=" ".join(account.display_name.split()),
        email_verified_at=now(),
    )
    await audit.record(
        audit.AuditContext(actor_user_id=user.id),
        "account.registered_as_caregiver",
        target_type="User",
        target_id=str(user.id),
    )
    return int(user.id)


async def _wrong_answer(
    scope: AccessScope,
    settings: Settings,
    ip: str | None,
    invitation: dict[str, Any],
    user_id: int | None,
) -> int:
    """Counts one wrong date of birth; the last allowed one voids the invitation."""
    grant_id = int(invitation["id"])
    patient_id = int(invitation["patient_id"])
    moment = now()
    ctx = notices.audit_context(scope, patient_id, ip, actor_user_id=user_id)
    async with transaction():
        await CaregiverGrant.filter(id=grant_id, status=GrantStatus.INVITED).update(
            wrong_answers=F("wrong_answers") + 1, updated_at=moment
        )
        counted = await CaregiverGrant.filter(id=grant_id).first().values("wrong_answers")
        answers = int(counted["wrong_answers"]) if counted is not None else 0
        attempts_left = max(0, settings.caregiver_invitation_attempts - answers)
        await audit.record(
            ctx,
            "caregiver.invitation_wrong_answer",
            target_type="CaregiverGrant",
            target_id=str(grant_id),
            outcome=AuditOutcome.FAILURE,
            severity=AuditSeverity.WARNING,
            details={"attemptsLeft": attempts_left},
        )
        if attempts_left > 0:
            return attempts_left
        voided = await CaregiverGrant.filter(id=grant_id, status=GrantStatus.INVITED).update(
            status=GrantStatus.VOIDED,
            ended_at=moment,
            updated_at=moment,
            invitation_token_hash=None,
        )
        if voided:
            await audit.record(
                ctx,
                "caregiver.invitation_voided",
                target_type="CaregiverGrant",
                target_id=str(grant_id),
                severity=AuditSeverity.WARNING,
            )
            await notices.tell_patient_side(
                patient_id=patient_id,
                patient_user_id=invitation["patient__user_id"],
                patient_given_name=str(invitation["patient__given_name"]),
                granted_by_id=invitation["granted_by_id"],
                actor_user_id=None,
                title="A caregiver invitation was cancelled",
                body=f"The invitation sent to {invitation['invited_email']} was cancelled after "
                "too many wrong answers to the date-of-birth question. Nobody got access to "
                "{whose} record. If you still want their help, send a new invitation.",
            )
    return 0


async def decline(scope: AccessScope, settings: Settings, ip: str | None, token: str) -> None:
    """The invitee says no (signed in or not: the link is enough); the inviter is told."""
    invitation = await _open_invitation(settings, token)
    if invitation is None:
        raise _invalid_token()
    patient_id = int(invitation["patient_id"])
    moment = now()
    async with transaction():
        declined = await CaregiverGrant.filter(
            id=invitation["id"], status=GrantStatus.INVITED, invitation_token_hash=token_hash(token)
        ).update(
            status=GrantStatus.DECLINED,
            ended_at=moment,
            updated_at=moment,
            ended_by_id=scope.viewer.user_id if scope.viewer.is_authenticated else None,
            invitation_token_hash=None,
        )
        if declined != 1:
            raise _invalid_token()
        await audit.record(
            notices.audit_context(scope, patient_id, ip),
            "caregiver.invitation_declined",
            target_type="CaregiverGrant",
            target_id=str(invitation["id"]),
        )
        await notices.tell_patient_side(
            patient_id=patient_id,
            patient_user_id=invitation["patient__user_id"],
            patient_given_name=str(invitation["patient__given_name"]),
            granted_by_id=invitation["granted_by_id"],
            actor_user_id=scope.viewer.user_id,
            title="A caregiver invitation was declined",
            body=f"{invitation['invited_email']} declined the invitation to help with "
            "{whose} care.",
        )
