"""The periodic profile review: due N calendar months after the last review (or after the
record was made); when due, the patient gets one notification for that due date, and a
dependent without an account of their own has their live guardians told instead (each by their
own preferences: api/services/caregivers/recipients). A dependent nobody can be told about
stays unclaimed, so the next round tells a guardian who has appeared meanwhile.

`notify_due_profile_reviews` is safe to run in every worker at once: a patient is claimed by a
conditional UPDATE (`... WHERE profile_review_notified_at IS NULL`) and only the worker whose
UPDATE changed the row makes the notification, in the same transaction as the claim. Rows are
claimed in id order, so two workers never wait on each other's locks in a cycle. The guardians
of a batch's dependents are one statement, read before the claims.
"""

from __future__ import annotations

import asyncio
import calendar
from datetime import UTC, datetime, timedelta
from typing import Any

from api.models.notifications import NotificationKind
from api.models.patients import Patient
from api.observability import get_logger
from api.realtime.events import transaction
from api.services.caregivers.recipients import Recipient, recipients_for
from api.services.notifications import NewNotification, notify
from api.settings import Settings, get_settings

log = get_logger(__name__)
CHECK_EVERY = timedelta(hours=1)
BATCH_SIZE = 100
TITLE = "Time to review your profile"
BODY = (
    "Please check that your health history, medications, contacts and insurance are still "
    "right, then confirm the review."
)
# A guardian of an adolescent may not see the health history (guardian_confidential_fields):
# their text names no part of the record they may be unable to open.
GUARDIAN_TITLE = "Time to review {name}'s profile"
GUARDIAN_BODY = "Please check that {name}'s profile is still right, then confirm the review."
LINK = "/profile"


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months later; the day is clamped to the month's end (Nov 30 + 3 = Feb 28)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


async def schedule_missing_reviews(review_months: int) -> int:
    """Gives a due date to records made without one (imports, older code paths)."""
    scheduled = 0
    rows = await (
        Patient.filter(profile_review_due_at=None)
        .order_by("id")
        .limit(BATCH_SIZE * 10)
        .values("id", "created_at", "profile_reviewed_at")
    )
    for row in rows:
        start: datetime = row["profile_reviewed_at"] or row["created_at"]
        scheduled += await Patient.filter(id=row["id"], profile_review_due_at=None).update(
            profile_review_due_at=add_months(start, review_months)
        )
    return scheduled


async def notify_due_profile_reviews(
    now: datetime, *, review_months: int = 3, settings: Settings | None = None
) -> int:
    """One PROFILE_REVIEW_DUE notification per patient due and not yet told (to a dependent's
    guardians); returns how many patients were told about."""
    chosen = settings or get_settings()
    await schedule_missing_reviews(review_months)
    notified = 0
    after_id = 0
    while True:
        candidates = await (
            Patient.filter(
                id__gt=after_id, profile_review_due_at__lte=now, profile_review_notified_at=None
            )
            .order_by("id")
            .limit(BATCH_SIZE)
            .values("id", "user_id", "given_name")
        )
        if not candidates:
            return notified
        told = await recipients_for(
            chosen, {int(row["id"]): row["user_id"] for row in candidates}, now
        )
        notified += await _claim_and_notify(
            [(row, told[int(row["id"])]) for row in candidates if told[int(row["id"])]], now
        )
        after_id = int(candidates[-1]["id"])


async def _claim_and_notify(
    candidates: list[tuple[dict[str, Any], list[Recipient]]], now: datetime
) -> int:
    if not candidates:
        return 0
    async with transaction():
        claimed = []
        for row, recipients in candidates:
            won = await Patient.filter(
                id=row["id"], profile_review_notified_at=None, profile_review_due_at__lte=now
            ).update(profile_review_notified_at=now)
            if won:
                claimed.append((row, recipients))
        await notify(
            *[
                _notification(int(row["id"]), str(row["given_name"]), recipient)
                for row, recipients in claimed
                for recipient in recipients
            ]
        )
    return len(claimed)


def _notification(patient_id: int, given_name: str, recipient: Recipient) -> NewNotification:
    if recipient.own:
        title, body = TITLE, BODY
    else:
        title, body = GUARDIAN_TITLE.format(name=given_name), GUARDIAN_BODY.format(name=given_name)
    return NewNotification(
        user_id=recipient.user_id,
        kind=NotificationKind.PROFILE_REVIEW_DUE,
        title=title,
        body=body,
        link=LINK,
        patient_id=patient_id,
    )


async def keep_checking(
    review_months: int, every: timedelta = CHECK_EVERY, settings: Settings | None = None
) -> None:
    """Runs the check now and then every `every` until cancelled (the app's lifespan does)."""
    while True:
        try:
            notified = await notify_due_profile_reviews(
                datetime.now(UTC), review_months=review_months, settings=settings
            )
            if notified:
                log.info("profile_review.notified", patients=notified)
        except Exception as error:  # one failed round must not end the loop
            log.error("profile_review.check_failed", error=error)
        await asyncio.sleep(every.total_seconds())
