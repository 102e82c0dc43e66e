"""The signed-in user's dashboard layout as the API shows it: widgets in order, shown or hidden.

A layout is the user's own preference (not patient data): no type here names a patient.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.schema.errors import UserError, errors_from
from api.services import dashboard
from api.services.dashboard import DashboardProblems, Layout, Widget

DashboardWidgetKind = strawberry.enum(
    dashboard.WidgetKind,
    description="A widget of the dashboard. New kinds may be added; clients skip ones they do "
    "not know.",
)
DashboardErrorCode = strawberry.enum(
    dashboard.DashboardErrorCode, description="Stable codes of dashboard layout errors."
)


@strawberry.type(description="One widget of your dashboard, in its place.")
class DashboardWidget:
    kind: DashboardWidgetKind  # type: ignore[valid-type]
    hidden: bool


@strawberry.type(
    description="Your dashboard: every widget once, in display order, each shown or hidden."
)
class DashboardLayout:
    widgets: list[DashboardWidget]
    is_default: bool = strawberry.field(
        description="Whether this is the default layout (you never saved one, or reset it)."
    )
    updated_at: datetime | None = strawberry.field(
        description="When you last saved it; null for the default layout."
    )

    @classmethod
    def from_layout(cls, layout: Layout) -> DashboardLayout:
        return cls(
            widgets=[DashboardWidget(kind=w.kind, hidden=w.hidden) for w in layout.widgets],
            is_default=layout.is_default,
            updated_at=layout.updated_at,
        )


@strawberry.input(description="One widget in the place you want it.")
class DashboardWidgetInput:
    kind: DashboardWidgetKind  # type: ignore[valid-type]
    hidden: bool = False

    def to_widget(self) -> Widget:
        return Widget(kind=dashboard.WidgetKind(self.kind), hidden=self.hidden)


@strawberry.type(description="One problem with a dashboard layout, with its input field.")
class DashboardError(UserError):
    code: DashboardErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The layout was not saved; every problem is listed.")
class DashboardErrors:
    errors: list[DashboardError]

    @classmethod
    def from_problems(cls, problems: DashboardProblems) -> DashboardErrors:
        return cls(errors=errors_from(DashboardError, problems))


SaveDashboardLayoutResult = Annotated[
    DashboardLayout | DashboardErrors, strawberry.union("SaveDashboardLayoutResult")
]
