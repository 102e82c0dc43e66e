"""Who saw my record, exported: GET /exports/record-access.csv answers like GET /files/{id}
(401, 404, 403), is a CSV attachment no spreadsheet runs as formulas, and is audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from api.models.accounts import User
from api.models.audit import AuditEvent, RecordAccess
from api.models.caregivers import GrantKind
from api.models.emergency_access import EmergencyAccess
from api.models.patients import Patient
from api.services.access_log import safe_cell
from tests.caregivers_support import grant, make_caregiver
from tests.clinical_support import gid
from tests.conftest import VIEWER_HEADER
from tests.progress_support import Clinic, make_clinic
from tests.test_access_log import add_reads

EXPORT = "/exports/record-access.csv"


@pytest.fixture
async def clinic(database: None) -> Clinic:
    return await make_clinic()


def export_headers(user: User | None) -> dict[str, str]:
    return {VIEWER_HEADER: str(user.id)} if user is not None else {}


async def test_the_export_is_a_safe_csv_attachment_and_is_audited(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    maria = clinic.maria_record
    mallory = await make_caregiver("m@example.org", name='=HYPERLINK("http://x")')
    await add_reads(maria, mallory, "CAREGIVER", datetime.now(UTC), request_id="r1")
    access = await EmergencyAccess.create(
        user=clinic.lee,
        patient=maria,
        reason="+1 urgent: patient fell, need history",
        opened_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )
    await add_reads(
        maria, clinic.lee, "THERAPIST", datetime.now(UTC), emergency_access_id=access.id
    )

    response = await client.get(EXPORT, headers=export_headers(clinic.maria))
    assert response.status_code == 200, response.text
    headers = response.headers
    assert headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["content-disposition"].startswith('attachment; filename="record-access-')
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["first_access_utc", "last_access_utc", "day", "who"]
    by_role = {row[4]: row for row in rows[1:]}
    assert by_role["CAREGIVER"][3] == '\'=HYPERLINK("http://x")'
    assert by_role["CAREGIVER"][5] == "Maria Gonzalez"
    assert by_role["THERAPIST"][9] == "'+1 urgent: patient fell, need history"
    assert by_role["THERAPIST"][8] == "EMERGENCY_ACCESS"

    event = await AuditEvent.get(action="record_access_log.exported")
    assert (event.actor_user_id, event.target_id) == (clinic.maria.id, str(maria.id))
    assert event.details == {"entries": 2}
    assert await RecordAccess.filter(resource="RecordAccessLogExport").count() == 1

    # The same access as GET /files/{id}.
    maria_id = gid("Patient", maria.id)
    assert (await client.get(EXPORT)).status_code == 401
    for outsider in (clinic.bob, clinic.lee):
        answer = await client.get(f"{EXPORT}?patient={maria_id}", headers=export_headers(outsider))
        assert answer.status_code == 404
    bad = await client.get(f"{EXPORT}?patient=nonsense", headers=export_headers(clinic.maria))
    assert bad.status_code == 404
    care_team = await client.get(
        f"{EXPORT}?patient={maria_id}", headers=export_headers(clinic.dana)
    )
    assert care_team.status_code == 403
    admin = await client.get(f"{EXPORT}?patient={maria_id}", headers=export_headers(clinic.admin))
    assert admin.status_code == 200
    inverted = await client.get(
        f"{EXPORT}?from=2026-02-01&to=2026-01-01", headers=export_headers(clinic.maria)
    )
    assert inverted.status_code == 400
    garbled = await client.get(f"{EXPORT}?from=yesterday", headers=export_headers(clinic.maria))
    assert garbled.status_code == 400


async def test_a_guardian_exports_from_a_link(client: httpx.AsyncClient, clinic: Clinic) -> None:
    child = await Patient.create(
        given_name="Noa", family_name="Gonzalez", date_of_birth=date(2019, 4, 2)
    )
    guardian = await make_caregiver()
    await grant(child, guardian, kind=GrantKind.GUARDIAN)
    await add_reads(child, clinic.dana, "THERAPIST", datetime.now(UTC))
    link = f"{EXPORT}?patient={gid('Patient', child.id)}"
    # A link cannot carry X-Relief-Acting-For: `patient` names whom the guardian acts for.
    response = await client.get(link, headers=export_headers(guardian))
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["Dana Whitfield"]
    stranger = await make_caregiver("x@example.org", name="Xan")
    assert (await client.get(link, headers=export_headers(stranger))).status_code == 404


async def test_the_export_refuses_a_window_off_the_calendar(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    for bounds in ("to=0001-01-02", "from=9999-12-31T00:00&to=9999-12-31T23:59:59.999999"):
        answer = await client.get(f"{EXPORT}?{bounds}", headers=export_headers(clinic.maria))
        assert answer.status_code == 400, answer.text
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        # Leading blanks or line breaks do not make a formula safe: some programs trim them.
        (" =HYPERLINK(1)", "' =HYPERLINK(1)"),
        ("\n=1", "'\n=1"),
        ("\u00a0@x", "'\u00a0@x"),
        ("Maria Gonzalez", "Maria Gonzalez"),
        ("O'Brien - PT", "O'Brien - PT"),
        ("", ""),
    ],
)
def test_a_cell_that_could_run_as_a_formula_is_quoted(value: str, written: str) -> None:
    assert safe_cell(value) == written
