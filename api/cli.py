"""`portal`: serve | migrate | makemigrations | seed-demo | sync-exercises | export-schema |
create-user | outbox | audit verify."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from api import db
from api.errors import PortalError
from api.settings import PROJECT_ROOT, Settings, get_settings

SCHEMA_PATH = PROJECT_ROOT / "schema.graphql"


def _fail(message: str) -> int:
    print(f"portal: {message}", file=sys.stderr)
    return 2


def _with_database(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    async def run() -> int:
        async with db.database(settings):
            return await work()

    return asyncio.run(run())


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    problem = settings.startup_problem()
    if problem:
        return _fail(problem)

    async def preflight() -> int:
        try:
            await db.require_migrated(settings)
        except db.DatabaseNotMigrated as error:
            return _fail(f"refusing to start: {error}")
        return 0

    if code := _with_database(settings, preflight):
        return code
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        server_header=False,
        log_level="warning",
    )
    return 0


def cmd_migrate(_: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        applied = await db.migrate(settings)
        print(
            f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else "")
        )
        return 0

    return _with_database(settings, work)


def cmd_makemigrations(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        written = await db.make_migrations(settings, args.name)
        for path in written:
            print(f"wrote {path.relative_to(PROJECT_ROOT)}")
        if not written:
            print("no model changes")
        return 0

    return _with_database(settings, work)


def cmd_seed_demo(_: argparse.Namespace, settings: Settings) -> int:
    from api.services import demo

    if settings.is_production:
        return _fail("refusing to load demo data in production")

    async def work() -> int:
        await db.require_migrated(settings)
        result = await demo.seed()
        print(result.summary())
        return 0

    return _with_database(settings, work)


def cmd_sync_exercises(_: argparse.Namespace, settings: Settings) -> int:
    from api.services.exercises import reconcile_library

    async def work() -> int:
        try:
            await db.require_migrated(settings)
        except db.DatabaseNotMigrated as error:
            return _fail(str(error))
        report = await reconcile_library()
        print(report.summary())
        return 0

    return _with_database(settings, work)


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from api.app import build_schema

    text = build_schema(settings).as_str() + "\n"
    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            return _fail(f"{output} is stale: run `portal export-schema`")
        print(f"{output} is up to date")
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


def cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    from api import cli_ops
    from api.models.accounts import Role

    password = args.password or os.environ.get("PORTAL_NEW_USER_PASSWORD")
    if not password:
        password = getpass.getpass("Password for the new account: ")

    async def work() -> int:
        await db.require_migrated(settings)
        try:
            user = await cli_ops.create_user(
                settings,
                email=args.email,
                password=password,
                roles=[Role(role) for role in args.role],
                display_name=args.name or "",
            )
        except PortalError as error:
            return _fail(error.message)
        print(f"created user {user.id} <{user.email}> with roles {', '.join(sorted(args.role))}")
        return 0

    return _with_database(settings, work)


def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from api import cli_ops

    async def work() -> int:
        return await cli_ops.print_outbox(
            args.unsent, args.limit, with_bodies=not settings.is_production
        )

    return _with_database(settings, work)


def cmd_audit_verify(_: argparse.Namespace, settings: Settings) -> int:
    from api import cli_ops

    return _with_database(settings, cli_ops.audit_verify)


def cmd_jobs_status(_: argparse.Namespace, settings: Settings) -> int:
    from api import cli_ops

    return _with_database(settings, cli_ops.print_job_status)


def cmd_jobs_run(_: argparse.Namespace, settings: Settings) -> int:
    from api import cli_ops

    async def work() -> int:
        return await cli_ops.run_due_jobs(settings)

    return _with_database(settings, work)


def build_parser() -> argparse.ArgumentParser:
    from api.models.accounts import Role

    parser = argparse.ArgumentParser(prog="portal", description="Relief patient portal")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API and the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies trusted for X-Forwarded-Proto/For (comma-separated)",
    )
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", help="apply pending migrations").set_defaults(run=cmd_migrate)

    make = commands.add_parser("makemigrations", help="write a migration for model changes")
    make.add_argument("--name", default=None, help="suffix of the migration's file name")
    make.set_defaults(run=cmd_makemigrations)

    seed = commands.add_parser("seed-demo", help="load demo data (idempotent; not in production)")
    seed.set_defaults(run=cmd_seed_demo)

    sync = commands.add_parser(
        "sync-exercises", help="bring the shipped exercise library into the database (idempotent)"
    )
    sync.set_defaults(run=cmd_sync_exercises)

    export = commands.add_parser("export-schema", help="write schema.graphql")
    export.add_argument("--output", default=str(SCHEMA_PATH))
    export.add_argument("--check", action="store_true", help="fail if the file is stale")
    export.set_defaults(run=cmd_export_schema)

    create = commands.add_parser("create-user", help="create a staff (or any) account")
    create.add_argument("--email", required=True)
    create.add_argument(
        "--password",
        default=None,
        help="prefer PORTAL_NEW_USER_PASSWORD or the prompt: arguments show in `ps`",
    )
    create.add_argument("--name", default=None)
    create.add_argument(
        "--role", action="append", required=True, choices=[role.value for role in Role]
    )
    create.set_defaults(run=cmd_create_user)

    outbox = commands.add_parser("outbox", help="the newest mails (the development mailbox)")
    outbox.add_argument("--unsent", action="store_true", help="only mail not delivered yet")
    outbox.add_argument("--limit", type=int, default=20)
    outbox.set_defaults(run=cmd_outbox)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser("verify", help="check every link of the hash chain")
    verify.set_defaults(run=cmd_audit_verify)

    jobs = commands.add_parser("jobs", help="background jobs (deliveries, escalations)")
    jobs_commands = jobs.add_subparsers(dest="jobs_command", required=True)
    status = jobs_commands.add_parser("status", help="waiting, running and failed jobs by kind")
    status.set_defaults(run=cmd_jobs_status)
    run_due = jobs_commands.add_parser(
        "run", help="run every due job now and exit (the server's workers do this on their own)"
    )
    run_due.set_defaults(run=cmd_jobs_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    from api.observability import configure_logging

    configure_logging(settings.log_level)
    code: int = args.run(args, settings)
    return code
