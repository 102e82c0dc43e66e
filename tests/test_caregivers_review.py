"""Holes found reviewing caregiver access, each held shut: parallel guesses at the date of
birth get no more than the allowed answers, and someone acting through a grant cannot rewrite
the date of birth the age rules (and the invitation check) rest on."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from api.access.needs import Need
from api.access.relations import live_grant
from api.models.audit import AuditEvent
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus
from api.models.patients import Patient
from api.services.scheduling import questionnaires
from api.settings import Settings
from tests.caregivers_flows import (
    BORN,
    GRANTS,
    REGISTER_DEPENDENT,
    REVOKE,
    UPDATE,
    accept,
    codes,
    invite,
    invited_grant,
    mailed_token,
    result,
)
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import assign, gid, make_location, make_patient, make_therapist
from tests.conftest import GraphQLClient
from tests.scheduling_support import local_start, make_appointment, make_session_types

# --- the date-of-birth question under parallel guesses -----------------------------------


def _outcome(answer: dict[str, Any]) -> str:
    if answer["__typename"] == "CareRecipientPayload":
        return "ACCEPTED"
    (error,) = answer["errors"]
    return str(error["code"])


async def test_parallel_wrong_answers_get_no_more_tries_than_allowed(
    gql: GraphQLClient, settings: Settings
) -> None:
    user, _ = await make_patient()
    await invited_grant(gql, user.id)
    token = await mailed_token()
    grace = await make_caregiver()
    allowed = settings.caregiver_invitation_attempts
    guesses = [date(1980, 5, day) for day in range(1, 9)]  # eight wrong days (17 is right)
    answers = await asyncio.gather(
        *(accept(gql, token, as_user=grace.id, born=born) for born in guesses)
    )
    outcomes = sorted(_outcome(answer) for answer in answers)
    # Each answer judged is one of the allowed tries; the others find the invitation void.
    assert outcomes == sorted(
        ["WRONG_DATE_OF_BIRTH"] * allowed + ["INVALID_TOKEN"] * (len(guesses) - allowed)
    )
    left = sorted(
        answer["errors"][0]["attemptsLeft"]
        for answer in answers
        if _outcome(answer) == "WRONG_DATE_OF_BIRTH"
    )
    assert left == list(range(allowed))
    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    assert (stored.status, stored.wrong_answers) == (GrantStatus.VOIDED, allowed)
    assert await AuditEvent.filter(action="caregiver.invitation_wrong_answer").count() == allowed
    assert await AuditEvent.filter(action="caregiver.invitation_voided").count() == 1


async def test_the_right_answer_among_parallel_guesses_counts_only_within_the_tries(
    gql: GraphQLClient, settings: Settings
) -> None:
    user, _ = await make_patient()
    await invited_grant(gql, user.id)
    token = await mailed_token()
    grace = await make_caregiver()
    allowed = settings.caregiver_invitation_attempts
    # A guesser sends every day of a month at once, the right one last.
    guesses = [date(1980, 5, day) for day in range(1, 17)] + [BORN]
    answers = await asyncio.gather(
        *(accept(gql, token, as_user=grace.id, born=born) for born in guesses)
    )
    outcomes = [_outcome(answer) for answer in answers]
    judged = [outcome for outcome in outcomes if outcome != "INVALID_TOKEN"]
    assert len(judged) <= allowed, outcomes
    stored = await CaregiverGrant.get(invited_email="grace@example.org")
    if "ACCEPTED" in outcomes:  # the right answer came within the tries
        assert stored.status is GrantStatus.ACTIVE
        assert outcomes.count("WRONG_DATE_OF_BIRTH") < allowed
    else:
        assert stored.status is GrantStatus.VOIDED
        assert stored.caregiver_id is None


# --- the date of birth is not a caregiver's to change ------------------------------------

DEMOGRAPHICS = """mutation ($input: UpdatePatientDemographicsInput!) {
  updatePatientDemographics(input: $input) {
    __typename ... on PatientProfilePayload { patient { givenName dateOfBirth } }
  }
}"""
TEEN_RECORD = "query { myPatient { dateOfBirth healthHistory { medications { name } } } }"


def _demographics(patient_id: str, **values: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "patientId": patient_id,
        "givenName": "Liam",
        "familyName": "Chen",
        "timeZone": "America/New_York",
        "preferredLanguage": "en",
    }
    fields.update(values)
    return {"input": fields}


async def _teenager() -> tuple[Patient, date]:
    _, teen = await make_patient("teen@example.org", given_name="Liam", family_name="Chen")
    born = date.today() - timedelta(days=15 * 366)  # fifteen
    teen.date_of_birth = born
    await teen.save(update_fields=["date_of_birth"])
    return teen, born


async def test_a_guardian_cannot_clear_or_change_a_teenagers_date_of_birth(
    gql: GraphQLClient,
) -> None:
    """Without a date of birth the age rules read a child's (nothing hidden, nothing ends);
    with a younger one the confidential fields would show: the guardian must not decide it."""
    teen, born = await _teenager()
    guardian = await make_caregiver("mum@example.org", name="Grace Chen")
    await grant(teen, guardian, kind=GrantKind.GUARDIAN)
    teen_id = gid("Patient", teen.id)
    hidden = await gql.execute(TEEN_RECORD, as_user=guardian.id, acting_for=teen_id)
    assert hidden["data"]["myPatient"]["healthHistory"] is None

    younger = (date.today() - timedelta(days=10 * 366)).isoformat()
    for changed in ({}, {"dateOfBirth": None}, {"dateOfBirth": younger}):
        body = await gql.execute(
            DEMOGRAPHICS, _demographics(teen_id, **changed), as_user=guardian.id, acting_for=teen_id
        )
        assert {error["extensions"]["code"] for error in body.get("errors") or []} == {
            "FORBIDDEN"
        }, (changed, body)
        assert (await Patient.get(id=teen.id)).date_of_birth == born
    after = await gql.execute(TEEN_RECORD, as_user=guardian.id, acting_for=teen_id)
    assert after["data"]["myPatient"]["healthHistory"] is None
    assert after["data"]["myPatient"]["dateOfBirth"] == born.isoformat()

    # The rest of the section stays theirs to edit, the date of birth sent as it is.
    body = await gql.execute(
        DEMOGRAPHICS,
        _demographics(teen_id, givenName="Liam Jr", dateOfBirth=born.isoformat()),
        as_user=guardian.id,
        acting_for=teen_id,
    )
    assert body["data"]["updatePatientDemographics"]["patient"] == {
        "givenName": "Liam Jr",
        "dateOfBirth": born.isoformat(),
    }, body


async def test_a_proxy_with_profile_edit_cannot_change_the_date_of_birth_either(
    gql: GraphQLClient,
) -> None:
    """It is what an invitee proves they know: a helper does not get to reset it."""
    user, patient = await make_patient()
    helper = await make_caregiver()
    await grant(patient, helper, [Need.PROFILE_EDIT])
    patient_id = gid("Patient", patient.id)
    body = await gql.execute(
        DEMOGRAPHICS,
        _demographics(patient_id, givenName="Maria", dateOfBirth="1990-01-01"),
        as_user=helper.id,
        acting_for=patient_id,
    )
    assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}
    assert (await Patient.get(id=patient.id)).date_of_birth == BORN
    # The patient corrects their own.
    own = await gql.execute(
        DEMOGRAPHICS,
        _demographics(patient_id, givenName="Maria", dateOfBirth="1980-05-18"),
        as_user=user.id,
    )
    assert own["data"]["updatePatientDemographics"]["patient"]["dateOfBirth"] == "1980-05-18"


# --- an expiry that cannot be stored and read back ---------------------------------------


async def test_an_expiry_past_what_a_date_holds_in_utc_is_a_typed_error(
    gql: GraphQLClient,
) -> None:
    """A valid input that is past year 9999 once in UTC was stored, and from then on every
    read of the patient's grants, and every request of the caregiver, failed (INTERNAL)."""
    user, patient = await make_patient()
    helper = await make_caregiver()
    given = await grant(patient, helper, [Need.APPOINTMENTS_VIEW])
    too_far = "9999-12-31T23:59:59-12:00"
    answer = await invite(gql, user.id, email="sam@example.org", expiresAt=too_far)
    assert codes(answer) == ["EXPIRY_TOO_FAR"]
    assert answer["errors"][0]["field"] == "expiresAt"
    values = {"grantId": gid("CaregiverGrant", given.id), "expiresAt": too_far}
    body = await gql.execute(UPDATE, {"input": values}, as_user=user.id)
    assert codes(result(body, "updateCaregiverAccess")) == ["EXPIRY_TOO_FAR"]
    # Far, but a date all the same, is fine.
    values["expiresAt"] = "2099-12-31T23:59:59-12:00"
    body = await gql.execute(UPDATE, {"input": values}, as_user=user.id)
    assert result(body, "updateCaregiverAccess")["__typename"] == "CaregiverGrantPayload"
    grants = result(await gql.execute(GRANTS, as_user=user.id), "caregiverGrants")
    assert [g["expiresAt"] for g in grants] == ["2100-01-01T11:59:59+00:00"]
    patient_id = gid("Patient", patient.id)
    seen = await gql.execute(
        "query { myPatient { givenName } }", as_user=helper.id, acting_for=patient_id
    )
    assert seen == {"data": {"myPatient": {"givenName": "Maria"}}}


