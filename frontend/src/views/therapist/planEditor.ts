/**
 * Logic of the therapist's plan editor, kept out of the components so vitest can reach it:
 * the form checks (the same bounds as the API's, so most mistakes are caught before a round
 * trip), what each mutation is sent, which plan the editor opens, and the API's typed errors
 * placed next to the field they name.
 */
import { describeCode, describeRequestError } from '../../lib/errors';
import { describeDosage } from '../../lib/format';

export type Level = 'REGRESSION' | 'STANDARD' | 'PROGRESSION';
export type PlanStatus = 'DRAFT' | 'ACTIVE' | 'COMPLETED';

/** Text limits of the plan service (api/services/plans/validation.py TEXT_RULES). */
export const TEXT_LIMITS = {
  title: 160,
  condition: 200,
  goals: 4000,
  name: 120,
  focus: 2000,
  notes: 1000,
} as const;

export const MAX_WEEK = 104;

export const DOSAGE_FIELDS = ['sets', 'reps', 'holdSeconds', 'durationSeconds', 'timesPerDay', 'daysPerWeek'] as const;
export type DosageField = (typeof DOSAGE_FIELDS)[number];

/** Bounds of each amount (api/services/plans/validation.py DOSAGE_BOUNDS). */
export const DOSAGE_BOUNDS: Record<DosageField, readonly [number, number]> = {
  sets: [1, 20],
  reps: [1, 100],
  holdSeconds: [1, 600],
  durationSeconds: [1, 7200],
  timesPerDay: [1, 6],
  daysPerWeek: [1, 7],
};

export const DOSAGE_LABELS: Record<DosageField, string> = {
  sets: 'Sets',
  reps: 'Reps',
  holdSeconds: 'Hold (seconds)',
  durationSeconds: 'Duration (seconds)',
  timesPerDay: 'Times a day',
  daysPerWeek: 'Days a week',
};

/** At least one of these says how much of the exercise to do. */
const AMOUNT_FIELDS: readonly DosageField[] = ['reps', 'holdSeconds', 'durationSeconds'];

/** Sentences keyed by the form field they are about; "form" for the rest. */
export type FieldErrors = Record<string, string>;

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}

function add(errors: FieldErrors, key: string, sentence: string): void {
  errors[key] = errors[key] ? `${errors[key]} ${sentence}` : sentence;
}

