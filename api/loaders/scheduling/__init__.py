"""Batch loads of the scheduling domain: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.loaders.scheduling.appointments import (
    AppointmentByIdLoader,
    SessionTypeByIdLoader,
    SuccessorByAppointmentIdLoader,
)
from api.loaders.scheduling.availability import WeeklyHoursByTherapistIdLoader
from api.loaders.scheduling.calendar import QuestionnaireByAppointmentIdLoader
from api.loaders.scheduling.waitlist import WaitingEntriesByPatientIdLoader


@dataclass(slots=True)
class SchedulingLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    appointment_by_id: AppointmentByIdLoader = field(default_factory=AppointmentByIdLoader)
    successor_by_appointment_id: SuccessorByAppointmentIdLoader = field(
        default_factory=SuccessorByAppointmentIdLoader
    )
    session_type_by_id: SessionTypeByIdLoader = field(default_factory=SessionTypeByIdLoader)
    questionnaire_by_appointment_id: QuestionnaireByAppointmentIdLoader = field(
        default_factory=QuestionnaireByAppointmentIdLoader
    )
    weekly_hours_by_therapist_id: WeeklyHoursByTherapistIdLoader = field(
        default_factory=WeeklyHoursByTherapistIdLoader
    )
    waiting_entries_by_patient_id: WaitingEntriesByPatientIdLoader = field(
        default_factory=WaitingEntriesByPatientIdLoader
    )
