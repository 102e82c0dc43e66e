/** Family access in plain words: scopes, relationships, statuses and the API's typed errors. */
import { describeCode } from '../../lib/errors';
import type { Scope } from '../../lib/actingFor';

export interface ScopeChoice {
  scope: Scope;
  label: string;
  description: string;
}

/**
 * The scopes a patient can give, in the order the invitation form lists them. The words name
 * no one ("the sessions"), so they read right for the patient, a guardian and the invitee.
 */
export const SCOPE_CHOICES: readonly ScopeChoice[] = [
  { scope: 'APPOINTMENTS_VIEW', label: 'See appointments', description: 'When and where the sessions are, and the appointment history.' },
  { scope: 'APPOINTMENTS_MANAGE', label: 'Book and change appointments', description: 'Book, move and cancel sessions (includes seeing them).' },
  { scope: 'REMINDERS', label: 'Get appointment reminders', description: 'Reminders before each session, by the caregiver’s own settings.' },
  { scope: 'PLAN_VIEW', label: 'See the treatment plan', description: 'The exercises, their instructions and how this week is going.' },
  { scope: 'PROGRESS_VIEW', label: 'See progress', description: 'Pain scores, measurements, goals and questionnaires.' },
  { scope: 'PROGRESS_LOG', label: 'Log progress', description: 'Record pain scores and exercise sessions.' },
  { scope: 'MESSAGES', label: 'Message the care team', description: 'Read and send messages with the therapists.' },
  { scope: 'PROFILE_VIEW', label: 'See the profile', description: 'Contact details, health history, medications and emergency contacts.' },
  { scope: 'PROFILE_EDIT', label: 'Update the profile', description: 'Change the profile (includes seeing it).' },
  { scope: 'INSURANCE_VIEW', label: 'See insurance', description: 'The insurer and member numbers.' },
  { scope: 'DOCUMENTS', label: 'See documents and videos', description: 'Files and videos uploaded by the patient or the care team.' },
];

const SCOPE_LABELS: Record<string, string> = Object.fromEntries(SCOPE_CHOICES.map((choice) => [choice.scope, choice.label]));

/** "See appointments, Message the care team" in the order of the form; a guardian: everything. */
export function describeScopes(scopes: readonly string[], kind?: string): string {
  if (kind === 'GUARDIAN') return 'Everything, as a parent or guardian';
  const ordered = SCOPE_CHOICES.filter((choice) => scopes.includes(choice.scope)).map((choice) => choice.label);
  const unknown = scopes.filter((scope) => !(scope in SCOPE_LABELS));
  const words = [...ordered, ...unknown.map((scope) => scope.toLowerCase().replaceAll('_', ' '))];
  return words.length ? words.join(', ') : 'Nothing yet';
}

export const RELATIONSHIPS: readonly { value: string; label: string }[] = [
  { value: 'PARENT', label: 'Parent' },
  { value: 'GUARDIAN', label: 'Legal guardian' },
  { value: 'SPOUSE_OR_PARTNER', label: 'Spouse or partner' },
  { value: 'CHILD', label: 'Son or daughter' },
  { value: 'SIBLING', label: 'Brother or sister' },
  { value: 'OTHER_FAMILY', label: 'Other family' },
  { value: 'FRIEND', label: 'Friend' },
  { value: 'PROFESSIONAL_CARER', label: 'Professional carer' },
  { value: 'OTHER', label: 'Someone else' },
];

export function describeRelationship(value: string): string {
  return RELATIONSHIPS.find((item) => item.value === value)?.label ?? value.toLowerCase().replaceAll('_', ' ');
}

/** A grant's status as the patient reads it. */
export const STATUS_WORDS: Record<string, string> = {
  INVITED: 'Invitation sent, not accepted yet',
  ACTIVE: 'Has access',
  EXPIRED: 'Access ended (expired)',
  REVOKED: 'Access ended (you stopped it)',
  VOIDED: 'Invitation cancelled (wrong date of birth three times)',
  DECLINED: 'Invitation declined',
};

export function describeStatus(status: string): string {
  return STATUS_WORDS[status] ?? status.toLowerCase();
}

/** Grants that can still be changed or stopped. */
export function isLive(status: string): boolean {
  return status === 'INVITED' || status === 'ACTIVE';
}