/** A whole number typed in a box: null when the box is empty, NaN when it is not a whole number. */
export function parseWhole(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function checkText(errors: FieldErrors, key: keyof typeof TEXT_LIMITS, value: string, label: string, required: boolean): void {
  if (required && !value.trim()) add(errors, key, `Please enter ${label}.`);
  else if (value.length > TEXT_LIMITS[key]) add(errors, key, `Please shorten ${label} to at most ${TEXT_LIMITS[key].toLocaleString('en-US')} characters.`);
}

/** Whether "YYYY-MM-DD" names a real calendar day. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// --- the plan's details ---------------------------------------------------------------------

export interface PlanDetailsValues {
  title: string;
  condition: string;
  goals: string;
  startsOn: string;
}

export function checkPlanDetails(values: PlanDetailsValues): FieldErrors {
  const errors: FieldErrors = {};
  checkText(errors, 'title', values.title, 'a title', true);
  checkText(errors, 'condition', values.condition, 'the condition', true);
  checkText(errors, 'goals', values.goals, 'the goals', false);
  if (!isIsoDate(values.startsOn)) add(errors, 'startsOn', 'Please choose the day week 1 begins.');
  return errors;
}

/** The create input's details, trimmed as the API stores them. */
export function newPlanInput(patientId: string, values: PlanDetailsValues) {
  return {
    patientId,
    title: values.title.trim(),
    condition: values.condition.trim(),
    goals: values.goals.trim(),
    startsOn: values.startsOn,
  };
}

/** Only the details that changed: the API records each change as a revision the patient reads. */
export function planDetailsPatch(original: PlanDetailsValues, values: PlanDetailsValues): Partial<PlanDetailsValues> {
  const patch: Partial<PlanDetailsValues> = {};
  for (const key of ['title', 'condition', 'goals'] as const) {
    if (values[key].trim() !== original[key].trim()) patch[key] = values[key].trim();
  }
  if (values.startsOn !== original.startsOn) patch.startsOn = values.startsOn;
  return patch;
}

// --- phases -----------------------------------------------------------------------------------

export interface PhaseValues {
  name: string;
  startWeek: string;
  endWeek: string;
  focus: string;
}

export interface PhaseSpan {
  id: string;
  name: string;
  startWeek: number;
  endWeek: number;
}

/** Name, weeks within 1-104 in order, and no week shared with another phase (as the API checks). */
export function checkPhase(values: PhaseValues, others: readonly PhaseSpan[], selfId: string | null = null): FieldErrors {
  const errors: FieldErrors = {};
  checkText(errors, 'name', values.name, 'a name for the phase', true);
  checkText(errors, 'focus', values.focus, 'the focus', false);
  const start = parseWhole(values.startWeek);
  const end = parseWhole(values.endWeek);
  const inRange = (week: number | null) => week !== null && Number.isInteger(week) && week >= 1 && week <= MAX_WEEK;
  if (!inRange(start)) add(errors, 'startWeek', `Please enter a week from 1 to ${MAX_WEEK}.`);
  if (!inRange(end)) add(errors, 'endWeek', `Please enter a week from 1 to ${MAX_WEEK}.`);
  if (errors.startWeek || errors.endWeek || start === null || end === null) return errors;
  if (end < start) {
    add(errors, 'endWeek', 'The last week cannot come before the first week.');
    return errors;
  }
  const clash = others.find((other) => other.id !== selfId && start <= other.endWeek && other.startWeek <= end);
  if (clash) add(errors, 'startWeek', `These weeks overlap the phase "${clash.name}" (${weekSpan(clash.startWeek, clash.endWeek)}).`);
  return errors;
}

export function phaseInput(values: PhaseValues) {
  return {
    name: values.name.trim(),
    startWeek: parseWhole(values.startWeek) ?? 0,
    endWeek: parseWhole(values.endWeek) ?? 0,
    focus: values.focus.trim(),
  };
}

/** Only what changed of a phase. */
export function phasePatch(original: PhaseSpan & { focus: string }, values: PhaseValues): Partial<ReturnType<typeof phaseInput>> {
  const next = phaseInput(values);
  const patch: Partial<ReturnType<typeof phaseInput>> = {};
  if (next.name !== original.name) patch.name = next.name;
  if (next.startWeek !== original.startWeek) patch.startWeek = next.startWeek;
  if (next.endWeek !== original.endWeek) patch.endWeek = next.endWeek;
  if (next.focus !== original.focus.trim()) patch.focus = next.focus;
  return patch;
}

export function phaseValues(phase: { name: string; startWeek: number; endWeek: number; focus: string }): PhaseValues {
  return { name: phase.name, startWeek: String(phase.startWeek), endWeek: String(phase.endWeek), focus: phase.focus };
}

/** The next phase's form: four weeks starting after the last phase (empty when the plan is full). */
export function suggestNextPhase(phases: readonly { startWeek: number; endWeek: number }[]): PhaseValues {
  const last = Math.max(0, ...phases.map((phase) => phase.endWeek));
  if (last >= MAX_WEEK) return { name: '', startWeek: '', endWeek: '', focus: '' };
  const start = last + 1;
  return { name: '', startWeek: String(start), endWeek: String(Math.min(MAX_WEEK, start + 3)), focus: '' };
}

/** Phases in the order of their weeks; exercises in their order within the phase. */
export function inWeekOrder<T extends { startWeek: number; position?: number }>(phases: readonly T[]): T[] {
  return [...phases].sort((a, b) => a.startWeek - b.startWeek || (a.position ?? 0) - (b.position ?? 0));
}

export function inPosition<T extends { position: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.position - b.position);
}

/** "weeks 3 to 6" / "week 1". */
export function weekSpan(startWeek: number, endWeek: number): string {
  return startWeek === endWeek ? `week ${startWeek}` : `weeks ${startWeek} to ${endWeek}`;
}

// --- prescriptions ----------------------------------------------------------------------------

export interface DosageLike {
  sets?: number | null;
  reps?: number | null;
  holdSeconds?: number | null;
  durationSeconds?: number | null;
  timesPerDay?: number | null;
  daysPerWeek?: number | null;
}

export type DosageValues = Record<DosageField, string>;

export interface PrescriptionValues {
  level: Level;
  dosage: DosageValues;
  notes: string;
}

