"""Invitations end to end: mailed link (hash stored), anonymous preview, acceptance with the
patient's date of birth (signed in, or with a new account), three wrong answers void it,
declining, and a typed error for every bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from api.access.needs import Need
from api.models.accounts import Role, User, UserRole
from api.models.audit import AuditEvent
from api.models.caregivers import CaregiverGrant, GrantStatus
from api.models.notifications import Notification, NotificationKind
from api.models.outbox import OutboxMail
from api.services import passwords
from api.services.accounts.tokens import token_hash
from api.settings import Settings
from tests.accounts_support import make_user
from tests.caregivers_flows import (
    DECLINE,
    GRANTS,
    PREVIEW,
    accept,
    codes,
    error_codes,
    invite,
    invited_grant,
    mailed_token,
    result,
)
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import assign, gid, make_patient, make_therapist
from tests.conftest import GraphQLClient

STRONG = "a quiet harbour at seven"


async def test_an_invitation_mails_a_link_and_keeps_only_its_hash(
    gql: GraphQLClient, settings: Settings
) -> None:
    user, patient = await make_patient()
    before = datetime.now(UTC)
    granted = await invited_grant(
        gql,
        user.id,
        email="  Grace@Example.org ",
        scopes=("PROGRESS_VIEW", "APPOINTMENTS_MANAGE", "PROGRESS_VIEW"),
        expiresAt="2099-01-31T17:00:00Z",
    )
    assert granted["patientId"] == gid("Patient", patient.id)
    assert granted["patientName"] == "Maria Gonzalez"
    assert granted["caregiverName"] is None
    assert granted["invitedEmail"] == "grace@example.org"
    assert granted["status"] == "INVITED"
    assert granted["kind"] == "PROXY"
    assert granted["scopes"] == ["APPOINTMENTS_MANAGE", "PROGRESS_VIEW"]  # once, schema order
    assert granted["expiresAt"] == "2099-01-31T17:00:00+00:00"
    deadline = datetime.fromisoformat(granted["invitationExpiresAt"])
    days = timedelta(days=settings.caregiver_invitation_days)
    assert before + days <= deadline <= datetime.now(UTC) + days

    mail = await OutboxMail.get(to_address="grace@example.org")
    assert mail.template == "caregiver_invitation"
    link = f"{settings.public_url}/caregiver/accept?token="
    assert link in mail.text_body
    token = await mailed_token()
    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    assert stored.invitation_token_hash == token_hash(token)
    assert token not in str(stored.invitation_token_hash)
    # The inviter's display name, nothing about the patient's care or the access chosen.
    assert "Maria Gonzalez invited you" in mail.text_body
    for private in ("PROGRESS", "1980", "SPOUSE", "partner", "pain"):
        assert private not in mail.text_body + mail.subject

    event = await AuditEvent.get(action="caregiver.invited")
    assert (event.actor_user_id, event.acting_for_patient_id) == (user.id, patient.id)
    assert event.details == {"scopes": "APPOINTMENTS_MANAGE,PROGRESS_VIEW", "expires": True}


async def test_every_bad_invitation_gets_a_typed_error(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    answer = await invite(
        gql, user.id, email="not an address", scopes=(), expiresAt="2001-01-01T00:00:00Z"
    )
    assert codes(answer) == ["INVALID_EMAIL", "NO_SCOPES", "EXPIRY_IN_PAST"]
    assert [error["field"] for error in answer["errors"]] == ["email", "scopes", "expiresAt"]
    answer = await invite(gql, user.id, expiresAt="2099-01-01T00:00:00")
    assert codes(answer) == ["EXPIRY_WITHOUT_TIME_ZONE"]
    assert codes(await invite(gql, user.id, email="MARIA@example.org")) == ["CANNOT_INVITE_SELF"]

    await invited_grant(gql, user.id)
    assert codes(await invite(gql, user.id)) == ["ALREADY_HAS_ACCESS"]
    # Holding an accepted grant counts too, whatever address the invitation went to.
    holder = await make_caregiver("sam@example.org", name="Sam Lee")
    await grant(patient, holder, [])
    assert codes(await invite(gql, user.id, email="sam@example.org")) == ["ALREADY_HAS_ACCESS"]

    # The invitee confirms the date of birth: without one on the record, nobody could.
    patient.date_of_birth = None
    await patient.save(update_fields=["date_of_birth"])
    assert codes(await invite(gql, user.id, email="lee@example.org")) == ["DATE_OF_BIRTH_MISSING"]

    # Someone with no record of their own names no patient.
    loner = await make_caregiver("lone@example.org")
    assert codes(await invite(gql, loner.id)) == ["PATIENT_REQUIRED"]


async def test_only_the_patient_or_a_guardian_acting_for_them_invites(gql: GraphQLClient) -> None:
    _user, patient = await make_patient()
    _, other = await make_patient("lee@example.org", given_name="Lee")
    therapist_user, therapist = await make_therapist()
    await assign(patient, therapist)
    proxy = await make_caregiver("sam@example.org")
    await grant(patient, proxy, [Need.APPOINTMENTS_VIEW])
    patient_id = gid("Patient", patient.id)

    body = await gql.execute(
        'mutation { inviteCaregiver(input: {email: "a@b.org", relationship: FRIEND, '
        "scopes: [PLAN_VIEW]}) { __typename } }"
    )
    assert error_codes(body) == {"UNAUTHENTICATED"}
    for viewer, acting_for, code in (
        (therapist_user.id, None, "FORBIDDEN"),  # reaches the record, may not give access
        (proxy.id, patient_id, "FORBIDDEN"),  # a proxy caregiver does not pass access on
        (other.user_id, None, "NOT_FOUND"),  # another patient: nothing there
        (proxy.id, None, "NOT_FOUND"),  # not acting for her: out of reach
    ):
        assert viewer is not None
        body = await gql.execute(
            'mutation($p: ID) { inviteCaregiver(input: {patientId: $p, email: "a@b.org", '
            "relationship: FRIEND, scopes: [PLAN_VIEW]}) { __typename } }",
            {"p": patient_id},
            as_user=viewer,
            acting_for=acting_for,
        )
        assert error_codes(body) == {code}, (viewer, body)
    assert await CaregiverGrant.filter(status=GrantStatus.INVITED).count() == 0


async def test_the_link_shows_a_preview_to_whoever_holds_it(
    gql: GraphQLClient,
) -> None:
    user, _ = await make_patient()
    await invited_grant(gql, user.id, scopes=("PLAN_VIEW", "REMINDERS"))
    token = await mailed_token()
    preview = result(await gql.execute(PREVIEW, {"token": token}), "caregiverInvitation")
    assert preview["patientFirstName"] == "Maria"
    assert preview["invitedByName"] == "Maria Gonzalez"
    assert preview["relationship"] == "SPOUSE_OR_PARTNER"
    assert preview["scopes"] == ["PLAN_VIEW", "REMINDERS"]
    assert preview["expiresAt"] is None
    assert preview["invitedEmail"] == "grace@example.org"
    assert preview["hasAccount"] is False
    await make_caregiver()  # grace@example.org now has an account
    preview = result(await gql.execute(PREVIEW, {"token": token}), "caregiverInvitation")
    assert preview["hasAccount"] is True

    for unknown in ("", "nope", "x" * 500):
        assert result(await gql.execute(PREVIEW, {"token": unknown}), "caregiverInvitation") is None
    await CaregiverGrant.all().update(
        invitation_expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    assert result(await gql.execute(PREVIEW, {"token": token}), "caregiverInvitation") is None


async def test_a_signed_in_invitee_accepts_and_acts_for_the_patient(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    await invited_grant(gql, user.id, scopes=("APPOINTMENTS_VIEW",))
    token = await mailed_token()
    grace = await make_user("grace@example.org", roles=(), name="Grace Chen")
    answer = await accept(gql, token, as_user=grace.id)
    assert answer["__typename"] == "CareRecipientPayload", answer
    recipient = answer["careRecipient"]
    patient_id = gid("Patient", patient.id)
    assert recipient["patientId"] == patient_id
    assert recipient["patientName"] == "Maria Gonzalez"
    assert recipient["scopes"] == ["APPOINTMENTS_VIEW"]
    assert recipient["confidentialFields"] == []

    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    assert (stored.status, stored.caregiver_id) == (GrantStatus.ACTIVE, grace.id)
    assert stored.invitation_token_hash is None
    assert stored.accepted_at is not None
    assert await UserRole.filter(user_id=grace.id, role=Role.CAREGIVER).exists()
    told = await Notification.get(user_id=user.id, kind=NotificationKind.CAREGIVER_ACCESS)
    assert told.title == "A caregiver accepted your invitation"
    assert "Grace Chen can now help with your care" in told.body
    event = await AuditEvent.get(action="caregiver.invitation_accepted")
    assert (event.actor_user_id, event.acting_for_patient_id) == (grace.id, patient.id)

    body = await gql.execute(
        "query($id: ID!) { patient(id: $id) { givenName } }",
        {"id": patient_id},
        as_user=grace.id,
        acting_for=patient_id,
    )
    assert body == {"data": {"patient": {"givenName": "Maria"}}}
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [(g["status"], g["caregiverName"]) for g in grants] == [("ACTIVE", "Grace Chen")]

    # The link worked once.
    assert codes(await accept(gql, token, as_user=grace.id)) == ["INVALID_TOKEN"]
    assert result(await gql.execute(PREVIEW, {"token": token}), "caregiverInvitation") is None


async def test_an_anonymous_invitee_makes_a_verified_account_on_accepting(
    gql: GraphQLClient,
) -> None:
    user, patient = await make_patient()
    await invited_grant(gql, user.id, email="grace@example.org")
    token = await mailed_token()
    assert codes(await accept(gql, token)) == ["NEW_ACCOUNT_REQUIRED"]
    answer = await accept(gql, token, new_account={"displayName": " ", "password": "password"})
    assert codes(answer) == ["INVALID_NAME", "WEAK_PASSWORD"]
    assert [error["field"] for error in answer["errors"]] == [
        "newAccount.displayName",
        "newAccount.password",
    ]
    # Problems with the form cost no answer to the date-of-birth question.
    assert (await CaregiverGrant.get(invited_email="grace@example.org")).wrong_answers == 0

    answer = await accept(
        gql, token, new_account={"displayName": "Grace  Chen", "password": STRONG}
    )
    assert answer["__typename"] == "CareRecipientPayload", answer
    grace = await User.get(email="grace@example.org")
    assert grace.display_name == "Grace Chen"
    assert grace.email_verified_at is not None  # the link reached this mailbox
    assert passwords.verify_password(grace.password_hash, STRONG)
    roles = await UserRole.filter(user_id=grace.id).values_list("role", flat=True)
    assert [str(role) for role in roles] == [Role.CAREGIVER.value]
    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    assert stored.caregiver_id == grace.id
    assert await AuditEvent.filter(
        action="account.registered_as_caregiver", actor_user_id=grace.id
    ).exists()
    event = await AuditEvent.get(action="caregiver.invitation_accepted")
    assert (event.actor_user_id, event.acting_for_patient_id) == (grace.id, patient.id)
    assert event.details == {"newAccount": True}


async def test_an_address_with_an_account_signs_in_to_accept(gql: GraphQLClient) -> None:
    user, _ = await make_patient()
    await make_caregiver()
    await invited_grant(gql, user.id)
    answer = await accept(
        gql, await mailed_token(), new_account={"displayName": "Grace", "password": STRONG}
    )
    assert codes(answer) == ["ACCOUNT_EXISTS"]


async def test_three_wrong_dates_of_birth_void_the_invitation(
    gql: GraphQLClient, settings: Settings
) -> None:
    user, patient = await make_patient()
    await invited_grant(gql, user.id)
    token = await mailed_token()
    grace = await make_caregiver()
    assert settings.caregiver_invitation_attempts == 3
    left = []
    for day in (1, 2, 3):
        answer = await accept(gql, token, as_user=grace.id, born=date(1980, 5, day))
        assert codes(answer) == ["WRONG_DATE_OF_BIRTH"]
        assert answer["errors"][0]["field"] == "dateOfBirth"
        left.append(answer["errors"][0]["attemptsLeft"])
    assert left == [2, 1, 0]
    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    assert stored.status == GrantStatus.VOIDED
    assert stored.invitation_token_hash is None
    assert stored.ended_at is not None
    # Even the right answer is too late now.
    assert codes(await accept(gql, token, as_user=grace.id)) == ["INVALID_TOKEN"]
    told = await Notification.get(user_id=user.id, kind=NotificationKind.CAREGIVER_ACCESS)
    assert told.title == "A caregiver invitation was cancelled"
    assert "Nobody got access to your record" in told.body
    wrong = await AuditEvent.filter(action="caregiver.invitation_wrong_answer").order_by("id")
    assert [event.details["attemptsLeft"] for event in wrong] == [2, 1, 0]
    assert {event.acting_for_patient_id for event in wrong} == {patient.id}
    assert await AuditEvent.filter(action="caregiver.invitation_voided").count() == 1
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [g["status"] for g in grants] == ["VOIDED"]


async def test_a_patient_cannot_accept_their_own_invitation(gql: GraphQLClient) -> None:
    user, _ = await make_patient()
    await invited_grant(gql, user.id)
    answer = await accept(gql, await mailed_token(), as_user=user.id)
    assert codes(answer) == ["CANNOT_ACCEPT_OWN_INVITATION"]


async def test_someone_already_helping_cannot_accept_a_second_grant(gql: GraphQLClient) -> None:
    user, patient = await make_patient()
    grace = await make_caregiver()
    await grant(patient, grace, [Need.PLAN_VIEW])
    await invited_grant(gql, user.id, email="grace.other@example.org")
    answer = await accept(gql, await mailed_token("grace.other@example.org"), as_user=grace.id)
    assert codes(answer) == ["ALREADY_HAS_ACCESS"]


async def test_an_invitee_declines_without_signing_in(gql: GraphQLClient) -> None:
    user, _ = await make_patient()
    await invited_grant(gql, user.id)
    token = await mailed_token()
    body = await gql.execute(DECLINE, {"token": token})
    assert result(body, "declineCaregiverInvitation") == {
        "__typename": "DeclineCaregiverInvitationPayload",
        "declined": True,
    }
    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    assert stored.status == GrantStatus.DECLINED
    assert stored.invitation_token_hash is None
    told = await Notification.get(user_id=user.id, kind=NotificationKind.CAREGIVER_ACCESS)
    assert "grace@example.org declined the invitation to help with your care" in told.body
    again = result(await gql.execute(DECLINE, {"token": token}), "declineCaregiverInvitation")
    assert codes(again) == ["INVALID_TOKEN"]
    assert codes(await accept(gql, token)) == ["INVALID_TOKEN"]
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [g["status"] for g in grants] == ["DECLINED"]


async def test_an_invitation_past_its_deadline_shows_expired_and_cannot_be_accepted(
    gql: GraphQLClient,
) -> None:
    user, _ = await make_patient()
    await invited_grant(gql, user.id)
    token = await mailed_token()
    await CaregiverGrant.all().update(
        invitation_expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    grace = await make_caregiver()
    assert codes(await accept(gql, token, as_user=grace.id)) == ["INVALID_TOKEN"]
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [(g["status"], g["invitationExpiresAt"]) for g in grants] == [("EXPIRED", None)]
    # An expired invitation does not block a new one.
    assert (await invited_grant(gql, user.id))["status"] == "INVITED"
