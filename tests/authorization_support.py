"""The authorization matrix: the checked-in table, one clinic to aim at, one document per root
operation (data, not functions), and the classifier that turns an answer into allow/deny/own.

Cells (tests/authorization_matrix.md):
- `allow`: answers without UNAUTHENTICATED / FORBIDDEN / NOT_FOUND and, for a mutation, without a
  typed error; where the row names a marker (one of patient A's records), the answer contains it.
- `own`: answers like `allow`, but about the actor's own data only: the marker is absent.
- `deny`: a top-level UNAUTHENTICATED / FORBIDDEN / NOT_FOUND at the operation (or a typed
  NOT_FOUND), or null where a record was asked for.
- `n/a: ...`: not sent here; the named tests cover it.

Adding an actor (a caregiver with one scope, a revoked caregiver...) is one column in the table
and one entry in `actor_users`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

from api.models.accounts import Role, User, UserRole
from api.models.files import FileKind, FileStorage, StoredFile
from api.models.notifications import Notification, NotificationKind
from api.models.patients import CareTeamRole, Patient
from api.models.plans import (
    ExerciseLog,
    PlanPhase,
    PlanStatus,
    Prescription,
    SessionOutcome,
)
from api.models.scheduling import ExceptionKind, ScheduleException, WaitlistEntry
from api.models.therapists import Discipline, Location, Therapist
from api.services import passwords
from api.services.scheduling import questionnaires
from api.settings import Settings
from tests.accounts_support import PASSWORD
from tests.clinical_support import assign, gid, make_location
from tests.messaging_support import make_file, start_thread
from tests.plans_support import build_plan, make_exercise
from tests.progress_support import add_goal, add_measurement
from tests.scheduling_support import give_hours, local_start, make_appointment, make_session_types

if TYPE_CHECKING:
    from tests.conftest import GraphQLClient

TABLE = Path(__file__).with_name("authorization_matrix.md")
DENY_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"})
CELLS = frozenset({"allow", "deny", "own"})


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    actors: tuple[str, ...]
    kinds: dict[str, str]  # operation -> "query" | "mutation"
    cells: dict[str, dict[str, str]]  # operation -> actor -> cell


def read_matrix(path: Path = TABLE) -> Matrix:
    """The Markdown table: `| operation | kind | <actor>... |` then one row per operation."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in path.read_text().splitlines()
        if line.startswith("|")
    ]
    header, body = rows[0], [row for row in rows[2:]]
    assert header[:2] == ["operation", "kind"], header
    actors = tuple(header[2:])
    kinds: dict[str, str] = {}
    cells: dict[str, dict[str, str]] = {}
    for row in body:
        assert len(row) == len(header), row
        name = row[0].strip("`")
        assert name not in kinds, f"{name} has two rows"
        kinds[name] = row[1]
        cells[name] = dict(zip(actors, row[2:], strict=True))
    return Matrix(actors, kinds, cells)


def valid_cell(cell: str) -> bool:
    return cell in CELLS or bool(re.fullmatch(r"n/a: covered by tests/test_\w+\*?\.py", cell))


# --- documents, generated from the schema ---------------------------------------------------


def _selection(named: GraphQLNamedType, depth: int = 0) -> str:
    """The smallest selection that tells the outcome: type, id, code, typed errors, edges."""
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        members = " ".join(
            f"... on {member.name} {{ {_fields(member, depth)} }}" for member in named.types
        )
        return f"{{ __typename {members} }}"
    if isinstance(named, GraphQLInterfaceType):
        return "{ __typename ... on Node { id } }"
    assert isinstance(named, GraphQLObjectType)
    return f"{{ {_fields(named, depth)} }}"


