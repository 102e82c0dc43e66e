"""Batch loads of appointments: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from collections.abc import Sequence

from aiodataloader import DataLoader

from api.models.scheduling import Appointment, SessionType


class AppointmentByIdLoader(DataLoader[int, Appointment | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[Appointment | None]:
        rows = {row.id: row for row in await Appointment.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class SuccessorByAppointmentIdLoader(DataLoader[int, Appointment | None]):
    """The booking a rescheduled one was replaced by (its successor points back at it)."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Appointment | None]:
        rows = {
            row.rescheduled_from_id: row
            for row in await Appointment.filter(rescheduled_from_id__in=list(keys))
        }
        return [rows.get(key) for key in keys]


class SessionTypeByIdLoader(DataLoader[int, SessionType | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[SessionType | None]:
        rows = {row.id: row for row in await SessionType.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]
