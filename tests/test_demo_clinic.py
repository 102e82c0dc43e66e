"""`portal seed-demo` gives the clinic something to show: Maria's dashboard has a plan, a week of
logged exercise and a month of pain scores; the therapists have their caseloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from api.models.accounts import User
from api.models.patients import Patient
from api.models.plans import Exercise, ExerciseLog, TreatmentPlan
from api.models.progress import Measurement
from api.models.scheduling import ExceptionKind, ScheduleException
from api.services import demo
from api.services.scheduling.availability import SlotQuery, free_slots
from api.settings import get_settings
from tests.clinical_documents import CASELOAD, DASHBOARD
from tests.conftest import GraphQLClient

WEEKS = """query { myPatient { activePlan { adherence(weeks: 2) { week logged done partial skipped } } } }"""


async def test_maria_has_a_plan_a_week_of_sessions_and_a_month_of_pain(gql: GraphQLClient) -> None:
    await demo.seed()
    maria = await User.get(email="maria.gonzalez@demo.relief.test")
    body = await gql.execute(DASHBOARD, as_user=maria.id)
    assert "errors" not in body, body
    patient = body["data"]["myPatient"]
    assert patient["givenName"] == "Maria"
    assert [member["therapist"]["name"] for member in patient["careTeam"]] == [
        "Dr. Amara Okafor, DPT"
    ]
    plan = patient["activePlan"]
    assert plan["status"] == "ACTIVE"
    assert plan["currentWeek"] == 3
    assert plan["currentPhase"]["name"] == "Build strength"
    assert [phase["name"] for phase in plan["phases"]] == [
        "Protect and activate",
        "Build strength",
        "Return to activity",
    ]
    assert sum(len(phase["prescriptions"]) for phase in plan["phases"]) == 9
    assert len(patient["recentPain"]) == 30
    weeks = await gql.execute(WEEKS, as_user=maria.id)
    adherence = weeks["data"]["myPatient"]["activePlan"]["adherence"]
    assert sum(week["logged"] for week in adherence) == 25  # seven days of sessions
    assert sum(week["skipped"] for week in adherence) > 0


async def test_the_demo_is_the_same_after_a_second_seed(gql: GraphQLClient) -> None:
    await demo.seed()
    counts = [
        await Exercise.all().count(),
        await TreatmentPlan.all().count(),
        await ExerciseLog.all().count(),
        await Measurement.all().count(),
    ]
    await demo.seed()
    assert counts[0] >= 30
    assert counts == [
        await Exercise.all().count(),
        await TreatmentPlan.all().count(),
        await ExerciseLog.all().count(),
        await Measurement.all().count(),
    ]
    okafor = await User.get(email="dr.okafor@demo.relief.test")
    lindqvist = await User.get(email="j.lindqvist@demo.relief.test")
    mine = await gql.execute(CASELOAD, as_user=okafor.id)
    assert [row["givenName"] for row in mine["data"]["caseload"]] == ["Maria"]
    theirs = await gql.execute(CASELOAD, as_user=lindqvist.id)
    assert [row["givenName"] for row in theirs["data"]["caseload"]] == ["Liam"]


async def test_a_new_user_can_book_from_the_demo_at_once(gql: GraphQLClient) -> None:
    await demo.seed()
    await demo.seed()  # idempotent: no doubled hours, no second time off
    assert await ScheduleException.filter(kind=ExceptionKind.TIME_OFF).count() == 1
    settings = get_settings()
    now = datetime.now(UTC)
    slots = await free_slots(
        settings,
        SlotQuery(
            session_type="initial_consultation",
            starts_from=now,
            until=now + timedelta(days=14),
            now=now,
        ),
    )
    assert len({slot.therapist_id for slot in slots}) == 3
    assert any(slot.telehealth for slot in slots)


INBOX = """query { messageThreads(first: 5) { edges { node {
  subject unreadCount messages(first: 5) { edges { node { author { role } readBy { side } } } }
} } } }"""


async def test_maria_has_an_answered_conversation_with_her_therapist(gql: GraphQLClient) -> None:
    await demo.seed()
    await demo.seed()
    maria = await User.get(email="maria.gonzalez@demo.relief.test")
    okafor = await User.get(email="dr.okafor@demo.relief.test")
    for viewer in (maria, okafor):
        inbox = await gql.execute(INBOX, as_user=viewer.id)
        threads = [edge["node"] for edge in inbox["data"]["messageThreads"]["edges"]]
        assert len(threads) == 1  # seeded once, however often the demo is loaded
        assert threads[0]["unreadCount"] == 0
        messages = [edge["node"] for edge in threads[0]["messages"]["edges"]]
        assert [message["author"]["role"] for message in messages] == ["PATIENT", "CLINICIAN"]


GUARDIAN_VIEW = """query {
  myPatient { givenName healthHistory { medications { name } } careTeam { therapist { name } } }
}"""


async def test_grace_is_liams_guardian_and_his_history_stays_confidential(
    gql: GraphQLClient,
) -> None:
    await demo.seed()
    grace = await User.get(email="grace.chen@demo.relief.test")
    liam = await Patient.get(user__email="liam.chen@demo.relief.test")
    liam_id = str(GlobalID("Patient", str(liam.id)))
    body = await gql.execute(GUARDIAN_VIEW, as_user=grace.id, acting_for=liam_id)
    patient = body["data"]["myPatient"]
    assert patient["givenName"] == "Liam"
    assert len(patient["careTeam"]) == 2
    assert patient["healthHistory"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["myPatient", "healthHistory"], "FORBIDDEN")
    ]
    alone = await gql.execute(GUARDIAN_VIEW, as_user=grace.id)
    assert alone == {"data": {"myPatient": None}}
