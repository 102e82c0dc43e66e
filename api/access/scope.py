"""One AccessScope per request: every read of a record asks it first.

Deny by default: a scope answers "no" unless a rule below says "yes". Records a scope cannot
read do not exist for its viewer (services and loaders answer not-found, never forbidden), so
ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

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
    # The patient a caregiver acts for in this request (X-Relief-Acting-For, or `actingFor`
    # in a socket's connection_init): one at a time, and only through a live grant.
    acting_for: int | None = None
    # When this user's open emergency accesses run out (None: none is open), from the account.
    emergency_access_until: datetime | None = None

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
class CaregiverAccess:
    """A live grant, as the request that acts through it sees it."""

    grant_id: int
    patient_id: int
    scopes: frozenset[Need]  # effective: chosen, implied, and Need.NAME
    guardian: bool = False
    # Fields of Patient hidden from this guardian (the patient is an adolescent).
    confidential: frozenset[str] = frozenset()


_NO_EMERGENCY: Mapping[int, int] = MappingProxyType({})

# Needs that change a record on the patient's behalf: never granted by emergency access,
# which exists to read a record in a hurry (writes still go through the care team).
EMERGENCY_DENIED = frozenset({Need.PROFILE_EDIT, Need.PROGRESS_LOG, Need.APPOINTMENTS_MANAGE})
# Other changes need what reading needs (a message: MESSAGES): they ask `require_to_act`.
EMERGENCY_READ_ONLY = (
    "Emergency access opens a record to read it: changes go through the patient's care team."
)


@dataclass(frozen=True, slots=True)
class AccessScope:
    """What one viewer may reach. The relations are read once per request (access/relations.py).

    - `patient_id`: the viewer's own patient record, if they are a patient.
    - `therapist_id` and `care_team`: a therapist's directory entry and the patients whose
      care team they are on today (ended assignments are not in it).
    - `caregiving`: the live grant of the patient the viewer acts for in this request.
    - `emergency`: patients opened through emergency access, each with the access's id.
    """

    viewer: Viewer
    patient_id: int | None = None
    therapist_id: int | None = None
    care_team: frozenset[int] = frozenset()
    caregiving: CaregiverAccess | None = None
    emergency: Mapping[int, int] = field(default_factory=lambda: _NO_EMERGENCY, hash=False)

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

    def grant_for(self, patient_id: int) -> CaregiverAccess | None:
        """The live grant this request acts through for this patient, if any."""
        grant = self.caregiving
        if grant is None or grant.patient_id != patient_id or not self.viewer.is_authenticated:
            return None
        return grant

    def acts_for(self, patient_id: int) -> bool:
        """Whether the viewer acts as this patient: their own record, or a grant's."""
        return self.is_own_record(patient_id) or self.grant_for(patient_id) is not None

    @property
    def default_patient_id(self) -> int | None:
        """The patient a request is about when it names none: the one a caregiver acts for
        (X-Relief-Acting-For), else the viewer's own record."""
        if self.caregiving is not None and self.viewer.is_authenticated:
            return self.caregiving.patient_id
        return self.patient_id

    def in_emergency(self, patient_id: int) -> bool:
        return self.viewer.is_authenticated and patient_id in self.emergency

    def can_reach_patient(self, patient_id: int) -> bool:
        """Whether the record exists for this viewer at all (some part of it is theirs to read).

        Outside it, everything about the patient answers not-found."""
        return (
            self.is_own_record(patient_id)
            or self.is_care_team(patient_id)
            or self.is_admin
            or self.grant_for(patient_id) is not None
            or self.in_emergency(patient_id)
        )

    def can_read_patient(self, patient_id: int, need: Need = Need.CARE) -> bool:
        """The patient, their care team and admins reach every part of a record; emergency
        access reads every part; a caregiver the parts their grant's scopes name (a guardian:
        all)."""
        if self.reads_whole_record(patient_id):
            return True
        if self.in_emergency(patient_id):
            return need not in EMERGENCY_DENIED  # emergency access reads; it does not act
        grant = self.grant_for(patient_id)
        if grant is None:
            return False
        return grant.guardian or need in grant.scopes

    def reads_whole_record(self, patient_id: int) -> bool:
        """The patient, their care team and admins: every part of the record, nothing hidden."""
        return self.is_own_record(patient_id) or self.is_care_team(patient_id) or self.is_admin

    def hides_field(self, patient_id: int, field_name: str) -> bool:
        """A field of Patient kept confidential from this viewer (an adolescent's guardian)."""
        if self.reads_whole_record(patient_id):
            return False
        grant = self.grant_for(patient_id)
        return grant is not None and field_name in grant.confidential

    def require_patient(self, patient_id: int, need: Need = Need.CARE) -> None:
        """Not found for a record outside the viewer's reach; forbidden for a part of a
        reachable record that the viewer's grant does not cover."""
        self.require_authenticated()
        if not self.can_reach_patient(patient_id):
            raise NotFound("No such patient.")
        if not self.can_read_patient(patient_id, need):
            raise Forbidden(forbidden_message(need))

    def require_clinician(self, patient_id: int) -> None:
        """Changes only the care team (or an admin) makes: plans, goals, custom metrics."""
        self.require_patient(patient_id, Need.NAME)
        if not (self.is_care_team(patient_id) or self.is_admin):
            raise Forbidden("Only the patient's care team can do this.")

    def reaches_only_in_emergency(self, patient_id: int) -> bool:
        """Whether the viewer reaches this record through emergency access alone."""
        return self.in_emergency(patient_id) and not (
            self.acts_for(patient_id) or self.is_care_team(patient_id) or self.is_admin
        )

    def require_to_act(self, patient_id: int, need: Need = Need.CARE) -> None:
        """`require_patient` for a change to the record made with a read need (a message
        needs MESSAGES to read and to write): emergency access reads, it never acts."""
        self.require_patient(patient_id, need)
        if self.reaches_only_in_emergency(patient_id):
            raise Forbidden(EMERGENCY_READ_ONLY)

    def readable_patient_ids(self, need: Need = Need.CARE) -> frozenset[int] | None:
        """The patients whose records (the parts needing `need`) this viewer may list;
        None means every patient."""
        if not self.viewer.is_authenticated:
            return frozenset()
        if self.is_admin:
            return None
        own = frozenset({self.patient_id}) if self.patient_id is not None else frozenset()
        granted: frozenset[int] = frozenset()
        grant = self.caregiving
        if grant is not None and (grant.guardian or need in grant.scopes):
            granted = frozenset({grant.patient_id})
        return own | self.care_team | granted | frozenset(self.emergency)

    def actor_role(self, patient_id: int) -> Role:
        """The capacity the viewer acts in on this patient's record (for authorship, audit)."""
        if self.is_own_record(patient_id):
            return Role.PATIENT
        if self.is_care_team(patient_id):
            return Role.THERAPIST
        if self.grant_for(patient_id) is not None:
            return Role.CAREGIVER
        if self.is_admin or not self.viewer.has_role(Role.THERAPIST):
            return Role.ADMIN
        return Role.THERAPIST  # emergency access

    def emergency_access_id(self, patient_id: int) -> int | None:
        """The emergency access a read of this patient happens under (None: routine access)."""
        if self.is_own_record(patient_id) or self.is_care_team(patient_id):
            return None
        if self.grant_for(patient_id) is not None:
            return None
        return self.emergency.get(patient_id) if self.viewer.is_authenticated else None


_NEED_WORDS = {
    Need.CARE: "this part of the record, which only the patient and their care team see",
    Need.NAME: "this patient's record",
    Need.PROFILE_VIEW: "the patient's profile",
    Need.PROFILE_EDIT: "changing the patient's profile",
    Need.INSURANCE_VIEW: "the patient's insurance",
    Need.PLAN_VIEW: "the treatment plan",
    Need.PROGRESS_VIEW: "the patient's progress (pain scores and measurements)",
    Need.PROGRESS_LOG: "logging progress for the patient",
    Need.APPOINTMENTS_VIEW: "the patient's appointments",
    Need.APPOINTMENTS_MANAGE: "booking or changing the patient's appointments",
    Need.MESSAGES: "messages with the care team",
    Need.DOCUMENTS: "the patient's documents and videos",
    Need.REMINDERS: "appointment reminders",
}


def forbidden_message(need: Need) -> str:
    return f"Your access to this patient does not include {_NEED_WORDS[need]}."


ANONYMOUS_SCOPE = AccessScope(ANONYMOUS)