def _fields(named: GraphQLObjectType, depth: int) -> str:
    parts = ["__typename"]
    for name in ("id", "code"):
        if name in named.fields and is_leaf_type(get_named_type(named.fields[name].type)):
            parts.append(name)
    if "errors" in named.fields:
        parts.append(
            "errors { __typename ... on UserError { field } "
            + _codes(named.fields["errors"])
            + " }"
        )
    if depth == 0 and "edges" in named.fields:
        node = get_named_type(get_named_type(named.fields["edges"].type).fields["node"].type)
        parts.append(f"edges {{ node {_selection(node, 1)} }}")
    return " ".join(parts)


def _codes(errors: GraphQLField) -> str:
    named = get_named_type(errors.type)
    members = named.types if isinstance(named, GraphQLUnionType) else [named]
    return " ".join(
        f"... on {member.name} {{ code }}"
        for member in members
        if isinstance(member, GraphQLObjectType) and "code" in member.fields
    )


def document(schema: GraphQLSchema, kind: str, name: str, variables: dict[str, Any]) -> str:
    root = schema.query_type if kind == "query" else schema.mutation_type
    assert root is not None
    field_ = root.fields[name]
    unknown = set(variables) - set(field_.args)
    assert not unknown, f"{name}: no arguments {unknown}"
    declared = ", ".join(f"${arg}: {field_.args[arg].type}" for arg in variables)
    passed = ", ".join(f"{arg}: ${arg}" for arg in variables)
    head = f"{kind} Probe({declared})" if declared else f"{kind} Probe"
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call} {_selection(get_named_type(field_.type))} }}"


# --- the outcome ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    verdict: str  # allow | deny | rejected:<CODE> | error:<CODE>
    body: dict[str, Any]


def _typed_codes(value: Any) -> list[str]:
    if isinstance(value, dict):
        errors = value.get("errors")
        if isinstance(errors, list):
            return [str(error.get("code")) for error in errors if isinstance(error, dict)]
    return []


def classify(name: str, body: dict[str, Any], *, null_is_answer: bool = False) -> Outcome:
    errors = body.get("errors") or []
    at_root = [error for error in errors if not error.get("path") or error["path"][:1] == [name]]
    codes = [str((error.get("extensions") or {}).get("code")) for error in at_root]
    if codes:
        if all(code in DENY_CODES for code in codes):
            return Outcome("deny", body)
        return Outcome("error:" + ",".join(codes), body)
    value = (body.get("data") or {}).get(name)
    if value is None:
        return Outcome("allow" if null_is_answer else "deny", body)
    if isinstance(value, list) and value and all(item is None for item in value):
        return Outcome("deny", body)
    typed = _typed_codes(value)
    if typed:
        if "NOT_FOUND" in typed:
            return Outcome("deny", body)
        return Outcome("rejected:" + ",".join(typed), body)
    return Outcome("allow", body)


def expected(cell: str, outcome: Outcome, marker: str | None) -> bool:
    if cell == "deny":
        return outcome.verdict == "deny"
    if outcome.verdict != "allow":
        return False
    if marker is None:
        return True
    seen = marker in json.dumps(outcome.body)
    return seen if cell == "allow" else not seen


# --- the clinic -----------------------------------------------------------------------------


@dataclass
class Clinic:
    """Patient A's records (and B's own), the people around them; ids are global ids."""

    users: dict[str, User]  # by actor name (no anonymous)
    a: Patient
    b: Patient
    therapist: Therapist  # on A's care team (primary)
    other_therapist: Therapist  # on nobody's
    colleague: Therapist  # on A's care team (treating), not an actor
    location: Location
    ids: dict[str, str] = field(default_factory=dict)
    raw: dict[str, int] = field(default_factory=dict)
    tag: str = ""


ANONYMOUS = "anonymous"
_HASH: list[str] = []


async def make_user(email: str, *, roles: tuple[Role, ...], name: str) -> User:
    """Like accounts_support.make_user, hashing the password once for every clinic."""
    if not _HASH:
        _HASH.append(passwords.hash_password(PASSWORD))
    user = await User.create(
        email=email,
        password_hash=_HASH[0],
        display_name=name,
        date_of_birth=date(1980, 5, 17),
        phone="+15550100199",
        time_zone="America/New_York",
        email_verified_at=datetime.now(UTC),
    )
    await UserRole.bulk_create([UserRole(user=user, role=role) for role in roles])
    return user


