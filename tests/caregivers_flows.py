"""The caregiver operations as a client sends them, for tests/test_caregivers_*.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from api.models.outbox import OutboxMail
from tests.conftest import GraphQLClient

GRANT_FIELDS = """
  id patientId patientName caregiverName invitedEmail relationship kind scopes status
  expiresAt invitationExpiresAt createdAt acceptedAt endedAt
"""
ERRORS = "... on CaregiverErrors { errors { code field message attemptsLeft } }"

INVITE = f"""mutation($input: InviteCaregiverInput!) {{
  inviteCaregiver(input: $input) {{
    __typename ... on CaregiverGrantPayload {{ grant {{ {GRANT_FIELDS} }} }} {ERRORS}
  }}
}}"""
ACCEPT = f"""mutation($input: AcceptCaregiverInvitationInput!) {{
  acceptCaregiverInvitation(input: $input) {{
    __typename
    ... on CareRecipientPayload {{
      careRecipient {{
        grantId patientId patientName relationship kind scopes expiresAt confidentialFields
      }}
    }}
    {ERRORS}
  }}
}}"""
DECLINE = f"""mutation($token: String!) {{
  declineCaregiverInvitation(token: $token) {{
    __typename ... on DeclineCaregiverInvitationPayload {{ declined }} {ERRORS}
  }}
}}"""
UPDATE = f"""mutation($input: UpdateCaregiverAccessInput!) {{
  updateCaregiverAccess(input: $input) {{
    __typename ... on CaregiverGrantPayload {{ grant {{ {GRANT_FIELDS} }} }} {ERRORS}
  }}
}}"""
REVOKE = f"""mutation($id: ID!) {{
  revokeCaregiverAccess(grantId: $id) {{
    __typename ... on CaregiverGrantPayload {{ grant {{ {GRANT_FIELDS} }} }} {ERRORS}
  }}
}}"""
REGISTER_DEPENDENT = f"""mutation($input: RegisterDependentInput!) {{
  registerDependent(input: $input) {{
    __typename
    ... on RegisterDependentPayload {{ patientId grant {{ {GRANT_FIELDS} }} }}
    {ERRORS}
  }}
}}"""
GRANTS = f"""query($patient: ID) {{ caregiverGrants(patientId: $patient) {{ {GRANT_FIELDS} }} }}"""
CAREGIVING = """{ caregiving {
  grantId patientId patientName relationship kind scopes expiresAt confidentialFields
} }"""
PREVIEW = """query($token: String!) { caregiverInvitation(token: $token) {
  patientFirstName invitedByName relationship scopes expiresAt invitationExpiresAt
  invitedEmail hasAccount
} }"""

BORN = date(1980, 5, 17)  # make_patient's date of birth


def result(body: dict[str, Any], operation: str) -> Any:
    """The operation's answer (an object, a list or null), once the request had no errors."""
    assert "errors" not in body, body
    return body["data"][operation]


def codes(answer: dict[str, Any]) -> list[str]:
    assert answer["__typename"] == "CaregiverErrors", answer
    return [error["code"] for error in answer["errors"]]


def error_codes(body: dict[str, Any]) -> set[str]:
    """The codes of the request-level errors (UNAUTHENTICATED, NOT_FOUND, FORBIDDEN...)."""
    return {error["extensions"]["code"] for error in body.get("errors") or []}


async def invite(
    gql: GraphQLClient,
    as_user: int,
    email: str = "grace@example.org",
    scopes: tuple[str, ...] = ("APPOINTMENTS_VIEW",),
    *,
    acting_for: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {"email": email, "relationship": "SPOUSE_OR_PARTNER"}
    values["scopes"] = list(scopes)
    values.update(extra)
    body = await gql.execute(INVITE, {"input": values}, as_user=as_user, acting_for=acting_for)
    answer: dict[str, Any] = result(body, "inviteCaregiver")
    return answer


async def invited_grant(gql: GraphQLClient, as_user: int, **kwargs: Any) -> dict[str, Any]:
    answer = await invite(gql, as_user, **kwargs)
    assert answer["__typename"] == "CaregiverGrantPayload", answer
    grant: dict[str, Any] = answer["grant"]
    return grant


async def mailed_token(email: str = "grace@example.org") -> str:
    """The token of the newest invitation mailed to this address (the development outbox)."""
    mail = (
        await OutboxMail.filter(to_address=email, template="caregiver_invitation")
        .order_by("-id")
        .first()
    )
    assert mail is not None
    return mail.text_body.split("token=", 1)[1].split()[0]


async def accept(
    gql: GraphQLClient,
    token: str,
    *,
    as_user: int | None = None,
    born: date = BORN,
    new_account: dict[str, str] | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {"token": token, "dateOfBirth": born.isoformat()}
    if new_account is not None:
        values["newAccount"] = new_account
    body = await gql.execute(ACCEPT, {"input": values}, as_user=as_user)
    answer: dict[str, Any] = result(body, "acceptCaregiverInvitation")
    return answer
