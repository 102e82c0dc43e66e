"""Secure messaging: threads between a patient and their care team.

- writing: start a thread, send, mark read (read receipts, acknowledgement), resolve.
- reading: the inbox, the overdue list, messages for live subscribers.
- follow_up: the durable jobs (urgent escalation, response promise) and their handlers;
  imported here so that importing the domain registers them.
- business_hours: the clinic-calendar arithmetic of the response promise.
"""

from __future__ import annotations

from api.services.messaging import follow_up, reading, writing

__all__ = ["follow_up", "reading", "writing"]
