"""Composes the root Query, Mutation and Subscription from the domains."""

from __future__ import annotations

import strawberry

from api.resolvers.access_log import AccessLogQuery
from api.resolvers.accounts import AccountsMutation, AccountsQuery
from api.resolvers.caregivers import CaregiversMutation, CaregiversQuery
from api.resolvers.dashboard import DashboardMutation, DashboardQuery
from api.resolvers.emergency_access import EmergencyAccessMutation, EmergencyAccessQuery
from api.resolvers.exercises import ExercisesMutation, ExercisesQuery
from api.resolvers.files import FilesMutation, FilesQuery
from api.resolvers.messaging import MessagingMutation, MessagingQuery, MessagingSubscription
from api.resolvers.notifications import (
    NotificationsMutation,
    NotificationsQuery,
    NotificationsSubscription,
)
from api.resolvers.outbox import OutboxQuery
from api.resolvers.patients import PatientsMutation, PatientsQuery
from api.resolvers.plans import PlansMutation, PlansQuery, PlansSubscription
from api.resolvers.progress import ProgressMutation, ProgressQuery
from api.resolvers.scheduling import (
    SchedulingMutation,
    SchedulingQuery,
    SchedulingSubscription,
)
from api.resolvers.system import SystemQuery
from api.resolvers.therapists import TherapistsMutation, TherapistsQuery
from api.schema.access_log import TYPES as ACCESS_LOG_TYPES
from api.schema.accounts import AccountError, AccountSession, LoginAttempt, User
from api.schema.caregivers import TYPES as CAREGIVERS_TYPES
from api.schema.emergency_access import TYPES as EMERGENCY_ACCESS_TYPES
from api.schema.exercises import TYPES as EXERCISES_TYPES
from api.schema.files import TYPES as FILES_TYPES
from api.schema.messaging import TYPES as MESSAGING_TYPES
from api.schema.notifications import TYPES as NOTIFICATIONS_TYPES
from api.schema.outbox import OutboxMail
from api.schema.patients import TYPES as PATIENTS_TYPES
from api.schema.plans import TYPES as PLANS_TYPES
from api.schema.progress import TYPES as PROGRESS_TYPES
from api.schema.scheduling import TYPES as SCHEDULING_TYPES
from api.schema.therapists import TYPES as THERAPISTS_TYPES


@strawberry.type
class Query(
    SystemQuery,
    AccountsQuery,
    OutboxQuery,
    PatientsQuery,
    CaregiversQuery,
    TherapistsQuery,
    ExercisesQuery,
    PlansQuery,
    ProgressQuery,
    NotificationsQuery,
    MessagingQuery,
    FilesQuery,
    EmergencyAccessQuery,
    AccessLogQuery,
    SchedulingQuery,
    DashboardQuery,
):
    pass


@strawberry.type
class Mutation(
    AccountsMutation,
    PatientsMutation,
    CaregiversMutation,
    TherapistsMutation,
    ExercisesMutation,
    PlansMutation,
    ProgressMutation,
    NotificationsMutation,
    MessagingMutation,
    FilesMutation,
    EmergencyAccessMutation,
    SchedulingMutation,
    DashboardMutation,
):
    pass


@strawberry.type
class Subscription(
    NotificationsSubscription, MessagingSubscription, PlansSubscription, SchedulingSubscription
):
    pass


# Types the schema must know even where no field returns them by name.
NODE_TYPES: tuple[type, ...] = (
    User,
    LoginAttempt,
    AccountSession,
    AccountError,
    OutboxMail,
    *PATIENTS_TYPES,
    *CAREGIVERS_TYPES,
    *NOTIFICATIONS_TYPES,
    *THERAPISTS_TYPES,
    *EXERCISES_TYPES,
    *PROGRESS_TYPES,
    *PLANS_TYPES,
    *MESSAGING_TYPES,
    *FILES_TYPES,
    *SCHEDULING_TYPES,
    *EMERGENCY_ACCESS_TYPES,
    *ACCESS_LOG_TYPES,
)
