"""The patient dashboard: POST /graphql against a hand-written Starlette endpoint, same JSON.

A fresh SQLite database gets the demo clinic; Maria signs in through the real signIn mutation
and both apps serve her dashboard with that session cookie. The hand-written GET /dashboard
(here only, never in the product) does what a careful REST endpoint would: the same session,
CSRF and access checks, the same rows in the same number of statements (narrower columns,
plain `.values()` dicts), the project's own week and adherence functions, one record-access
INSERT with the same rows, and orjson. At start-up it must answer exactly the GraphQL `data`
and write the same record accesses, so the ratio is the cost of the GraphQL layer (with its
loaders' wider rows) over the same data and the same statements.
Figures are per request, sequential, in-process (no network): compare runs on one machine.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import orjson
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry import relay
from tortoise.functions import Count

from api import db
from api.access.needs import Need
from api.access.record_access import RecordAccessLog
from api.access.scope import AccessScope
from api.app import create_app
from api.http.auth import csrf_problem, session_token
from api.http.request_id import RequestIdMiddleware
from api.http.security_headers import SecurityHeadersMiddleware
from api.loaders.plans import weeks
from api.loaders.progress import RECENT_PAIN_POINTS
from api.models import plans as models
from api.models.audit import RecordAccess
from api.models.notifications import Notification
from api.models.patients import CareTeamMember, CareTeamRole, Patient
from api.models.progress import Measurement, MetricKind
from api.observability import current_request_id
from api.services import audit, demo
from api.services.accounts import sessions
from api.settings import Settings
from tests.accounts_support import browser, sign_in
from tests.clinical_documents import DASHBOARD
from tests.sql_counter import count_sql

WARMUP = 50
REQUESTS = 500
MARIA = "maria.gonzalez@demo.relief.test"
Json = dict[str, Any]
Send = Callable[[], Awaitable[httpx.Response]]
# Primary first, then as the loader orders them (longest-serving first): api/loaders/therapists.
ROLE_RANK = {role: position for position, role in enumerate(CareTeamRole)}
WEEK: tuple[str, ...] = ("week", "starts_on", "ends_on", "prescribed", "done", "partial")
WEEK += ("skipped", "logged", "rate")  # the last two: properties of WeekFigures
DOSAGE = ("sets", "reps", "hold_seconds", "duration_seconds", "times_per_day", "days_per_week")
EXERCISE = ("name", "body_region", "instructions", "equipment", "cautions", "image_urls")


def _gid(type_name: str, key: int) -> str:
    return str(relay.GlobalID(type_name, str(key)))


@cache
def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _pick(row: Json, names: Iterable[str], prefix: str = "") -> Json:
    """Columns of a `.values()` row under the API's camelCase names."""
    return {_camel(name): row[prefix + name] for name in names}


async def _adherence(plan: Json, week: int, doses: list[weeks.Dose]) -> Json:
    starts = weeks.week_start(plan["starts_on"], week)
    rows = (
        await models.ExerciseLog.filter(
            plan_id=plan["id"], performed_on__gte=starts, performed_on__lte=starts + timedelta(6)
        )
        .annotate(count=Count("id"))
        .group_by("prescription_id", "outcome")
        .values("prescription_id", "outcome", "count")
    )
    tallies = [
        weeks.Tally(r["prescription_id"], models.SessionOutcome(r["outcome"]), r["count"])
        for r in rows
    ]
    figures = weeks.count_week(plan["starts_on"], week, doses, tallies)
    return {_camel(name): getattr(figures, name) for name in WEEK}


def _prescription(row: Json) -> Json:
    return {
        "id": _gid("Prescription", row["id"]),
        "level": row["level"],
        "notes": row["notes"],
        "sessionsPerWeek": row["times_per_day"] * row["days_per_week"],
        "dosage": _pick(row, DOSAGE),
        "exercise": {
            "id": _gid("Exercise", row["exercise_id"]),
            **_pick(row, EXERCISE, "exercise__"),
            "videoUrl": row["exercise__video_url"] or None,
        },
    }