async def make_patient(
    email: str, *, given_name: str, family_name: str = "Gonzalez"
) -> tuple[User, Patient]:
    user = await make_user(email, roles=(Role.PATIENT,), name=f"{given_name} {family_name}")
    patient = await Patient.create(
        user=user,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date(1980, 5, 17),
        time_zone="America/New_York",
    )
    return user, patient


async def make_therapist(email: str, *, name: str = "Dana Whitfield") -> tuple[User, Therapist]:
    user = await make_user(email, roles=(Role.THERAPIST,), name=name)
    therapist = await Therapist.create(
        user=user, discipline=Discipline.PHYSICAL_THERAPY, credentials="PT, DPT"
    )
    return user, therapist


def user_of(clinic: Clinic, actor: str) -> int | None:
    return None if actor == ANONYMOUS else clinic.users[actor].id


async def build_clinic(gql: GraphQLClient, settings: Settings) -> Clinic:
    """Everything the documents aim at, under fresh e-mail addresses (cheap to repeat)."""
    tag = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    today = now.date()
    a_user, a = await make_patient(f"a-{tag}@example.org", given_name="Ann")
    b_user, b = await make_patient(f"b-{tag}@example.org", given_name="Ben", family_name="Stone")
    t_user, therapist = await make_therapist(f"t-{tag}@clinic.test")
    o_user, other = await make_therapist(f"o-{tag}@clinic.test", name="Olga Brandt")
    _, colleague = await make_therapist(f"c-{tag}@clinic.test", name="Sam Ortiz")
    analyst = await make_user(f"an-{tag}@clinic.test", roles=(Role.ANALYST,), name="Ana Lyst")
    admin = await make_user(f"ad-{tag}@clinic.test", roles=(Role.ADMIN,), name="Ada Admin")
    await assign(a, therapist)
    await assign(a, colleague, CareTeamRole.TREATING)
    location = await make_location(f"Riverside {tag}")
    await give_hours(therapist, location, weekdays=range(7), start="07:00", end="20:00")
    session_types = await make_session_types()
    follow_up = session_types["follow_up"]
    users = {
        "patient_a": a_user,
        "patient_b": b_user,
        "therapist_a": t_user,
        "therapist_other": o_user,
        "analyst": analyst,
        "admin": admin,
    }
    clinic = Clinic(users, a, b, therapist, other, colleague, location, tag=tag)
    ids = clinic.ids
    raw = clinic.raw

    exercise = await make_exercise(f"bridge-{tag}", f"Bridge {tag}", sets=3, reps=10)
    spare = await make_exercise(f"plank-{tag}", f"Plank {tag}", sets=3, hold_seconds=20)
    archived = await make_exercise(f"old-{tag}", f"Old {tag}", reps=5, archived=True)
    active = await build_plan(
        a, therapist, [exercise], phases=1, per_phase=1, starts_on=today - timedelta(days=7)
    )
    draft = await build_plan(
        a,
        therapist,
        [exercise, spare],
        phases=2,
        per_phase=2,
        status=PlanStatus.DRAFT,
        starts_on=today + timedelta(days=7),
    )
    active_rx = await Prescription.filter(phase__plan_id=active.id).first()
    draft_phases = await PlanPhase.filter(plan_id=draft.id).order_by("position")
    draft_rx = await Prescription.filter(phase_id=draft_phases[0].id).order_by("position")
    assert active_rx is not None
    await ExerciseLog.create(
        patient_id=a.id,
        plan=active,
        prescription=active_rx,
        performed_on=today - timedelta(days=1),
        outcome=SessionOutcome.DONE,
        logged_by_role="PATIENT",
        logged_at=now,
    )
    measurement = await add_measurement(a, 4, now - timedelta(days=1))
    goal = await add_goal(
        a,
        baseline=6,
        baseline_at=now - timedelta(days=2),
        target=2,
        target_date=today + timedelta(days=30),
    )
    await add_measurement(b, 5, now - timedelta(days=1))
    started = await start_thread(gql, a_user)
    ids["thread"] = started["thread"]["id"]
    ids["message"] = started["message"]["id"]
    document_file = await make_file(a, a_user)
    video = await StoredFile.create(
        public_id=uuid.uuid4(),
        patient=a,
        uploaded_by=a_user,
        kind=FileKind.VIDEO,
        media_type="video/mp4",
        name="squat.mp4",
        size=4,
        sha256="0" * 64,
        storage=FileStorage.DATABASE,
        storage_key=uuid.uuid4().hex,
        created_at=now,
    )
    upcoming = await make_appointment(
        a.id,
        therapist.id,
        follow_up.id,
        local_start(3, "10:00"),
        minutes=follow_up.duration_minutes,
        location_id=location.id,
        booked_by_id=a_user.id,
    )
    begun = await make_appointment(
        a.id,
        therapist.id,
        follow_up.id,
        now - timedelta(minutes=10),
        minutes=follow_up.duration_minutes,
        location_id=location.id,
        booked_by_id=a_user.id,
    )
    await questionnaires.assign(settings, upcoming)
    notification = await Notification.create(
        user=a_user,
        patient=a,
        kind=NotificationKind.PLAN_UPDATED,
        title="New message",
        created_at=now,
    )
    entry = await WaitlistEntry.create(
        patient=a,
        therapist=therapist,
        session_type=follow_up,
        from_date=today + timedelta(days=1),
        to_date=today + timedelta(days=20),
        created_at=now,
    )
    exception = await ScheduleException.create(
        therapist=therapist,
        kind=ExceptionKind.TIME_OFF,
        starts_at=local_start(10, "12:00"),
        ends_at=local_start(10, "13:00"),
        created_at=now,
    )
    ids.update(
        a=gid("Patient", a.id),
        b=gid("Patient", b.id),
        therapist=gid("Therapist", therapist.id),
        other_therapist=gid("Therapist", other.id),
        colleague=gid("Therapist", colleague.id),
        location=gid("Location", location.id),
        exercise=gid("Exercise", exercise.id),
        spare=gid("Exercise", spare.id),
        archived=gid("Exercise", archived.id),
        plan=gid("TreatmentPlan", active.id),
        draft=gid("TreatmentPlan", draft.id),
        active_rx=gid("Prescription", active_rx.id),
        draft_phase=gid("PlanPhase", draft_phases[0].id),
        spare_phase=gid("PlanPhase", draft_phases[1].id),
        draft_rx=gid("Prescription", draft_rx[0].id),
        measurement=gid("Measurement", measurement.id),
        goal=gid("Goal", goal.id),
        file=gid("StoredFile", document_file.id),
        video=gid("StoredFile", video.id),
        appointment=gid("Appointment", upcoming.id),
        begun=gid("Appointment", begun.id),
        notification=gid("Notification", notification.id),
        waitlist=gid("WaitlistEntry", entry.id),
        exception=gid("ScheduleException", exception.id),
        session_type=gid("SessionType", follow_up.id),
        a_user=gid("User", a_user.id),
    )
    raw.update(a=a.id, a_user=a_user.id, follow_up_minutes=follow_up.duration_minutes)
    return clinic