# --- one grant per person per patient ----------------------------------------------------


async def test_parallel_invitations_of_one_address_make_one(gql: GraphQLClient) -> None:
    user, _ = await make_patient()
    answers = await asyncio.gather(*(invite(gql, user.id) for _ in range(4)))
    kinds = sorted(answer["__typename"] for answer in answers)
    assert kinds == ["CaregiverErrors"] * 3 + ["CaregiverGrantPayload"], answers
    assert all(
        codes(answer) == ["ALREADY_HAS_ACCESS"]
        for answer in answers
        if answer["__typename"] == "CaregiverErrors"
    )
    assert await CaregiverGrant.filter(invited_email="grace@example.org").count() == 1


async def test_one_account_accepting_two_invitations_at_once_gets_one_grant(
    gql: GraphQLClient,
) -> None:
    user, patient = await make_patient()
    await invited_grant(gql, user.id, email="grace@example.org")
    await invited_grant(gql, user.id, email="grace.work@example.org")
    tokens = [await mailed_token("grace@example.org"), await mailed_token("grace.work@example.org")]
    grace = await make_caregiver()
    answers = await asyncio.gather(*(accept(gql, token, as_user=grace.id) for token in tokens))
    assert sorted(_outcome(answer) for answer in answers) == ["ACCEPTED", "ALREADY_HAS_ACCESS"]
    held = await CaregiverGrant.filter(caregiver_id=grace.id, patient_id=patient.id).count()
    assert held == 1


