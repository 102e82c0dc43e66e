"""Root operations of the caregivers domain; thin: parse, call a service, map.

Not signed in: UNAUTHENTICATED (the invitation link's own operations excepted: the token is
the secret). A patient out of reach: NOT_FOUND; reachable, but not the patient or a guardian
acting for them: FORBIDDEN. Problems with an input come back typed in `CaregiverErrors`.
"""

from __future__ import annotations

import strawberry

from api.access.rate_limits import Budget
from api.access.record_access import AccessAction
from api.context import Info
from api.schema import caregivers as types
from api.schema.relay import global_id
from api.services.caregivers import dependents, grants, invitations, managing
from api.services.caregivers.errors import CaregiverProblems


def _ip(info: Info) -> str | None:
    return info.context.client.ip or None


def _grant_payload(
    info: Info, row: grants.GrantRow, action: AccessAction
) -> types.CaregiverGrantPayload:
    return types.CaregiverGrantPayload(grant=types.CaregiverGrant.seen(info, row, action))


@strawberry.type
class CaregiversQuery:
    @strawberry.field(
        description="Every grant of a patient (default: the one this request acts for, else "
        "your own record), newest first: for the patient, a guardian acting for them, the "
        "care team and admins."
    )
    async def caregiver_grants(
        self, info: Info, patient_id: strawberry.ID | None = None
    ) -> list[types.CaregiverGrant]:
        scope = await info.context.scope()
        key = None if patient_id is None else types.patient_key(patient_id)
        rows = await grants.grants_of_patient(scope, info.context.settings, key)
        return [types.CaregiverGrant.seen(info, row) for row in rows]

    @strawberry.field(
        description="The people you help through a live grant, newest first (no "
        "X-Relief-Acting-For needed)."
    )
    async def caregiving(self, info: Info) -> list[types.CareRecipient]:
        scope = await info.context.scope()
        rows = await grants.care_recipients(scope, info.context.settings)
        return [types.CareRecipient.from_row(row) for row in rows]

    @strawberry.field(
        description="What an invitation link offers, for whoever holds it (no sign-in needed); "
        "null when the link is unknown, ended or expired."
    )
    async def caregiver_invitation(
        self, info: Info, token: str
    ) -> types.CaregiverInvitationPreview | None:
        preview = await invitations.preview(info.context.settings, token)
        return None if preview is None else types.CaregiverInvitationPreview.from_preview(preview)


@strawberry.type
class CaregiversMutation:
    @strawberry.mutation(
        description="Invite someone by email to help with a patient's care, with the scopes "
        "chosen: the patient, or a guardian acting for them. The mailed link works for the "
        "days the clinic sets (14 by default)."
    )
    async def invite_caregiver(
        self, info: Info, input: types.InviteCaregiverInput
    ) -> types.InviteCaregiverResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        command = input.to_command()
        # Each invitation mails an address someone typed: not a free mailer.
        await info.context.rate_limits.spend(Budget.MAIL_REQUEST, f"caregiver-invite:{user_id}")
        try:
            row = await invitations.invite(scope, info.context.settings, _ip(info), command)
        except CaregiverProblems as problems:
            return types.CaregiverErrors.from_problems(problems)
        return _grant_payload(info, row, AccessAction.CREATE)

    @strawberry.mutation(
        description="Accept an invitation with the patient's date of birth: signed in, for "
        "your account; otherwise newAccount makes one for the invited address. Wrong dates "
        "count down attemptsLeft; at 0 the invitation is void."
    )
    async def accept_caregiver_invitation(
        self, info: Info, input: types.AcceptCaregiverInvitationInput
    ) -> types.AcceptCaregiverInvitationResult:
        scope = await info.context.scope()
        if scope.viewer.user_id is None and input.new_account is not None:
            await info.context.rate_limits.spend(Budget.REGISTRATION, info.context.client.ip)
        try:
            row = await invitations.accept(
                scope, info.context.settings, _ip(info), input.to_command()
            )
        except CaregiverProblems as problems:
            return types.CaregiverErrors.from_problems(problems)
        info.context.forget_scope()  # the viewer may now hold the CAREGIVER role
        return types.CareRecipientPayload(care_recipient=types.CareRecipient.from_row(row))

    @strawberry.mutation(description="Decline an invitation (no sign-in needed: the link is).")
    async def decline_caregiver_invitation(
        self, info: Info, token: str
    ) -> types.DeclineCaregiverInvitationResult:
        scope = await info.context.scope()
        try:
            await invitations.decline(scope, info.context.settings, _ip(info), token)
        except CaregiverProblems as problems:
            return types.CaregiverErrors.from_problems(problems)
        return types.DeclineCaregiverInvitationPayload(declined=True)

    @strawberry.mutation(
        description="Change a caregiver's scopes or expiry: effective on their next request."
    )
    async def update_caregiver_access(
        self, info: Info, input: types.UpdateCaregiverAccessInput
    ) -> types.UpdateCaregiverAccessResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        command = input.to_command()
        try:
            row = await managing.update_access(scope, info.context.settings, _ip(info), command)
        except CaregiverProblems as problems:
            return types.CaregiverErrors.from_problems(problems)
        return _grant_payload(info, row, AccessAction.UPDATE)

    @strawberry.mutation(
        description="End a caregiver's access (or withdraw an invitation) at once: their next "
        "request is refused and their open subscriptions for the patient close."
    )
    async def revoke_caregiver_access(
        self, info: Info, grant_id: strawberry.ID
    ) -> types.RevokeCaregiverAccessResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = types.grant_key(grant_id)
        try:
            row = await managing.revoke(scope, info.context.settings, _ip(info), key)
        except CaregiverProblems as problems:
            return types.CaregiverErrors.from_problems(problems)
        return _grant_payload(info, row, AccessAction.UPDATE)

    @strawberry.mutation(
        description="Register a child you are the parent or legal guardian of: a patient "
        "without an account, managed by you (a GUARDIAN grant) until they are 18."
    )
    async def register_dependent(
        self, info: Info, input: types.RegisterDependentInput
    ) -> types.RegisterDependentResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        try:
            registered = await dependents.register_dependent(
                scope, info.context.settings, _ip(info), input.to_command()
            )
        except CaregiverProblems as problems:
            return types.CaregiverErrors.from_problems(problems)
        info.context.forget_scope()  # the viewer now holds the CAREGIVER role
        # The registration is in the audit chain; the access log starts once they act for them.
        return types.RegisterDependentPayload(
            patient_id=global_id("Patient", registered.patient_id),
            grant=types.CaregiverGrant.from_row(registered.grant),
        )
