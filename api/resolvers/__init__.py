"""Composes the root Query and Mutation (and, as domains add them, Subscription)."""

from __future__ import annotations

import strawberry

from api.resolvers.accounts import AccountsMutation, AccountsQuery
from api.resolvers.exercises import ExercisesMutation, ExercisesQuery
from api.resolvers.notifications import NotificationsMutation, NotificationsQuery
from api.resolvers.outbox import OutboxQuery
from api.resolvers.patients import PatientsMutation, PatientsQuery
from api.resolvers.plans import PlansMutation, PlansQuery
from api.resolvers.progress import ProgressMutation, ProgressQuery
from api.resolvers.system import SystemQuery
from api.resolvers.therapists import TherapistsMutation, TherapistsQuery
from api.schema.accounts import AccountError, AccountSession, LoginAttempt, User
from api.schema.exercises import TYPES as EXERCISES_TYPES
from api.schema.notifications import TYPES as NOTIFICATIONS_TYPES
from api.schema.outbox import OutboxMail
from api.schema.patients import TYPES as PATIENTS_TYPES
from api.schema.plans import TYPES as PLANS_TYPES
from api.schema.progress import TYPES as PROGRESS_TYPES
from api.schema.therapists import TYPES as THERAPISTS_TYPES


@strawberry.type
class Query(
    SystemQuery,
    AccountsQuery,
    OutboxQuery,
    PatientsQuery,
    TherapistsQuery,
    ExercisesQuery,
    PlansQuery,
    ProgressQuery,
    NotificationsQuery,
):
    pass


@strawberry.type
class Mutation(
    AccountsMutation,
    PatientsMutation,
    TherapistsMutation,
    ExercisesMutation,
    PlansMutation,
    ProgressMutation,
    NotificationsMutation,
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
    *NOTIFICATIONS_TYPES,
    *THERAPISTS_TYPES,
    *EXERCISES_TYPES,
    *PROGRESS_TYPES,
    *PLANS_TYPES,
)
