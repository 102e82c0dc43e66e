"""The authorization matrix: the checked-in table, one clinic to aim at, one document per root
operation (data, not functions), and the classifier that turns an answer into allow/deny/own.

Cells (tests/authorization_matrix.md, whose header states the rules in full):
- `allow`: answers without UNAUTHENTICATED / FORBIDDEN / NOT_FOUND at the operation and, for a
  mutation, without a typed error; where the row names a marker (one of patient A's records),
  the answer contains it. Below the operation, errors are allowed only where a caregiver's
  scope does not reach: FORBIDDEN (and null) at a field whose declared need the scope does not
  cover. A field the scope covers answers without an error; one it does not cover holds no data.
- `own`: answers like `allow`, but about the actor's own data only: the marker is absent.
- `deny`: UNAUTHENTICATED / FORBIDDEN / NOT_FOUND at the operation itself (or a typed NOT_FOUND /
  FORBIDDEN), or null where a record was asked for.
- `n/a: ...`: not sent here; the named tests cover it.

Adding an actor is one column in the table and one entry in `ACTORS` (built in build_clinic).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
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
    is_required_argument,
)

from api.access.field_needs import PatientFieldNeed
from api.access.needs import ACCESS_KEY, GRANTABLE, TYPE_ACCESS_ATTRIBUTE, Need, effective_scopes
from api.models.accounts import Role, User, UserRole
from api.models.caregivers import CaregiverGrant, GrantKind, GrantStatus, Relationship
from api.models.emergency_access import EmergencyAccess
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
from api.services.accounts.tokens import new_token, token_hash
from api.services.scheduling import questionnaires
from api.settings import Settings
from tests.accounts_support import PASSWORD, password_hash
from tests.clinical_support import assign, gid, make_location
from tests.messaging_support import make_file, start_thread
from tests.plans_support import build_plan, make_exercise
from tests.progress_support import add_goal, add_measurement
from tests.scheduling_support import give_hours, local_start, make_appointment, make_session_types

if TYPE_CHECKING:
    from tests.conftest import GraphQLClient

TABLE = Path(__file__).with_name("authorization_matrix.md")
DENY_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"})
TYPED_DENY_CODES = frozenset({"FORBIDDEN", "NOT_FOUND"})
CELLS = frozenset({"allow", "deny", "own"})

# --- the actors -----------------------------------------------------------------------------

ANONYMOUS = "anonymous"
# One caregiver per grantable scope, each with that scope alone, acting for patient A.
CAREGIVER_SCOPES: dict[str, Need] = {f"caregiver_{need.value.lower()}": need for need in GRANTABLE}
# Grants that held every scope and are over: revoked by A, or past their end date.
CAREGIVER_REVOKED = "caregiver_revoked"
CAREGIVER_EXPIRED = "caregiver_expired"
CAREGIVERS = (*CAREGIVER_SCOPES, CAREGIVER_REVOKED, CAREGIVER_EXPIRED)
# The table's columns, in order.
ACTORS = (
    ANONYMOUS,
    "patient_a",
    "patient_b",
    *CAREGIVERS,
    "therapist_a",
    "therapist_other",
    "analyst",
    "admin",
)


def is_caregiver(actor: str) -> bool:
    return actor in CAREGIVERS


def covered_needs(actor: str) -> frozenset[Need] | None:
    """The needs an actor's answers may show: a caregiver's effective scopes (what the scope
    implies, and the patient's name); None for everyone else, whose access to a record is
    whole or nothing (the patient, the care team, admins) and may show no field error."""
    if actor in CAREGIVER_SCOPES:
        return effective_scopes({CAREGIVER_SCOPES[actor]})
    if is_caregiver(actor):
        return frozenset()  # an ended grant reaches nothing
    return None


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
    for name in ("id", "patientId", "code"):
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


def _wide(named: GraphQLNamedType) -> str:
    """Every field that takes no required argument, each nested object at its smallest: the
    selection that shows which parts of a record (Patient) a partial scope reaches."""
    assert isinstance(named, GraphQLObjectType), named
    parts = ["__typename"]
    for name, field_ in named.fields.items():
        if any(is_required_argument(arg) for arg in field_.args.values()):
            continue
        parts.append(f"{name} {_selection(get_named_type(field_.type), 1)}".strip())
    return "{ " + " ".join(parts) + " }"


def document(
    schema: GraphQLSchema, kind: str, name: str, variables: dict[str, Any], *, wide: bool = False
) -> str:
    root = schema.query_type if kind == "query" else schema.mutation_type
    assert root is not None
    field_ = root.fields[name]
    unknown = set(variables) - set(field_.args)
    assert not unknown, f"{name}: no arguments {unknown}"
    declared = ", ".join(f"${arg}: {field_.args[arg].type}" for arg in variables)
    passed = ", ".join(f"{arg}: ${arg}" for arg in variables)
    head = f"{kind} Probe({declared})" if declared else f"{kind} Probe"
    call = f"{name}({passed})" if passed else name
    returned = get_named_type(field_.type)
    selection = _wide(returned) if wide else _selection(returned)
    return f"{head} {{ {call} {selection} }}"


# --- the outcome ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldNeeds:
    """The declared need of each field of each patient-owned type, by (type name, field name),
    and the fields guarded one by one (Patient's: null and FORBIDDEN at the field's path when
    the viewer's access does not include its need). The id and Need.NAME fields need no more
    than reaching the record, as api/access/field_needs.py has it."""

    needs: dict[tuple[str, str], Need]
    guarded: frozenset[tuple[str, str]]


def field_needs(schema: GraphQLSchema) -> FieldNeeds:
    needs: dict[tuple[str, str], Need] = {}
    guarded: set[tuple[str, str]] = set()
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType):
            continue
        definition = (named.extensions or {}).get("strawberry-definition")
        type_need = getattr(getattr(definition, "origin", None), TYPE_ACCESS_ATTRIBUTE, None)
        if type_need is None:
            continue
        for name, graphql_field in named.fields.items():
            declared = (graphql_field.extensions or {}).get("strawberry-definition")
            metadata = getattr(declared, "metadata", None) or {}
            need = Need.NAME if name == "id" else metadata.get(ACCESS_KEY, type_need)
            needs[(named.name, name)] = need
            if any(
                isinstance(ext, PatientFieldNeed) for ext in getattr(declared, "extensions", [])
            ):
                guarded.add((named.name, name))
    return FieldNeeds(needs, frozenset(guarded))


@dataclass(frozen=True)
class Outcome:
    verdict: str  # allow | deny | rejected:<CODE> | error:<CODE> | error:<what>@<path>
    body: dict[str, Any]


def _typed_codes(value: Any) -> list[str]:
    if isinstance(value, dict):
        errors = value.get("errors")
        if isinstance(errors, list):
            return [str(error.get("code")) for error in errors if isinstance(error, dict)]
    return []


def _code(error: dict[str, Any]) -> str:
    return str((error.get("extensions") or {}).get("code"))


def _at_operation(error: dict[str, Any], name: str) -> bool:
    """An error of the operation itself: no path, or the operation's path and list positions
    (`nodes.0` is the answer to the first id). Anything deeper is at a nested field."""
    path = error.get("path") or []
    return not path or (path[0] == name and all(isinstance(part, int) for part in path[1:]))


def _parent(data: Any, path: list[Any]) -> Any:
    for part in path[:-1]:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _dotted(path: list[Any]) -> str:
    return ".".join(str(part) for part in path)


def _nested_verdict(
    body: dict[str, Any],
    nested: list[dict[str, Any]],
    covered: frozenset[Need] | None,
    declared: FieldNeeds,
) -> str | None:
    """Why the errors below the operation and the data it shows break the rule, if they do.

    A nested error is allowed only when it is FORBIDDEN at a field of a patient-owned type whose
    declared need the actor's scope does not cover (only caregivers have a partial scope). A
    field guarded one by one (Patient's) outside the scope must be null with FORBIDDEN."""
    data = body.get("data") or {}
    forbidden_at: set[str] = set()
    for error in nested:
        path = list(error["path"])
        where = _dotted(path)
        if _code(error) != "FORBIDDEN":
            return f"error:{_code(error)}@{where}"
        parent = _parent(data, path)
        typename = parent.get("__typename") if isinstance(parent, dict) else None
        need = declared.needs.get((str(typename), str(path[-1])))
        if covered is None or need is None or need in covered:
            return f"error:FORBIDDEN@{where}"  # at a field the actor's access covers
        forbidden_at.add(where)
    if covered is None:
        return None
    return _leak(data, [], covered, declared, forbidden_at)


def _leak(
    value: Any,
    path: list[Any],
    covered: frozenset[Need],
    declared: FieldNeeds,
    forbidden_at: set[str],
) -> str | None:
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _leak(item, [*path, index], covered, declared, forbidden_at)
            if found:
                return found
        return None
    if not isinstance(value, dict):
        return None
    typename = str(value.get("__typename"))
    for key, item in value.items():
        here = [*path, key]
        need = declared.needs.get((typename, key))
        # Only fields guarded one by one: a row-level type is checked at its operation (and a
        # payload may carry another patient's id, like registerDependent's new dependent).
        if (typename, key) in declared.guarded and need is not None and need not in covered:
            if item is not None:
                return f"leak@{_dotted(here)}"  # data the scope does not cover
            if _dotted(here) not in forbidden_at:
                return f"silent@{_dotted(here)}"  # null without saying why
        found = _leak(item, here, covered, declared, forbidden_at)
        if found:
            return found
    return None


def classify(
    name: str,
    body: dict[str, Any],
    *,
    null_is_answer: bool = False,
    covered: frozenset[Need] | None = None,
    declared: FieldNeeds | None = None,
    refusals: frozenset[str] = frozenset(),
) -> Outcome:
    """`covered`: the needs a caregiver's scope answers (None: an actor without a partial scope,
    whose answers may show no nested error). `declared`: field_needs() of the schema.
    `refusals`: typed codes that deny on this row (Probe.refusals)."""
    errors = body.get("errors") or []
    at_operation = [error for error in errors if _at_operation(error, name)]
    nested = [error for error in errors if not _at_operation(error, name)]
    codes = [_code(error) for error in at_operation]
    if codes:
        if all(code in DENY_CODES for code in codes):
            return Outcome("deny", body)
        return Outcome("error:" + ",".join(codes), body)
    value = (body.get("data") or {}).get(name)
    if value is None:
        if nested:  # a nested error took the whole answer with it: not a denial
            return Outcome("error:null-from:" + _dotted(list(nested[0]["path"])), body)
        return Outcome("allow" if null_is_answer else "deny", body)
    if isinstance(value, list) and value and all(item is None for item in value):
        return Outcome("deny", body)
    typed = _typed_codes(value)
    if typed:
        if (TYPED_DENY_CODES | refusals) & set(typed):
            return Outcome("deny", body)
        return Outcome("rejected:" + ",".join(typed), body)
    broken = _nested_verdict(body, nested, covered, declared or FieldNeeds({}, frozenset()))
    if broken is not None:
        return Outcome(broken, body)
    return Outcome("allow", body)


# Actors who do not reach A, each with the peers of the same kind who do. Where a peer is
# allowed and the actor denied, the denial is about reach: A's record must not exist for them.
_PEERS: dict[str, tuple[str, ...]] = {
    "patient_b": ("patient_a",),
    "therapist_other": ("therapist_a",),
    CAREGIVER_REVOKED: tuple(CAREGIVER_SCOPES),
    CAREGIVER_EXPIRED: tuple(CAREGIVER_SCOPES),
}


def out_of_reach(row: dict[str, str], actor: str) -> bool:
    """Whether this `deny` must read like a record that does not exist (NOT_FOUND or null)."""
    return row[actor] == "deny" and any(row[peer] == "allow" for peer in _PEERS.get(actor, ()))


def said_forbidden(name: str, outcome: Outcome) -> bool:
    """FORBIDDEN at the operation, or typed: an answer that tells the record exists."""
    errors = outcome.body.get("errors") or []
    if any(_at_operation(error, name) and _code(error) == "FORBIDDEN" for error in errors):
        return True
    return "FORBIDDEN" in _typed_codes((outcome.body.get("data") or {}).get(name))


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


async def make_user(email: str, *, roles: tuple[Role, ...], name: str) -> User:
    """Like accounts_support.make_user, hashing the password once for every clinic."""
    user = await User.create(
        email=email,
        password_hash=password_hash(),
        display_name=name,
        date_of_birth=date(1980, 5, 17),
        phone="+15550100199",
        time_zone="America/New_York",
        email_verified_at=datetime.now(UTC),
    )
    if roles:
        await UserRole.bulk_create([UserRole(user=user, role=role) for role in roles])
    return user


async def make_users(specs: list[tuple[str, str, str, Role]]) -> dict[str, User]:
    """Accounts by key from (key, email, name, role), in three statements whatever their number
    (a clinic is built for every allowed mutation cell, so its cost is the test's)."""
    verified = datetime.now(UTC)
    await User.bulk_create(
        [
            User(
                email=email,
                password_hash=password_hash(),
                display_name=name,
                date_of_birth=date(1980, 5, 17),
                phone="+15550100199",
                time_zone="America/New_York",
                email_verified_at=verified,
            )
            for _, email, name, _ in specs
        ]
    )
    by_email = {user.email: user for user in await User.filter(email__in=[s[1] for s in specs])}
    users = {key: by_email[email] for key, email, _, _ in specs}
    await UserRole.bulk_create([UserRole(user=users[key], role=role) for key, _, _, role in specs])
    return users


async def make_patient(user: User, given_name: str, family_name: str) -> Patient:
    return await Patient.create(
        user=user,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date(1980, 5, 17),
        time_zone="America/New_York",
    )


async def make_therapist(user: User) -> Therapist:
    return await Therapist.create(
        user=user, discipline=Discipline.PHYSICAL_THERAPY, credentials="PT, DPT"
    )


def user_of(clinic: Clinic, actor: str) -> int | None:
    return None if actor == ANONYMOUS else clinic.users[actor].id


def acting_for(clinic: Clinic, actor: str) -> str | None:
    """The X-Relief-Acting-For header: every caregiver acts for patient A."""
    return clinic.ids["a"] if is_caregiver(actor) else None


def _grant(
    patient: Patient, user: User, scopes: list[Need], now: datetime, actor: str = ""
) -> CaregiverGrant:
    """An accepted grant of `scopes`; the revoked and expired actors' are over."""
    return CaregiverGrant(
        patient=patient,
        caregiver=user,
        kind=GrantKind.PROXY,
        status=GrantStatus.REVOKED if actor == CAREGIVER_REVOKED else GrantStatus.ACTIVE,
        relationship=Relationship.OTHER_FAMILY,
        scopes=[need.value for need in scopes],
        expires_at=now - timedelta(hours=1) if actor == CAREGIVER_EXPIRED else None,
        invited_email=user.email,
        granted_by_id=patient.user_id,
        created_at=now - timedelta(days=30),
        accepted_at=now - timedelta(days=30),
        updated_at=now,
        ended_at=now if actor == CAREGIVER_REVOKED else None,
    )


async def build_clinic(gql: GraphQLClient, settings: Settings) -> Clinic:
    """Everything the documents aim at, under fresh e-mail addresses (cheap to repeat)."""
    tag = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    today = now.date()
    people = await make_users(
        [
            ("patient_a", f"a-{tag}@example.org", "Ann Gonzalez", Role.PATIENT),
            ("patient_b", f"b-{tag}@example.org", "Ben Stone", Role.PATIENT),
            ("therapist_a", f"t-{tag}@clinic.test", "Dana Whitfield", Role.THERAPIST),
            ("therapist_other", f"o-{tag}@clinic.test", "Olga Brandt", Role.THERAPIST),
            ("colleague", f"c-{tag}@clinic.test", "Sam Ortiz", Role.THERAPIST),
            ("analyst", f"an-{tag}@clinic.test", "Ana Lyst", Role.ANALYST),
            ("admin", f"ad-{tag}@clinic.test", "Ada Admin", Role.ADMIN),
            ("spare_caregiver", f"g-{tag}@example.net", "Grace Chen", Role.CAREGIVER),
            *(
                (actor, f"{actor}-{tag}@example.net", f"Carer {index}", Role.CAREGIVER)
                for index, actor in enumerate(CAREGIVERS)
            ),
        ]
    )
    a = await make_patient(people["patient_a"], "Ann", "Gonzalez")
    b = await make_patient(people["patient_b"], "Ben", "Stone")
    therapist = await make_therapist(people["therapist_a"])
    other = await make_therapist(people["therapist_other"])
    colleague = await make_therapist(people["colleague"])
    await assign(a, therapist)
    await assign(a, colleague, CareTeamRole.TREATING)
    # One grant per caregiver actor (one scope each; every scope for the ended two), and a
    # grant of a caregiver who is no actor, for the patient to change and revoke.
    every = list(GRANTABLE)
    await CaregiverGrant.bulk_create(
        [
            _grant(a, people[actor], [CAREGIVER_SCOPES[actor]] if actor in CAREGIVER_SCOPES
                   else every, now, actor)
            for actor in CAREGIVERS
        ]
    )  # fmt: skip
    spare_grant = _grant(a, people["spare_caregiver"], [Need.PLAN_VIEW], now)
    await spare_grant.save()
    # therapist_other's open emergency access is to B's record: one to A's would change every
    # row aimed at A for them.
    emergency = await EmergencyAccess.create(
        user=people["therapist_other"],
        patient=b,
        reason="Covering the front desk: the patient is on the phone.",
        opened_at=now,
        expires_at=now + timedelta(minutes=60),
    )
    await User.filter(id=people["therapist_other"].id).update(
        emergency_access_until=emergency.expires_at
    )
    location = await make_location(f"Riverside {tag}")
    await give_hours(therapist, location, weekdays=range(7), start="07:00", end="20:00")
    session_types = await make_session_types()
    follow_up = session_types["follow_up"]
    a_user = people["patient_a"]
    users = {actor: people[actor] for actor in ACTORS if actor != ANONYMOUS}
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
        spare_grant=gid("CaregiverGrant", spare_grant.id),
        emergency=gid("EmergencyAccess", emergency.id),
    )
    raw.update(a=a.id, a_user=a_user.id, follow_up_minutes=follow_up.duration_minutes)
    return clinic


# --- one document per operation -------------------------------------------------------------

Variables = Callable[[Clinic, str], dict[str, Any]]
Prepare = Callable[[Clinic], Awaitable[None]]
Each = Callable[[Clinic, str], Awaitable[None]]


@dataclass(frozen=True)
class Probe:
    variables: Variables = lambda clinic, actor: {}
    marker: str | None = None  # a key of Clinic.ids that `allow` must show and `own` must not
    null_is_answer: bool = False  # null is an answer here ("you have none"), not a denial
    prepare: Prepare | None = None  # a precondition set before the row runs
    # A precondition set before each actor's request (a fresh invitation for each to accept).
    each: Each | None = None
    # Typed codes that mean "not for you" on this row only (accepting your own invitation).
    refusals: frozenset[str] = frozenset()
    # The row aims at one of A's records (False: at something else, like therapist_a's profile):
    # an actor who does not reach A is denied as if it did not exist (out_of_reach).
    a_record: bool = True
    upload: bool = False  # sent as a multipart request (uploadFile)
    # Every field of the record asked for (Patient): shows which parts a caregiver's scope reaches.
    wide: bool = False
    # No allowed actor's call can change another actor's outcome (their own account's settings,
    # a record of their own making, the same values written again): all share one clinic.
    shared: bool = False


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
    "patient": Probe(_id("id", "a"), wide=True),
    "myPatient": Probe(marker="a", wide=True),
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
    "dashboardLayout": Probe(),
    "caregiverGrants": Probe(_a("patientId"), marker="spare_grant"),
    "caregiving": Probe(marker="a"),
    "caregiverInvitation": Probe(
        lambda clinic, actor: {"token": clinic.ids["token"]}, prepare=lambda c: _invite(c, "")
    ),
    "myEmergencyAccesses": Probe(marker="emergency"),
    "emergencyAccesses": Probe(lambda clinic, actor: {"openOnly": False}, marker="emergency"),
    "emergencyPatientLookup": Probe(
        lambda clinic, actor: {"familyName": "Gonzalez", "dateOfBirth": "1980-05-17"}, marker="a"
    ),
    "recordAccessLog": Probe(_a("patientId")),
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
    "updateTherapistProfile": Probe(
        _input(therapistId=ref("therapist"), bio="Knees and hips."), a_record=False
    ),
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
    "markAllNotificationsRead": Probe(shared=True),
    "updateNotificationPreferences": Probe(
        lambda clinic, actor: {
            "changes": [{"kind": "PLAN_UPDATED", "channel": "EMAIL", "enabled": False}]
        },
        shared=True,
    ),
    "setQuietHours": Probe(
        lambda clinic, actor: {"starts": "22:00:00", "ends": "07:00:00"}, shared=True
    ),
    "clearQuietHours": Probe(shared=True),
    "registerPushSubscription": Probe(
        _input(
            endpoint=_unique("https://push.example.com/{tag}/{actor}"),
            p256dh="BEp6MqFV9IVk6D1mm3zi0PlmRH47raoROgA7vlfxWI6VOaeuJ7UQVMNA_y2rRT2uEiicAxbDFFBLuo0YlZBOFNU",
            auth="dGVzdGF1dGhzZWNyZXQxMg",
        ),
        shared=True,
    ),
    "unregisterPushSubscription": Probe(
        lambda clinic, actor: {"endpoint": "https://push.example.com/none"}, shared=True
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
    "regenerateCalendarFeed": Probe(shared=True),
    "revokeCalendarFeed": Probe(shared=True),
    "setReminderPreferences": Probe(
        lambda clinic, actor: {"offsetsMinutes": [60, 1440]}, shared=True
    ),
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
    "saveDashboardLayout": Probe(
        lambda clinic, actor: {"widgets": [{"kind": "NOTIFICATIONS", "hidden": True}]}, shared=True
    ),
    "resetDashboardLayout": Probe(shared=True),
    "inviteCaregiver": Probe(
        lambda clinic, actor: {
            "input": {
                "email": f"invitee-{clinic.tag}-{actor.replace('_', '-')}@example.net",
                "relationship": "FRIEND",
                "scopes": ["PLAN_VIEW"],
            }
            | ({} if actor == "patient_a" else {"patientId": clinic.ids["a"]})
        }
    ),
    "acceptCaregiverInvitation": Probe(
        lambda clinic, actor: {
            "input": {"token": clinic.ids["token"], "dateOfBirth": "1980-05-17"}
            | (
                {"newAccount": {"displayName": "Nia Carer", "password": "correct horse battery 42"}}
                if actor == ANONYMOUS
                else {}
            )
        },
        each=lambda clinic, actor: _invite(clinic, actor),
        shared=True,  # each actor accepts an invitation of their own
        refusals=frozenset({"CANNOT_ACCEPT_OWN_INVITATION", "ALREADY_HAS_ACCESS"}),
    ),
    "declineCaregiverInvitation": Probe(
        lambda clinic, actor: {"token": clinic.ids["token"]},
        each=lambda clinic, actor: _invite(clinic, actor),
        shared=True,
    ),
    "updateCaregiverAccess": Probe(
        _input(grantId=ref("spare_grant"), scopes=["PLAN_VIEW", "MESSAGES"])
    ),
    "revokeCaregiverAccess": Probe(_id("grantId", "spare_grant")),
    "registerDependent": Probe(
        _input(
            givenName="Lia",
            familyName=_unique("Kid {tag} {actor}"),
            dateOfBirth=lambda clinic, actor: (date.today() - timedelta(days=3650)).isoformat(),
            relationship="PARENT",
        ),
        shared=True,  # each actor registers a child of their own
    ),
    "openEmergencyAccess": Probe(
        _input(patientId=patient_a, reason="The patient collapsed in the waiting room."),
        refusals=frozenset({"NOT_NEEDED"}),  # the care team reaches the record already
    ),
    "closeEmergencyAccess": Probe(_id("id", "emergency")),
}


# Rows whose allowed actors cannot change each other's outcome either: they write the same
# values again, or add a record of their own (a thread, a message, a file, a uniquely named
# exercise). Every actor of such a row shares one clinic; the others get one each.
for _name in (
    "updatePatientDemographics",
    "updateHealthHistory",
    "updateCurrentCondition",
    "updateTreatmentGoals",
    "updateSchedulingPreferences",
    "updateCommunicationPreferences",
    "updateEmergencyContacts",
    "updateInsurance",
    "confirmProfileReviewed",
    "startThread",
    "sendMessage",
    "markThreadRead",
    "uploadFile",
    "createExercise",
    "createLocation",
    "createSessionType",
    "updateTherapistProfile",
    "updateTreatmentPlan",
    "updatePlanPhase",
    "updatePrescription",
    "setWeeklyHours",
    "setBufferMinutes",
):
    MUTATIONS[_name] = replace(MUTATIONS[_name], shared=True)


async def _new_staff(clinic: Clinic) -> None:
    user = await make_user(
        f"staff-{clinic.tag}-{uuid.uuid4().hex[:6]}@clinic.test",
        roles=(Role.THERAPIST,),
        name="New Therapist",
    )
    clinic.ids["new_staff"] = gid("User", user.id)


async def _invite(clinic: Clinic, actor: str) -> None:
    """An open invitation to help A (as inviteCaregiver leaves it), its token in ids["token"]."""
    token = new_token()
    now = datetime.now(UTC)
    await CaregiverGrant.create(
        patient_id=clinic.raw["a"],
        kind=GrantKind.PROXY,
        status=GrantStatus.INVITED,
        relationship=Relationship.FRIEND,
        scopes=[Need.PLAN_VIEW.value],
        invited_email=f"invited-{clinic.tag}-{uuid.uuid4().hex[:6]}@example.net",
        invitation_token_hash=token_hash(token),
        invitation_expires_at=now + timedelta(days=7),
        granted_by_id=clinic.raw["a_user"],
        created_at=now,
        updated_at=now,
    )
    clinic.ids["token"] = token
