"""Batch loads of what hangs off an appointment on the calendar side: its questionnaire."""

from __future__ import annotations

from collections.abc import Sequence

from aiodataloader import DataLoader

from api.models.scheduling import PreVisitQuestionnaire


class QuestionnaireByAppointmentIdLoader(DataLoader[int, PreVisitQuestionnaire | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[PreVisitQuestionnaire | None]:
        rows = {
            row.appointment_id: row
            for row in await PreVisitQuestionnaire.filter(appointment_id__in=list(keys))
        }
        return [rows.get(key) for key in keys]
