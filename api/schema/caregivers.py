"""Caregivers as the API shows them: a patient's grants, the caregiver's own view of whom they
help, the invitation preview behind a mailed link, and the mutations' inputs and results.

A grant is part of the patient's record (`CaregiverGrant`, need CARE: the patient, a guardian
acting for them, the care team and admins). What a caregiver sees of their own grants is
`CareRecipient`: the patient's name and what the grant covers, nothing of the record itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry import relay

from api.access.needs import GRANTABLE, Need, patient_owned
from api.access.record_access import AccessAction
from api.context import Info
from api.models.caregivers import GrantKind, Relationship
from api.schema.errors import UserError
from api.schema.relay import database_key, database_keys, global_id, parse_global_id
from api.services.caregivers import errors
from api.services.caregivers.dependents import Dependent
from api.services.caregivers.errors import CaregiverProblems
from api.services.caregivers.grants import GrantRow, readable_grants
from api.services.caregivers.invitations import (
    Acceptance,
    Invitation,
    InvitationPreview,
    NewAccount,
)
from api.services.caregivers.liveness import ShownStatus
from api.services.caregivers.managing import AccessChange


@strawberry.enum(description="What a patient lets a caregiver see or do (each one chosen).")
class CaregiverScope(StrEnum):
    APPOINTMENTS_VIEW = "APPOINTMENTS_VIEW"
    APPOINTMENTS_MANAGE = "APPOINTMENTS_MANAGE"  # implies APPOINTMENTS_VIEW
    PLAN_VIEW = "PLAN_VIEW"
    PROGRESS_VIEW = "PROGRESS_VIEW"
    PROGRESS_LOG = "PROGRESS_LOG"
    MESSAGES = "MESSAGES"
    REMINDERS = "REMINDERS"
    PROFILE_VIEW = "PROFILE_VIEW"
    PROFILE_EDIT = "PROFILE_EDIT"  # implies PROFILE_VIEW
    INSURANCE_VIEW = "INSURANCE_VIEW"
    DOCUMENTS = "DOCUMENTS"


# The enum is the schema's spelling of api.access.needs.GRANTABLE: they must not drift apart.
if [scope.value for scope in CaregiverScope] != [need.value for need in GRANTABLE]:
    raise RuntimeError("CaregiverScope and api.access.needs.GRANTABLE differ")

CaregiverRelationship = strawberry.enum(
    Relationship, name="CaregiverRelationship", description="Who the caregiver is to the patient."
)
CaregiverGrantKind = strawberry.enum(
    GrantKind,
    name="CaregiverGrantKind",
    description="PROXY: the scopes the patient chose. GUARDIAN: a parent or legal guardian of "
    "a minor, every scope until adulthood (the clinic's confidential fields hidden from 13).",
)
CaregiverGrantStatus = strawberry.enum(
    ShownStatus,
    name="CaregiverGrantStatus",
    description="Where a grant stands now. EXPIRED: past its end, an invitation past its "
    "deadline, or a guardian's grant once the patient is an adult.",
)
CaregiverErrorCode = strawberry.enum(
    errors.CaregiverErrorCode, description="Why a caregiver change did not happen."
)


def _scopes_out(needs: Iterable[Need]) -> list[CaregiverScope]:
    return [CaregiverScope(need.value) for need in needs]


def _scopes_in(scopes: Iterable[CaregiverScope]) -> tuple[Need, ...]:
    return tuple(Need(scope.value) for scope in scopes)


def grant_key(value: str, field: str = "grantId") -> int:
    return database_key(parse_global_id(value, field), "CaregiverGrant", field)


def patient_key(value: str, field: str = "patientId") -> int:
    return database_key(parse_global_id(value, field), "Patient", field)


# --- nouns -------------------------------------------------------------------------------


@patient_owned(Need.CARE)
@strawberry.type(
    description="Access a patient gave someone to parts of their record: an invitation until "
    "it is accepted, then the caregiver's grant."
)
class CaregiverGrant(relay.Node):
    id: relay.NodeID[int]
    patient_id: strawberry.ID = strawberry.field(description="The Patient's id.")
    patient_name: str
    caregiver_name: str | None = strawberry.field(
        description="The caregiver's name once they accepted; null while invited."
    )
    invited_email: str = strawberry.field(description="The address the invitation went to.")
    relationship: CaregiverRelationship  # type: ignore[valid-type]
    kind: CaregiverGrantKind  # type: ignore[valid-type]
    scopes: list[CaregiverScope] = strawberry.field(description="As chosen (GUARDIAN: all).")
    status: CaregiverGrantStatus  # type: ignore[valid-type]
    expires_at: datetime | None = strawberry.field(
        description="When the access ends by itself; null: until revoked."
    )
    invitation_expires_at: datetime | None = strawberry.field(
        description="Until when the invitation can be accepted (null once it was)."
    )
    created_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None = strawberry.field(
        description="When it was revoked, voided or declined."
    )

    @classmethod
    def from_row(cls, row: GrantRow) -> CaregiverGrant:
        return cls(
            id=row.id,
            patient_id=global_id("Patient", row.patient_id),
            patient_name=row.patient_name,
            caregiver_name=row.caregiver_name,
            invited_email=row.invited_email,
            relationship=row.relationship,
            kind=row.kind,
            scopes=_scopes_out(row.scopes),
            status=row.status,
            expires_at=row.expires_at,
            invitation_expires_at=row.invitation_expires_at
            if row.status is ShownStatus.INVITED
            else None,
            created_at=row.created_at,
            accepted_at=row.accepted_at,
            ended_at=row.ended_at,
        )

    @classmethod
    def seen(
        cls, info: Info, row: GrantRow, action: AccessAction = AccessAction.READ
    ) -> CaregiverGrant:
        info.context.record_access.saw(row.patient_id, "CaregiverGrant", row.id, action)
        return cls.from_row(row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CaregiverGrant | None]:
        scope = await info.context.scope()
        rows = await readable_grants(scope, info.context.settings, database_keys(node_ids))
        return [cls.seen(info, row) if row is not None else None for row in rows]


@patient_owned(Need.NAME)
@strawberry.type(
    description="Someone you help, as your grant shows them: act for them by sending their "
    "patientId in the X-Relief-Acting-For header."
)
class CareRecipient:
    grant_id: strawberry.ID = strawberry.field(description="The CaregiverGrant's id.")
    patient_id: strawberry.ID = strawberry.field(description="The Patient's id.")
    patient_name: str
    relationship: CaregiverRelationship  # type: ignore[valid-type]
    kind: CaregiverGrantKind  # type: ignore[valid-type]
    scopes: list[CaregiverScope]
    expires_at: datetime | None
    confidential_fields: list[str] = strawberry.field(
        description="Fields of Patient hidden from you now (a guardian of an adolescent)."
    )

    @classmethod
    def from_row(cls, row: GrantRow) -> CareRecipient:
        return cls(
            grant_id=global_id("CaregiverGrant", row.id),
            patient_id=global_id("Patient", row.patient_id),
            patient_name=row.patient_name,
            relationship=row.relationship,
            kind=row.kind,
            scopes=_scopes_out(row.scopes),
            expires_at=row.expires_at,
            confidential_fields=list(row.confidential_fields),
        )


@strawberry.type(
    description="What a caregiver invitation link shows before it is accepted: the patient's "
    "first name, who invited, and the access offered."
)
class CaregiverInvitationPreview:
    patient_first_name: str
    invited_by_name: str
    relationship: CaregiverRelationship  # type: ignore[valid-type]
    scopes: list[CaregiverScope]
    expires_at: datetime | None = strawberry.field(
        description="When the access would end by itself; null: until revoked."
    )
    invitation_expires_at: datetime = strawberry.field(
        description="Until when the invitation can be accepted."
    )
    invited_email: str
    has_account: bool = strawberry.field(
        description="Whether the invited address has an account (sign in to accept), or a new "
        "one is made on accepting."
    )

    @classmethod
    def from_preview(cls, preview: InvitationPreview) -> CaregiverInvitationPreview:
        return cls(
            patient_first_name=preview.patient_first_name,
            invited_by_name=preview.invited_by_name,
            relationship=preview.relationship,
            scopes=_scopes_out(preview.scopes),
            expires_at=preview.expires_at,
            invitation_expires_at=preview.invitation_expires_at,
            invited_email=preview.invited_email,
            has_account=preview.has_account,
        )


# --- errors and results ------------------------------------------------------------------


@strawberry.type(description="One problem with a caregiver change, with the field it is about.")
class CaregiverError(UserError):
    code: CaregiverErrorCode  # type: ignore[valid-type]
    attempts_left: int | None = strawberry.field(
        default=None,
        description="WRONG_DATE_OF_BIRTH: answers the invitation still takes (0: it is void).",
    )


@strawberry.type(description="A caregiver change did not happen; every problem is listed.")
class CaregiverErrors:
    errors: list[CaregiverError]

    @classmethod
    def from_problems(cls, problems: CaregiverProblems) -> CaregiverErrors:
        return cls(
            errors=[
                CaregiverError(
                    code=problem.code,
                    message=problem.message,
                    field=problem.field,
                    attempts_left=problems.attempts_left
                    if problem.code is errors.CaregiverErrorCode.WRONG_DATE_OF_BIRTH
                    else None,
                )
                for problem in problems.problems
            ]
        )


@patient_owned(Need.CARE)
@strawberry.type(description="The grant as it now stands.")
class CaregiverGrantPayload:
    grant: CaregiverGrant


@patient_owned(Need.NAME)
@strawberry.type(description="The patient you now help, and what you may do for them.")
class CareRecipientPayload:
    care_recipient: CareRecipient


@strawberry.type(description="The invitation was declined; the link no longer works.")
class DeclineCaregiverInvitationPayload:
    declined: bool


@patient_owned(Need.CARE)
@strawberry.type(
    description="The dependent's new record and your guardian grant: act for them with "
    "patientId in the X-Relief-Acting-For header."
)
class RegisterDependentPayload:
    patient_id: strawberry.ID = strawberry.field(description="The Patient's id.")
    grant: CaregiverGrant


InviteCaregiverResult = Annotated[
    CaregiverGrantPayload | CaregiverErrors, strawberry.union("InviteCaregiverResult")
]
AcceptCaregiverInvitationResult = Annotated[
    CareRecipientPayload | CaregiverErrors, strawberry.union("AcceptCaregiverInvitationResult")
]
DeclineCaregiverInvitationResult = Annotated[
    DeclineCaregiverInvitationPayload | CaregiverErrors,
    strawberry.union("DeclineCaregiverInvitationResult"),
]
UpdateCaregiverAccessResult = Annotated[
    CaregiverGrantPayload | CaregiverErrors, strawberry.union("UpdateCaregiverAccessResult")
]
RevokeCaregiverAccessResult = Annotated[
    CaregiverGrantPayload | CaregiverErrors, strawberry.union("RevokeCaregiverAccessResult")
]
RegisterDependentResult = Annotated[
    RegisterDependentPayload | CaregiverErrors, strawberry.union("RegisterDependentResult")
]


# --- inputs ------------------------------------------------------------------------------


@strawberry.input(description="Invite someone to help with a patient's care.")
class InviteCaregiverInput:
    patient_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The patient; omitted: the one this request acts for, else your own record.",
    )
    email: str
    relationship: CaregiverRelationship  # type: ignore[valid-type]
    scopes: list[CaregiverScope] = strawberry.field(description="At least one.")
    expires_at: datetime | None = strawberry.field(
        default=None, description="When the access ends by itself (with a time zone); null: never."
    )

    def to_command(self) -> Invitation:
        return Invitation(
            patient_id=None if self.patient_id is None else patient_key(self.patient_id),
            email=self.email,
            relationship=Relationship(self.relationship),
            scopes=_scopes_in(self.scopes),
            expires_at=self.expires_at,
        )


@strawberry.input(description="An account made for the invited address on accepting.")
class NewCaregiverAccountInput:
    display_name: str
    password: str = strawberry.field(description="The same rules as at registration.")


@strawberry.input(description="Accept an invitation: its token and the patient's date of birth.")
class AcceptCaregiverInvitationInput:
    token: str
    date_of_birth: date = strawberry.field(description="The patient's date of birth.")
    new_account: NewCaregiverAccountInput | None = strawberry.field(
        default=None, description="When not signed in: the account to make (required then)."
    )

    def to_command(self) -> Acceptance:
        account = self.new_account
        return Acceptance(
            token=self.token,
            date_of_birth=self.date_of_birth,
            new_account=None
            if account is None
            else NewAccount(display_name=account.display_name, password=account.password),
        )


@strawberry.input(description="Change what a caregiver may do, or until when.")
class UpdateCaregiverAccessInput:
    grant_id: strawberry.ID
    scopes: list[CaregiverScope] | None = strawberry.field(
        default=None, description="The new scopes (at least one); null: keep them."
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="A new end (with a time zone); null: keep it."
    )
    clear_expiry: bool = strawberry.field(default=False, description="True: no end, until revoked.")

    def to_command(self) -> AccessChange:
        return AccessChange(
            grant_id=grant_key(self.grant_id),
            scopes=None if self.scopes is None else _scopes_in(self.scopes),
            expires_at=self.expires_at,
            clear_expiry=self.clear_expiry,
        )


@strawberry.input(description="A child you are the parent or legal guardian of.")
class RegisterDependentInput:
    given_name: str
    family_name: str
    date_of_birth: date = strawberry.field(description="Younger than 18.")
    relationship: CaregiverRelationship = strawberry.field(  # type: ignore[valid-type]
        description="PARENT or GUARDIAN."
    )
    time_zone: str | None = strawberry.field(
        default=None, description="IANA zone; omitted: your own."
    )

    def to_command(self) -> Dependent:
        return Dependent(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            relationship=Relationship(self.relationship),
            time_zone=self.time_zone,
        )


TYPES: tuple[type, ...] = (CaregiverGrant, CaregiverError)
