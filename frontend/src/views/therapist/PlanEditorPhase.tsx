/** One phase of the plan in the editor: its details, its exercises, and the library search to add more. */
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import type { BodyRegion, PlanEditorExerciseFragment, PlanEditorPlanFragment } from '../../gql/graphql';
import { describeRequestError } from '../../lib/errors';
import { weekRange } from '../plan/plan';
import {
  addPrescriptionInput,
  BODY_REGIONS,
  checkPhase,
  checkPrescription,
  DOSAGE_BOUNDS,
  DOSAGE_FIELDS,
  DOSAGE_LABELS,
  describePrescribed,
  dosageValues,
  firstErrorField,
  hasErrors,
  inPosition,
  LEVEL_WORDS,
  levelOptions,
  mutationProblems,
  performedExercise,
  phasePatch,
  phaseValues,
  prescriptionPatch,
  TEXT_LIMITS,
  type FieldErrors,
  type Level,
  type PhaseSpan,
  type PhaseValues,
  type PrescriptionValues,
} from './planEditor';
import {
  AddPrescriptionMutation,
  ConfirmDialog,
  focusField,
  PlanEditorExercisesQuery,
  RemovePhaseMutation,
  RemovePrescriptionMutation,
  SelectField,
  TextAreaField,
  TextField,
  UpdatePhaseMutation,
  UpdatePrescriptionMutation,
} from './PlanEditorParts';

export type EditorPlan = PlanEditorPlanFragment;
export type EditorPhase = EditorPlan['phases'][number];
export type EditorPrescription = EditorPhase['prescriptions'][number];
export type EditorExercise = PlanEditorExerciseFragment;

/** Says what happened (a polite status), and moves focus to the element with `focusId` once it is shown. */
export type Done = (message: string, focusId?: string) => void;

export const PHASE_FIELDS = ['name', 'startWeek', 'endWeek', 'focus'] as const;
const PRESCRIPTION_FIELDS = ['level', ...DOSAGE_FIELDS, 'notes'] as const;

export function phaseHeadingId(phaseId: string): string {
  return `phase-${phaseId}-heading`;
}

function prescriptionHeadingId(prescriptionId: string): string {
  return `rx-${prescriptionId}-heading`;
}

// --- phase form -------------------------------------------------------------------------------

