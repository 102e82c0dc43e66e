"""The record of one change to a plan: a revision the patient can read, the notification
when the plan is (or becomes) active (a dependent without an account: to their guardians), the
audit row, and the `planUpdated` event sent once the caller's transaction commits."""

from __future__ import annotations

from collections.abc import Sequence

from api.loaders.plans import weeks
from api.models.notifications import NotificationKind
from api.models.patients import Patient
from api.models.plans import PlanRevision, TreatmentPlan
from api.realtime import topics
from api.realtime.events import publish_after_commit
from api.services import audit
from api.services.caregivers.recipients import Recipient, recipients_for
from api.services.notifications import NewNotification, notify
from api.services.plans.commands import Actor
from api.services.plans.wording import Change
from api.settings import get_settings

NOTIFICATION_TITLE = "Your treatment plan was updated"
NOTIFICATION_LINK = "/plan"


async def record(
    actor: Actor,
    plan: TreatmentPlan,
    *,
    action: str,
    summary: str,
    changes: Sequence[Change],
    notify_patient: bool,
    first: bool = False,
) -> PlanRevision:
    """Writes revision `plan.revision + 1` (or 1 when `first`) and bumps the plan's number.

    The caller holds the plan's row lock (or has just created the plan), so numbers cannot
    collide; the unique (plan, number) index would refuse it anyway.
    """
    when = weeks.now()
    if first:
        number = 1
    else:
        number = plan.revision + 1
        await TreatmentPlan.filter(id=plan.id).update(revision=number, updated_at=when)
        plan.revision = number
        plan.updated_at = when
    revision = await PlanRevision.create(
        plan_id=plan.id,
        number=number,
        created_by_id=actor.user_id,
        created_at=when,
        summary=summary[:300],
        changes=[change.as_json() for change in changes],
    )
    if notify_patient:
        await _tell_patient(plan.patient_id, summary)
    # Drafts too: the care team follows them; each subscriber's own access decides.
    await publish_after_commit(
        topics.patient_plan(plan.patient_id), {"plan_id": plan.id, "revision_id": revision.id}
    )
    # Last, and non-PHI only: no titles, names or dosages; the revision holds those.
    await audit.record(
        actor.audit_context(plan.patient_id),
        f"plan.{action}",
        target_type="TreatmentPlan",
        target_id=str(plan.id),
        details={"revision": number, "changes": len(changes), "status": plan.status.value},
    )
    return revision


async def changed_since(patient_id: int, revision_id: int) -> list[tuple[int, int]]:
    """(plan id, newest revision id) of this patient's plans changed after `revision_id`,
    oldest change first: what a `planUpdated` subscriber that fell behind re-reads."""
    rows = await PlanRevision.filter(id__gt=revision_id, plan__patient_id=patient_id).values_list(
        "plan_id", "id"
    )
    newest: dict[int, int] = {}
    for plan_id, found in rows:
        newest[int(plan_id)] = max(newest.get(int(plan_id), 0), int(found))
    return sorted(newest.items(), key=lambda item: item[1])


async def _tell_patient(patient_id: int, summary: str) -> None:
    """The patient, or a dependent's guardians (each by their own preferences): one statement
    for a patient with an account, two for a dependent."""
    row = await Patient.filter(id=patient_id).first().values("user_id", "given_name")
    if row is None:
        return
    # No Settings reach a plan change (its callers hold none); the age rules deciding which
    # guardian grants are live are the process's settings.
    told = await recipients_for(get_settings(), {patient_id: row["user_id"]})
    name = str(row["given_name"])
    await notify(*(_notification(patient_id, name, summary, whom) for whom in told[patient_id]))


def _notification(patient_id: int, name: str, summary: str, whom: Recipient) -> NewNotification:
    if whom.own:
        title, body = NOTIFICATION_TITLE, f"Your therapist changed your plan: {summary}"
    else:
        title, body = (
            f"{name}'s treatment plan was updated",
            f"{name}'s therapist changed the plan: {summary}",
        )
    return NewNotification(
        user_id=whom.user_id,
        kind=NotificationKind.PLAN_UPDATED,
        title=title,
        body=body,
        link=NOTIFICATION_LINK,
        patient_id=patient_id,
    )