export function dosageValues(dosage: DosageLike | null | undefined): DosageValues {
  const values = {} as DosageValues;
  for (const field of DOSAGE_FIELDS) {
    const value = dosage?.[field];
    values[field] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

/** Each amount a whole number within its bounds, how often required, and some amount given. */
export function checkPrescription(values: PrescriptionValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of DOSAGE_FIELDS) {
    const value = parseWhole(values.dosage[field]);
    const [low, high] = DOSAGE_BOUNDS[field];
    if (value === null) {
      if (field === 'timesPerDay' || field === 'daysPerWeek') add(errors, field, `Please enter ${DOSAGE_LABELS[field].toLowerCase()}, from ${low} to ${high}.`);
    } else if (!Number.isInteger(value) || value < low || value > high) {
      add(errors, field, `Please enter a whole number from ${low} to ${high}.`);
    }
  }
  if (AMOUNT_FIELDS.every((field) => parseWhole(values.dosage[field]) === null)) {
    add(errors, 'reps', 'Give at least one amount: reps, a hold or a duration.');
  }
  checkText(errors, 'notes', values.notes, 'the notes', false);
  return errors;
}

/**
 * What addPrescription is sent: the amounts typed in (an empty box is left out, so the API
 * takes the library's default for it), the level and the notes.
 */
export function addPrescriptionInput(phaseId: string, exerciseId: string, values: PrescriptionValues) {
  const input: { phaseId: string; exerciseId: string; level: Level; notes: string } & Partial<Record<DosageField, number>> = {
    phaseId,
    exerciseId,
    level: values.level,
    notes: values.notes.trim(),
  };
  for (const field of DOSAGE_FIELDS) {
    const value = parseWhole(values.dosage[field]);
    if (value !== null) input[field] = value;
  }
  return input;
}

/**
 * Only what changed of a prescription: updatePrescription keeps fields left out, and clears an
 * amount sent as null (an emptied box).
 */
export function prescriptionPatch(
  original: { level: Level; dosage: DosageLike; notes: string },
  values: PrescriptionValues,
): { level?: Level; notes?: string } & Partial<Record<DosageField, number | null>> {
  const patch: { level?: Level; notes?: string } & Partial<Record<DosageField, number | null>> = {};
  if (values.level !== original.level) patch.level = values.level;
  for (const field of DOSAGE_FIELDS) {
    const value = parseWhole(values.dosage[field]);
    const before = original.dosage[field] ?? null;
    if (value !== before) patch[field] = value;
  }
  if (values.notes.trim() !== original.notes.trim()) patch.notes = values.notes.trim();
  return patch;
}

export interface VariantLike {
  id: string;
  name: string;
  archived?: boolean | null;
  defaultDosage?: DosageLike | null;
}

export interface ExerciseWithVariants extends VariantLike {
  regression?: VariantLike | null;
  progression?: VariantLike | null;
}

/** The levels a therapist can choose for an exercise: its variants in the library, by name. */
export function levelOptions(exercise: ExerciseWithVariants): { value: Level; label: string }[] {
  const options: { value: Level; label: string }[] = [];
  if (exercise.regression && !exercise.regression.archived) options.push({ value: 'REGRESSION', label: `Easier: ${exercise.regression.name}` });
  options.push({ value: 'STANDARD', label: `Standard: ${exercise.name}` });
  if (exercise.progression && !exercise.progression.archived) options.push({ value: 'PROGRESSION', label: `Harder: ${exercise.progression.name}` });
  return options;
}

/** The exercise the patient performs at a level (the base when there is no such variant). */
export function performedExercise(exercise: ExerciseWithVariants, level: Level): VariantLike {
  if (level === 'REGRESSION' && exercise.regression) return exercise.regression;
  if (level === 'PROGRESSION' && exercise.progression) return exercise.progression;
  return exercise;
}

export const LEVEL_WORDS: Record<Level, string> = {
  REGRESSION: 'Easier version',
  STANDARD: 'Standard',
  PROGRESSION: 'Harder version',
};

export const BODY_REGIONS: Record<string, string> = {
  NECK: 'Neck',
  SHOULDER: 'Shoulder',
  ELBOW_WRIST_HAND: 'Elbow, wrist and hand',
  THORACIC: 'Upper back',
  LUMBAR_CORE: 'Lower back and core',
  HIP: 'Hip',
  KNEE: 'Knee',
  ANKLE_FOOT: 'Ankle and foot',
  BALANCE_VESTIBULAR: 'Balance',
  FINE_MOTOR: 'Fine motor',
  SPEECH_SWALLOW: 'Speech and swallowing',
  WHOLE_BODY: 'Whole body',
};

// --- plans and errors ---------------------------------------------------------------------------

/** The plan to edit: the newest draft if there is one, and the active plan (newest first from the API). */
export function choosePlans<T extends { status: string }>(plans: readonly T[]): { draft: T | null; active: T | null } {
  return {
    draft: plans.find((plan) => plan.status === 'DRAFT') ?? null,
    active: plans.find((plan) => plan.status === 'ACTIVE') ?? null,
  };
}

export function countExercises(plan: { phases: readonly { prescriptions: readonly unknown[] }[] }): number {
  return plan.phases.reduce((total, phase) => total + phase.prescriptions.length, 0);
}

/** Why a draft cannot be activated yet, or null when it can. */
export function activationBlocker(plan: { status: string; phases: readonly { prescriptions: readonly unknown[] }[] }): string | null {
  if (plan.status !== 'DRAFT') return 'Only a draft can be activated.';
  if (countExercises(plan) === 0) return 'Add at least one exercise before activating the plan.';
  return null;
}

/** A patient's name for headings; the API may withhold any part of the record (null). */
export function nameOf(patient: { givenName?: string | null; familyName?: string | null; preferredName?: string | null } | null | undefined): string {
  const given = patient?.givenName?.trim() ?? '';
  const preferred = patient?.preferredName?.trim() ?? '';
  // As the caseload writes it (therapist.ts patientName): "Robert (Bob) Hale".
  const first = given && preferred && preferred !== given ? `${given} (${preferred})` : given || preferred;
  const name = [first, patient?.familyName?.trim() ?? ''].filter(Boolean).join(' ');
  return name || 'this patient';
}

export interface PlanErrorLike {
  code: string;
  field?: string | null;
  message?: string | null;
}

/**
 * The API's plan errors next to the field they name (one of `fields`), the rest under "form".
 * Plan errors carry a sentence written for the therapist that names the bound or the clashing
 * phase ("Sets must be between 1 and 20."), so it is preferred; the shared sentences of
 * lib/errors.ts speak to patients ("Sessions can only be logged…").
 */
export function planErrorsByField(errors: readonly PlanErrorLike[], fields: readonly string[]): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const key = error.field && fields.includes(error.field) ? error.field : 'form';
    add(result, key, error.message?.trim() || describeCode(error.code));
  }
  return result;
}

