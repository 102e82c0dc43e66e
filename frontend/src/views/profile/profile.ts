/**
 * The profile's pure logic (tested in profile.test.ts): which sections a caregiver's answer
 * withheld and why, each section's form built from the record and turned back into the API's
 * input, and the API's typed errors placed next to the fields they are about, in plain words.
 */
import type {
  AllergySeverity,
  ContactChannel,
  SubscriberRelationship,
  TelehealthPreference,
  TimeOfDay,
  Weekday,
} from '../../gql/graphql';
import { describeTypedError, type TypedError } from '../../lib/errors';

// --- Sections and what a caregiver may not see --------------------------------------------

export type SectionKey =
  | 'personal'
  | 'history'
  | 'condition'
  | 'goals'
  | 'contacts'
  | 'insurance'
  | 'scheduling'
  | 'communication'
  | 'review'
  | 'changes';

/** The page's sections in reading order, with the id their heading carries. */
export const SECTIONS: readonly { key: SectionKey; title: string }[] = [
  { key: 'personal', title: 'Personal details and contact' },
  { key: 'history', title: 'Health history' },
  { key: 'condition', title: 'Current condition' },
  { key: 'goals', title: 'Goals' },
  { key: 'contacts', title: 'Emergency contacts' },
  { key: 'insurance', title: 'Insurance' },
  { key: 'scheduling', title: 'Scheduling preferences' },
  { key: 'communication', title: 'Communication preferences' },
];

/** The field of Patient each section shows (the first segment of an error's path after myPatient). */
export const FIELD_SECTIONS: Readonly<Record<string, SectionKey>> = {
  dateOfBirth: 'personal',
  phone: 'personal',
  email: 'personal',
  address: 'personal',
  timeZone: 'personal',
  preferredLanguage: 'personal',
  healthHistory: 'history',
  currentCondition: 'condition',
  treatmentGoals: 'goals',
  emergencyContacts: 'contacts',
  insurance: 'insurance',
  preferences: 'scheduling',
  communication: 'communication',
  profileReviewedAt: 'review',
  profileReviewDueAt: 'review',
  profileHistory: 'changes',
};

/** CONFIDENTIAL: the clinic keeps it between an adolescent and the care team; NOT_SHARED: the grant does not cover it. */
export type Denial = 'CONFIDENTIAL' | 'NOT_SHARED';

export interface FieldErrorLike {
  message?: string;
  path?: readonly (string | number)[] | undefined;
  extensions?: Record<string, unknown> | undefined;
}

/**
 * The sections a caregiver's answer withheld: each FORBIDDEN error at myPatient.<field> marks
 * the section that shows <field>. Confidential when the grant lists the field as confidential
 * (or the server's words say so); a section with one confidential field is confidential.
 */
export function sectionDenials(
  errors: readonly FieldErrorLike[] | null | undefined,
  confidentialFields: readonly string[] = [],
): Partial<Record<SectionKey, Denial>> {
  const result: Partial<Record<SectionKey, Denial>> = {};
  for (const error of errors ?? []) {
    if (error.extensions?.code !== 'FORBIDDEN') continue;
    const [root, field] = error.path ?? [];
    if (root !== 'myPatient' || typeof field !== 'string') continue;
    const section = FIELD_SECTIONS[field];
    if (!section) continue;
    const confidential = confidentialFields.includes(field) || /confidential/i.test(error.message ?? '');
    if (confidential || !result[section]) result[section] = confidential ? 'CONFIDENTIAL' : 'NOT_SHARED';
  }
  return result;
}

/** What a section withheld says instead of its content. */
export function describeDenial(denial: Denial, patientName: string): string {
  return denial === 'CONFIDENTIAL'
    ? `Kept confidential between ${patientName} and their care team.`
    : `Not shared with you. ${patientName} can change what you may see in their Family access settings.`;
}

// --- Review --------------------------------------------------------------------------------

export interface ReviewState {
  due: boolean;
  reviewedAt: string | null;
  dueAt: string | null;
}

