/** The form of each profile section: the record in, one mutation out, problems by field. */
import { useMemo, useState } from 'react';
import { useActingFor } from '../../lib/actingFor';
import { useMutation } from 'urql';
import type { ProfileViewQuery } from '../../gql/graphql';
import {
  UpdateCommunicationPreferencesMutation,
  UpdateCurrentConditionMutation,
  UpdateDemographicsMutation,
  UpdateEmergencyContactsMutation,
  UpdateHealthHistoryMutation,
  UpdateInsuranceMutation,
  UpdateSchedulingPreferencesMutation,
  UpdateTreatmentGoalsMutation,
} from './documents';
import { CheckField, CheckGroup, ListEditor, SectionForm, SelectField, TextField, useSectionSave } from './parts';
import {
  CHANNELS,
  communicationForm,
  communicationInput,
  conditionForm,
  conditionInput,
  contactsForm,
  contactsInput,
  goalsForm,
  goalsInput,
  historyForm,
  historyInput,
  insuranceForm,
  insuranceInput,
  newAllergy,
  newCondition,
  newContact,
  newGoal,
  newInjury,
  newMedication,
  newSurgery,
  personalForm,
  personalInput,
  schedulingForm,
  schedulingInput,
  SEVERITIES,
  SUBSCRIBER_RELATIONSHIPS,
  TELEHEALTH,
  TIMES_OF_DAY,
  toggle,
  WEEKDAYS,
  type HistoryForm as HistoryFormValues,
} from './profile';

export type Patient = NonNullable<ProfileViewQuery['myPatient']>;

interface FormProps {
  patient: Patient;
  onDone: (saved: boolean) => void;
}

const PAIN_LEVELS = Array.from({ length: 11 }, (_, level) => ({
  value: String(level),
  label: level === 0 ? '0 (no pain)' : level === 10 ? '10 (worst imaginable)' : String(level),
}));
const SESSIONS = Array.from({ length: 14 }, (_, index) => ({ value: String(index + 1), label: String(index + 1) }));

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

// --- Personal details and contact -----------------------------------------------------------------

export function PersonalForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => personalForm(patient, browserTimeZone()));
  const [, update] = useMutation(UpdateDemographicsMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof personalInput>['input']>('personal', () => onDone(true));
  const zones = useMemo(timeZones, []);
  const actingFor = useActingFor();
  const set = (name: keyof typeof form) => (value: string) => setForm((current) => ({ ...current, [name]: value }));

  const submit = () =>
    save(personalInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updatePatientDemographics, error: result.error };
    });

  return (
    <SectionForm title="Personal details and contact" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <div className="field-grid">
        <TextField state={state} path="givenName" label="First name" value={form.givenName} onChange={set('givenName')} required autoComplete="given-name" />
        <TextField state={state} path="familyName" label="Last name" value={form.familyName} onChange={set('familyName')} autoComplete="family-name" />
        <TextField
          state={state}
          path="preferredName"
          label="Preferred name"
          hint="What the care team should call you, if not your first name."
          value={form.preferredName}
          onChange={set('preferredName')}
        />
        <TextField state={state} path="pronouns" label="Pronouns" hint="For example she/her." value={form.pronouns} onChange={set('pronouns')} />
        {actingFor === null ? (
          <TextField state={state} path="dateOfBirth" label="Date of birth" type="date" value={form.dateOfBirth} onChange={set('dateOfBirth')} />
        ) : (
          <p>
            <strong>Date of birth:</strong> {form.dateOfBirth || 'not given'}. Only the patient, or the clinic, can change it.
          </p>
        )}
        <TextField
          state={state}
          path="phone"
          label="Phone"
          type="tel"
          inputMode="tel"
          hint="With the country code, for example +1 555 010 0199."
          value={form.phone}
          onChange={set('phone')}
        />
      </div>
      <fieldset className="subgroup">
        <legend>Address</legend>
        <p className="hint">Leave every line empty to give no address.</p>
        <div className="field-grid">
          <TextField state={state} path="address.line1" label="Street and number" value={form.line1} onChange={set('line1')} autoComplete="address-line1" />
          <TextField state={state} path="address.line2" label="Apartment, floor (optional)" value={form.line2} onChange={set('line2')} autoComplete="address-line2" />
          <TextField state={state} path="address.city" label="Town or city" value={form.city} onChange={set('city')} autoComplete="address-level2" />
          <TextField state={state} path="address.region" label="State, province or county" value={form.region} onChange={set('region')} autoComplete="address-level1" />
          <TextField state={state} path="address.postalCode" label="Postal code" value={form.postalCode} onChange={set('postalCode')} autoComplete="postal-code" />
          <TextField
            state={state}
            path="address.country"
            label="Country"
            hint="Two letters, for example US."
            value={form.country}
            onChange={set('country')}
            autoComplete="country"
          />
        </div>
      </fieldset>
      <div className="field-grid">
        <TextField
          state={state}
          path="timeZone"
          label="Time zone"
          hint="Appointment times are shown in this zone, for example America/New_York."
          value={form.timeZone}
          onChange={set('timeZone')}
          list="profile-time-zones"
          required
        />
        <TextField
          state={state}
          path="preferredLanguage"
          label="Preferred language"
          hint="A language code, for example en or es-MX."
          value={form.preferredLanguage}
          onChange={set('preferredLanguage')}
          required
        />
      </div>
      <datalist id="profile-time-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </SectionForm>
  );
}

