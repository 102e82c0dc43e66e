"""The expected outcomes of caregiver operations, each with a stable code and its field."""

from __future__ import annotations

from enum import StrEnum

from api.services.problems import Problem, Problems


class CaregiverErrorCode(StrEnum):
    INVALID_EMAIL = "INVALID_EMAIL"
    NO_SCOPES = "NO_SCOPES"
    EXPIRY_IN_PAST = "EXPIRY_IN_PAST"
    EXPIRY_TOO_FAR = "EXPIRY_TOO_FAR"  # past what a date can hold once in UTC (or 100 years)
    EXPIRY_WITHOUT_TIME_ZONE = "EXPIRY_WITHOUT_TIME_ZONE"
    CONFLICTING_EXPIRY = "CONFLICTING_EXPIRY"  # an expiry and clearExpiry together
    NOTHING_TO_CHANGE = "NOTHING_TO_CHANGE"
    ALREADY_HAS_ACCESS = "ALREADY_HAS_ACCESS"
    CANNOT_INVITE_SELF = "CANNOT_INVITE_SELF"
    PATIENT_REQUIRED = "PATIENT_REQUIRED"
    # The invitee confirms the patient's date of birth: without one on the record, nobody can.
    DATE_OF_BIRTH_MISSING = "DATE_OF_BIRTH_MISSING"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 (a code, not a secret)
    WRONG_DATE_OF_BIRTH = "WRONG_DATE_OF_BIRTH"
    NEW_ACCOUNT_REQUIRED = "NEW_ACCOUNT_REQUIRED"
    ACCOUNT_EXISTS = "ACCOUNT_EXISTS"
    INVALID_NAME = "INVALID_NAME"
    WEAK_PASSWORD = "WEAK_PASSWORD"  # noqa: S105 (a code, not a secret)
    CANNOT_ACCEPT_OWN_INVITATION = "CANNOT_ACCEPT_OWN_INVITATION"
    GRANT_ENDED = "GRANT_ENDED"
    # A guardian's grant covers everything until adulthood: it is not narrowed, only ended.
    GUARDIAN_GRANT = "GUARDIAN_GRANT"
    # A dependent without an account of their own keeps at least one guardian.
    LAST_GUARDIAN = "LAST_GUARDIAN"
    INVALID_DATE_OF_BIRTH = "INVALID_DATE_OF_BIRTH"
    NOT_A_MINOR = "NOT_A_MINOR"
    INVALID_RELATIONSHIP = "INVALID_RELATIONSHIP"
    INVALID_TIME_ZONE = "INVALID_TIME_ZONE"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"


class CaregiverProblems(Problems[CaregiverErrorCode]):
    """Raised by the caregiver services with every problem of one input.

    `attempts_left` goes with WRONG_DATE_OF_BIRTH: how many answers the invitation still takes.
    """

    attempts_left: int | None = None

    @classmethod
    def wrong_date_of_birth(cls, attempts_left: int) -> CaregiverProblems:
        if attempts_left > 0:
            message = (
                "That is not the date of birth on the record. "
                f"You can try {attempts_left} more time{'s' if attempts_left != 1 else ''}."
            )
        else:
            message = (
                "That is not the date of birth on the record. The invitation no longer works: "
                "please ask for a new one."
            )
        problems = cls(Problem(CaregiverErrorCode.WRONG_DATE_OF_BIRTH, message, "dateOfBirth"))
        problems.attempts_left = attempts_left
        return problems


fail = CaregiverProblems.one
