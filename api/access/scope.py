"""One AccessScope per request: every read of a record asks it first.

Deny by default: a scope answers "no" unless a rule below says "yes". Records a scope cannot
read do not exist for its viewer (services and loaders answer not-found, never forbidden), so
ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from api.access.needs import Need
from api.errors import Forbidden, NotFound, Unauthenticated
from api.models.accounts import Role


class SignInState(StrEnum):
    ANONYMOUS = "ANONYMOUS"
    # Password accepted; the session may do nothing but verify the second factor (or sign out).
    SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED"
    # Signed in, but the address is unverified: nothing but verify, resend, or sign out.
    EMAIL_UNVERIFIED = "EMAIL_UNVERIFIED"
    SIGNED_IN = "SIGNED_IN"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person behind a request; ``user_id`` is None when nobody is signed in."""

    user_id: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    session_id: int | None = None
    state: SignInState = SignInState.SIGNED_IN

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None and self.state is SignInState.SIGNED_IN

    @property
    def sign_in_state(self) -> SignInState:
        return SignInState.ANONYMOUS if self.user_id is None else self.state

    def has_role(self, role: Role) -> bool:
        return role in self.roles


ANONYMOUS = Viewer()


@dataclass(frozen=True, slots=True)
class AccessScope:
    """What one viewer may reach. The relations are read once per request (access/relations.py).

    - `patient_id`: the viewer's own patient record, if they are a patient.
    - `therapist_id` and `care_team`: a therapist's directory entry and the patients whose
      care team they are on today (ended assignments are not in it).
    """

    viewer: Viewer
    patient_id: int | None = None
    therapist_id: int | None = None
    care_team: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.viewer.is_authenticated and self.viewer.has_role(Role.ADMIN)

    def require_authenticated(self) -> int:
        """The viewer's user id, once fully signed in (second factor passed, email verified)."""
        user_id = self.viewer.user_id
        if user_id is None:
            raise Unauthenticated()
        if self.viewer.state is SignInState.SECOND_FACTOR_REQUIRED:
            raise Unauthenticated(
                "Enter the code from your authenticator app to finish signing in."
            )
        if self.viewer.state is SignInState.EMAIL_UNVERIFIED:
            raise Forbidden("Please verify your email address first: use the link we sent you.")
        return user_id

    def require_session(self, *allowed: SignInState) -> tuple[int, int]:
        """(user id, session id) of a session in one of the given states (or fully signed in)."""
        if self.viewer.user_id is None or self.viewer.session_id is None:
            raise Unauthenticated()
        if self.viewer.state is not SignInState.SIGNED_IN and self.viewer.state not in allowed:
            self.require_authenticated()
        return self.viewer.user_id, self.viewer.session_id

    def require_role(self, role: Role) -> None:
        self.require_authenticated()
        if not self.viewer.has_role(role):
            raise Forbidden()

    def can_read_user(self, user_id: int) -> bool:
        """An account is readable by its owner and by admins (support staff)."""
        if not self.viewer.is_authenticated:
            return False
        return self.viewer.user_id == user_id or self.is_admin

    # --- patients' records -------------------------------------------------------------

    def is_own_record(self, patient_id: int) -> bool:
        return self.viewer.is_authenticated and self.patient_id == patient_id

    def is_care_team(self, patient_id: int) -> bool:
        return self.viewer.is_authenticated and patient_id in self.care_team

    def can_read_patient(self, patient_id: int, need: Need = Need.CARE) -> bool:
        """The patient, their care team and admins read every part of a record.

        `need` is what the part asks for; caregivers' grants will answer it per scope.
        """
        del need  # every viewer allowed today may read every part
        return self.is_own_record(patient_id) or self.is_care_team(patient_id) or self.is_admin

    def require_patient(self, patient_id: int, need: Need = Need.CARE) -> None:
        """Not found (never forbidden) for a record outside the viewer's reach."""
        self.require_authenticated()
        if not self.can_read_patient(patient_id, need):
            raise NotFound("No such patient.")

    def require_clinician(self, patient_id: int) -> None:
        """Changes only the care team (or an admin) makes: plans, goals, custom metrics."""
        self.require_patient(patient_id)
        if not (self.is_care_team(patient_id) or self.is_admin):
            raise Forbidden("Only the patient's care team can do this.")

    def readable_patient_ids(self) -> frozenset[int] | None:
        """The patients whose records this viewer may list; None means every patient."""
        if not self.viewer.is_authenticated:
            return frozenset()
        if self.is_admin:
            return None
        own = frozenset({self.patient_id}) if self.patient_id is not None else frozenset()
        return own | self.care_team

    def actor_role(self, patient_id: int) -> Role:
        """The capacity the viewer acts in on this patient's record (for authorship, audit)."""
        if self.is_own_record(patient_id):
            return Role.PATIENT
        if self.is_care_team(patient_id):
            return Role.THERAPIST
        return Role.ADMIN


ANONYMOUS_SCOPE = AccessScope(ANONYMOUS)