async def _plan(plan: Json, time_zone: str, seen: RecordAccessLog) -> Json:
    patient_id = plan["patient_id"]
    seen.saw(patient_id, "TreatmentPlan", plan["id"])
    week = weeks.week_number(plan["starts_on"], weeks.local_date(weeks.now(), time_zone))
    phases = (
        await models.PlanPhase.filter(plan_id=plan["id"])
        .order_by("position", "id")
        .values("id", "name", "start_week", "end_week", "focus")
    )
    seen.saw_all(patient_id, "PlanPhase", [phase["id"] for phase in phases])
    rows: list[Json] = []
    if phases:  # removed ones too: they count in the weeks before their removal
        rows = (
            await models.Prescription.filter(phase_id__in=[phase["id"] for phase in phases])
            .order_by("position", "id")
            .values(
                *("id", "phase_id", "level", "notes", "removed_at", "exercise_id", *DOSAGE),
                *(f"exercise__{name}" for name in (*EXERCISE, "video_url")),
            )
        )
    by_id = {phase["id"]: phase for phase in phases}
    doses = [  # Dose.of, from dict rows
        weeks.Dose(
            prescription_id=row["id"],
            phase_id=row["phase_id"],
            start_week=by_id[row["phase_id"]]["start_week"],
            end_week=by_id[row["phase_id"]]["end_week"],
            sessions_per_week=row["times_per_day"] * row["days_per_week"],
            removed_on=(removed := row["removed_at"]) and weeks.local_date(removed, time_zone),
        )
        for row in rows
    ]
    live = [row for row in rows if row["removed_at"] is None]
    seen.saw_all(patient_id, "Prescription", [row["id"] for row in live])
    current = [p for p in phases if week is not None and p["start_week"] <= week <= p["end_week"]]
    return {
        "id": _gid("TreatmentPlan", plan["id"]),
        **_pick(plan, ("title", "condition", "status", "starts_on", "revision")),
        "currentWeek": week,
        "currentPhase": (
            {"id": _gid("PlanPhase", current[0]["id"]), "name": current[0]["name"]}
            if current
            else None
        ),
        "phases": [
            {
                "id": _gid("PlanPhase", phase["id"]),
                **_pick(phase, ("name", "start_week", "end_week", "focus")),
                "prescriptions": [_prescription(r) for r in live if r["phase_id"] == phase["id"]],
            }
            for phase in phases
        ],
        "thisWeekAdherence": await _adherence(plan, week, doses) if week is not None else None,
    }


async def _patient(scope: AccessScope, patient_id: int, seen: RecordAccessLog) -> Json | None:
    scope.require_patient(patient_id, Need.PROFILE_VIEW)  # own record: PLAN/PROGRESS_VIEW too
    columns = ("given_name", "family_name", "preferred_name", "time_zone", "profile_review_due_at")
    row = (
        await Patient.filter(id=patient_id)
        .first()
        .values(*columns, "pain_level", "current_symptoms")
    )
    if row is None:
        return None
    seen.saw(patient_id, "Patient", patient_id)
    team = (
        await CareTeamMember.filter(patient_id=patient_id, ended_at=None)
        .order_by("started_at", "id")
        .values(
            *("role", "started_at", "therapist_id", "therapist__credentials"),
            *("therapist__discipline", "therapist__user__display_name"),
        )
    )
    team.sort(key=lambda member: ROLE_RANK[CareTeamRole(member["role"])])
    seen.saw(patient_id, "CareTeam", patient_id)
    plan = (
        await models.TreatmentPlan.filter(patient_id=patient_id, status=models.PlanStatus.ACTIVE)
        .order_by("-starts_on", "-id")
        .first()
        .values("id", "patient_id", "title", "condition", "status", "starts_on", "revision")
    )
    pain = (
        await Measurement.filter(patient_id=patient_id, kind=MetricKind.PAIN)
        .order_by("-measured_at", "-id")
        .limit(RECENT_PAIN_POINTS)
        .values("id", "value", "measured_at", "recorded_by_role")
    )
    seen.saw_all(patient_id, "Measurement", [point["id"] for point in pain])
    return {
        "id": _gid("Patient", patient_id),
        **_pick(row, columns),
        "currentCondition": {"painLevel": row["pain_level"], "symptoms": row["current_symptoms"]},
        "careTeam": [
            {
                "role": member["role"],
                "since": member["started_at"],
                "therapist": {
                    "id": _gid("Therapist", member["therapist_id"]),
                    "name": member["therapist__user__display_name"] or "",
                    **_pick(member, ("credentials", "discipline"), "therapist__"),
                },
            }
            for member in team
        ],
        "activePlan": await _plan(plan, row["time_zone"], seen) if plan else None,
        "recentPain": [
            {
                "id": _gid("Measurement", point["id"]),
                **_pick(point, ("value", "measured_at", "recorded_by_role")),
            }
            for point in pain
        ],
    }


async def _record(scope: AccessScope, request: Request, seen: RecordAccessLog) -> None:
    """One INSERT, as api/schema/record_access.py writes it after a GraphQL execution."""
    await audit.record_accesses(
        [
            audit.RecordAccessEntry(
                actor_user_id=scope.viewer.user_id,
                actor_role=scope.actor_role(record.patient_id).value,
                patient_id=record.patient_id,
                resource=record.resource,
                resource_id=record.resource_id,
                action=record.action.value,
                ip=request.client.host if request.client else None,
                session_id=scope.viewer.session_id,
                request_id=current_request_id(),
            )
            for record in seen.drain()
        ]
    )


