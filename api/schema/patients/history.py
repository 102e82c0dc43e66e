"""Profile history as the API shows it: one node per edit of one section."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.access.needs import Need, patient_owned
from api.access.scope import AccessScope
from api.context import Info
from api.loaders.patients import ProfileChangeRow
from api.models.accounts import Role as RoleValue
from api.models.patients import ProfileSection as ProfileSectionValue
from api.schema.accounts import Role
from api.schema.relay import database_keys

ProfileSection = strawberry.enum(
    ProfileSectionValue, description="A part of a profile that is edited (and kept) as a whole."
)


# The Patient field that shows each section now (api/access/field_needs.py guards it).
SECTION_FIELDS: dict[ProfileSectionValue, str] = {
    ProfileSectionValue.HEALTH_HISTORY: "healthHistory",
    ProfileSectionValue.CURRENT_CONDITION: "currentCondition",
    ProfileSectionValue.GOALS: "treatmentGoals",
    ProfileSectionValue.PREFERENCES: "preferences",
    ProfileSectionValue.EMERGENCY_CONTACTS: "emergencyContacts",
    ProfileSectionValue.INSURANCE: "insurance",
    ProfileSectionValue.COMMUNICATION: "communication",
}


@patient_owned(Need.CARE)
@strawberry.type(description="One edit of one profile section: who, when, before and after.")
class ProfileChange(relay.Node):
    id: relay.NodeID[int]
    changed_at: datetime
    changed_by_name: str | None = strawberry.field(
        description="Who made the change; null when their account no longer exists."
    )
    changed_by_role: Role = strawberry.field(  # type: ignore[valid-type]
        description="The capacity they acted in: the patient, their care team, an admin."
    )
    section: ProfileSection  # type: ignore[valid-type]
    changed_fields: list[str] = strawberry.field(
        description="The section's fields that changed, named as in the section's input."
    )
    before: JSON | None = strawberry.field(
        description="The whole section before the change; null where the section is kept "
        "confidential from you (a teenager's health history, from their guardian)."
    )
    after: JSON | None = strawberry.field(
        description="The whole section after the change; null where it is kept from you."
    )
    patient_id: strawberry.Private[int]

    @classmethod
    def for_viewer(cls, scope: AccessScope, row: ProfileChangeRow) -> ProfileChange:
        """The change as this viewer may see it: a confidential section's values withheld
        (the history would otherwise show what the section's own field hides)."""
        change = cls.from_row(row)
        field_name = SECTION_FIELDS.get(ProfileSectionValue(row.section))
        if field_name is not None and scope.hides_field(row.patient_id, field_name):
            change.changed_fields, change.before, change.after = [], None, None
        return change

    @classmethod
    def from_row(cls, row: ProfileChangeRow) -> ProfileChange:
        return cls(
            id=row.id,
            changed_at=row.changed_at,
            changed_by_name=row.changed_by_name,
            changed_by_role=RoleValue(row.changed_by_role),
            section=row.section,
            changed_fields=row.changed_fields,
            before=JSON(row.before),
            after=JSON(row.after),
            patient_id=row.patient_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ProfileChange | None]:
        scope = await info.context.scope()
        if not scope.viewer.is_authenticated:
            return [None for _ in node_ids]
        keys = database_keys(node_ids)
        rows = await info.context.loaders.patients.profile_change_by_id.load_many(
            [key for key in keys if key is not None]
        )
        found = iter(rows)
        results: list[ProfileChange | None] = []
        for key in keys:
            row = next(found) if key is not None else None
            if row is None or not scope.can_read_patient(row.patient_id, Need.CARE):
                results.append(None)
                continue
            info.context.record_access.saw(row.patient_id, "ProfileChange", row.id)
            results.append(cls.for_viewer(scope, row))
        return results
