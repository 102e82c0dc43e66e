"""Root queries and mutations of the patients domain; thin: parse, call a service, map.

Each profile mutation replaces one section and answers `UpdatePatientProfileResult`. Not signed
in: UNAUTHENTICATED; a record out of reach: NOT_FOUND; a section the viewer may not edit (the
care team on a patient-only section, say): FORBIDDEN. Input problems come back typed.
"""

from __future__ import annotations

from typing import Protocol

import strawberry

from api.access.record_access import AccessAction
from api.access.scope import AccessScope
from api.context import Info
from api.errors import NotFound
from api.models.accounts import Role
from api.schema import patients as types
from api.schema.patients import inputs
from api.schema.relay import database_key, database_keys, parse_global_id
from api.services import audit
from api.services.patients import profile
from api.services.patients.commands import SectionEdit
from api.services.patients.errors import PatientProblems


class SectionInput(Protocol):
    patient_id: strawberry.ID

    def to_command(self) -> SectionEdit: ...


def _patient_key(value: str, field: str = "patientId") -> int:
    return database_key(parse_global_id(value, field), "Patient", field)


def _audit_context(info: Info, scope: AccessScope, patient_id: int) -> audit.AuditContext:
    return audit.AuditContext(
        actor_user_id=scope.viewer.user_id,
        acting_for_patient_id=patient_id,
        ip=info.context.client.ip or None,
        session_id=scope.viewer.session_id,
    )


async def _payload(info: Info, patient_id: int, changed: bool) -> types.UpdatePatientProfileResult:
    if changed:
        info.context.record_access.saw(patient_id, "Patient", patient_id, AccessAction.UPDATE)
    info.context.loaders.patients.patient_by_id.clear(patient_id)
    patient = await types.Patient.load(info, patient_id)
    if patient is None:  # deleted between the edit and this read
        raise NotFound("No such patient.")
    return types.PatientProfilePayload(patient=patient)


async def _update(info: Info, input: SectionInput) -> types.UpdatePatientProfileResult:
    scope = await info.context.scope()
    scope.require_authenticated()
    patient_id = _patient_key(input.patient_id)
    try:
        changed = await profile.update_section(
            scope, _audit_context(info, scope, patient_id), patient_id, input.to_command()
        )
    except PatientProblems as problems:
        return types.PatientProfileErrors.from_problems(problems)
    return await _payload(info, patient_id, changed)


@strawberry.type
class PatientsQuery:
    @strawberry.field(
        description="A patient's record; null when unknown or out of your reach. A caregiver "
        "reaches the patient they act for (X-Relief-Acting-For)."
    )
    async def patient(self, info: Info, id: strawberry.ID) -> types.Patient | None:
        scope = await info.context.scope()
        scope.require_authenticated()
        global_id = parse_global_id(id)
        (patient_id,) = database_keys([global_id.node_id])
        if global_id.type_name != "Patient" or patient_id is None:
            return None
        if not scope.can_reach_patient(patient_id):
            return None
        return await types.Patient.load(info, patient_id)

    @strawberry.field(
        description="The record this request is about: the patient a caregiver acts for "
        "(X-Relief-Acting-For, through a live grant), else the signed-in patient's own; null "
        "for anyone else. Lets one client serve patients and caregivers alike."
    )
    async def my_patient(self, info: Info) -> types.Patient | None:
        scope = await info.context.scope()
        scope.require_authenticated()
        if scope.caregiving is not None:
            return await types.Patient.load(info, scope.caregiving.patient_id)
        if scope.patient_id is None:
            return None
        return await types.Patient.load(info, scope.patient_id)

    @strawberry.field(
        description="A therapist's caseload: every patient on their care team today, by family "
        "name. Ask each for latestPain, adherenceThisWeek and activePlan { status }."
    )
    async def caseload(self, info: Info) -> list[types.Patient]:
        scope = await info.context.scope()
        scope.require_role(Role.THERAPIST)
        return await types.Patient.load_many(info, sorted(scope.care_team))


@strawberry.type
class PatientsMutation:
    @strawberry.mutation(description="Name, birth date, language (patient or admin).")
    async def update_patient_demographics(
        self, info: Info, input: inputs.UpdatePatientDemographicsInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="The health history (the patient and their care team).")
    async def update_health_history(
        self, info: Info, input: inputs.UpdateHealthHistoryInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="Symptoms, pain, mobility (the patient and their care team).")
    async def update_current_condition(
        self, info: Info, input: inputs.UpdateCurrentConditionInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="Treatment goals (the patient and their care team).")
    async def update_treatment_goals(
        self, info: Info, input: inputs.UpdateTreatmentGoalsInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="Days, times and kind of sessions (the patient).")
    async def update_scheduling_preferences(
        self, info: Info, input: inputs.UpdateSchedulingPreferencesInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="How the clinic may contact the patient (the patient).")
    async def update_communication_preferences(
        self, info: Info, input: inputs.UpdateCommunicationPreferencesInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="Every emergency contact at once (the patient).")
    async def update_emergency_contacts(
        self, info: Info, input: inputs.UpdateEmergencyContactsInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(description="Self-pay or insurance details (the patient, admin).")
    async def update_insurance(
        self, info: Info, input: inputs.UpdateInsuranceInput
    ) -> types.UpdatePatientProfileResult:
        return await _update(info, input)

    @strawberry.mutation(
        description="The patient confirms their profile is up to date; the next review falls "
        "due three months later (the clinic may set another interval)."
    )
    async def confirm_profile_reviewed(
        self, info: Info, patient_id: strawberry.ID
    ) -> types.UpdatePatientProfileResult:
        scope = await info.context.scope()
        scope.require_authenticated()
        key = _patient_key(patient_id)
        await profile.confirm_review(
            scope,
            _audit_context(info, scope, key),
            key,
            review_months=info.context.settings.profile_review_months,
        )
        return await _payload(info, key, changed=True)
