"""The `Patient` node: demographics and every profile section, insurance behind its own need,
and the profile's history. Built from one dict row (api/loaders/patients.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from api.access.field_needs import guard_fields, withhold
from api.access.needs import Need, patient_owned, requires
from api.access.scope import AccessScope
from api.context import Info
from api.loaders.patients import PatientRow
from api.schema.patients.history import ProfileChange, ProfileSection
from api.schema.patients.types import (
    CommunicationPreferences,
    CurrentCondition,
    EmergencyContact,
    HealthHistory,
    Insurance,
    PatientAddress,
    SchedulingPreferences,
    TreatmentGoals,
)
from api.schema.plans import (
    TreatmentPlan,
    WeekAdherence,
    patient_active_plan,
    patient_adherence_this_week,
    patient_plans,
)
from api.schema.progress import (
    Goal,
    Measurement,
    patient_goals,
    patient_latest_pain,
    patient_recent_pain,
)
from api.schema.relay import connection_from_page, database_keys
from api.schema.therapists import CareTeamMember, patient_care_team
from api.services.patients.history import history_page

if TYPE_CHECKING:
    from api.schema.scheduling.waitlist import WaitlistEntry

LazyWaitlistEntry = Annotated["WaitlistEntry", strawberry.lazy("api.schema.scheduling.waitlist")]


@guard_fields
@patient_owned(Need.PROFILE_VIEW)
@strawberry.type(
    description=(
        "A patient's record. The patient, their care team and admins read all of it; a "
        "caregiver reads the name and the parts their grant covers: any other field is null "
        "with a FORBIDDEN error at its path."
    )
)
class Patient(relay.Node):
    id: relay.NodeID[int]
    given_name: str = strawberry.field(metadata=requires(Need.NAME))
    family_name: str = strawberry.field(metadata=requires(Need.NAME))
    preferred_name: str = strawberry.field(
        description="What to call them, if not the given name.", metadata=requires(Need.NAME)
    )
    pronouns: str = strawberry.field(metadata=requires(Need.NAME))
    date_of_birth: date | None
    phone: str | None = strawberry.field(
        description="E.164, e.g. +15550100199; empty when not given."
    )
    email: str | None = strawberry.field(
        description="The address of the patient's account; null for a patient without one."
    )
    address: PatientAddress | None
    time_zone: str | None = strawberry.field(description="IANA zone, e.g. America/New_York.")
    preferred_language: str | None = strawberry.field(description="BCP 47 tag, e.g. en or es-MX.")
    health_history: HealthHistory | None
    current_condition: CurrentCondition | None
    treatment_goals: TreatmentGoals | None
    preferences: SchedulingPreferences | None
    communication: CommunicationPreferences | None
    emergency_contacts: list[EmergencyContact] | None
    profile_reviewed_at: datetime | None = strawberry.field(
        description="When the patient last confirmed their profile is up to date."
    )
    profile_review_due_at: datetime | None = strawberry.field(
        description="When the next review is due: some months after the last one (or the start)."
    )
    insurance_values: strawberry.Private[dict[str, Any]]

    care_team: list[CareTeamMember] | None = strawberry.field(
        resolver=patient_care_team,
        description="The therapists caring for the patient now, the primary one first.",
        metadata=requires(Need.PROFILE_VIEW),
    )
    active_plan: TreatmentPlan | None = strawberry.field(
        resolver=patient_active_plan,
        description="The plan the patient follows now, if one is active.",
        metadata=requires(Need.PLAN_VIEW),
    )
    plans: list[TreatmentPlan] | None = strawberry.field(
        resolver=patient_plans,
        description="Every plan over time (drafts only for the care team), newest first.",
        metadata=requires(Need.PLAN_VIEW),
    )
    adherence_this_week: WeekAdherence | None = strawberry.field(
        resolver=patient_adherence_this_week,
        description="Sessions logged against sessions prescribed this week of the active plan.",
        metadata=requires(Need.PLAN_VIEW),
    )
    recent_pain: list[Measurement] | None = strawberry.field(
        resolver=patient_recent_pain,
        description="The last 30 pain scores (NRS 0-10), newest first.",
        metadata=requires(Need.PROGRESS_VIEW),
    )
    latest_pain: Measurement | None = strawberry.field(
        resolver=patient_latest_pain,
        description="The newest pain score, if any.",
        metadata=requires(Need.PROGRESS_VIEW),
    )
    progress_goals: list[Goal] | None = strawberry.field(
        resolver=patient_goals,
        description="Measurable goals the care team set (active ones, soonest target first).",
        metadata=requires(Need.PROGRESS_VIEW),
    )

    @strawberry.field(
        description="What the patient is waiting for (WAITING entries), in the order joined.",
        metadata=requires(Need.APPOINTMENTS_VIEW),
    )
    async def waitlist(self, info: Info) -> list[LazyWaitlistEntry] | None:
        # Imported here: the scheduling schema itself refers back to Patient.
        from api.schema.scheduling.waitlist import patient_waitlist

        return await patient_waitlist(self, info)

    @strawberry.field(
        description="Payment: self-pay, or the insurer and member ids. Null until entered.",
        metadata=requires(Need.INSURANCE_VIEW),
    )
    async def insurance(self, info: Info) -> Insurance | None:
        scope = await info.context.scope()
        scope.require_patient(self.id, Need.INSURANCE_VIEW)
        info.context.record_access.saw(self.id, "Insurance", self.id)
        return Insurance.from_json(self.insurance_values)

    @strawberry.field(
        description="Every edit of the profile, newest first (the patient and the care team).",
        metadata=requires(Need.CARE),
    )
    async def profile_history(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        section: ProfileSection | None = None,  # type: ignore[valid-type]
    ) -> relay.Connection[ProfileChange] | None:
        scope = await info.context.scope()
        scope.require_patient(self.id, Need.CARE)
        page = await history_page(
            info.context.loaders.patients.profile_changes_by_patient_id,
            self.id,
            first=first,
            after=after,
            section=section,
            max_page_size=info.context.settings.max_page_size,
        )
        for row in page.rows:
            info.context.record_access.saw(self.id, "ProfileChange", row.id)
        return connection_from_page(page, lambda row: ProfileChange.for_viewer(scope, row))

    @classmethod
    def from_row(cls, row: PatientRow) -> Patient:
        return cls(
            id=int(row["id"]),
            given_name=row["given_name"],
            family_name=row["family_name"],
            preferred_name=row["preferred_name"],
            pronouns=row["pronouns"],
            date_of_birth=row["date_of_birth"],
            phone=row["phone"],
            email=row["email"],
            address=PatientAddress.from_json(row["address"]),
            time_zone=row["time_zone"],
            preferred_language=row["preferred_language"],
            health_history=HealthHistory.from_row(row),
            current_condition=CurrentCondition(
                symptoms=row["current_symptoms"],
                pain_level=row["pain_level"],
                mobility_limitations=row["mobility_limitations"],
            ),
            treatment_goals=TreatmentGoals.from_row(row),
            preferences=SchedulingPreferences.from_json(row["preferences"]),
            communication=CommunicationPreferences.from_json(
                row["communication"], row["preferred_language"]
            ),
            emergency_contacts=[EmergencyContact.from_json(c) for c in row["emergency_contacts"]],
            profile_reviewed_at=row["profile_reviewed_at"],
            profile_review_due_at=row["profile_review_due_at"],
            insurance_values=row["insurance"],
        )

    @classmethod
    def for_viewer(cls, scope: AccessScope, row: PatientRow) -> Patient:
        """The record as this viewer may see it: what their access leaves out is withheld
        (null and FORBIDDEN at each such field; api/access/field_needs.py)."""
        return withhold(scope, int(row["id"]), cls.from_row(row))

    @classmethod
    async def load(cls, info: Info, patient_id: int) -> Patient | None:
        """The record through the request's loader, its read noted for the audit.
        The caller has checked the viewer may read it."""
        row = await info.context.loaders.patients.patient_by_id.load(patient_id)
        if row is None:
            return None
        info.context.record_access.saw(patient_id, "Patient", patient_id)
        return cls.for_viewer(await info.context.scope(), row)

    @classmethod
    async def load_many(cls, info: Info, patient_ids: list[int]) -> list[Patient]:
        """Records the caller has checked the viewer may read, by family then given name."""
        rows = await info.context.loaders.patients.patient_by_id.load_many(patient_ids)
        found = [row for row in rows if row is not None]
        found.sort(key=lambda row: (row["family_name"].casefold(), row["given_name"].casefold()))
        for row in found:
            info.context.record_access.saw(int(row["id"]), "Patient", int(row["id"]))
        scope = await info.context.scope()
        return [cls.for_viewer(scope, row) for row in found]

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Patient | None]:
        scope = await info.context.scope()
        # Ids out of reach are dropped before any SQL: they answer null like unknown ids.
        keys = [
            key if key is not None and scope.can_reach_patient(key) else None
            for key in database_keys(node_ids)
        ]
        found = await info.context.loaders.patients.patient_by_id.load_many(
            [key for key in keys if key is not None]
        )
        rows = iter(found)
        results: list[Patient | None] = []
        for key in keys:
            row = next(rows) if key is not None else None
            if row is None:
                results.append(None)
                continue
            info.context.record_access.saw(int(row["id"]), "Patient", int(row["id"]))
            results.append(cls.for_viewer(scope, row))
        return results