// --- Health history -------------------------------------------------------------------------------

export function HistoryForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => historyForm(patient.healthHistory));
  const [, update] = useMutation(UpdateHealthHistoryMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof historyInput>['input']>('history', () => onDone(true));
  const setList =
    <K extends keyof HistoryFormValues>(name: K) =>
    (rows: HistoryFormValues[K]) =>
      setForm((current) => ({ ...current, [name]: rows }));

  const submit = () =>
    save(historyInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateHealthHistory, error: result.error };
    });

  return (
    <SectionForm title="Health history" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <p className="hint">Empty entries are left out when you save.</p>
      <ListEditor
        state={state}
        name="chronicConditions"
        legend="Long-term conditions"
        itemLabel="Condition"
        addLabel="Add a condition"
        firstField="name"
        rows={form.chronicConditions}
        onChange={setList('chronicConditions')}
        make={newCondition}
        renderRow={(row, index, change) => (
          <>
            <TextField state={state} path={`chronicConditions[${index}].name`} label="Condition" value={row.name} onChange={(name) => change({ name })} required />
            <TextField state={state} path={`chronicConditions[${index}].since`} label="Since (optional)" type="date" value={row.since} onChange={(since) => change({ since })} />
            <TextField state={state} path={`chronicConditions[${index}].notes`} label="Notes (optional)" multiline value={row.notes} onChange={(notes) => change({ notes })} />
          </>
        )}
      />
      <ListEditor
        state={state}
        name="previousInjuries"
        legend="Previous injuries"
        itemLabel="Injury"
        addLabel="Add an injury"
        firstField="description"
        rows={form.previousInjuries}
        onChange={setList('previousInjuries')}
        make={newInjury}
        renderRow={(row, index, change) => (
          <>
            <TextField
              state={state}
              path={`previousInjuries[${index}].description`}
              label="What happened"
              value={row.description}
              onChange={(description) => change({ description })}
              required
            />
            <TextField
              state={state}
              path={`previousInjuries[${index}].occurredOn`}
              label="When (optional)"
              type="date"
              value={row.occurredOn}
              onChange={(occurredOn) => change({ occurredOn })}
            />
            <TextField state={state} path={`previousInjuries[${index}].notes`} label="Notes (optional)" multiline value={row.notes} onChange={(notes) => change({ notes })} />
          </>
        )}
      />
      <ListEditor
        state={state}
        name="surgeries"
        legend="Operations"
        itemLabel="Operation"
        addLabel="Add an operation"
        firstField="procedure"
        rows={form.surgeries}
        onChange={setList('surgeries')}
        make={newSurgery}
        renderRow={(row, index, change) => (
          <>
            <TextField state={state} path={`surgeries[${index}].procedure`} label="Operation" value={row.procedure} onChange={(procedure) => change({ procedure })} required />
            <TextField
              state={state}
              path={`surgeries[${index}].performedOn`}
              label="Date of the operation"
              type="date"
              value={row.performedOn}
              onChange={(performedOn) => change({ performedOn })}
              required
            />
            <TextField state={state} path={`surgeries[${index}].notes`} label="Notes (optional)" multiline value={row.notes} onChange={(notes) => change({ notes })} />
          </>
        )}
      />
      <ListEditor
        state={state}
        name="medications"
        legend="Medications"
        itemLabel="Medication"
        addLabel="Add a medication"
        firstField="name"
        rows={form.medications}
        onChange={setList('medications')}
        make={newMedication}
        renderRow={(row, index, change) => (
          <>
            <TextField state={state} path={`medications[${index}].name`} label="Medicine" value={row.name} onChange={(name) => change({ name })} required />
            <TextField
              state={state}
              path={`medications[${index}].dose`}
              label="Dose (optional)"
              hint="As on the package, for example 200 mg."
              value={row.dose}
              onChange={(dose) => change({ dose })}
            />
            <TextField
              state={state}
              path={`medications[${index}].frequency`}
              label="How often (optional)"
              hint="For example twice a day."
              value={row.frequency}
              onChange={(frequency) => change({ frequency })}
            />
            <TextField state={state} path={`medications[${index}].notes`} label="Notes (optional)" multiline value={row.notes} onChange={(notes) => change({ notes })} />
          </>
        )}
      />
      <ListEditor
        state={state}
        name="allergies"
        legend="Allergies"
        itemLabel="Allergy"
        addLabel="Add an allergy"
        firstField="substance"
        rows={form.allergies}
        onChange={setList('allergies')}
        make={newAllergy}
        renderRow={(row, index, change) => (
          <>
            <TextField state={state} path={`allergies[${index}].substance`} label="Allergic to" value={row.substance} onChange={(substance) => change({ substance })} required />
            <TextField
              state={state}
              path={`allergies[${index}].reaction`}
              label="Reaction (optional)"
              hint="For example hives."
              value={row.reaction}
              onChange={(reaction) => change({ reaction })}
            />
            <SelectField
              state={state}
              path={`allergies[${index}].severity`}
              label="How severe"
              value={row.severity}
              onChange={(severity) => change({ severity })}
              choices={SEVERITIES}
              empty="Choose…"
              required
            />
          </>
        )}
      />
    </SectionForm>
  );
}

