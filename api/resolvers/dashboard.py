"""Root query and mutations of the dashboard layout; thin: parse, call a service, map.

The layout is the signed-in user's own: anonymous requests are UNAUTHENTICATED, and no
argument names another user, so there is nothing to probe.
"""

from __future__ import annotations

import strawberry

from api.context import Info
from api.schema import dashboard as types
from api.services import dashboard
from api.services.dashboard import DashboardProblems


@strawberry.type
class DashboardQuery:
    @strawberry.field(
        description="Your dashboard's widgets in order, shown or hidden; the default layout "
        "until you save one. Widgets added to Relief later appear at the end."
    )
    async def dashboard_layout(self, info: Info) -> types.DashboardLayout:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        layout = await dashboard.layout_for(user_id, scope.viewer.roles)
        return types.DashboardLayout.from_layout(layout)


@strawberry.type
class DashboardMutation:
    @strawberry.mutation(
        description="Saves your dashboard: the widgets in the order given, each at most once. "
        "Widgets left out are added at the end, shown or hidden as by default."
    )
    async def save_dashboard_layout(
        self, info: Info, widgets: list[types.DashboardWidgetInput]
    ) -> types.SaveDashboardLayoutResult:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        try:
            layout = await dashboard.save(
                user_id, scope.viewer.roles, [widget.to_widget() for widget in widgets]
            )
        except DashboardProblems as problems:
            return types.DashboardErrors.from_problems(problems)
        return types.DashboardLayout.from_layout(layout)

    @strawberry.mutation(description="Puts your dashboard back to the default layout.")
    async def reset_dashboard_layout(self, info: Info) -> types.DashboardLayout:
        scope = await info.context.scope()
        user_id = scope.require_authenticated()
        layout = await dashboard.reset(user_id, scope.viewer.roles)
        return types.DashboardLayout.from_layout(layout)
