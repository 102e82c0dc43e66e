/**
 * "Who saw my record" in plain words: one sentence per entry of the record-access log, the
 * date range the page asks for, and the log's errors. Kept out of the components for vitest.
 *
 * The API groups the log (api/services/access_log.py): every access under one emergency
 * access is one entry (with the clinician's reason), each request of a caregiver is one
 * entry, and everyone else's routine access is one entry per person per role per day.
 */

export { localToday, requestErrorCode } from './requests';

export type Grouping = 'EMERGENCY_ACCESS' | 'REQUEST' | 'DAY';

export interface ResourceCount {
  resource: string;
  action: string;
  count: number;
}

export interface LogEntry {
  grouping: string;
  who: string;
  role: string;
  actingFor?: string | null;
  resources: readonly ResourceCount[];
  count: number;
  firstAccessAt: string;
  lastAccessAt: string;
  /** YYYY-MM-DD on the patient's clock, for a DAY entry. */
  day?: string | null;
  emergencyReason?: string | null;
  emergencyOpenedAt?: string | null;
}

/** Whose log the reader looks at: it decides "your" or "Liam's" and "You" for own reads. */
export interface Perspective {
  /** PATIENT: their own log; GUARDIAN: a dependent's (acting for them); ADMIN: anyone's. */
  reader: 'PATIENT' | 'GUARDIAN' | 'ADMIN';
  /** The patient's name when the reader is not the patient (null: not known here). */
  patientName?: string | null;
  /** The log's time zone (the patient's), in which days and times are told. */
  timeZone: string;
  locale?: string;
}

/**
 * The parts of the record in words. Keys are the schema types the API logs
 * (`record_access.saw(…, "TreatmentPlan", …)`); a new one falls back to its split name.
 */
const RESOURCE_WORDS: Record<string, string> = {
  Patient: 'profile',
  CareTeam: 'care team',
  Insurance: 'insurance details',
  ProfileChange: 'profile history',
  TreatmentPlan: 'treatment plan',
  PlanPhase: 'treatment plan phases',
  PlanRevision: 'treatment plan history',
  Prescription: 'prescribed exercises',
  ExerciseLog: 'exercise log',
  WeekAdherence: 'weekly exercise summary',
  Appointment: 'appointments',
  PreVisitQuestionnaire: 'pre-visit questionnaire',
  WaitlistEntry: 'waiting list places',
  MetricDefinition: 'progress measures',
  Measurement: 'measurements and pain scores',
  Goal: 'goals',
  OutcomeMeasureResult: 'questionnaire scores',
  CaregiverGrant: 'family access settings',
  Message: 'messages',
  MessageThread: 'conversations',
  StoredFile: 'documents',
  VideoComment: 'comments on exercise videos',
  EmergencyAccess: 'emergency access record',
  EmergencyPatientMatch: 'name and date of birth (in an emergency search)',
  RecordAccessLog: 'record access log',
  RecordAccessLogExport: 'record access log (downloaded)',
};

