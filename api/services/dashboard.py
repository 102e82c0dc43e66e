"""Each user's dashboard layout: which widgets they see, in which order, saved per user.

The layout is the signed-in user's own preference, not patient data: nobody else reads or
changes it (not admins, not a caregiver's patient, not a care team), so every function here
takes the user id the scope vouched for and never another.

Rules, in one place:
- Without a stored row the layout is the default for the viewer's roles (below), made in code.
  `reset` deletes the row, so a changed default reaches everyone who never customised.
- Reading a stored row keeps its known kinds in their order (first occurrence wins), drops kinds
  this code no longer knows (a widget that was removed), and appends the kinds it does not
  mention at the end with their default visibility: a widget added later shows up for people
  who customised before it existed.
- Saving checks every problem first (TOO_MANY_WIDGETS; DUPLICATE_WIDGET per repeated kind).
  Kinds the request leaves out are appended at the end with their default visibility, the same
  rule as reading, so an older client that does not know a newer widget neither loses it nor
  hides it. The complete, normalised list is stored, in one upsert statement.

Default sets: everyone gets every widget in the issue's order. A therapist without a patient
role (whose home page is the caseload, not this dashboard) gets PROGRESS_CHART and
TODAYS_EXERCISES hidden by default, since they have no chart or plan of their own; they can
still show them, and all kinds stay in the list so the layout has one shape for everybody.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from api.models.accounts import Role
from api.models.dashboard import DashboardLayout
from api.services import problems


class WidgetKind(StrEnum):
    UPCOMING_APPOINTMENTS = "UPCOMING_APPOINTMENTS"
    RECENT_MESSAGES = "RECENT_MESSAGES"
    PROGRESS_CHART = "PROGRESS_CHART"
    TODAYS_EXERCISES = "TODAYS_EXERCISES"
    NOTIFICATIONS = "NOTIFICATIONS"
    QUICK_ACTIONS = "QUICK_ACTIONS"


# Widgets about one's own treatment: hidden by default for a therapist who is not a patient.
PATIENT_WIDGETS = frozenset({WidgetKind.PROGRESS_CHART, WidgetKind.TODAYS_EXERCISES})


class DashboardErrorCode(StrEnum):
    DUPLICATE_WIDGET = "DUPLICATE_WIDGET"  # one kind twice in one layout
    TOO_MANY_WIDGETS = "TOO_MANY_WIDGETS"  # more entries than there are kinds


class DashboardProblems(problems.Problems[DashboardErrorCode]):
    """Raised by `save`; the resolver returns them as typed errors."""

    def summary(self) -> str:
        return f"{len(self.problems)} problem(s) with the dashboard layout"


@dataclass(frozen=True, slots=True)
class Widget:
    kind: WidgetKind
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    widgets: tuple[Widget, ...]
    # None: nothing is stored, this is the default layout.
    updated_at: datetime | None = None

    @property
    def is_default(self) -> bool:
        return self.updated_at is None


def default_widgets(roles: Iterable[Role]) -> tuple[Widget, ...]:
    """The layout of someone who never customised theirs (see the module's docstring)."""
    held = frozenset(roles)
    clinician_only = Role.THERAPIST in held and Role.PATIENT not in held
    return tuple(
        Widget(kind, hidden=clinician_only and kind in PATIENT_WIDGETS) for kind in WidgetKind
    )


def _complete(chosen: Sequence[Widget], defaults: Sequence[Widget]) -> tuple[Widget, ...]:
    """`chosen` (distinct kinds), then every kind it leaves out, as the defaults have it."""
    present = {widget.kind for widget in chosen}
    return (*chosen, *(widget for widget in defaults if widget.kind not in present))


def _known(stored: object) -> list[Widget]:
    """The stored widgets this code still knows, first occurrence of each kind, in order.

    The column is JSON anybody could have edited (or an older release wrote), so anything that
    is not a {"kind": <known>, "hidden": <bool>} object is dropped, never an error."""
    widgets: list[Widget] = []
    seen: set[WidgetKind] = set()
    for item in stored if isinstance(stored, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            kind = WidgetKind(str(item.get("kind")))
        except ValueError:
            continue  # a widget this release no longer has
        if kind in seen:
            continue
        seen.add(kind)
        widgets.append(Widget(kind, hidden=item.get("hidden") is True))
    return widgets


def from_stored(stored: object, roles: Iterable[Role]) -> tuple[Widget, ...]:
    return _complete(_known(stored), default_widgets(roles))


async def layout_for(user_id: int, roles: Iterable[Role]) -> Layout:
    """The user's layout: one statement."""
    rows = await DashboardLayout.filter(user_id=user_id).values_list("widgets", "updated_at")
    if not rows:
        return Layout(default_widgets(roles))
    stored, updated_at = rows[0]
    return Layout(from_stored(stored, roles), updated_at=updated_at)


def _check(widgets: Sequence[Widget]) -> None:
    if len(widgets) > len(WidgetKind):
        raise DashboardProblems.one(
            DashboardErrorCode.TOO_MANY_WIDGETS,
            f"A dashboard has {len(WidgetKind)} widgets; this layout lists {len(widgets)}.",
            "widgets",
        )
    found = problems.Collector(DashboardProblems)
    seen: set[WidgetKind] = set()
    for index, widget in enumerate(widgets):
        if widget.kind in seen:
            found.add(
                DashboardErrorCode.DUPLICATE_WIDGET,
                "Each widget can appear only once on the dashboard.",
                f"widgets.{index}.kind",
            )
        seen.add(widget.kind)
    found.raise_if_any()


async def save(user_id: int, roles: Iterable[Role], widgets: Sequence[Widget]) -> Layout:
    """Stores the layout (missing kinds appended with their default visibility): one upsert."""
    _check(widgets)
    complete = _complete(widgets, default_widgets(roles))
    at = datetime.now(UTC)
    stored: list[dict[str, object]] = [
        {"kind": widget.kind.value, "hidden": widget.hidden} for widget in complete
    ]
    # INSERT ... ON CONFLICT (user_id) DO UPDATE: one statement, and two tabs saving at once
    # cannot both insert (the last one wins, as with any preference).
    await DashboardLayout.bulk_create(
        [DashboardLayout(user_id=user_id, widgets=stored, updated_at=at)],
        on_conflict=["user_id"],
        update_fields=["widgets", "updated_at"],
    )
    return Layout(complete, updated_at=at)


async def reset(user_id: int, roles: Iterable[Role]) -> Layout:
    """Back to the default: the stored row goes, so later changes to the default apply."""
    await DashboardLayout.filter(user_id=user_id).delete()
    return Layout(default_widgets(roles))