# --- one document per operation -------------------------------------------------------------

Variables = Callable[[Clinic, str], dict[str, Any]]
Prepare = Callable[[Clinic], Awaitable[None]]


@dataclass(frozen=True)
class Probe:
    variables: Variables = lambda clinic, actor: {}
    marker: str | None = None  # a key of Clinic.ids that `allow` must show and `own` must not
    null_is_answer: bool = False  # null is an answer here ("you have none"), not a denial
    prepare: Prepare | None = None  # a precondition set before the row runs
    upload: bool = False  # sent as a multipart request (uploadFile)


def _a(key: str) -> Variables:
    return lambda clinic, actor: {key: clinic.ids["a"]}


def _id(arg: str, key: str) -> Variables:
    return lambda clinic, actor: {arg: clinic.ids[key]}


def _input(**values: Callable[[Clinic, str], Any] | Any) -> Variables:
    def variables(clinic: Clinic, actor: str) -> dict[str, Any]:
        return {
            "input": {
                name: value(clinic, actor) if callable(value) else value
                for name, value in values.items()
            }
        }

    return variables


def patient_a(clinic: Clinic, actor: str) -> str:
    return clinic.ids["a"]


def ref(key: str) -> Callable[[Clinic, str], str]:
    return lambda clinic, actor: clinic.ids[key]