// --- Current condition ------------------------------------------------------------------------------

export function ConditionForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => conditionForm(patient.currentCondition));
  const [, update] = useMutation(UpdateCurrentConditionMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof conditionInput>['input']>('condition', () => onDone(true));
  const set = (name: keyof typeof form) => (value: string) => setForm((current) => ({ ...current, [name]: value }));

  const submit = () =>
    save(conditionInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateCurrentCondition, error: result.error };
    });

  return (
    <SectionForm title="Current condition" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <TextField state={state} path="symptoms" label="Symptoms" hint="What you feel, and when." multiline value={form.symptoms} onChange={set('symptoms')} />
      <SelectField
        state={state}
        path="painLevel"
        label="Usual pain level"
        hint="0 is no pain, 10 the worst pain you can imagine."
        value={form.painLevel}
        onChange={set('painLevel')}
        choices={PAIN_LEVELS}
        empty="Not given"
      />
      <TextField
        state={state}
        path="mobilityLimitations"
        label="What is hard to do"
        hint="For example stairs, walking far, getting up from a chair."
        multiline
        value={form.mobilityLimitations}
        onChange={set('mobilityLimitations')}
      />
    </SectionForm>
  );
}

// --- Goals ---------------------------------------------------------------------------------------------

export function GoalsForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => goalsForm(patient.treatmentGoals));
  const [, update] = useMutation(UpdateTreatmentGoalsMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof goalsInput>['input']>('goals', () => onDone(true));

  const submit = () =>
    save(goalsInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateTreatmentGoals, error: result.error };
    });

  return (
    <SectionForm title="Goals" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <TextField
        state={state}
        path="text"
        label="What you want to get back to"
        multiline
        value={form.text}
        onChange={(text) => setForm((current) => ({ ...current, text }))}
      />
      <ListEditor
        state={state}
        name="items"
        legend="Goals with a date"
        itemLabel="Goal"
        addLabel="Add a goal"
        firstField="description"
        rows={form.items}
        onChange={(items) => setForm((current) => ({ ...current, items }))}
        make={newGoal}
        renderRow={(row, index, change) => (
          <>
            <TextField state={state} path={`items[${index}].description`} label="Goal" value={row.description} onChange={(description) => change({ description })} required />
            <TextField
              state={state}
              path={`items[${index}].targetDate`}
              label="By when (optional)"
              type="date"
              value={row.targetDate}
              onChange={(targetDate) => change({ targetDate })}
            />
          </>
        )}
      />
    </SectionForm>
  );
}

