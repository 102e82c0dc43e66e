"""Who may break the glass (therapists and admins), and what the audit notes of their request."""

from __future__ import annotations

from dataclasses import dataclass

from api.access.scope import AccessScope
from api.errors import Forbidden
from api.models.accounts import Role
from api.services import audit


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """Where the request came from, for the audit and the access log."""

    ip: str | None
    request_id: str


def require_clinician_or_admin(scope: AccessScope) -> int:
    """The viewer's user id if they may break the glass (a therapist or an admin)."""
    user_id = scope.require_authenticated()
    if not (scope.viewer.has_role(Role.THERAPIST) or scope.viewer.has_role(Role.ADMIN)):
        raise Forbidden("Only clinicians and administrators can open a record in an emergency.")
    return user_id


def audit_context(
    scope: AccessScope, facts: RequestFacts, patient_id: int | None = None
) -> audit.AuditContext:
    return audit.AuditContext(
        actor_user_id=scope.viewer.user_id,
        acting_for_patient_id=patient_id,
        ip=facts.ip,
        session_id=scope.viewer.session_id,
    )