async def test_of_two_active_grants_the_newest_live_one_answers(
    gql: GraphQLClient, settings: Settings
) -> None:
    """Two ACTIVE rows for one pair (an old grant run out, then a new one accepted): the
    newest that is live answers, not merely the newest row."""
    _, patient = await make_patient()
    grace = await make_caregiver()
    live = await grant(patient, grace, [Need.PLAN_VIEW])
    ran_out = await grant(
        patient,
        grace,
        [Need.APPOINTMENTS_VIEW],
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    await CaregiverGrant.filter(id=ran_out.id).update(
        expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    found = await live_grant(grace.id, patient.id, settings)
    assert found is not None
    assert (found.grant_id, Need.PLAN_VIEW in found.scopes) == (live.id, True)
    assert Need.APPOINTMENTS_VIEW not in found.scopes


async def test_an_old_grant_is_not_revived_beside_a_live_one(gql: GraphQLClient) -> None:
    """Extending a run-out grant while the same person holds a live one would leave two, the
    patient changing one while the other answers."""
    user, patient = await make_patient()
    grace = await make_caregiver()
    old = await grant(patient, grace, [Need.PROGRESS_VIEW])
    await CaregiverGrant.filter(id=old.id).update(
        expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    await grant(patient, grace, [Need.PLAN_VIEW])
    old_id = gid("CaregiverGrant", old.id)
    changes: list[dict[str, Any]] = [{"clearExpiry": True}, {"expiresAt": "2099-01-01T00:00:00Z"}]
    for change in changes:
        body = await gql.execute(UPDATE, {"input": {"grantId": old_id, **change}}, as_user=user.id)
        assert codes(result(body, "updateCaregiverAccess")) == ["ALREADY_HAS_ACCESS"]
    # Its scopes may still be changed: that revives nothing.
    values = {"grantId": old_id, "scopes": ["PLAN_VIEW"]}
    body = await gql.execute(UPDATE, {"input": values}, as_user=user.id)
    assert result(body, "updateCaregiverAccess")["__typename"] == "CaregiverGrantPayload"


# --- a teenager's current condition, told again in a pre-session questionnaire -----------

QUESTIONNAIRE = """query ($id: ID!) { appointment(id: $id) {
  id concerns questionnaire { status submittedAt answers { symptoms painNow concerns } }
} }"""


async def test_a_teenagers_questionnaire_answers_are_kept_from_the_guardian(
    gql: GraphQLClient, settings: Settings
) -> None:
    """The answers are the current condition (symptoms, pain now) in the patient's words: what
    Patient.currentCondition hides from an adolescent's guardian, they hide too."""
    teen, _ = await _teenager()
    guardian = await make_caregiver("mum@example.org", name="Grace Chen")
    await grant(teen, guardian, kind=GrantKind.GUARDIAN)
    therapist_user, therapist = await make_therapist()
    row = await make_appointment(
        teen.id,
        therapist.id,
        (await make_session_types())["follow_up"].id,
        local_start(5),
        location_id=(await make_location()).id,
        booked_by_id=therapist_user.id,
    )
    await questionnaires.assign(settings, row)
    await questionnaires.submit(
        row,
        questionnaires.Answers(
            symptoms="Panic before school", pain_now=6, changes_since_last_visit="", concerns=""
        ),
        by_user_id=therapist_user.id,
    )
    appointment_id = gid("Appointment", row.id)
    teen_id = gid("Patient", teen.id)
    body = await gql.execute(
        QUESTIONNAIRE, {"id": appointment_id}, as_user=guardian.id, acting_for=teen_id
    )
    assert sorted((e["path"], e["extensions"]["code"]) for e in body["errors"]) == [
        (["appointment", "concerns"], "FORBIDDEN"),
        (["appointment", "questionnaire", "answers"], "FORBIDDEN"),
    ]
    seen = body["data"]["appointment"]["questionnaire"]
    assert seen["status"] == "SUBMITTED"
    assert seen["answers"] is None
    assert body["data"]["appointment"]["concerns"] is None
    assert "Panic" not in str(body)
    # The care team reads them as before.
    await assign(teen, therapist)
    clinic = await gql.execute(QUESTIONNAIRE, {"id": appointment_id}, as_user=therapist_user.id)
    assert clinic["data"]["appointment"]["questionnaire"]["answers"]["symptoms"] == (
        "Panic before school"
    )
    # A child's guardian reads them too.
    teen.date_of_birth = date.today() - timedelta(days=10 * 366)
    await teen.save(update_fields=["date_of_birth"])
    child = await gql.execute(
        QUESTIONNAIRE, {"id": appointment_id}, as_user=guardian.id, acting_for=teen_id
    )
    assert child["data"]["appointment"]["questionnaire"]["answers"]["painNow"] == 6


# --- a dependent keeps a guardian --------------------------------------------------------


async def test_two_guardians_stepping_down_at_once_leave_one(gql: GraphQLClient) -> None:
    """Each saw the other's grant live, and both went: a dependent without an account had
    nobody left to manage the record."""
    mum = await make_caregiver("mum@example.org", name="Grace Chen")
    registered = await gql.execute(
        REGISTER_DEPENDENT,
        {
            "input": {
                "givenName": "Liam",
                "familyName": "Chen",
                "dateOfBirth": (date.today() - timedelta(days=8 * 366)).isoformat(),
                "relationship": "PARENT",
            }
        },
        as_user=mum.id,
    )
    answer = result(registered, "registerDependent")
    child_id = answer["patientId"]
    child = await Patient.get(given_name="Liam")
    dad = await make_caregiver("dad@example.org", name="Wei Chen")
    dads = await grant(child, dad, kind=GrantKind.GUARDIAN)
    steps = [(mum.id, answer["grant"]["id"]), (dad.id, gid("CaregiverGrant", dads.id))]
    answers = await asyncio.gather(
        *(
            gql.execute(REVOKE, {"id": grant_id}, as_user=who, acting_for=child_id)
            for who, grant_id in steps
        )
    )
    outcomes = sorted(result(body, "revokeCaregiverAccess")["__typename"] for body in answers)
    assert outcomes == ["CaregiverErrors", "CaregiverGrantPayload"], answers
    left = await CaregiverGrant.filter(patient_id=child.id, status=GrantStatus.ACTIVE).count()
    assert left == 1


async def test_the_patients_words_need_more_than_seeing_the_schedule(
    gql: GraphQLClient, settings: Settings
) -> None:
    """Concerns and answers (symptoms, pain now) are for those who may manage the booking:
    APPOINTMENTS_VIEW alone sees the appointment, not what the patient wrote."""
    patient_user, patient = await make_patient("adult@example.org")
    viewer = await make_caregiver("viewer@example.org", name="Vera View")
    manager = await make_caregiver("manager@example.org", name="Manu Manage")
    await grant(patient, viewer, [Need.APPOINTMENTS_VIEW])
    await grant(patient, manager, [Need.APPOINTMENTS_MANAGE])
    _, therapist = await make_therapist()
    row = await make_appointment(
        patient.id,
        therapist.id,
        (await make_session_types())["follow_up"].id,
        local_start(5),
        location_id=(await make_location()).id,
        booked_by_id=patient_user.id,
    )
    row.concerns = "My knee gives way"
    await row.save(update_fields=["concerns"])
    await questionnaires.assign(settings, row)
    await questionnaires.submit(
        row,
        questionnaires.Answers(
            symptoms="Knee swells", pain_now=7, changes_since_last_visit="", concerns=""
        ),
        by_user_id=patient_user.id,
    )
    variables = {"id": gid("Appointment", row.id)}
    acting = gid("Patient", patient.id)
    seen = await gql.execute(QUESTIONNAIRE, variables, as_user=viewer.id, acting_for=acting)
    assert seen["data"]["appointment"]["id"] == variables["id"]
    assert sorted((e["path"], e["extensions"]["code"]) for e in seen["errors"]) == [
        (["appointment", "concerns"], "FORBIDDEN"),
        (["appointment", "questionnaire", "answers"], "FORBIDDEN"),
    ]
    assert "swells" not in str(seen)
    assert "gives way" not in str(seen)
    managed = await gql.execute(QUESTIONNAIRE, variables, as_user=manager.id, acting_for=acting)
    assert "errors" not in managed, managed
    assert managed["data"]["appointment"]["concerns"] == "My knee gives way"
    assert managed["data"]["appointment"]["questionnaire"]["answers"]["painNow"] == 7
