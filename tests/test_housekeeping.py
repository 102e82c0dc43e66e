"""Housekeeping deletes finished jobs after their retention and the claims of past sessions,
and keeps failed jobs, waiting jobs and the claims that still guard a start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.models.jobs import Job
from api.models.scheduling import ClaimOwner, TimeClaim
from api.services import housekeeping
from tests.clinical_support import make_patient, make_therapist
from tests.scheduling_support import make_appointment, make_session_types


async def test_tidy_forgets_only_what_has_done_its_work(database: None) -> None:
    now = datetime(2031, 7, 7, 12, 0, tzinfo=UTC)
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    for outcome, finished in (("DONE", old), ("CANCELLED", old), ("FAILED", old), ("DONE", recent)):
        await Job.create(
            kind=f"test.{outcome.lower()}",
            run_at=finished,
            created_at=finished,
            finished_at=finished,
            outcome=outcome,
        )
    await Job.create(kind="test.waiting", run_at=old, created_at=old)

    types = await make_session_types()
    user, patient = await make_patient()
    _, therapist = await make_therapist()
    session_type = types["follow_up"]
    appointment = await make_appointment(
        patient.id, therapist.id, session_type.id, now - timedelta(days=3), booked_by_id=user.id
    )
    cells = {
        "long past": now - timedelta(days=3),
        "yesterday evening": now - timedelta(hours=20),
        "just ended": now - timedelta(hours=2),
        "tomorrow": now + timedelta(days=1),
    }
    for cell_start in cells.values():
        await TimeClaim.create(
            appointment_id=appointment.id,
            owner_kind=ClaimOwner.THERAPIST,
            owner_id=therapist.id,
            cell_start=cell_start,
        )

    assert await housekeeping.tidy(now, job_retention_days=30) == (2, 1)

    kinds = sorted(str(kind) for kind in await Job.all().values_list("kind", flat=True))
    assert kinds == ["test.done", "test.failed", "test.waiting"]  # the recent DONE one stays
    kept = sorted(claim.cell_start.astimezone(UTC) for claim in await TimeClaim.all())
    assert kept == sorted(cells[name] for name in ("yesterday evening", "just ended", "tomorrow"))
    assert await housekeeping.tidy(now, job_retention_days=30) == (0, 0)  # nothing twice
