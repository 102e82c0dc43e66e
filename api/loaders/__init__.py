"""DataLoaders, one fresh set per request, named <Target>By<Key>Loader, grouped by domain."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.loaders.accounts import RolesByUserIdLoader, UserByIdLoader
from api.loaders.exercises import ExercisesLoaders
from api.loaders.files import FilesLoaders
from api.loaders.messaging import MessagingLoaders
from api.loaders.notifications import NotificationsLoaders
from api.loaders.patients import PatientsLoaders
from api.loaders.plans import PlansLoaders
from api.loaders.progress import ProgressLoaders
from api.loaders.scheduling import SchedulingLoaders
from api.loaders.therapists import TherapistsLoaders


@dataclass(slots=True)
class Loaders:
    user_by_id: UserByIdLoader = field(default_factory=UserByIdLoader)
    roles_by_user_id: RolesByUserIdLoader = field(default_factory=RolesByUserIdLoader)
    patients: PatientsLoaders = field(default_factory=PatientsLoaders)
    therapists: TherapistsLoaders = field(default_factory=TherapistsLoaders)
    exercises: ExercisesLoaders = field(default_factory=ExercisesLoaders)
    plans: PlansLoaders = field(default_factory=PlansLoaders)
    progress: ProgressLoaders = field(default_factory=ProgressLoaders)
    notifications: NotificationsLoaders = field(default_factory=NotificationsLoaders)
    messaging: MessagingLoaders = field(default_factory=MessagingLoaders)
    files: FilesLoaders = field(default_factory=FilesLoaders)
    scheduling: SchedulingLoaders = field(default_factory=SchedulingLoaders)