def _json(body: Json, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status, media_type="application/json")


def handwritten_app(settings: Settings) -> Starlette:
    """GET /dashboard behind the product's own middleware, session and CSRF rules."""

    async def dashboard(request: Request) -> Response:
        problem = csrf_problem(settings, request)
        if problem is not None:
            return _json({"error": problem}, 403)
        scope = await sessions.resolve(settings, session_token(settings, request, {}))
        if scope is None or scope.viewer.user_id is None or not scope.viewer.is_authenticated:
            return _json({"error": "Please sign in."}, 401)  # or finish signing in
        seen = RecordAccessLog()
        patient_id = scope.patient_id
        patient = await _patient(scope, patient_id, seen) if patient_id is not None else None
        unread = await Notification.filter(user_id=scope.viewer.user_id, read_at=None).count()
        await _record(scope, request, seen)
        return _json({"myPatient": patient, "unreadNotificationCount": unread})

    return Starlette(
        routes=[Route("/dashboard", dashboard, methods=["GET"])],
        middleware=[Middleware(RequestIdMiddleware), Middleware(SecurityHeadersMiddleware)],
    )


async def _time(sends: dict[str, Send]) -> dict[str, Json]:
    """Warm-up, then the sides take turns request by request, so a drift of the machine or
    of the database (every request adds its record-access rows) weighs on both alike."""
    samples: dict[str, list[float]] = {name: [] for name in sends}
    for _ in range(WARMUP):
        for send in sends.values():
            await send()
    for _ in range(REQUESTS):
        for name, send in sends.items():
            started = time.perf_counter()
            response = await send()
            samples[name].append(time.perf_counter() - started)
            response.raise_for_status()
    counted: dict[str, int] = {}
    statements = logging.getLogger("tortoise.db_client")
    statements.propagate = False  # count them without printing their values (PHI)
    try:
        for name, send in sends.items():
            with count_sql() as sql:
                await send()
            counted[name] = sql.count
    finally:
        statements.propagate = True
    return {
        name: {
            "requests": REQUESTS,
            "requests_per_second": round(REQUESTS / sum(ordered), 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
            "statements": counted[name],
        }
        for name, ordered in ((name, sorted(samples[name])) for name in sends)
    }


def _fields(value: Any) -> int:
    """Keys of every object in the document: the fields a client receives."""
    if isinstance(value, dict):
        return len(value) + sum(_fields(item) for item in value.values())
    if isinstance(value, list):
        return sum(_fields(item) for item in value)
    return 0


async def _accesses(response: httpx.Response) -> list[tuple[Any, ...]]:
    rows = await RecordAccess.filter(request_id=response.headers["x-request-id"]).values_list(
        "actor_user_id", "actor_role", "patient_id", "resource", "resource_id", "action", "ip"
    )
    return sorted(rows)


async def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite://{Path(folder) / 'bench.sqlite3'}",
            secret_key=SecretStr("bench-" + "x" * 40),
        )
        async with db.database(settings):
            await db.migrate(settings)
            await demo.seed()
            payload = {"query": DASHBOARD}
            async with (
                browser(create_app(settings)) as graphql,
                browser(handwritten_app(settings)) as handwritten,
            ):
                signed_in = await sign_in(graphql, MARIA, demo.DEMO_PASSWORD)
                assert signed_in["__typename"] == "SignInPayload", signed_in
                handwritten.cookies = graphql.cookies

                async def via_graphql() -> httpx.Response:
                    return await graphql.post("/graphql", json=payload)

                async def via_handwritten() -> httpx.Response:
                    return await handwritten.get("/dashboard")

                first, second = await via_graphql(), await via_handwritten()
                body = orjson.loads(first.content)
                assert "errors" not in body, body["errors"]
                assert body["data"] == orjson.loads(second.content), "the two answers differ"
                assert body["data"]["myPatient"]["activePlan"] is not None
                assert await _accesses(first) == await _accesses(second), "audits differ"
                timed = await _time({"graphql": via_graphql, "handwritten": via_handwritten})
    return {
        "patient": "seed-demo's Maria Gonzalez",
        "response_fields": _fields(body["data"]),
        "response_bytes": {"graphql": len(first.content), "handwritten": len(second.content)},
        **timed,
        "ratio_graphql_to_handwritten": round(
            timed["graphql"]["requests_per_second"] / timed["handwritten"]["requests_per_second"],
            3,
        ),
    }