/** The review is due from its due date on (a record with no date is not asked for one). */
export function reviewState(reviewedAt: string | null | undefined, dueAt: string | null | undefined, now: Date): ReviewState {
  const due = !!dueAt && new Date(dueAt).getTime() <= now.getTime();
  return { due, reviewedAt: reviewedAt ?? null, dueAt: dueAt ?? null };
}

// --- Errors next to fields -----------------------------------------------------------------

/** Profile codes whose general sentence (errors.ts) would name the wrong thing here. */
const PROFILE_WORDS: Record<string, string> = {
  INVALID_PHONE: 'Please enter the phone number with its country code, for example +1 555 010 0199.',
  DATE_IN_FUTURE: 'This date is in the future. Please choose today or an earlier day.',
  DATE_TOO_EARLY: 'Please check the year: this date is too long ago.',
  INVALID_TEXT: 'Please remove the special characters (such as tabs) from this text.',
  MULTIPLE_PRIMARY_CONTACTS: 'Only one contact can be the main contact. Please untick "Main contact" on the others.',
  SELF_PAY_CONFLICT: 'Leave this empty when sessions are paid without insurance, or untick "Paid without insurance".',
  INVALID_LANGUAGE: 'Please use a language code such as en or es-MX.',
  INVALID_COUNTRY: 'Please use a two-letter country code such as US.',
};

/** One typed error in words: ours for codes that need a profile's wording, else errors.ts (then the API's own words). */
export function describeProfileError(error: { code: string; message?: string | null }): string {
  return PROFILE_WORDS[error.code] ?? describeTypedError(error);
}

/** Which form row each item sent stands for: blank rows are left out, so the indices shift. */
export type RowMaps = Readonly<Record<string, readonly number[]>>;

/** "medications[1].dose" sent as item 1 of the rows [0, 2] is "medications[2].dose" on the form. */
export function formPath(field: string, rows: RowMaps): string {
  return field.replace(/^(\w+)\[(\d+)\]/, (whole, list: string, index: string) => {
    const row = rows[list]?.[Number(index)];
    return row === undefined ? whole : `${list}[${row}]`;
  });
}

