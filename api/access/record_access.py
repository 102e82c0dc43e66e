"""The audit of patient records resolved through the API: collected per request, written once.

Schema types call `RecordAccessLog.saw` as they resolve a patient-owned record; the extension
at the end of execution writes the whole request's log in one statement (see
api/services/audit.record_accesses). A record seen twice in one request is logged once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AccessAction(StrEnum):
    READ = "READ"
    CREATE = "CREATE"
    UPDATE = "UPDATE"


@dataclass(frozen=True, slots=True)
class AccessedRecord:
    patient_id: int
    resource: str  # the schema type: "Patient", "TreatmentPlan", "Measurement"...
    resource_id: str
    action: AccessAction


@dataclass(slots=True)
class RecordAccessLog:
    _seen: dict[tuple[str, str, AccessAction], AccessedRecord] = field(default_factory=dict)

    def saw(
        self,
        patient_id: int,
        resource: str,
        resource_id: int | str,
        action: AccessAction = AccessAction.READ,
    ) -> None:
        key = (resource, str(resource_id), action)
        if key not in self._seen:
            self._seen[key] = AccessedRecord(patient_id, resource, str(resource_id), action)

    def saw_all(self, patient_id: int, resource: str, resource_ids: list[int]) -> None:
        for resource_id in resource_ids:
            self.saw(patient_id, resource, resource_id)

    def drain(self) -> list[AccessedRecord]:
        records = list(self._seen.values())
        self._seen.clear()
        return records