const SENTENCES: Record<string, string> = {
  INVALID_EMAIL: 'That email address does not look right. Please check it.',
  NO_SCOPES: 'Please choose at least one thing they may see or do.',
  EXPIRY_IN_PAST: 'Please choose an end date after today.',
  EXPIRY_TOO_FAR: 'Please choose an end date within the next 100 years, or choose "no end date".',
  EXPIRY_WITHOUT_TIME_ZONE: 'Your time zone is not set, so an end date cannot be used. Set it in your profile, or leave the end date empty.',
  CONFLICTING_EXPIRY: 'Choose an end date or "no end date", not both.',
  NOTHING_TO_CHANGE: 'Nothing was changed: the access is already like that.',
  ALREADY_HAS_ACCESS: 'This person already has access or a pending invitation. Change that one instead.',
  CANNOT_INVITE_SELF: 'You cannot invite yourself.',
  PATIENT_REQUIRED: 'Only a patient (or their guardian) can give access to a record.',
  DATE_OF_BIRTH_MISSING: 'The record has no date of birth, so the invitation cannot be confirmed. Please call the clinic.',
  INVALID_TOKEN: 'This invitation has expired, was already used or was cancelled. Please ask for a new one.',
  WRONG_DATE_OF_BIRTH: 'That is not the date of birth on the record.',
  NEW_ACCOUNT_REQUIRED: 'Please choose a name and a password for your new account.',
  ACCOUNT_EXISTS: 'An account with this email address already exists. Please sign in to accept.',
  INVALID_NAME: 'Please enter a name.',
  WEAK_PASSWORD: 'This password is too easy to guess. Try a longer one, for example a few unrelated words.',
  CANNOT_ACCEPT_OWN_INVITATION: 'This invitation is for someone else: you cannot accept access to your own record.',
  GRANT_ENDED: 'This access has already ended. Invite them again to give access.',
  GUARDIAN_GRANT: "A parent's or guardian's access covers everything until adulthood: it can be stopped, not narrowed.",
  LAST_GUARDIAN: 'A child without an account of their own needs at least one guardian.',
  INVALID_DATE_OF_BIRTH: 'Please enter a real date of birth in the past.',
  NOT_A_MINOR: 'Only a child under 18 can be registered this way. An adult can create their own account and invite you.',
  INVALID_RELATIONSHIP: 'Please choose how you are related.',
  INVALID_TIME_ZONE: 'Please choose a time zone from the list.',
  ALREADY_REGISTERED: 'You have already registered this child.',
};

export interface CaregiverError {
  code: string;
  field?: string | null;
  message?: string | null;
  attemptsLeft?: number | null;
}

/** One typed error in words; a wrong date of birth also says how many tries are left. */
export function describeCaregiverError(error: CaregiverError): string {
  if (error.code === 'WRONG_DATE_OF_BIRTH' && typeof error.attemptsLeft === 'number') {
    return error.attemptsLeft > 0
      ? `That is not the date of birth on the record. You can try ${error.attemptsLeft} more time${error.attemptsLeft === 1 ? '' : 's'}.`
      : 'That is not the date of birth on the record, three times. The invitation no longer works: please ask for a new one.';
  }
  return SENTENCES[error.code] ?? (error.message || describeCode(error.code));
}

/** Sentences keyed by the field they are about ("form" for the rest), for the form. */
export function caregiverErrorsByField(errors: readonly CaregiverError[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors) {
    const key = error.field || 'form';
    const sentence = describeCaregiverError(error);
    result[key] = result[key] ? `${result[key]} ${sentence}` : sentence;
  }
  return result;
}

/** "Until March 3, 2026" / "No end date" */
export function describeExpiry(expiresAt: string | null | undefined, timeZone?: string): string {
  if (!expiresAt) return 'No end date';
  const when = new Date(expiresAt);
  if (Number.isNaN(when.getTime())) return 'No end date';
  return `Until ${when.toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', ...(timeZone ? { timeZone } : {}) })}`;
}

/** A chosen last day (yyyy-mm-dd, the person's own calendar) as the end of that day, ISO. */
export function expiryFromDate(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const end = new Date(`${day}T23:59:59`);
  return Number.isNaN(end.getTime()) ? null : end.toISOString();
}

/** The local calendar day (yyyy-mm-dd) of an instant, for a date field. */
export function dateFromExpiry(iso: string | null | undefined): string {
  if (!iso) return '';
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}
