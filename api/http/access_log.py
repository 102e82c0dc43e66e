"""GET /exports/record-access.csv?patient=<id>&from=&to=: a patient's access log as CSV.

Signed in like GET /files/{id}: the session cookie (the SPA's <a download>) or a bearer token
(mobile); a GET changes nothing but the audit, so it needs no CSRF header. Anonymous: 401; a
patient out of reach or a malformed id: 404; a record whose log is not the viewer's to read:
403. A guardian cannot send X-Relief-Acting-For from a link, so `patient` also names the
patient they act for (through a live grant only, exactly as the header would).

`from` and `to` are ISO 8601 (a date alone is midnight UTC); the window and its limits are the
GraphQL query's (a moment outside them, or text that is no moment: 400). The file is an
attachment browsers must not sniff or keep; every cell that a spreadsheet would run as a
formula is quoted. The export is audited (the trail, and a read in the patient's own log).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from strawberry import relay

from api.access.scope import AccessScope
from api.errors import BadUserInput, ErrorCode, Forbidden, NotFound
from api.http.files import FILE_CONTENT_SECURITY_POLICY
from api.http.graphql import ScopeForRequest, error_response
from api.models.audit import AuditSeverity
from api.observability import current_request_id
from api.services import access_log, audit
from api.services.ids import parse_id

EXPORT_PATH = "/exports/record-access.csv"
# A UTF-8 byte-order mark: without it spreadsheet programs read names like "Müller" wrongly.
BOM = "\ufeff"


def _patient_key(raw: str | None) -> int | None:
    """The Patient id the link names (None: it names none); a malformed one is not found."""
    if raw is None or raw == "":
        return None
    try:
        decoded = relay.GlobalID.from_id(raw.strip())
    except Exception:  # strawberry raises several kinds for text that is not a global id
        raise NotFound("No such patient.") from None
    key = parse_id(decoded.node_id) if decoded.type_name == "Patient" else None
    if key is None:
        raise NotFound("No such patient.")
    return key


def _moment(raw: str | None, name: str) -> datetime | None:
    if raw is None or raw == "":
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise BadUserInput(f"`{name}` must be an ISO 8601 date or time.", field=name) from None


def access_log_export_endpoint(
    scope_for_request: ScopeForRequest,
) -> Callable[[Request], Awaitable[Response]]:
    async def export(request: Request) -> Response:
        query = request.query_params
        raw_patient = query.get("patient")
        params: dict[str, object] = {"actingFor": raw_patient} if raw_patient else {}
        scope = await scope_for_request(request, params)
        if not scope.viewer.is_authenticated:
            return error_response(
                401, "Sign in to export the access log.", ErrorCode.UNAUTHENTICATED
            )
        try:
            start, end = _moment(query.get("from"), "from"), _moment(query.get("to"), "to")
            who = await access_log.subject(scope, _patient_key(raw_patient))
            within = access_log.window(start, end, at=datetime.now(UTC))
        except NotFound:
            return error_response(404, "No such patient.", ErrorCode.NOT_FOUND)
        except Forbidden as refused:
            return error_response(403, refused.message, ErrorCode.FORBIDDEN)
        except BadUserInput as bad:
            return error_response(400, bad.message, ErrorCode.BAD_USER_INPUT)
        except access_log.AccessLogProblems as problems:
            return error_response(400, problems.summary(), ErrorCode.BAD_USER_INPUT)
        entries = await access_log.all_entries(who, within, include_own=False)
        await _audit(request, scope, who.patient_id, len(entries))
        stamp = within.end.astimezone(UTC).strftime("%Y-%m-%d")
        return Response(
            (BOM + access_log.csv_document(entries)).encode(),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="record-access-{stamp}.csv"',
                "x-content-type-options": "nosniff",
                "cache-control": "private, no-store",
                "content-security-policy": FILE_CONTENT_SECURITY_POLICY,
            },
        )

    return export


async def _audit(request: Request, scope: AccessScope, patient_id: int, entries: int) -> None:
    ip = request.client.host if request.client else None
    await audit.record(
        audit.AuditContext(
            actor_user_id=scope.viewer.user_id,
            acting_for_patient_id=patient_id,
            ip=ip,
            session_id=scope.viewer.session_id,
        ),
        "record_access_log.exported",
        target_type="Patient",
        target_id=str(patient_id),
        severity=AuditSeverity.INFO,
        details={"entries": entries},
    )
    await audit.record_accesses(
        [
            audit.RecordAccessEntry(
                actor_user_id=scope.viewer.user_id,
                actor_role=scope.actor_role(patient_id).value,
                patient_id=patient_id,
                resource="RecordAccessLogExport",
                resource_id=str(patient_id),
                action="READ",
                ip=ip,
                session_id=scope.viewer.session_id,
                request_id=current_request_id(),
                emergency_access_id=scope.emergency_access_id(patient_id),
            )
        ]
    )