def _soon(days: int, hhmm: str) -> Callable[[Clinic, str], str]:
    return lambda clinic, actor: local_start(days, hhmm).isoformat()


def _unique(template: str) -> Callable[[Clinic, str], str]:
    return lambda clinic, actor: template.format(tag=clinic.tag, actor=actor.replace("_", "-"))


async def _deactivate_a(clinic: Clinic) -> None:
    await User.filter(id=clinic.raw["a_user"]).update(deactivated_at=datetime.now(UTC))


_REAUTH = _input(currentPassword=PASSWORD)

QUERIES: dict[str, Probe] = {
    "node": Probe(_id("id", "plan")),
    "nodes": Probe(lambda clinic, actor: {"ids": [clinic.ids["plan"]]}),
    "serverInfo": Probe(),
    "me": Probe(),
    "signInState": Probe(),
    "passwordStrength": Probe(lambda clinic, actor: {"password": "plain"}),
    "users": Probe(marker="a_user"),
    "outbox": Probe(),
    "patient": Probe(_id("id", "a")),
    "myPatient": Probe(marker="a"),
    "caseload": Probe(marker="a"),
    "therapists": Probe(),
    "locations": Probe(),
    "specialties": Probe(),
    "exercises": Probe(),
    "exercise": Probe(_id("id", "exercise")),
    "treatmentPlan": Probe(_id("id", "plan")),
    "treatmentPlans": Probe(_a("patientId"), marker="plan"),
    "exerciseLogs": Probe(_a("patientId")),
    "progressSeries": Probe(
        lambda clinic, actor: {
            "patientId": clinic.ids["a"],
            "metric": {"kind": "PAIN"},
            "from": (datetime.now(UTC) - timedelta(days=14)).isoformat(),
            "to": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "bucket": "DAY",
        }
    ),
    "measurements": Probe(_a("patientId"), marker="measurement"),
    "outcomeMeasures": Probe(_a("patientId")),
    "metricDefinitions": Probe(_a("patientId")),
    "notifications": Probe(marker="notification"),
    "unreadNotificationCount": Probe(),
    "notificationPreferences": Probe(),
    "quietHours": Probe(null_is_answer=True),
    "pushPublicKey": Probe(null_is_answer=True),
    "messageThreads": Probe(marker="thread"),
    "messageThread": Probe(_id("id", "thread")),
    "overdueMessageThreads": Probe(),
    "urgentMessageNotice": Probe(),
    "patientFiles": Probe(_a("patientId"), marker="file"),
    "schedulingPolicy": Probe(),
    "sessionTypes": Probe(),
    "availableSlots": Probe(
        lambda clinic, actor: {
            "filter": {
                "therapistIds": [clinic.ids["therapist"]],
                "sessionType": "follow_up",
                "from": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
                "to": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            }
        }
    ),
    "appointment": Probe(_id("id", "appointment")),
    "attendanceHistory": Probe(_a("patientId")),
    "appointments": Probe(_a("patientId"), marker="appointment"),
    "myAppointments": Probe(marker="appointment"),
    "calendarFeed": Probe(),
    "reminderPreferences": Probe(),
    "myWaitlist": Probe(marker="waitlist"),
    "waitlist": Probe(marker="waitlist"),
}