/** "TreatmentPlan" -> "treatment plan": ours when known, else the type's words. */
export function describeResource(resource: string): string {
  return RESOURCE_WORDS[resource] ?? resource.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

const VERBS: Record<string, string> = { READ: 'viewed', UPDATE: 'changed', CREATE: 'added to' };
const VERB_ORDER = ['READ', 'UPDATE', 'CREATE'];

const ROLE_WORDS: Record<string, string> = {
  PATIENT: 'patient',
  THERAPIST: 'therapist',
  CAREGIVER: 'caregiver',
  ADMIN: 'clinic administrator',
};

export function describeRole(role: string): string {
  return ROLE_WORDS[role] ?? role.toLowerCase();
}

/** "Liam Chen" -> "Liam": how the log names the patient a caregiver acted for. */
export function givenName(name: string): string {
  return name.trim().split(/\s+/, 1)[0] || name;
}

/** "your" for the patient, "Liam's" for a guardian, "the patient's" when no name is known. */
export function possessive(perspective: Pick<Perspective, 'reader' | 'patientName'>): string {
  if (perspective.reader === 'PATIENT') return 'your';
  if (perspective.patientName) return `${givenName(perspective.patientName)}'s`;
  return "the patient's";
}

/** "once", "twice", "12 times". */
export function times(count: number): string {
  if (count === 1) return 'once';
  if (count === 2) return 'twice';
  return `${count} times`;
}

/** "A and B", "A, B and C". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Who, in which capacity: "Dr. Amara Okafor (therapist)", "Grace Chen (caregiver) for Liam", "You". */
export function describeActor(entry: Pick<LogEntry, 'who' | 'role' | 'actingFor'>, perspective: Pick<Perspective, 'reader'>): string {
  if (entry.role === 'PATIENT' && perspective.reader === 'PATIENT') return 'You';
  const base = `${entry.who} (${describeRole(entry.role)})`;
  return entry.role === 'CAREGIVER' && entry.actingFor ? `${base} for ${givenName(entry.actingFor)}` : base;
}

/** The parts read, each once (actions merged), the most accessed first as the API ordered them. */
export function partsOf(resources: readonly ResourceCount[], skip: readonly string[] = []): string[] {
  const parts: string[] = [];
  for (const item of resources) if (!skip.includes(item.resource) && !parts.includes(item.resource)) parts.push(item.resource);
  return parts;
}

/** "viewed", "viewed and changed": the actions present, in a fixed order. */
export function describeVerbs(resources: readonly ResourceCount[]): string {
  const present = new Set(resources.map((item) => item.action));
  const verbs = VERB_ORDER.filter((action) => present.has(action)).map((action) => VERBS[action] ?? 'opened');
  const unknown = [...present].filter((action) => !VERB_ORDER.includes(action));
  return joinWords(verbs.length || unknown.length === 0 ? verbs : ['opened']) || 'opened';
}

/** "your treatment plan and 3 other parts", "your profile", "your record". */
export function describeWhat(resources: readonly ResourceCount[], owner: string, skip: readonly string[] = []): string {
  const parts = partsOf(resources, skip);
  const first = parts[0];
  if (first === undefined) return `${owner} record`;
  const others = parts.length - 1;
  const head = `${owner} ${describeResource(first)}`;
  if (others === 0) return head;
  return `${head} and ${others} other ${others === 1 ? 'part' : 'parts'}`;
}

/** "Tuesday 3 March" for a YYYY-MM-DD day; the year too when it is not `currentYear`. */
export function formatDay(day: string, locale?: string, currentYear?: number): string {
  const at = new Date(`${day}T12:00:00Z`);
  const withYear = currentYear !== undefined && at.getUTCFullYear() !== currentYear;
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(at);
}

/** The calendar day of an instant in a zone, YYYY-MM-DD. */
export function dayIn(iso: string, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** "14:05" (or "2:05 PM", by locale) in a zone. */
export function formatClock(iso: string, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "on Tuesday 3 March at 14:05" in the log's zone. */
export function onDayAt(iso: string, perspective: Perspective, currentYear?: number): string {
  const day = formatDay(dayIn(iso, perspective.timeZone), perspective.locale, currentYear);
  return `on ${day} at ${formatClock(iso, perspective.timeZone, perspective.locale)}`;
}

export interface EntryWords {
  /** The entry in one sentence (no final full stop). */
  sentence: string;
  /** Shown highlighted: an emergency access. */
  emergency: boolean;
  /** The reason the clinician gave, for an emergency access. */
  reason: string | null;
  /** One line per part of the record: "Viewed your profile: 3 times". */
  details: string[];
}

/** One entry of the log in words. `currentYear`: the year days are told without a year. */
export function describeEntry(entry: LogEntry, perspective: Perspective, currentYear?: number): EntryWords {
  const owner = possessive(perspective);
  const actor = describeActor(entry, perspective);
  const details = entry.resources.map((item) => `${describeDetail(item, owner)}: ${times(item.count)}`);
  if (entry.grouping === 'EMERGENCY_ACCESS') {
    // The opening itself is logged as an EmergencyAccess: it is said once, not as a part read.
    const opened = entry.emergencyOpenedAt ?? entry.firstAccessAt;
    const read = entry.resources.filter((item) => item.resource !== 'EmergencyAccess');
    const readCount = read.reduce((sum, item) => sum + item.count, 0);
    const rest = read.length ? ` and ${describeVerbs(read)} ${describeWhat(read, owner)} (${times(readCount)})` : '';
    return {
      sentence: `${actor} opened ${owner} record in an emergency ${onDayAt(opened, perspective, currentYear)}${rest}`,
      emergency: true,
      reason: entry.emergencyReason?.trim() || null,
      details,
    };
  }
  const when =
    entry.grouping === 'DAY' && entry.day
      ? `on ${formatDay(entry.day, perspective.locale, currentYear)}`
      : onDayAt(entry.firstAccessAt, perspective, currentYear);
  return {
    sentence: `${actor} ${describeVerbs(entry.resources)} ${describeWhat(entry.resources, owner)} — ${times(entry.count)} ${when}`,
    emergency: false,
    reason: null,
    details,
  };
}

/** One part of an entry: "Viewed your profile"; the emergency access itself said as such. */
export function describeDetail(item: ResourceCount, owner: string): string {
  if (item.resource === 'EmergencyAccess') {
    return item.action === 'CREATE' ? `Opened emergency access to ${owner} record` : 'Looked at the emergency access itself (its end time and reason)';
  }
  return `${capitalise(VERBS[item.action] ?? 'opened')} ${owner} ${describeResource(item.resource)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// --- The date range ------------------------------------------------------------------------

export const DEFAULT_RANGE_DAYS = 90;
/**
 * The API reads at most 366 days; local midnights can be an hour further apart than whole
 * days around a clock change, so the page asks for at most 365 days (from midnight to midnight).
 */
export const MAX_RANGE_DAYS = 365;

export interface DateRange {
  /** First day shown, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last day shown, YYYY-MM-DD (inclusive). */
  to: string;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day's number since 1970 (UTC), or null when the text is not a real YYYY-MM-DD date. */
export function dayNumber(day: string): number | null {
  const match = DAY_PATTERN.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(year, month - 1, date);
  const back = new Date(at);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null;
  return Math.round(at / 86_400_000);
}

export function addDays(day: string, days: number): string {
  const number = dayNumber(day);
  if (number === null) throw new Error(`not a day: ${day}`);
  return new Date((number + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The last 90 days, up to and including today. */
export function defaultRange(today: string): DateRange {
  return { from: addDays(today, -DEFAULT_RANGE_DAYS), to: today };
}

export type RangeCheck = { ok: true; range: DateRange } | { ok: false; field: 'from' | 'to'; message: string };

/** Whether the range can be asked for, and if not, what to fix, in words. */
export function checkRange(from: string, to: string, today: string): RangeCheck {
  const start = dayNumber(from);
  const end = dayNumber(to);
  const now = dayNumber(today);
  if (start === null) return { ok: false, field: 'from', message: 'Please enter the first day as a date, for example 2025-03-01.' };
  if (end === null) return { ok: false, field: 'to', message: 'Please enter the last day as a date, for example 2025-03-31.' };
  if (now !== null && end > now) return { ok: false, field: 'to', message: 'The last day cannot be after today.' };
  if (start > end) return { ok: false, field: 'from', message: 'The first day must be on or before the last day.' };
  if (end - start + 1 > MAX_RANGE_DAYS) {
    return { ok: false, field: 'from', message: `Please choose at most ${MAX_RANGE_DAYS} days at a time.` };
  }
  return { ok: true, range: { from, to } };
}

/**
 * The range as the API's window [from, to): midnight at the start of the first day up to
 * midnight after the last, on this device's clock, as ISO 8601 instants.
 */
export function rangeToWindow(range: DateRange): { from: string; to: string } {
  return { from: localMidnight(range.from), to: localMidnight(addDays(range.to, 1)) };
}

function localMidnight(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1).toISOString();
}

/** "1 March to 31 March 2025" for the heading of the list. */
export function describeRange(range: DateRange, locale?: string): string {
  const format = (day: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${day}T12:00:00Z`));
  return range.from === range.to ? format(range.from) : `${format(range.from)} to ${format(range.to)}`;
}

/** The CSV export of the same window; `patient` names whom a guardian or an admin reads. */
export function exportHref(window: { from: string; to: string }, patient?: string | null): string {
  const query = new URLSearchParams();
  if (patient) query.set('patient', patient);
  query.set('from', window.from);
  query.set('to', window.to);
  return `/exports/record-access.csv?${query.toString()}`;
}

// --- Errors --------------------------------------------------------------------------------

const LOG_ERRORS: Record<string, string> = {
  RANGE_INVERTED: 'The first day must be on or before the last day.',
  RANGE_TOO_LONG: `Please choose at most ${MAX_RANGE_DAYS} days at a time.`,
  FORBIDDEN: "Only the patient, a parent or guardian, and the clinic's administrators can see who opened a record.",
  NOT_FOUND: 'We could not find this record. If you help someone, choose them under "Acting for" first.',
  BAD_USER_INPUT: "Please choose whose record to look at: open a patient's log from the emergency access review.",
  UNAUTHENTICATED: 'You are signed out. Please sign in again.',
  NETWORK: 'We could not reach Relief. Please check your internet connection and try again.',
};

const FALLBACK = 'Something went wrong on our side, so the list could not be shown. Please try again in a moment.';

/** A typed or top-level error of the log in words. */
export function describeLogError(code: string | null | undefined): string {
  return (code && LOG_ERRORS[code]) || FALLBACK;
}