// --- Emergency contacts ---------------------------------------------------------------------------

export function ContactsForm({ patient, onDone }: FormProps) {
  const [rows, setRows] = useState(() => contactsForm(patient.emergencyContacts));
  const [, update] = useMutation(UpdateEmergencyContactsMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof contactsInput>['input']>('contacts', () => onDone(true));

  const submit = () =>
    save(contactsInput(rows), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateEmergencyContacts, error: result.error };
    });

  return (
    <SectionForm title="Emergency contacts" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <ListEditor
        state={state}
        name="emergencyContacts"
        legend="People to call in an emergency"
        itemLabel="Contact"
        addLabel="Add a contact"
        firstField="name"
        rows={rows}
        onChange={setRows}
        make={newContact}
        renderRow={(row, index, change) => (
          <>
            <TextField state={state} path={`emergencyContacts[${index}].name`} label="Name" value={row.name} onChange={(name) => change({ name })} required />
            <TextField
              state={state}
              path={`emergencyContacts[${index}].relationship`}
              label="Relationship"
              hint="For example husband, daughter, neighbour."
              value={row.relationship}
              onChange={(relationship) => change({ relationship })}
              required
            />
            <TextField
              state={state}
              path={`emergencyContacts[${index}].phone`}
              label="Phone"
              type="tel"
              inputMode="tel"
              hint="With the country code, for example +1 555 010 0199."
              value={row.phone}
              onChange={(phone) => change({ phone })}
              required
            />
            <TextField
              state={state}
              path={`emergencyContacts[${index}].email`}
              label="Email (optional)"
              type="email"
              inputMode="email"
              value={row.email}
              onChange={(email) => change({ email })}
            />
            <CheckField
              state={state}
              path={`emergencyContacts[${index}].isPrimary`}
              label="Main contact"
              hint="The person to call first."
              checked={row.isPrimary}
              onChange={(isPrimary) => change({ isPrimary })}
            />
          </>
        )}
      />
    </SectionForm>
  );
}

// --- Insurance --------------------------------------------------------------------------------------

export function InsuranceForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => insuranceForm(patient.insurance));
  const [, update] = useMutation(UpdateInsuranceMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof insuranceInput>['input']>('insurance', () => onDone(true));
  const set = (name: 'payer' | 'memberId' | 'groupId' | 'subscriberName' | 'subscriberDateOfBirth') => (value: string) =>
    setForm((current) => ({ ...current, [name]: value }));

  const submit = () =>
    save(insuranceInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateInsurance, error: result.error };
    });

  return (
    <SectionForm title="Insurance" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <CheckField
        state={state}
        path="selfPay"
        label="Paid without insurance (self-pay)"
        hint="No insurance details are needed then."
        checked={form.selfPay}
        onChange={(selfPay) => setForm((current) => ({ ...current, selfPay }))}
      />
      {!form.selfPay && (
        <div className="field-grid">
          <TextField state={state} path="payer" label="Insurer" value={form.payer} onChange={set('payer')} required />
          <TextField state={state} path="memberId" label="Member ID" hint="On the insurance card." value={form.memberId} onChange={set('memberId')} required />
          <TextField state={state} path="groupId" label="Group number (optional)" value={form.groupId} onChange={set('groupId')} />
          <SelectField
            state={state}
            path="subscriberRelationship"
            label="Whose plan it is"
            value={form.subscriberRelationship}
            onChange={(value) => setForm((current) => ({ ...current, subscriberRelationship: value || 'SELF' }))}
            choices={SUBSCRIBER_RELATIONSHIPS}
          />
          {form.subscriberRelationship !== 'SELF' && (
            <>
              <TextField state={state} path="subscriberName" label="Name of the plan holder" value={form.subscriberName} onChange={set('subscriberName')} required />
              <TextField
                state={state}
                path="subscriberDateOfBirth"
                label="Plan holder's date of birth (optional)"
                type="date"
                value={form.subscriberDateOfBirth}
                onChange={set('subscriberDateOfBirth')}
              />
            </>
          )}
        </div>
      )}
    </SectionForm>
  );
}

