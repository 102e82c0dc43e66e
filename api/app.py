"""The Starlette app factory: /graphql (HTTP + WebSocket), probes, and the SPA."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from functools import partial

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from api import db
from api.access.field_needs import guarded_field_names
from api.delivery.mail import schedule_pending_delivery, wait_for_scheduled_deliveries
from api.http.access_log import EXPORT_PATH, access_log_export_endpoint
from api.http.auth import csrf_problem, session_scope
from api.http.calendar import calendar_feed_endpoint
from api.http.dev_outbox import development_outbox
from api.http.files import download_endpoint
from api.http.graphql import PortalGraphQL, ScopeForRequest
from api.http.health import healthz, readyz
from api.http.request_id import RequestIdMiddleware
from api.http.security_headers import SecurityHeadersMiddleware
from api.http.spa import SinglePageApp
from api.observability import configure_logging, get_logger
from api.realtime.broker import MemoryBroker, broker_for, set_broker
from api.resolvers import NODE_TYPES, Mutation, Query, Subscription
from api.schema.errors import CodedErrorsSchema, UserError
from api.schema.limits import validation_rules
from api.schema.patients import Patient
from api.schema.record_access import RecordAccessExtension
from api.services import housekeeping, jobs
from api.services.patients import review as profile_review
from api.settings import Settings, get_settings

log = get_logger(__name__)
GRAPHQL_PATH = "/graphql"


class StartupRefused(RuntimeError):
    """The configuration or the database is not fit to serve; the message says why in one line."""


def build_schema(settings: Settings) -> CodedErrorsSchema:
    rules = list(validation_rules(settings))  # built once: see api/schema/limits.py
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=256),
        RecordAccessExtension,
    ]
    return CodedErrorsSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[*NODE_TYPES, UserError],
        extensions=extensions,
    )


def _confidential_fields_problem(settings: Settings) -> str | None:
    """A misspelt confidential field would silently show a teenager's data: refuse to start."""
    unknown = set(settings.guardian_confidential_fields) - guarded_field_names(Patient)
    if not unknown:
        return None
    return (
        "refusing to start: PORTAL_GUARDIAN_CONFIDENTIAL_FIELDS names fields Patient does not "
        f"have (or that are not guarded): {', '.join(sorted(unknown))}"
    )


def create_app(
    settings: Settings | None = None, *, scope_for_request: ScopeForRequest | None = None
) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    problem = settings.startup_problem() or _confidential_fields_problem(settings)
    if problem:
        raise StartupRefused(problem)
    graphql = PortalGraphQL(
        build_schema(settings),
        settings,
        scope_for_request or session_scope(settings),
        csrf_check=partial(csrf_problem, settings),
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with db.database(settings):
            try:
                await db.require_migrated(settings)
            except db.DatabaseNotMigrated as error:
                raise StartupRefused(f"refusing to start: {error}") from None
            broker = broker_for(settings)
            await broker.start()
            set_broker(broker)
            log.info("portal.started", env=settings.env.value)
            # Mail left unsent by a previous run (the relay was down, the process stopped).
            schedule_pending_delivery(settings)
            loops = [
                # Every worker checks hourly; a patient is claimed by one of them.
                asyncio.create_task(
                    profile_review.keep_checking(settings.profile_review_months),
                    name="profile-review-checks",
                ),
                # Every worker runs due jobs; each job is claimed by one of them.
                asyncio.create_task(jobs.keep_running(settings), name="job-runner"),
                # Finished jobs and past time claims go after a while.
                asyncio.create_task(
                    housekeeping.keep_tidy(settings.job_retention_days), name="housekeeping"
                ),
            ]
            try:
                yield
            finally:
                for loop in loops:
                    loop.cancel()
                for loop in loops:
                    with suppress(asyncio.CancelledError):
                        await loop
                await wait_for_scheduled_deliveries()
                set_broker(MemoryBroker())
                await broker.close()

    development_only = (
        []
        if settings.is_production
        else [Route("/dev/outbox", development_outbox, methods=["GET"])]
    )
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route(GRAPHQL_PATH, graphql, methods=["GET", "POST"]),
            WebSocketRoute(GRAPHQL_PATH, graphql),
            Route("/files/{public_id}", download_endpoint(settings, graphql.scope_for_request)),
            Route(
                EXPORT_PATH,
                access_log_export_endpoint(graphql.scope_for_request),
                methods=["GET"],
            ),
            Route("/calendar/{token}.ics", calendar_feed_endpoint(settings), methods=["GET"]),
            *development_only,
            Mount("/", app=SinglePageApp(settings.frontend_dist)),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(
                SecurityHeadersMiddleware,
                graphiql_path=None if settings.is_production else GRAPHQL_PATH,
            ),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
