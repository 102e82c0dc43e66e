/**
 * Emergency ("break-glass") access in plain words: the reason's limits (as the API checks
 * them, api/services/emergency_access.py), the lookup's fields, the time left and statuses.
 */

export { canBreakGlass } from './roles';

/** At least this many letters or digits: "asdf asdf" or ".........." is no reason. */
export const REASON_MIN_CHARACTERS = 10;
export const REASON_MAX_LENGTH = 1000;
export const FAMILY_NAME_MAX_LENGTH = 100;

/** Letters and digits, as the API counts them (Python's str.isalnum). */
export function meaningfulCharacters(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}

/** What is wrong with a reason before it is sent, or null; the API checks the same. */
export function reasonProblem(text: string): string | null {
  const reason = text.trim();
  if (!reason) return 'Please write why you need this record now. The patient and the administrators will read it.';
  if (reason.length > REASON_MAX_LENGTH) return `Please keep the reason to ${REASON_MAX_LENGTH.toLocaleString('en-US')} characters.`;
  if (meaningfulCharacters(reason) < REASON_MIN_CHARACTERS) {
    return `Please say in a few words why you need this record (at least ${REASON_MIN_CHARACTERS} letters or digits).`;
  }
  return null;
}

/** "120 of 1,000 characters used", for the hint under the reason. */
export function reasonCounter(text: string): string {
  return `${text.trim().length.toLocaleString('en-US')} of ${REASON_MAX_LENGTH.toLocaleString('en-US')} characters used`;
}

const ERRORS: Record<string, string> = {
  REASON_REQUIRED: 'Please write why you need this record now. The patient and the administrators will read it.',
  REASON_TOO_SHORT: `Please say in a few words why you need this record (at least ${REASON_MIN_CHARACTERS} letters or digits).`,
  REASON_TOO_LONG: `Please keep the reason to ${REASON_MAX_LENGTH.toLocaleString('en-US')} characters.`,
  NOT_NEEDED: 'You can already open this record (you are on the care team), so no emergency access is needed. Open it from your caseload.',
  NOT_FOUND: 'We could not find that patient or emergency access. It may have been removed.',
  FORBIDDEN: 'Only therapists and clinic administrators can open a record in an emergency.',
  BAD_USER_INPUT: `Please enter the patient's family name (at most ${FAMILY_NAME_MAX_LENGTH} characters) and date of birth.`,
  UNAUTHENTICATED: 'You are signed out. Please sign in again.',
  NETWORK: 'We could not reach Relief. Please check your internet connection and try again.',
};

const FALLBACK = 'Something went wrong on our side. Please try again in a moment.';

export function describeEmergencyError(code: string | null | undefined): string {
  return (code && ERRORS[code]) || FALLBACK;
}

export interface LookupProblems {
  familyName?: string;
  dateOfBirth?: string;
}

/** What to fix in the lookup before it is sent (empty: nothing). `today` is YYYY-MM-DD. */
export function lookupProblems(familyName: string, dateOfBirth: string, today: string): LookupProblems {
  const problems: LookupProblems = {};
  const name = familyName.trim().replace(/\s+/g, ' ');
  if (!name) problems.familyName = "Please enter the patient's family name, exactly as on their record.";
  else if (name.length > FAMILY_NAME_MAX_LENGTH) problems.familyName = `Please enter at most ${FAMILY_NAME_MAX_LENGTH} characters.`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) || Number.isNaN(Date.parse(`${dateOfBirth}T00:00:00Z`))) {
    problems.dateOfBirth = "Please enter the patient's date of birth.";
  } else if (dateOfBirth > today) {
    problems.dateOfBirth = 'A date of birth cannot be in the future.';
  }
  return problems;
}

/** "14:05" (or "2:05 PM", by locale) on this device's clock, or in `timeZone`. */
export function clockTime(iso: string, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** Whole minutes left before `expiresAt` (rounded up; 0 once it has passed). */
export function minutesLeft(expiresAt: string, now: Date): number {
  const ms = Date.parse(expiresAt) - now.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / 60_000);
}

/** "58 minutes left", "1 minute left", "ended". */
export function describeRemaining(expiresAt: string, now: Date): string {
  const minutes = minutesLeft(expiresAt, now);
  if (minutes === 0) return 'ended';
  if (minutes === 1) return 'less than a minute left';
  if (minutes < 120) return `${minutes} minutes left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} hours ${rest} minutes left` : `${hours} hours left`;
}

export interface AccessLike {
  id: string;
  status: string;
  expiresAt: string;
  closedAt?: string | null;
}

/** Still open now: the API said OPEN and it has not run out since. */
export function isOpen(access: AccessLike, now: Date): boolean {
  return access.status === 'OPEN' && !access.closedAt && Date.parse(access.expiresAt) > now.getTime();
}

/** The open accesses, the one that runs out first first. */
export function openAccesses<T extends AccessLike>(accesses: readonly T[], now: Date): T[] {
  return accesses.filter((access) => isOpen(access, now)).sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
}

/** When the list next changes by itself (the soonest expiry), in ms from now; null: never. */
export function nextExpiryIn(accesses: readonly AccessLike[], now: Date): number | null {
  const open = openAccesses(accesses, now);
  const first = open[0];
  return first ? Math.max(0, Date.parse(first.expiresAt) - now.getTime()) : null;
}

const STATUS: Record<string, string> = { OPEN: 'Open', CLOSED: 'Ended early', EXPIRED: 'Ran out' };

/** The status as the review list says it; an OPEN one past its end has run out. */
export function describeStatus(access: AccessLike, now: Date): string {
  if (access.status === 'OPEN' && !isOpen(access, now)) return STATUS.EXPIRED!;
  return STATUS[access.status] ?? access.status.toLowerCase();
}

/** "Maria Gonzalez", or a neutral phrase once the record is no longer in reach. */
export function patientLabel(patient: { givenName: string; familyName: string } | null | undefined): string {
  return patient ? `${patient.givenName} ${patient.familyName}` : 'a patient';
}
