"""The demo clinic: two locations, three therapists, two patients with care teams, the exercise
library, and Maria's knee plan with a week of logged exercise and a month of pain scores.

Dates are relative to the day the seed runs, so the dashboard always shows a current plan.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from api.models.accounts import User
from api.models.patients import CareTeamMember, CareTeamRole, Patient
from api.models.plans import (
    AbilityLevel,
    Exercise,
    ExerciseLog,
    PlanPhase,
    PlanRevision,
    PlanStatus,
    Prescription,
    SessionOutcome,
    TreatmentPlan,
)
from api.models.progress import (
    BodySide,
    Goal,
    Measurement,
    MeasurementMethod,
    MetricKind,
    RecorderRole,
)
from api.models.therapists import (
    Location,
    Therapist,
    TherapistLanguage,
    TherapistLocation,
    TherapistSpecialty,
)
from api.realtime.events import transaction
from api.services.demo.accounts import SeedResult
from api.services.demo.caregivers import seed_caregivers
from api.services.demo.clinic_data import (
    LIAM,
    LINDQVIST,
    LOCATIONS,
    MARIA,
    OKAFOR,
    PAIN_MONTH,
    PATEL,
    PHASES,
    PLAN_TITLE,
    PROFILE_REVIEW_MONTHS,
    THERAPISTS,
    DemoLocation,
    DemoTherapist,
)
from api.services.demo.messaging import seed_messages
from api.services.demo.scheduling import seed_scheduling
from api.services.exercises import sync_library
from api.services.patients.profile import create_record


async def seed_clinic(result: SeedResult) -> None:
    exercises = await sync_library()
    result.clinic.append(f"exercise library: {exercises} exercises")
    locations = {spec.name: await _location(spec) for spec in LOCATIONS}
    therapists = {spec.email: await _therapist(spec, locations) for spec in THERAPISTS}
    maria = await _patient(MARIA, date(1986, 3, 14), "America/New_York")
    liam = await _patient(LIAM, date(2013, 9, 2), "America/Chicago")
    await _care_team(maria, therapists[OKAFOR], CareTeamRole.PRIMARY)
    await _care_team(liam, therapists[LINDQVIST], CareTeamRole.PRIMARY)
    await _care_team(liam, therapists[PATEL], CareTeamRole.TREATING)
    result.clinic.extend(await seed_scheduling(list(therapists.values())))
    result.clinic.extend(await seed_messages(maria, therapists[OKAFOR]))
    result.clinic.extend(await seed_caregivers(liam))
    if await TreatmentPlan.filter(patient=maria, title=PLAN_TITLE).exists():
        return
    async with transaction():
        await _maria_profile(maria)
        plan = await _maria_plan(maria, therapists[OKAFOR])
        logs = await _maria_week(maria, plan)
        await _maria_pain(maria, therapists[OKAFOR])
    result.clinic.append(
        f"Maria's knee plan: 3 phases, {logs} sessions logged over the last 7 days, 30 pain scores"
    )


async def _location(spec: DemoLocation) -> Location:
    found = await Location.filter(name=spec.name).first()
    if found is not None:
        return found
    return await Location.create(
        name=spec.name,
        address_line1=spec.address_line1,
        city=spec.city,
        region=spec.region,
        postal_code=spec.postal_code,
        country="US",
        time_zone=spec.time_zone,
        phone=spec.phone,
    )


async def _therapist(spec: DemoTherapist, locations: dict[str, Location]) -> Therapist:
    user = await User.get(email=spec.email)
    found = await Therapist.filter(user=user).first()
    if found is not None:
        return found
    therapist = await Therapist.create(
        user=user,
        discipline=spec.discipline,
        credentials=spec.credentials,
        bio=spec.bio,
        telehealth=spec.telehealth,
    )
    await TherapistSpecialty.bulk_create(
        [TherapistSpecialty(therapist=therapist, specialty=s) for s in spec.specialties]
    )
    await TherapistLanguage.bulk_create(
        [TherapistLanguage(therapist=therapist, language=tag) for tag in spec.languages]
    )
    await TherapistLocation.bulk_create(
        [
            TherapistLocation(therapist=therapist, location=locations[name])
            for name in spec.locations
        ]
    )
    return therapist


async def _patient(email: str, born: date, zone: str) -> Patient:
    """The demo account's patient record, made as registration makes it."""
    user = await User.get(email=email)
    if user.date_of_birth != born or user.time_zone != zone:
        user.date_of_birth, user.time_zone = born, zone
        await user.save(update_fields=["date_of_birth", "time_zone"])
    patient = await Patient.filter(user=user).first()
    if patient is None:
        patient = await create_record(user, review_months=PROFILE_REVIEW_MONTHS)
    return patient


