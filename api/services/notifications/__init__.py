"""The notification centre and its delivery channels.

- centre: `notify` (record, deliveries, jobs) and the owner's reads and marks
- preferences: which channels each kind uses (defaults in code, a row only where a user differs)
- quiet_hours: when non-urgent email, SMS and push wait
- subscriptions: Web Push subscriptions
- delivering: the `notifications.deliver` job (imported here so that its handler registers)
"""

from api.services.notifications import delivering as delivering
from api.services.notifications.centre import (
    DELIVER_JOB,
    NewNotification,
    delivery_job_key,
    mark_all_read,
    mark_read,
    newer_than,
    notify,
    notify_security,
    page_for_user,
    visible_to,
)

__all__ = [
    "DELIVER_JOB",
    "NewNotification",
    "delivering",
    "delivery_job_key",
    "mark_all_read",
    "mark_read",
    "newer_than",
    "notify",
    "notify_security",
    "page_for_user",
    "visible_to",
]