/** The id of the control a field path names, e.g. ("history", "medications[2].dose") -> "history-medications-2-dose". */
export function fieldId(section: string, path: string): string {
  return `${section}-${path.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;
}

/** Sentences keyed by form path (several about one field read as one); errors without a field go under "form". */
export function errorsByFormPath(errors: readonly TypedError[], rows: RowMaps = {}): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors) {
    const key = error.field ? formPath(error.field, rows) : 'form';
    const words = describeProfileError(error);
    result[key] = result[key] && !result[key].includes(words) ? `${result[key]} ${words}` : words;
  }
  return result;
}

// --- Forms ---------------------------------------------------------------------------------

let counter = 0;
/** A key for a new form row (React keeps each row's inputs with it when one is removed). */
export function rowKey(): string {
  counter += 1;
  return `row-${counter}`;
}

/** A form turned into the API's input: what to send, where each item came from, and what is wrong before sending. */
export interface Built<T> {
  input: T;
  rows: RowMaps;
  errors: Record<string, string>;
}

type Row<T> = T & { key: string };

const clean = (value: string): string => value.trim();
const dateOrNull = (value: string): string | null => (value.trim() ? value.trim() : null);
const blank = (values: readonly string[]): boolean => values.every((value) => !value.trim());

/** The rows that say something, turned into items, with the form row of each item. */
function items<R, T>(rows: readonly R[], isBlank: (row: R) => boolean, toItem: (row: R) => T): { items: T[]; rows: number[] } {
  const kept: T[] = [];
  const indices: number[] = [];
  rows.forEach((row, index) => {
    if (isBlank(row)) return;
    kept.push(toItem(row));
    indices.push(index);
  });
  return { items: kept, rows: indices };
}

// Personal details and contact -------------------------------------------------------------

export interface PersonalForm {
  givenName: string;
  familyName: string;
  preferredName: string;
  pronouns: string;
  dateOfBirth: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  timeZone: string;
  preferredLanguage: string;
}

export interface PersonalRecord {
  givenName: string;
  familyName: string;
  preferredName: string;
  pronouns: string;
  dateOfBirth?: string | null;
  phone?: string | null;
  address?: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string } | null;
  timeZone?: string | null;
  preferredLanguage?: string | null;
}

export function personalForm(record: PersonalRecord, fallbackZone: string): PersonalForm {
  const address = record.address;
  return {
    givenName: record.givenName,
    familyName: record.familyName,
    preferredName: record.preferredName,
    pronouns: record.pronouns,
    dateOfBirth: record.dateOfBirth ?? '',
    phone: record.phone ?? '',
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    region: address?.region ?? '',
    postalCode: address?.postalCode ?? '',
    country: address?.country ?? '',
    timeZone: record.timeZone || fallbackZone,
    preferredLanguage: record.preferredLanguage || 'en',
  };
}

export function personalInput(form: PersonalForm) {
  const addressGiven = !blank([form.line1, form.line2, form.city, form.region, form.postalCode, form.country]);
  const input = {
    givenName: clean(form.givenName),
    familyName: clean(form.familyName),
    preferredName: clean(form.preferredName),
    pronouns: clean(form.pronouns),
    dateOfBirth: dateOrNull(form.dateOfBirth),
    phone: clean(form.phone),
    // No address at all is fine; part of one is checked by the API, field by field.
    address: addressGiven
      ? {
          line1: clean(form.line1),
          line2: clean(form.line2),
          city: clean(form.city),
          region: clean(form.region),
          postalCode: clean(form.postalCode),
          country: clean(form.country).toUpperCase(),
        }
      : null,
    timeZone: clean(form.timeZone),
    preferredLanguage: clean(form.preferredLanguage),
  };
  return { input, rows: {}, errors: {} } satisfies Built<typeof input>;
}

// Health history --------------------------------------------------------------------------

export type ConditionRow = Row<{ name: string; since: string; notes: string }>;
export type InjuryRow = Row<{ description: string; occurredOn: string; notes: string }>;
export type SurgeryRow = Row<{ procedure: string; performedOn: string; notes: string }>;
export type MedicationRow = Row<{ name: string; dose: string; frequency: string; notes: string }>;
export type AllergyRow = Row<{ substance: string; reaction: string; severity: AllergySeverity | '' }>;

export interface HistoryForm {
  chronicConditions: ConditionRow[];
  previousInjuries: InjuryRow[];
  surgeries: SurgeryRow[];
  medications: MedicationRow[];
  allergies: AllergyRow[];
}

export interface HistoryRecord {
  chronicConditions: readonly { name: string; since?: string | null; notes: string }[];
  previousInjuries: readonly { description: string; occurredOn?: string | null; notes: string }[];
  surgeries: readonly { procedure: string; performedOn: string; notes: string }[];
  medications: readonly { name: string; dose: string; frequency: string; notes: string }[];
  allergies: readonly { substance: string; reaction: string; severity: AllergySeverity }[];
}

export const newCondition = (): ConditionRow => ({ key: rowKey(), name: '', since: '', notes: '' });
export const newInjury = (): InjuryRow => ({ key: rowKey(), description: '', occurredOn: '', notes: '' });
export const newSurgery = (): SurgeryRow => ({ key: rowKey(), procedure: '', performedOn: '', notes: '' });
export const newMedication = (): MedicationRow => ({ key: rowKey(), name: '', dose: '', frequency: '', notes: '' });
export const newAllergy = (): AllergyRow => ({ key: rowKey(), substance: '', reaction: '', severity: '' });

export function historyForm(record: HistoryRecord | null | undefined): HistoryForm {
  return {
    chronicConditions: (record?.chronicConditions ?? []).map((item) => ({ key: rowKey(), name: item.name, since: item.since ?? '', notes: item.notes })),
    previousInjuries: (record?.previousInjuries ?? []).map((item) => ({
      key: rowKey(),
      description: item.description,
      occurredOn: item.occurredOn ?? '',
      notes: item.notes,
    })),
    surgeries: (record?.surgeries ?? []).map((item) => ({ key: rowKey(), procedure: item.procedure, performedOn: item.performedOn, notes: item.notes })),
    medications: (record?.medications ?? []).map((item) => ({ key: rowKey(), ...pick(item, ['name', 'dose', 'frequency', 'notes']) })),
    allergies: (record?.allergies ?? []).map((item) => ({ key: rowKey(), substance: item.substance, reaction: item.reaction, severity: item.severity })),
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

export function historyInput(form: HistoryForm) {
  const errors: Record<string, string> = {};
  const conditions = items(
    form.chronicConditions,
    (row) => blank([row.name, row.since, row.notes]),
    (row) => ({ name: clean(row.name), since: dateOrNull(row.since), notes: clean(row.notes) }),
  );
  const injuries = items(
    form.previousInjuries,
    (row) => blank([row.description, row.occurredOn, row.notes]),
    (row) => ({ description: clean(row.description), occurredOn: dateOrNull(row.occurredOn), notes: clean(row.notes) }),
  );
  const surgeries = items(
    form.surgeries,
    (row) => blank([row.procedure, row.performedOn, row.notes]),
    (row) => ({ procedure: clean(row.procedure), performedOn: row.performedOn.trim(), notes: clean(row.notes) }),
  );
  const medications = items(
    form.medications,
    (row) => blank([row.name, row.dose, row.frequency, row.notes]),
    (row) => ({ name: clean(row.name), dose: clean(row.dose), frequency: clean(row.frequency), notes: clean(row.notes) }),
  );
  const allergies = items(
    form.allergies,
    (row) => blank([row.substance, row.reaction, row.severity]),
    (row) => ({ substance: clean(row.substance), reaction: clean(row.reaction), severity: (row.severity || 'MILD') as AllergySeverity }),
  );
  // The API cannot take these without a value (a surgery's date, an allergy's severity): said before sending.
  surgeries.rows.forEach((row) => {
    if (!form.surgeries[row]?.performedOn.trim()) errors[`surgeries[${row}].performedOn`] = 'Please enter the date of the operation.';
  });
  allergies.rows.forEach((row) => {
    if (!form.allergies[row]?.severity) errors[`allergies[${row}].severity`] = 'Please choose how severe the reaction is.';
  });
  const input = {
    chronicConditions: conditions.items,
    previousInjuries: injuries.items,
    surgeries: surgeries.items,
    medications: medications.items,
    allergies: allergies.items,
  };
  const rows = {
    chronicConditions: conditions.rows,
    previousInjuries: injuries.rows,
    surgeries: surgeries.rows,
    medications: medications.rows,
    allergies: allergies.rows,
  };
  return { input, rows, errors } satisfies Built<typeof input>;
}

// Current condition -----------------------------------------------------------------------

export interface ConditionForm {
  symptoms: string;
  painLevel: string; // '' (not given) or 0-10
  mobilityLimitations: string;
}

export function conditionForm(record: { symptoms: string; painLevel?: number | null; mobilityLimitations: string } | null | undefined): ConditionForm {
  return {
    symptoms: record?.symptoms ?? '',
    painLevel: record?.painLevel === null || record?.painLevel === undefined ? '' : String(record.painLevel),
    mobilityLimitations: record?.mobilityLimitations ?? '',
  };
}

export function conditionInput(form: ConditionForm) {
  const errors: Record<string, string> = {};
  const pain = form.painLevel.trim() === '' ? null : Number(form.painLevel);
  if (pain !== null && !(Number.isInteger(pain) && pain >= 0 && pain <= 10)) errors.painLevel = 'Please choose a number from 0 to 10.';
  const input = {
    symptoms: clean(form.symptoms),
    painLevel: pain !== null && Number.isInteger(pain) ? pain : null,
    mobilityLimitations: clean(form.mobilityLimitations),
  };
  return { input, rows: {}, errors } satisfies Built<typeof input>;
}

// Goals -----------------------------------------------------------------------------------

export type GoalRow = Row<{ description: string; targetDate: string }>;
export interface GoalsForm {
  text: string;
  items: GoalRow[];
}

export const newGoal = (): GoalRow => ({ key: rowKey(), description: '', targetDate: '' });

export function goalsForm(record: { text: string; items: readonly { description: string; targetDate?: string | null }[] } | null | undefined): GoalsForm {
  return {
    text: record?.text ?? '',
    items: (record?.items ?? []).map((item) => ({ key: rowKey(), description: item.description, targetDate: item.targetDate ?? '' })),
  };
}

export function goalsInput(form: GoalsForm) {
  const goals = items(
    form.items,
    (row) => blank([row.description, row.targetDate]),
    (row) => ({ description: clean(row.description), targetDate: dateOrNull(row.targetDate) }),
  );
  const input = { text: clean(form.text), items: goals.items };
  return { input, rows: { items: goals.rows }, errors: {} } satisfies Built<typeof input>;
}

// Emergency contacts -------------------------------------------------------------------------

export type ContactRow = Row<{ name: string; relationship: string; phone: string; email: string; isPrimary: boolean }>;

export const newContact = (): ContactRow => ({ key: rowKey(), name: '', relationship: '', phone: '', email: '', isPrimary: false });

export function contactsForm(
  record: readonly { name: string; relationship: string; phone: string; email?: string | null; isPrimary: boolean }[] | null | undefined,
): ContactRow[] {
  return (record ?? []).map((item) => ({
    key: rowKey(),
    name: item.name,
    relationship: item.relationship,
    phone: item.phone,
    email: item.email ?? '',
    isPrimary: item.isPrimary,
  }));
}

export function contactsInput(form: readonly ContactRow[]) {
  const contacts = items(
    form,
    (row) => blank([row.name, row.relationship, row.phone, row.email]) && !row.isPrimary,
    (row) => ({
      name: clean(row.name),
      relationship: clean(row.relationship),
      phone: clean(row.phone),
      email: clean(row.email),
      isPrimary: row.isPrimary,
    }),
  );
  const input = { contacts: contacts.items };
  // The API names the list by the patient's field: emergencyContacts[2].phone.
  return { input, rows: { emergencyContacts: contacts.rows }, errors: {} } satisfies Built<typeof input>;
}

// Insurance -----------------------------------------------------------------------------------

export interface InsuranceForm {
  selfPay: boolean;
  payer: string;
  memberId: string;
  groupId: string;
  subscriberName: string;
  subscriberRelationship: SubscriberRelationship;
  subscriberDateOfBirth: string;
}

export function insuranceForm(
  record:
    | {
        selfPay: boolean;
        payer: string;
        memberId: string;
        groupId: string;
        subscriberName: string;
        subscriberRelationship: SubscriberRelationship;
        subscriberDateOfBirth?: string | null;
      }
    | null
    | undefined,
): InsuranceForm {
  return {
    selfPay: record?.selfPay ?? false,
    payer: record?.payer ?? '',
    memberId: record?.memberId ?? '',
    groupId: record?.groupId ?? '',
    subscriberName: record?.subscriberName ?? '',
    subscriberRelationship: record?.subscriberRelationship ?? 'SELF',
    subscriberDateOfBirth: record?.subscriberDateOfBirth ?? '',
  };
}

export function insuranceInput(form: InsuranceForm) {
  // Paying yourself: the plan's details are hidden on the form and sent empty.
  const input = form.selfPay
    ? {
        selfPay: true,
        payer: '',
        memberId: '',
        groupId: '',
        subscriberName: '',
        subscriberRelationship: 'SELF' as SubscriberRelationship,
        subscriberDateOfBirth: null,
      }
    : {
        selfPay: false,
        payer: clean(form.payer),
        memberId: clean(form.memberId),
        groupId: clean(form.groupId),
        subscriberName: form.subscriberRelationship === 'SELF' ? '' : clean(form.subscriberName),
        subscriberRelationship: form.subscriberRelationship,
        subscriberDateOfBirth: form.subscriberRelationship === 'SELF' ? null : dateOrNull(form.subscriberDateOfBirth),
      };
  return { input, rows: {}, errors: {} } satisfies Built<typeof input>;
}

// Scheduling and communication ------------------------------------------------------------------

export const WEEKDAYS: readonly { value: Weekday; label: string }[] = [
  { value: 'MONDAY', label: 'Monday' },
  { value: 'TUESDAY', label: 'Tuesday' },
  { value: 'WEDNESDAY', label: 'Wednesday' },
  { value: 'THURSDAY', label: 'Thursday' },
  { value: 'FRIDAY', label: 'Friday' },
  { value: 'SATURDAY', label: 'Saturday' },
  { value: 'SUNDAY', label: 'Sunday' },
];

export const TIMES_OF_DAY: readonly { value: TimeOfDay; label: string }[] = [
  { value: 'MORNING', label: 'Morning' },
  { value: 'AFTERNOON', label: 'Afternoon' },
  { value: 'EVENING', label: 'Evening' },
];

export const TELEHEALTH: readonly { value: TelehealthPreference; label: string }[] = [
  { value: 'EITHER', label: 'In person or by video' },
  { value: 'IN_PERSON', label: 'In person only' },
  { value: 'TELEHEALTH', label: 'By video only' },
];

export const CHANNELS: readonly { value: ContactChannel; label: string }[] = [
  { value: 'EMAIL', label: 'Email' },
  { value: 'SMS', label: 'Text message' },
  { value: 'PHONE', label: 'Phone call' },
  { value: 'PORTAL', label: 'Message in Relief' },
];

export const SEVERITIES: readonly { value: AllergySeverity; label: string }[] = [
  { value: 'MILD', label: 'Mild' },
  { value: 'MODERATE', label: 'Moderate' },
  { value: 'SEVERE', label: 'Severe' },
];

export const SUBSCRIBER_RELATIONSHIPS: readonly { value: SubscriberRelationship; label: string }[] = [
  { value: 'SELF', label: 'The patient' },
  { value: 'SPOUSE', label: 'Spouse or partner' },
  { value: 'PARENT', label: 'Parent' },
  { value: 'OTHER', label: 'Someone else' },
];

export function labelOf<T extends string>(choices: readonly { value: T; label: string }[], value: T | null | undefined): string {
  return choices.find((choice) => choice.value === value)?.label ?? (value ? value.toLowerCase().replaceAll('_', ' ') : '');
}

/** "Tuesday, Thursday" in the week's order; "Any day" for none. */
export function describeChoices<T extends string>(choices: readonly { value: T; label: string }[], chosen: readonly T[], none: string): string {
  const words = choices.filter((choice) => chosen.includes(choice.value)).map((choice) => choice.label);
  return words.length ? words.join(', ') : none;
}

export interface SchedulingForm {
  preferredDays: Weekday[];
  preferredTimes: TimeOfDay[];
  sessionsPerWeek: string;
  schedulingConstraints: string;
  telehealth: TelehealthPreference;
}

export function schedulingForm(
  record:
    | {
        preferredDays: readonly Weekday[];
        preferredTimes: readonly TimeOfDay[];
        sessionsPerWeek?: number | null;
        schedulingConstraints: string;
        telehealth: TelehealthPreference;
      }
    | null
    | undefined,
): SchedulingForm {
  return {
    preferredDays: [...(record?.preferredDays ?? [])],
    preferredTimes: [...(record?.preferredTimes ?? [])],
    sessionsPerWeek: record?.sessionsPerWeek ? String(record.sessionsPerWeek) : '',
    schedulingConstraints: record?.schedulingConstraints ?? '',
    telehealth: record?.telehealth ?? 'EITHER',
  };
}

/** Toggles one choice of a checkbox group, keeping the list's own order. */
export function toggle<T extends string>(choices: readonly { value: T }[], chosen: readonly T[], value: T, on: boolean): T[] {
  return choices.map((choice) => choice.value).filter((item) => (item === value ? on : chosen.includes(item)));
}

/** The chosen values once each, in the list's order (the week's, the day's). */
export function ordered<T extends string>(choices: readonly { value: T }[], chosen: readonly T[]): T[] {
  return choices.map((choice) => choice.value).filter((value) => chosen.includes(value));
}

export function schedulingInput(form: SchedulingForm) {
  const perWeek = form.sessionsPerWeek.trim() === '' ? null : Number(form.sessionsPerWeek);
  const input = {
    preferredDays: ordered(WEEKDAYS, form.preferredDays),
    preferredTimes: ordered(TIMES_OF_DAY, form.preferredTimes),
    sessionsPerWeek: perWeek !== null && Number.isInteger(perWeek) ? perWeek : null,
    schedulingConstraints: clean(form.schedulingConstraints),
    telehealth: form.telehealth,
  };
  const errors: Record<string, string> = {};
  if (perWeek !== null && !Number.isInteger(perWeek)) errors.sessionsPerWeek = 'Please choose a number of sessions.';
  return { input, rows: {}, errors } satisfies Built<typeof input>;
}

export interface CommunicationForm {
  preferredChannel: ContactChannel;
  language: string;
  okToLeaveVoicemail: boolean;
  contactWindow: string;
}

export function communicationForm(
  record: { preferredChannel: ContactChannel; language: string; okToLeaveVoicemail: boolean; contactWindow: string } | null | undefined,
): CommunicationForm {
  return {
    preferredChannel: record?.preferredChannel ?? 'EMAIL',
    language: record?.language ?? '',
    okToLeaveVoicemail: record?.okToLeaveVoicemail ?? false,
    contactWindow: record?.contactWindow ?? '',
  };
}

export function communicationInput(form: CommunicationForm) {
  const input = {
    preferredChannel: form.preferredChannel,
    language: clean(form.language),
    okToLeaveVoicemail: form.okToLeaveVoicemail,
    contactWindow: clean(form.contactWindow),
  };
  return { input, rows: {}, errors: {} } satisfies Built<typeof input>;
}

// Words ---------------------------------------------------------------------------------------

/** "14 March 1986" for a calendar date (no time zone applies to it). */
export function describeDate(value: string | null | undefined): string {
  if (!value) return '';
  const [year, month, day] = value.split('-').map(Number);
  if (!year || !month || !day) return value;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** "14 March 2027" for a moment, on the calendar of `timeZone`. */
export function describeMoment(value: string | null | undefined, timeZone: string): string {
  if (!value) return '';
  try {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(value));
  } catch {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(value));
  }
}

/** "English (en)" for a language tag; the tag alone where the browser cannot name it. */
export function describeLanguage(tag: string | null | undefined): string {
  if (!tag) return '';
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

const SECTION_WORDS: Record<string, string> = {
  DEMOGRAPHICS: 'Personal details',
  HEALTH_HISTORY: 'Health history',
  CURRENT_CONDITION: 'Current condition',
  GOALS: 'Goals',
  PREFERENCES: 'Scheduling preferences',
  EMERGENCY_CONTACTS: 'Emergency contacts',
  INSURANCE: 'Insurance',
  COMMUNICATION: 'Communication preferences',
  REVIEW: 'Profile confirmed up to date',
};

const ROLE_WORDS: Record<string, string> = {
  PATIENT: 'the patient',
  THERAPIST: 'the care team',
  CAREGIVER: 'a caregiver',
  ADMIN: 'the clinic',
  ANALYST: 'the clinic',
};

/** "Health history, changed by Maria Gonzalez (the patient)". */
export function describeChange(change: { section: string; changedByName?: string | null; changedByRole: string }): string {
  const what = SECTION_WORDS[change.section] ?? change.section.toLowerCase().replaceAll('_', ' ');
  const who = change.changedByName ?? 'someone who no longer has an account';
  const role = ROLE_WORDS[change.changedByRole] ?? change.changedByRole.toLowerCase();
  return `${what}, changed by ${who} (${role})`;
}