async def _care_team(patient: Patient, therapist: Therapist, role: CareTeamRole) -> None:
    await CareTeamMember.get_or_create(
        patient=patient,
        therapist=therapist,
        defaults={"role": role, "started_at": datetime.now(UTC) - timedelta(days=30)},
    )


async def _maria_profile(maria: Patient) -> None:
    reviewed = datetime.now(UTC) - timedelta(days=21)
    maria.preferred_name = "Maria"
    maria.pronouns = "she/her"
    maria.phone = "+16175550123"
    maria.address = {
        "line1": "41 Elm Street",
        "line2": "Apt 3",
        "city": "Boston",
        "region": "MA",
        "postalCode": "02118",
        "country": "US",
    }
    maria.chronic_conditions = [
        {"name": "Mild asthma", "since": "2004-06-01", "notes": "Inhaler before runs."}
    ]
    maria.previous_injuries = [
        {"description": "Right ACL tear playing soccer", "occurredOn": "2026-08-30", "notes": ""}
    ]
    maria.surgeries = [
        {
            "procedure": "Right ACL reconstruction (hamstring graft)",
            "performedOn": "2026-09-18",
            "notes": "",
        }
    ]
    maria.medications = [
        {
            "name": "Ibuprofen",
            "dose": "400 mg",
            "frequency": "As needed, up to 3 times a day",
            "notes": "",
        },
        {
            "name": "Albuterol inhaler",
            "dose": "2 puffs",
            "frequency": "Before exercise",
            "notes": "",
        },
    ]
    maria.allergies = [{"substance": "Penicillin", "reaction": "Hives", "severity": "MODERATE"}]
    maria.current_symptoms = "Stiffness after sitting; swelling in the evening after long walks."
    maria.pain_level = 3
    maria.mobility_limitations = "Stairs one at a time going down; no running yet."
    maria.goals_text = "Climb stairs normally and run a 5 km again by spring."
    maria.goals = [
        {"description": "Walk down stairs step over step", "targetDate": "2027-01-15"},
        {"description": "Run 5 km without knee pain", "targetDate": "2027-04-30"},
    ]
    maria.preferences = {
        "preferredDays": ["TUESDAY", "THURSDAY"],
        "preferredTimes": ["EVENING"],
        "sessionsPerWeek": 2,
        "schedulingConstraints": "Works until 5 pm.",
        "telehealth": "EITHER",
    }
    maria.communication = {
        "preferredChannel": "EMAIL",
        "language": "en",
        "okToLeaveVoicemail": True,
        "contactWindow": "Weekdays after 5 pm",
    }
    maria.emergency_contacts = [
        {
            "name": "Carlos Gonzalez",
            "relationship": "Husband",
            "phone": "+16175550177",
            "email": "",
            "isPrimary": True,
        }
    ]
    maria.insurance = {
        "selfPay": False,
        "payer": "Blue Harbor Health",
        "memberId": "BHH-4471-0092",
        "groupId": "GRP-22810",
        "subscriberName": "Maria Gonzalez",
        "subscriberRelationship": "SELF",
        "subscriberDateOfBirth": "1986-03-14",
    }
    maria.profile_reviewed_at = reviewed
    maria.profile_review_due_at = reviewed + timedelta(days=91)
    await maria.save()


async def _maria_plan(maria: Patient, therapist: Therapist) -> TreatmentPlan:
    today = datetime.now(ZoneInfo(maria.time_zone)).date()
    starts_on = today - timedelta(days=16)  # week 3: the "Build strength" phase
    plan = await TreatmentPlan.create(
        patient=maria,
        therapist=therapist,
        title=PLAN_TITLE,
        condition="Right ACL reconstruction, 9 weeks after surgery",
        goals="Full knee bend and straightening; stairs step over step; back to running in spring.",
        expected_outcome="Walking and stairs without pain by week 6; jogging from week 12.",
        status=PlanStatus.ACTIVE,
        starts_on=starts_on,
        activated_at=datetime.now(UTC),
    )
    slugs = {dose.slug for phase in PHASES for dose in phase.doses}
    exercises = {row.slug: row for row in await Exercise.filter(slug__in=slugs)}
    by_id = {row.id: row for row in await Exercise.all()}
    for position, spec in enumerate(PHASES):
        phase = await PlanPhase.create(
            plan=plan,
            position=position,
            name=spec.name,
            start_week=spec.weeks[0],
            end_week=spec.weeks[1],
            focus=spec.focus,
        )
        for index, dose in enumerate(spec.doses):
            base = exercises[dose.slug]
            variant_id: int | None = {
                AbilityLevel.REGRESSION: base.regression_id,
                AbilityLevel.PROGRESSION: base.progression_id,
            }.get(dose.level)
            await Prescription.create(
                phase=phase,
                position=index,
                exercise=by_id[variant_id] if variant_id else base,
                base_exercise=base,
                level=dose.level,
                sets=dose.sets,
                reps=dose.reps,
                hold_seconds=dose.hold_seconds,
                times_per_day=1,
                days_per_week=5 if spec.weeks[0] > 2 else 7,
            )
    await PlanRevision.create(
        plan=plan,
        number=1,
        created_by_id=therapist.user_id,
        created_at=datetime.now(UTC),
        summary="Plan created",
        changes=[],
    )
    return plan


