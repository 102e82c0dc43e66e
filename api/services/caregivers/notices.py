"""What a change to a grant tells the people concerned, inside the change's transaction.

- the patient's side (the patient's own account, and whoever gave the grant when that is a
  guardian): an invitation accepted, declined or voided;
- the caregiver: their access changed or ended (and their open sockets hear of it after the
  commit, see api/http/websocket.py);
- the audit chain: every change, as "actor on behalf of patient".

Notification texts name people, never anything about the patient's health.
"""

from __future__ import annotations

from collections.abc import Iterable

from api.access.scope import AccessScope
from api.models.notifications import NotificationKind
from api.realtime import topics
from api.realtime.events import publish_after_commit
from api.services import audit
from api.services.notifications import NewNotification, notify

PATIENT_LINK = "/family"  # where a patient manages who helps them (the SPA's Family access)
CAREGIVER_LINK = "/"  # a caregiver's home lists whom they help


def audit_context(
    scope: AccessScope | None, patient_id: int, ip: str | None, actor_user_id: int | None = None
) -> audit.AuditContext:
    """`actor_user_id` stands in for the viewer when there is none yet (a new account)."""
    return audit.AuditContext(
        actor_user_id=actor_user_id
        if actor_user_id is not None
        else (scope.viewer.user_id if scope is not None else None),
        acting_for_patient_id=patient_id,
        ip=ip or None,
        session_id=scope.viewer.session_id if scope is not None else None,
    )


async def tell_patient_side(
    *,
    patient_id: int,
    patient_user_id: int | None,
    patient_given_name: str,
    granted_by_id: int | None,
    actor_user_id: int | None,
    title: str,
    body: str,
) -> None:
    """`body` holds `{whose}`: "your" for the patient, "Liam's" for a guardian who invited.
    (Replaced, not formatted: the body may hold an address someone typed.)"""
    recipients: list[tuple[int, str]] = []
    if patient_user_id is not None:
        recipients.append((patient_user_id, "your"))
    if granted_by_id is not None and granted_by_id != patient_user_id:
        recipients.append((granted_by_id, f"{patient_given_name}'s"))
    await notify(
        *(
            NewNotification(
                user_id=user_id,
                kind=NotificationKind.CAREGIVER_ACCESS,
                title=title,
                body=body.replace("{whose}", whose),
                link=PATIENT_LINK,
                patient_id=patient_id,
            )
            for user_id, whose in recipients
            if user_id != actor_user_id
        )
    )


async def tell_caregiver(
    *, caregiver_id: int, patient_id: int, grant_id: int, ended: bool, title: str, body: str
) -> None:
    """The caregiver's notification, and the event their open sockets act on after commit."""
    await announce(caregiver_id, patient_id, grant_id, ended=ended)
    await notify(
        NewNotification(
            user_id=caregiver_id,
            kind=NotificationKind.CAREGIVER_ACCESS,
            title=title,
            body=body,
            link=CAREGIVER_LINK,
            patient_id=patient_id,
        )
    )


async def announce(caregiver_id: int, patient_id: int, grant_id: int, *, ended: bool) -> None:
    """After commit, to the caregiver's open sockets: re-read the scope, or close (ended)."""
    await publish_after_commit(
        topics.caregiver_access(caregiver_id),
        {"patient_id": patient_id, "grant_id": grant_id, "ended": ended},
    )


def scope_list(scopes: Iterable[object]) -> str:
    """Scopes for an audit detail (names of capabilities, not patient data)."""
    return ",".join(str(scope) for scope in scopes)