_PATIENT_EDIT = {"patientId": patient_a}

MUTATIONS: dict[str, Probe] = {
    "register": Probe(
        _input(
            email=_unique("new-{tag}-{actor}@example.org"),
            password="correct horse battery 42",
            name="New Person",
            dateOfBirth="1990-01-01",
            phone="+15550100123",
            timeZone="America/New_York",
        )
    ),
    "requestPasswordReset": Probe(lambda clinic, actor: {"email": f"a-{clinic.tag}@example.org"}),
    "signIn": Probe(_input(email=_unique("a-{tag}@example.org"), password=PASSWORD, client="WEB")),
    "verifySecondFactor": Probe(_input(code="000000")),
    "resendVerificationEmail": Probe(),
    "changePassword": Probe(_input(currentPassword="x", newPassword="another long passphrase 9")),
    "changeEmail": Probe(_input(currentPassword="x", newEmail="x@example.org")),
    "startTotpEnrollment": Probe(_REAUTH),
    "confirmTotpEnrollment": Probe(lambda clinic, actor: {"code": "000000"}),
    "disableTotp": Probe(_REAUTH),
    "regenerateRecoveryCodes": Probe(_REAUTH),
    "revokeSession": Probe(lambda clinic, actor: {"sessionId": gid("AccountSession", 1)}),
    "revokeAllSessions": Probe(),
    "forgetRememberedDevice": Probe(lambda clinic, actor: {"deviceId": gid("RememberedDevice", 1)}),
    "deactivateAccount": Probe(_REAUTH),
    "reactivateAccount": Probe(_id("userId", "a_user"), prepare=_deactivate_a),
    "createStaffUser": Probe(
        _input(
            email=_unique("staff-{tag}-{actor}@clinic.test"), name="New Staff", roles=["THERAPIST"]
        )
    ),
    "updatePatientDemographics": Probe(
        _input(
            **_PATIENT_EDIT,
            givenName="Ann",
            familyName="Gonzalez",
            preferredName="",
            pronouns="",
            phone="+15550100123",
            timeZone="America/New_York",
            preferredLanguage="en",
        )
    ),
    "updateHealthHistory": Probe(
        _input(**_PATIENT_EDIT, allergies=[{"substance": "Latex", "severity": "MILD"}])
    ),
    "updateCurrentCondition": Probe(_input(**_PATIENT_EDIT, symptoms="Knee pain on stairs")),
    "updateTreatmentGoals": Probe(_input(**_PATIENT_EDIT, text="Run 5 km")),
    "updateSchedulingPreferences": Probe(_input(**_PATIENT_EDIT, preferredDays=["MONDAY"])),
    "updateCommunicationPreferences": Probe(_input(**_PATIENT_EDIT, preferredChannel="EMAIL")),
    "updateEmergencyContacts": Probe(
        _input(
            **_PATIENT_EDIT,
            contacts=[
                {
                    "name": "Carl",
                    "relationship": "Brother",
                    "phone": "+15550100111",
                    "isPrimary": True,
                }
            ],
        )
    ),
    "updateInsurance": Probe(_input(**_PATIENT_EDIT, selfPay=True)),
    "confirmProfileReviewed": Probe(_a("patientId")),
    "updateTherapistProfile": Probe(_input(therapistId=ref("therapist"), bio="Knees and hips.")),
    "createTherapist": Probe(
        _input(userId=lambda clinic, actor: clinic.ids["new_staff"], discipline="PHYSICAL_THERAPY"),
        prepare=lambda clinic: _new_staff(clinic),
    ),
    "createLocation": Probe(
        _input(
            name=_unique("North {tag} {actor}"),
            addressLine1="1 North St",
            city="Springfield",
            country="US",
            timeZone="America/New_York",
        )
    ),
    "updateLocation": Probe(_input(locationId=ref("location"), phone="+15550100222")),
    "assignCareTeamMember": Probe(
        _input(patientId=patient_a, therapistId=ref("other_therapist"), role="TREATING")
    ),
    "endCareTeamAssignment": Probe(_input(patientId=patient_a, therapistId=ref("colleague"))),
    "createExercise": Probe(
        _input(
            name=_unique("Squat {tag} {actor}"),
            bodyRegion="KNEE",
            instructions=["Sit back.", "Stand up.", "Breathe."],
            defaultDosage={"sets": 3, "reps": 10},
        )
    ),
    "updateExercise": Probe(_input(id=ref("exercise"), cautions="Slowly.")),
    "archiveExercise": Probe(_id("id", "spare")),
    "restoreExercise": Probe(_id("id", "archived")),
    "createTreatmentPlan": Probe(
        _input(
            patientId=patient_a,
            title="Knee plan",
            condition="Knee pain",
            startsOn=lambda clinic, actor: (date.today() + timedelta(days=14)).isoformat(),
            phases=[],
        )
    ),
    "updateTreatmentPlan": Probe(_input(planId=ref("plan"), title="Back to running")),
    "addPlanPhase": Probe(
        _input(planId=ref("draft"), name="Later", startWeek=5, endWeek=6, prescriptions=[])
    ),
    "updatePlanPhase": Probe(_input(phaseId=ref("draft_phase"), focus="Hips")),
    "removePlanPhase": Probe(_id("phaseId", "spare_phase")),
    "addPrescription": Probe(_input(phaseId=ref("draft_phase"), exerciseId=ref("spare"))),
    "updatePrescription": Probe(_input(prescriptionId=ref("draft_rx"), notes="Slowly.")),
    "removePrescription": Probe(_id("prescriptionId", "draft_rx")),
    "activateTreatmentPlan": Probe(_id("planId", "draft")),
    "completeTreatmentPlan": Probe(_id("planId", "plan")),
    "logExerciseSession": Probe(_input(prescriptionId=ref("active_rx"), outcome="DONE")),
    "recordMeasurement": Probe(_input(patientId=patient_a, kind="PAIN", value=3)),
    "defineMetric": Probe(
        _input(
            patientId=patient_a, name=_unique("Steps {actor}"), unit="{steps}", higherIsBetter=True
        )
    ),
    "setGoal": Probe(
        _input(
            patientId=patient_a,
            description="Walk without pain",
            kind="PAIN",
            baselineValue=6,
            targetValue=1,
            targetDate=lambda clinic, actor: (date.today() + timedelta(days=60)).isoformat(),
        )
    ),
    "updateGoal": Probe(
        lambda clinic, actor: {"id": clinic.ids["goal"], "input": {"targetValue": 1}}
    ),
    "closeGoal": Probe(lambda clinic, actor: {"id": clinic.ids["goal"], "status": "ACHIEVED"}),
    "submitOutcomeMeasure": Probe(_input(patientId=patient_a, measure="ODI", answers=[1] * 10)),
    "markNotificationRead": Probe(_id("id", "notification")),
    "markAllNotificationsRead": Probe(),
    "updateNotificationPreferences": Probe(
        lambda clinic, actor: {
            "changes": [{"kind": "PLAN_UPDATED", "channel": "EMAIL", "enabled": False}]
        }
    ),
    "setQuietHours": Probe(lambda clinic, actor: {"starts": "22:00:00", "ends": "07:00:00"}),
    "clearQuietHours": Probe(),
    "registerPushSubscription": Probe(
        _input(
            endpoint=_unique("https://push.example.com/{tag}/{actor}"),
            p256dh="BEp6MqFV9IVk6D1mm3zi0PlmRH47raoROgA7vlfxWI6VOaeuJ7UQVMNA_y2rRT2uEiicAxbDFFBLuo0YlZBOFNU",
            auth="dGVzdGF1dGhzZWNyZXQxMg",
        )
    ),
    "unregisterPushSubscription": Probe(
        lambda clinic, actor: {"endpoint": "https://push.example.com/none"}
    ),
    "startThread": Probe(
        lambda clinic, actor: {
            "input": {"subject": "Knee", "body": "How is the knee?"}
            | ({} if actor == "patient_a" else {"patientId": clinic.ids["a"]})
        }
    ),
    "sendMessage": Probe(_input(threadId=ref("thread"), body="Thanks!")),
    "markThreadRead": Probe(_id("threadId", "thread")),
    "resolveThread": Probe(_id("threadId", "thread")),
    "uploadFile": Probe(upload=True),
    "addVideoComment": Probe(_input(fileId=ref("video"), atSeconds=0, body="Knee caves in.")),
    "createSessionType": Probe(
        _input(
            code=lambda clinic, actor: f"t{clinic.tag}{actor[:3]}",
            name="Pool session",
            durationMinutes=45,
        )
    ),
    "updateSessionType": Probe(_input(id=ref("session_type"), description="Follow-up visit.")),
    "setWeeklyHours": Probe(
        lambda clinic, actor: {
            "therapistId": clinic.ids["therapist"],
            "hours": [
                {
                    "weekday": 0,
                    "start": "09:00",
                    "end": "12:00",
                    "locationId": clinic.ids["location"],
                }
            ],
        }
    ),
    "addScheduleException": Probe(
        _input(
            therapistId=ref("therapist"),
            kind="TIME_OFF",
            startsAt=_soon(12, "12:00"),
            endsAt=_soon(12, "13:00"),
        )
    ),
    "removeScheduleException": Probe(_id("id", "exception")),
    "setBufferMinutes": Probe(
        lambda clinic, actor: {"therapistId": clinic.ids["therapist"], "minutes": 10}
    ),
    "bookAppointment": Probe(
        lambda clinic, actor: {
            "input": {
                "therapistId": clinic.ids["therapist"],
                "sessionType": "follow_up",
                "startsAt": local_start(4, "14:00").isoformat(),
                "locationId": clinic.ids["location"],
            }
            | ({} if actor == "patient_a" else {"patientId": clinic.ids["a"]})
        }
    ),
    "rescheduleAppointment": Probe(
        _input(appointmentId=ref("appointment"), startsAt=_soon(5, "15:00"))
    ),
    "cancelAppointment": Probe(_input(appointmentId=ref("appointment"), reason="Feeling better.")),
    "markAttendance": Probe(
        lambda clinic, actor: {"appointmentId": clinic.ids["begun"], "status": "ATTENDED"}
    ),
    "regenerateCalendarFeed": Probe(),
    "revokeCalendarFeed": Probe(),
    "setReminderPreferences": Probe(lambda clinic, actor: {"offsetsMinutes": [60, 1440]}),
    "submitPreVisitQuestionnaire": Probe(
        _input(appointmentId=ref("appointment"), symptoms="Better", painNow=3)
    ),
    "joinWaitlist": Probe(
        lambda clinic, actor: {
            "input": {
                "therapistId": clinic.ids["therapist"],
                "sessionType": "follow_up",
                "fromDate": (date.today() + timedelta(days=2)).isoformat(),
                "toDate": (date.today() + timedelta(days=9)).isoformat(),
            }
            | ({} if actor.startswith("patient") else {"patientId": clinic.ids["a"]})
        }
    ),
    "leaveWaitlist": Probe(_id("id", "waitlist")),
}


async def _new_staff(clinic: Clinic) -> None:
    user = await make_user(
        f"staff-{clinic.tag}-{uuid.uuid4().hex[:6]}@clinic.test",
        roles=(Role.THERAPIST,),
        name="New Therapist",
    )
    clinic.ids["new_staff"] = gid("User", user.id)