// --- Scheduling and communication preferences ------------------------------------------------------------

export function SchedulingForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => schedulingForm(patient.preferences));
  const [, update] = useMutation(UpdateSchedulingPreferencesMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof schedulingInput>['input']>('scheduling', () => onDone(true));

  const submit = () =>
    save(schedulingInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateSchedulingPreferences, error: result.error };
    });

  return (
    <SectionForm title="Scheduling preferences" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <CheckGroup
        state={state}
        path="preferredDays"
        legend="Days that suit best"
        choices={WEEKDAYS}
        chosen={form.preferredDays}
        onChange={(day, on) => setForm((current) => ({ ...current, preferredDays: toggle(WEEKDAYS, current.preferredDays, day, on) }))}
      />
      <CheckGroup
        state={state}
        path="preferredTimes"
        legend="Times of day that suit best"
        choices={TIMES_OF_DAY}
        chosen={form.preferredTimes}
        onChange={(time, on) => setForm((current) => ({ ...current, preferredTimes: toggle(TIMES_OF_DAY, current.preferredTimes, time, on) }))}
      />
      <SelectField
        state={state}
        path="sessionsPerWeek"
        label="Sessions a week"
        value={form.sessionsPerWeek}
        onChange={(sessionsPerWeek) => setForm((current) => ({ ...current, sessionsPerWeek }))}
        choices={SESSIONS}
        empty="No preference"
      />
      <SelectField
        state={state}
        path="telehealth"
        label="In person or by video"
        value={form.telehealth}
        onChange={(telehealth) => setForm((current) => ({ ...current, telehealth: telehealth || 'EITHER' }))}
        choices={TELEHEALTH}
      />
      <TextField
        state={state}
        path="schedulingConstraints"
        label="Anything else about when you can come"
        hint="For example: works until 5 pm, needs a ride on Fridays."
        multiline
        value={form.schedulingConstraints}
        onChange={(schedulingConstraints) => setForm((current) => ({ ...current, schedulingConstraints }))}
      />
    </SectionForm>
  );
}

export function CommunicationForm({ patient, onDone }: FormProps) {
  const [form, setForm] = useState(() => communicationForm(patient.communication));
  const [, update] = useMutation(UpdateCommunicationPreferencesMutation);
  const { state, saving, save, summary } = useSectionSave<ReturnType<typeof communicationInput>['input']>('communication', () => onDone(true));

  const submit = () =>
    save(communicationInput(form), async (input) => {
      const result = await update({ input: { ...input, patientId: patient.id } });
      return { result: result.data?.updateCommunicationPreferences, error: result.error };
    });

  return (
    <SectionForm title="Communication preferences" state={state} saving={saving} summary={summary} onSubmit={submit} onCancel={() => onDone(false)}>
      <SelectField
        state={state}
        path="preferredChannel"
        label="Best way to reach you"
        value={form.preferredChannel}
        onChange={(preferredChannel) => setForm((current) => ({ ...current, preferredChannel: preferredChannel || 'EMAIL' }))}
        choices={CHANNELS}
      />
      <TextField
        state={state}
        path="language"
        label="Language for calls and letters"
        hint="A language code, for example en or es-MX. Leave empty to use the preferred language."
        value={form.language}
        onChange={(language) => setForm((current) => ({ ...current, language }))}
      />
      <TextField
        state={state}
        path="contactWindow"
        label="When to contact you"
        hint="For example weekdays after 5 pm."
        value={form.contactWindow}
        onChange={(contactWindow) => setForm((current) => ({ ...current, contactWindow }))}
      />
      <CheckField
        state={state}
        path="okToLeaveVoicemail"
        label="The clinic may leave a voicemail"
        checked={form.okToLeaveVoicemail}
        onChange={(okToLeaveVoicemail) => setForm((current) => ({ ...current, okToLeaveVoicemail }))}
      />
    </SectionForm>
  );
}
