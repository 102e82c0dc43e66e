"""Topic names, one builder each: grep a topic's builder to find who publishes and who listens."""

from __future__ import annotations


def user_notifications(user_id: int) -> str:
    """A notification was stored for this user: {"notification_id": int}."""
    return f"user:{user_id}:notifications"


def patient_messages(patient_id: int) -> str:
    """A message was added to one of this patient's threads: {"thread_id", "message_id"}."""
    return f"patient:{patient_id}:messages"


def patient_plan(patient_id: int) -> str:
    """A treatment plan of this patient changed: {"plan_id": int, "revision_id": int}."""
    return f"patient:{patient_id}:plan"


def patient_appointments(patient_id: int) -> str:
    """An appointment of this patient was booked or changed: {"appointment_id": int}."""
    return f"patient:{patient_id}:appointments"


def session_ended(session_id: int) -> str:
    """This session was revoked (sign-out, password change, deactivation): {}."""
    return f"session:{session_id}:ended"


def caregiver_access(user_id: int) -> str:
    """A grant this user holds changed or ended: {"patient_id", "grant_id", "ended": bool}.
    Their open sockets acting for that patient re-read their scope, or close when it ended."""
    return f"user:{user_id}:caregiving"
