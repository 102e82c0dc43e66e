"""Each user's dashboard: which widgets they show, in which order (saved on the server)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from api.models.accounts import User


class DashboardLayout(Model):
    """One row per user who changed the default layout. Widgets are kind names, in order."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "relief.User", related_name="dashboard_layout", on_delete=fields.CASCADE
    )
    user_id: int
    # [{"kind": "APPOINTMENTS", "hidden": false}, ...] in display order
    widgets: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "dashboard_layout"