async def _maria_week(maria: Patient, plan: TreatmentPlan) -> int:
    today = datetime.now(ZoneInfo(maria.time_zone)).date()
    phase = await PlanPhase.get(plan=plan, position=1)
    prescriptions = await Prescription.filter(phase=phase).order_by("position")
    outcomes = (
        SessionOutcome.DONE,
        SessionOutcome.DONE,
        SessionOutcome.PARTIAL,
        SessionOutcome.DONE,
        SessionOutcome.SKIPPED,
        SessionOutcome.DONE,
        SessionOutcome.DONE,
    )
    logs: list[ExerciseLog] = []
    for days_ago, outcome in zip(range(6, -1, -1), outcomes, strict=True):
        performed_on = today - timedelta(days=days_ago)
        logged_at = datetime.combine(performed_on, time(18, 30), ZoneInfo(maria.time_zone))
        for prescription in prescriptions[: 3 if days_ago % 2 else 4]:
            logs.append(
                ExerciseLog(
                    patient=maria,
                    plan=plan,
                    prescription=prescription,
                    performed_on=performed_on,
                    outcome=outcome,
                    pain_during=None if outcome is SessionOutcome.SKIPPED else 3,
                    effort=None if outcome is SessionOutcome.SKIPPED else 5,
                    note="Knee felt stiff this morning."
                    if outcome is SessionOutcome.SKIPPED
                    else "",
                    logged_by_id=maria.user_id,
                    logged_by_role="PATIENT",
                    logged_at=logged_at,
                )
            )
    await ExerciseLog.bulk_create(logs)
    return len(logs)


async def _maria_pain(maria: Patient, therapist: Therapist) -> None:
    zone = ZoneInfo(maria.time_zone)
    today = datetime.now(zone).date()
    first_day = today - timedelta(days=len(PAIN_MONTH) - 1)
    recorded_at = datetime.now(UTC)
    user_id = maria.user_id
    await Measurement.bulk_create(
        [
            Measurement(
                patient=maria,
                kind=MetricKind.PAIN,
                value=float(score),
                unit="{score}",
                # Evenings, but never later than now: today's score is from earlier today
                # when the demo is loaded before 20:00.
                measured_at=min(
                    datetime.combine(first_day + timedelta(days=day), time(20, 0), zone),
                    recorded_at - timedelta(minutes=5),
                ),
                method=MeasurementMethod.SELF_REPORT,
                recorded_by_id=user_id,
                recorded_by_role=RecorderRole.PATIENT,
                recorded_at=recorded_at,
            )
            for day, score in enumerate(PAIN_MONTH)
        ]
    )
    therapist_user_id = therapist.user_id
    await Measurement.bulk_create(
        [
            Measurement(
                patient=maria,
                kind=MetricKind.RANGE_OF_MOTION,
                value=float(degrees),
                unit="deg",
                body_site="KNEE",
                side=BodySide.RIGHT,
                movement="FLEXION",
                measured_at=datetime.combine(
                    first_day + timedelta(days=7 * week), time(10, 0), zone
                ),
                method=MeasurementMethod.GONIOMETER,
                recorded_by_id=therapist_user_id,
                recorded_by_role=RecorderRole.THERAPIST,
                recorded_at=recorded_at,
            )
            for week, degrees in enumerate((95, 104, 112, 118, 121))
        ]
    )
    baseline_at = datetime.combine(first_day, time(20, 0), zone)
    await Goal.create(
        patient=maria,
        description="Everyday pain at 2 or lower",
        kind=MetricKind.PAIN,
        unit="{score}",
        baseline_value=6.0,
        baseline_at=baseline_at,
        target_value=2.0,
        target_date=first_day + timedelta(days=60),
        created_by_id=therapist_user_id,
    )
    await Goal.create(
        patient=maria,
        description="Bend the right knee to 135 degrees",
        kind=MetricKind.RANGE_OF_MOTION,
        body_site="KNEE",
        side=BodySide.RIGHT,
        movement="FLEXION",
        unit="deg",
        baseline_value=95.0,
        baseline_at=baseline_at,
        target_value=135.0,
        target_date=first_day + timedelta(days=70),
        created_by_id=therapist_user_id,
    )
