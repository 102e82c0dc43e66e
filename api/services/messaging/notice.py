"""What the client shows next to the urgent flag: urgent is not an emergency line."""

from __future__ import annotations

from api.settings import Settings


def urgent_message_notice(settings: Settings) -> str:
    hours = settings.urgent_escalation_minutes
    return (
        "Urgent messages go to your whole care team at once and are escalated to the clinic "
        f"if nobody has read them within {hours} minutes. They are not for emergencies: "
        f"in an emergency call {settings.emergency_number}. "
        f"For anything that cannot wait, call {settings.clinic_phone}."
    )
