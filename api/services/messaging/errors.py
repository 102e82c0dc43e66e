"""The expected outcomes of messaging operations, each with a stable code and its field."""

from __future__ import annotations

from enum import StrEnum

from api.services.problems import Problems


class MessagingErrorCode(StrEnum):
    EMPTY_BODY = "EMPTY_BODY"
    BODY_TOO_LONG = "BODY_TOO_LONG"
    SUBJECT_REQUIRED = "SUBJECT_REQUIRED"
    SUBJECT_TOO_LONG = "SUBJECT_TOO_LONG"
    ATTACHMENT_NOT_FOUND = "ATTACHMENT_NOT_FOUND"
    TOO_MANY_ATTACHMENTS = "TOO_MANY_ATTACHMENTS"
    # Only the patient's side flags a message urgent: the clinic answers, it does not escalate.
    URGENT_NOT_ALLOWED = "URGENT_NOT_ALLOWED"
    PATIENT_REQUIRED = "PATIENT_REQUIRED"
    MESSAGE_NOT_FOUND = "MESSAGE_NOT_FOUND"


class MessagingProblems(Problems[MessagingErrorCode]):
    """Raised by the messaging services with every problem of one input."""