/** Name, weeks and focus of a phase, for adding one or changing one. */
export function PhaseForm({
  prefix,
  label,
  initial,
  others,
  selfId = null,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
}: {
  prefix: string;
  label: string;
  initial: PhaseValues;
  others: readonly PhaseSpan[];
  selfId?: string | null;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (values: PhaseValues) => Promise<FieldErrors | null>;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: keyof PhaseValues) => (event: { target: { value: string } }) => setValues((current) => ({ ...current, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = checkPhase(values, others, selfId);
    setErrors(found);
    if (hasErrors(found)) {
      focusField(prefix, firstErrorField(found, PHASE_FIELDS));
      return;
    }
    setBusy(true);
    const problems = await onSubmit(values);
    setBusy(false);
    if (problems) {
      setErrors(problems);
      focusField(prefix, firstErrorField(problems, PHASE_FIELDS));
    }
  }

  return (
    <form className="editor-form" aria-label={label} onSubmit={submit} noValidate aria-busy={busy}>
      <ErrorNote>{errors.form}</ErrorNote>
      <TextField prefix={prefix} name="name" label="Phase name" value={values.name} onChange={set('name')} error={errors.name} maxLength={TEXT_LIMITS.name} required autoComplete="off" />
      <div className="week-fields">
        <TextField prefix={prefix} name="startWeek" label="First week" type="number" inputMode="numeric" min={1} max={104} step={1} value={values.startWeek} onChange={set('startWeek')} error={errors.startWeek} required />
        <TextField prefix={prefix} name="endWeek" label="Last week" type="number" inputMode="numeric" min={1} max={104} step={1} value={values.endWeek} onChange={set('endWeek')} error={errors.endWeek} required />
      </div>
      <TextAreaField prefix={prefix} name="focus" label="Focus (optional)" hint="What this phase works on, in words the patient reads." rows={2} value={values.focus} onChange={set('focus')} error={errors.focus} maxLength={TEXT_LIMITS.focus} />
      <div className="actions">
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

// --- prescription form ------------------------------------------------------------------------

/** Level (the exercise or its easier or harder variant), dosage and notes of one prescription. */
function PrescriptionForm({
  prefix,
  label,
  exercise,
  initial,
  adding,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
}: {
  prefix: string;
  label: string;
  exercise: EditorExercise;
  initial: PrescriptionValues;
  adding: boolean;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (values: PrescriptionValues) => Promise<FieldErrors | null>;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [dosageTouched, setDosageTouched] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const levels = levelOptions(exercise);

  function chooseLevel(level: Level) {
    setValues((current) => ({
      ...current,
      level,
      // A new prescription starts from the chosen variant's library amounts until the therapist types their own.
      dosage: adding && !dosageTouched ? dosageValues(performedExercise(exercise, level).defaultDosage) : current.dosage,
    }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = checkPrescription(values);
    setErrors(found);
    if (hasErrors(found)) {
      focusField(prefix, firstErrorField(found, PRESCRIPTION_FIELDS));
      return;
    }
    setBusy(true);
    const problems = await onSubmit(values);
    setBusy(false);
    if (problems) {
      setErrors(problems);
      focusField(prefix, firstErrorField(problems, PRESCRIPTION_FIELDS));
    }
  }

  return (
    <form className="editor-form" aria-label={label} onSubmit={submit} noValidate aria-busy={busy}>
      <ErrorNote>{errors.form}</ErrorNote>
      <SelectField
        prefix={prefix}
        name="level"
        label="Version"
        hint={levels.length > 1 ? 'An easier version (regression) or a harder one (progression) from the library.' : 'The library has no easier or harder version of this exercise.'}
        value={values.level}
        onChange={(value) => chooseLevel(value as Level)}
        options={levels}
        error={errors.level}
      />
      <p className="hint" id={`${prefix}-dosage-hint`}>
        {adding ? 'Amounts start at the library’s for this exercise; an empty box takes the library’s amount.' : 'Empty a box to drop that amount. Times a day and days a week are always needed.'}
      </p>
      <div className="dosage-fields">
        {DOSAGE_FIELDS.map((field) => {
          const [low, high] = DOSAGE_BOUNDS[field];
          return (
            <TextField
              key={field}
              prefix={prefix}
              name={field}
              label={DOSAGE_LABELS[field]}
              type="number"
              inputMode="numeric"
              min={low}
              max={high}
              step={1}
              value={values.dosage[field]}
              onChange={(event) => {
                setDosageTouched(true);
                const text = event.target.value;
                setValues((current) => ({ ...current, dosage: { ...current.dosage, [field]: text } }));
              }}
              error={errors[field]}
            />
          );
        })}
      </div>
      <TextAreaField
        prefix={prefix}
        name="notes"
        label="Notes for the patient (optional)"
        rows={2}
        value={values.notes}
        onChange={(event) => setValues((current) => ({ ...current, notes: event.target.value }))}
        error={errors.notes}
        maxLength={TEXT_LIMITS.notes}
      />
      <div className="actions">
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// --- the library search -----------------------------------------------------------------------

const REGION_OPTIONS = [{ value: '', label: 'Any body region' }, ...Object.entries(BODY_REGIONS).map(([value, label]) => ({ value, label }))];
const PAGE = 25;

function ExercisePicker({ prefix, phaseName, onChoose, onCancel }: { prefix: string; phaseName: string; onChoose: (exercise: EditorExercise) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [region, setRegion] = useState('');
  const [search, setSearch] = useState({ text: '', region: '' });
  const variables = useMemo(
    () => ({ filter: { text: search.text || null, bodyRegion: (search.region || null) as BodyRegion | null }, first: PAGE }),
    [search],
  );
  const [{ data, fetching, error }] = useQuery({ query: PlanEditorExercisesQuery, variables });
  const found = (data?.exercises.edges ?? []).map((edge) => edge.node).filter((exercise) => !exercise.archived);
  const more = data?.exercises.pageInfo.hasNextPage ?? false;

  return (
    <div className="exercise-picker">
      <form
        className="editor-form search-form"
        role="search"
        aria-label={`Find an exercise for ${phaseName}`}
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ text: text.trim(), region });
        }}
      >
        <TextField prefix={prefix} name="text" label="Search the exercise library" hint="Words in the exercise’s name, for example “bridge”." type="search" value={text} onChange={(event) => setText(event.target.value)} autoComplete="off" />
        <SelectField prefix={prefix} name="region" label="Body region" value={region} onChange={setRegion} options={REGION_OPTIONS} />
        <div className="actions">
          <button type="submit" className="button">
            Search
          </button>
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      {fetching && <Loading label="Searching the library…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      <p role="status" className="hint">
        {data && !fetching ? (found.length === 0 ? 'No exercise in the library matches. Try other words or any body region.' : `${found.length}${more ? ' or more' : ''} exercises found${more ? ': narrow the search to see others' : ''}.`) : ''}
      </p>
      {found.length > 0 && (
        <ul className="exercise-results" aria-label="Exercises found">
          {found.map((exercise) => (
            <li key={exercise.id}>
              <span className="result-text">
                <strong>{exercise.name}</strong>
                <span className="meta">
                  {BODY_REGIONS[exercise.bodyRegion] ?? exercise.bodyRegion} · {describePrescribed(exercise.defaultDosage)}
                  {exercise.regression ? ' · has an easier version' : ''}
                  {exercise.progression ? ' · has a harder version' : ''}
                </span>
              </span>
              <button type="button" className="button small secondary" onClick={() => onChoose(exercise)}>
                Choose<span className="visually-hidden"> {exercise.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// --- one prescription -------------------------------------------------------------------------

function PrescriptionItem({ prescription, phaseId, editable, done }: { prescription: EditorPrescription; phaseId: string; editable: boolean; done: Done }) {
  const [editing, setEditing] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [, update] = useMutation(UpdatePrescriptionMutation);
  const [{ fetching: removing }, remove] = useMutation(RemovePrescriptionMutation);
  const changeButton = useRef<HTMLButtonElement>(null);
  const base = prescription.baseExercise;
  const name = prescription.exercise.name;
  const prefix = `rx-${prescription.id}`;
  const level = prescription.level as Level;

  async function save(values: PrescriptionValues): Promise<FieldErrors | null> {
    const patch = prescriptionPatch({ level, dosage: prescription.dosage, notes: prescription.notes }, values);
    if (Object.keys(patch).length === 0) {
      setEditing(false);
      done(`Nothing changed in ${name}.`, prescriptionHeadingId(prescription.id));
      return null;
    }
    const result = await update({ input: { prescriptionId: prescription.id, ...patch } });
    const problems = mutationProblems(result.data?.updatePrescription, result.error, PRESCRIPTION_FIELDS);
    if (problems) return problems;
    setEditing(false);
    done(`Saved the changes to ${name}.`, prescriptionHeadingId(prescription.id));
    return null;
  }

  async function removeIt() {
    setRemoveError(null);
    const result = await remove({ prescriptionId: prescription.id });
    const problems = mutationProblems(result.data?.removePrescription, result.error, []);
    if (problems) {
      setRemoveError(problems.form ?? null);
      return;
    }
    done(`Removed ${name} from the phase.`, phaseHeadingId(phaseId));
  }

  return (
    <li className="rx-item">
      <h4 id={prescriptionHeadingId(prescription.id)} tabIndex={-1}>
        {name}
      </h4>
      {level !== 'STANDARD' && (
        <p className="meta">
          {LEVEL_WORDS[level]} of {base.name}
        </p>
      )}
      <p>{describePrescribed(prescription.dosage)}</p>
      {prescription.notes && <p className="meta">Notes: {prescription.notes}</p>}
      {editable && (
        <div className="actions">
          <button ref={changeButton} type="button" className="button small secondary" aria-expanded={editing} onClick={() => setEditing((open) => !open)}>
            Change<span className="visually-hidden"> {name}</span>
          </button>
          <button type="button" className="button small secondary" aria-busy={removing} aria-disabled={removing} onClick={() => !removing && void removeIt()}>
            {removing ? 'Removing…' : 'Remove'}
            <span className="visually-hidden"> {name}</span>
          </button>
        </div>
      )}
      <ErrorNote>{removeError}</ErrorNote>
      {editable && editing && (
        <PrescriptionForm
          prefix={prefix}
          label={`Change ${name}`}
          exercise={base}
          adding={false}
          initial={{ level, dosage: dosageValues(prescription.dosage), notes: prescription.notes }}
          submitLabel="Save exercise"
          busyLabel="Saving…"
          onSubmit={save}
          onCancel={() => {
            setEditing(false);
            changeButton.current?.focus();
          }}
        />
      )}
    </li>
  );
}

// --- one phase --------------------------------------------------------------------------------

type Adding = { step: 'closed' } | { step: 'search' } | { step: 'dose'; exercise: EditorExercise };

export function PhaseCard({
  phase,
  spans,
  editable,
  live,
  patientName,
  done,
}: {
  phase: EditorPhase;
  spans: readonly PhaseSpan[];
  editable: boolean;
  /** The plan is active: the patient sees each change. */
  live: boolean;
  patientName: string;
  done: Done;
}) {
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState<Adding>({ step: 'closed' });
  const [confirming, setConfirming] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [, updatePhase] = useMutation(UpdatePhaseMutation);
  const [{ fetching: removing }, removePhase] = useMutation(RemovePhaseMutation);
  const [, addPrescription] = useMutation(AddPrescriptionMutation);
  const changeButton = useRef<HTMLButtonElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const prescriptions = inPosition(phase.prescriptions);
  const headingId = phaseHeadingId(phase.id);

  async function savePhase(values: PhaseValues): Promise<FieldErrors | null> {
    const patch = phasePatch(phase, values);
    if (Object.keys(patch).length === 0) {
      setEditing(false);
      done(`Nothing changed in ${phase.name}.`, headingId);
      return null;
    }
    const result = await updatePhase({ input: { phaseId: phase.id, ...patch } });
    const problems = mutationProblems(result.data?.updatePlanPhase, result.error, PHASE_FIELDS);
    if (problems) return problems;
    setEditing(false);
    done(`Saved the phase ${patch.name ?? phase.name}.`, headingId);
    return null;
  }

  async function confirmRemove() {
    setRemoveError(null);
    const result = await removePhase({ phaseId: phase.id });
    const problems = mutationProblems(result.data?.removePlanPhase, result.error, []);
    if (problems) {
      setRemoveError(Object.values(problems).join(' '));
      return;
    }
    setConfirming(false);
    done(`Removed the phase ${phase.name}.`, 'phases-heading');
  }

  async function addExercise(exercise: EditorExercise, values: PrescriptionValues): Promise<FieldErrors | null> {
    const result = await addPrescription({ input: addPrescriptionInput(phase.id, exercise.id, values) });
    const payload = result.data?.addPrescription;
    const problems = mutationProblems(payload, result.error, PRESCRIPTION_FIELDS);
    if (problems) return problems;
    setAdding({ step: 'closed' });
    const added = payload?.__typename === 'PrescriptionPayload' ? payload.prescription.id : null;
    const performed = performedExercise(exercise, values.level).name;
    done(`Added ${performed} to ${phase.name}.`, added ? prescriptionHeadingId(added) : headingId);
    return null;
  }

  return (
    <li className="card editor-phase">
      <h3 id={headingId} tabIndex={-1}>
        {phase.name}
      </h3>
      <p className="meta">{weekRange(phase.startWeek, phase.endWeek)}</p>
      {phase.focus && <p>{phase.focus}</p>}
      {editable && (
        <div className="actions">
          <button ref={changeButton} type="button" className="button small secondary" aria-expanded={editing} onClick={() => setEditing((open) => !open)}>
            Rename or change weeks<span className="visually-hidden"> of {phase.name}</span>
          </button>
          <button type="button" className="button small secondary" onClick={() => setConfirming(true)}>
            Remove phase<span className="visually-hidden"> {phase.name}</span>
          </button>
        </div>
      )}
      {editable && editing && (
        <PhaseForm
          prefix={`phase-${phase.id}`}
          label={`Change the phase ${phase.name}`}
          initial={phaseValues(phase)}
          others={spans}
          selfId={phase.id}
          submitLabel="Save phase"
          busyLabel="Saving…"
          onSubmit={savePhase}
          onCancel={() => {
            setEditing(false);
            changeButton.current?.focus();
          }}
        />
      )}

      {prescriptions.length === 0 ? (
        <p>No exercises in this phase yet.</p>
      ) : (
        <ul className="rx-list" aria-label={`Exercises of ${phase.name}`}>
          {prescriptions.map((prescription) => (
            <PrescriptionItem key={prescription.id} prescription={prescription} phaseId={phase.id} editable={editable} done={done} />
          ))}
        </ul>
      )}

      {editable && adding.step === 'closed' && (
        <button ref={addButton} type="button" className="button secondary" onClick={() => setAdding({ step: 'search' })}>
          Add an exercise<span className="visually-hidden"> to {phase.name}</span>
        </button>
      )}
      {editable && adding.step !== 'closed' && (
        <section className="add-exercise" aria-labelledby={`${headingId}-add`}>
          <h4 id={`${headingId}-add`} tabIndex={-1}>
            {adding.step === 'dose' ? `Add ${adding.exercise.name} to ${phase.name}` : `Add an exercise to ${phase.name}`}
          </h4>
          {adding.step === 'search' && (
            <ExercisePicker
              prefix={`pick-${phase.id}`}
              phaseName={phase.name}
              onChoose={(exercise) => {
                setAdding({ step: 'dose', exercise });
                // The form replaces the list: start at its first field.
                requestAnimationFrame(() => focusField(`add-${phase.id}`, 'level'));
              }}
              onCancel={() => {
                setAdding({ step: 'closed' });
                requestAnimationFrame(() => addButton.current?.focus());
              }}
            />
          )}
          {adding.step === 'dose' && (
            <PrescriptionForm
              key={adding.exercise.id}
              prefix={`add-${phase.id}`}
              label={`Dosage of ${adding.exercise.name}`}
              exercise={adding.exercise}
              adding
              initial={{ level: 'STANDARD', dosage: dosageValues(adding.exercise.defaultDosage), notes: '' }}
              submitLabel="Add to phase"
              busyLabel="Adding…"
              onSubmit={(values) => addExercise(adding.exercise, values)}
              onCancel={() => {
                setAdding({ step: 'search' });
                requestAnimationFrame(() => focusField(`pick-${phase.id}`, 'text'));
              }}
            />
          )}
        </section>
      )}

      <ConfirmDialog
        open={confirming}
        title={`Remove the phase ${phase.name}?`}
        confirmLabel="Remove phase"
        busyLabel="Removing…"
        busy={removing}
        error={removeError}
        onConfirm={() => void confirmRemove()}
        onCancel={() => {
          setConfirming(false);
          setRemoveError(null);
        }}
      >
        <p>
          {prescriptions.length === 0
            ? 'It has no exercises.'
            : `Its ${prescriptions.length === 1 ? 'exercise goes' : `${prescriptions.length} exercises go`} with it.`}
          {live && prescriptions.length > 0 ? ` ${patientName} will no longer see ${prescriptions.length === 1 ? 'it' : 'them'}.` : ''}
        </p>
      </ConfirmDialog>
    </li>
  );
}