/** The first field with an error, in the order the form shows them (to move focus there). */
export function firstErrorField(errors: FieldErrors, order: readonly string[]): string | null {
  return order.find((field) => errors[field]) ?? null;
}

/**
 * A mutation's outcome as the form shows it: null when it happened, else sentences by field
 * (a transport or top-level error, such as NOT_FOUND, under "form").
 */
export function mutationProblems(
  payload: { __typename?: string; errors?: readonly PlanErrorLike[] } | null | undefined,
  requestError: Parameters<typeof describeRequestError>[0],
  fields: readonly string[],
): FieldErrors | null {
  if (!payload) return { form: describeRequestError(requestError) ?? describeCode('INTERNAL') };
  if (payload.__typename === 'PlanErrors') {
    const errors = planErrorsByField(payload.errors ?? [], fields);
    return hasErrors(errors) ? errors : { form: describeCode('INTERNAL') };
  }
  return null;
}

/** "2 sets of 10, hold 3 s, once a day, 4 days a week". */
export function describePrescribed(dosage: DosageLike & { timesPerDay: number; daysPerWeek: number }): string {
  const days = dosage.daysPerWeek === 7 ? 'every day' : dosage.daysPerWeek === 1 ? '1 day a week' : `${dosage.daysPerWeek} days a week`;
  return `${describeDosage(dosage)}, ${days}`;
}

interface RequestErrorLike {
  networkError?: unknown;
  graphQLErrors?: readonly { path?: readonly (string | number)[] | null; extensions?: Record<string, unknown> }[];
}

/**
 * A request error in words, leaving out errors at paths the page does without: a field of the
 * patient's record withheld from this viewer answers null with an error at its path.
 */
export function describeLoadError(error: RequestErrorLike | null | undefined, optionalPaths: readonly string[]): string | null {
  if (!error) return null;
  if (error.networkError) return describeRequestError(error);
  const remaining = (error.graphQLErrors ?? []).filter((item) => !optionalPaths.includes((item.path ?? []).join('.')));
  if (error.graphQLErrors?.length && remaining.length === 0) return null;
  return describeRequestError({ graphQLErrors: remaining });
}
