/** Typed API error codes in words a patient understands. */
const SENTENCES: Record<string, string> = {
  // accounts
  INVALID_EMAIL: 'That email address does not look right. Please check it.',
  EMAIL_TAKEN: 'An account with this email address already exists. Try signing in, or reset your password.',
  WEAK_PASSWORD: 'This password is too easy to guess. Try a longer one, for example a few unrelated words.',
  INVALID_NAME: 'Please enter your name.',
  INVALID_DATE_OF_BIRTH: 'Please enter a real date of birth in the past.',
  INVALID_PHONE: 'Please enter your phone number with the country code, for example +1 555 010 0199.',
  INVALID_TIME_ZONE: 'Please choose your time zone from the list.',
  INVALID_CREDENTIALS: 'The email address or password is not right. Please try again.',
  ACCOUNT_DEACTIVATED: 'This account has been closed. Please call the clinic to reopen it.',
  INVALID_CODE: 'That code did not work. Codes change every 30 seconds: enter the newest one, or a recovery code.',
  INVALID_TOKEN: 'This link has expired or was already used. Please ask for a new one.',
  REAUTHENTICATION_FAILED: 'Your password (or code) was not right, so nothing was changed.',
  TWO_FACTOR_ALREADY_ENABLED: 'Two-step sign-in is already on.',
  TWO_FACTOR_NOT_ENABLED: 'Two-step sign-in is not on yet.',
  NO_PENDING_ENROLLMENT: 'Please start the set-up again: the earlier one was not finished.',
  ALREADY_VERIFIED: 'Your email address is already confirmed. You can sign in.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  // messaging
  EMPTY_BODY: 'Please write a message before sending.',
  BODY_TOO_LONG: 'This message is too long. Please shorten it (at most 10,000 characters).',
  SUBJECT_REQUIRED: 'Please give your message a subject.',
  SUBJECT_TOO_LONG: 'The subject is too long (at most 200 characters).',
  ATTACHMENT_NOT_FOUND: 'One of the attached files could not be found. Please attach it again.',
  TOO_MANY_ATTACHMENTS: 'Too many files are attached to this message. Please remove some.',
  URGENT_NOT_ALLOWED: 'Only patients can mark a message as urgent.',
  MESSAGE_NOT_FOUND: 'That message could not be found.',
  // files
  UNSUPPORTED_FILE_TYPE: 'This kind of file cannot be uploaded. Please use a PDF, JPEG or PNG document, or an MP4, MOV or WebM video.',
  FILE_TYPE_MISMATCH: 'The file does not match its type. Please save it again as a PDF, JPEG or PNG.',
  IMAGE_TOO_LARGE: 'This picture is too large. Please send a smaller one.',
  FILE_EMPTY: 'This file is empty.',
  INVALID_FILE: 'This file could not be read. It may be damaged.',
  // notifications
  PREFERENCE_LOCKED: 'This notification cannot be turned off: the clinic needs to reach you this way.',
  DUPLICATE_CHANGE: 'The same setting was changed twice. Please try again.',
  QUIET_HOURS_EMPTY: 'Quiet hours need different start and end times.',
  // scheduling
  SLOT_UNAVAILABLE: 'That time was just taken by someone else. The list of free times has been refreshed: please choose another.',
  PATIENT_DOUBLE_BOOKED: 'You already have an appointment at that time. Please choose another time.',
  SESSION_TYPE_UNAVAILABLE: 'This kind of session cannot be booked at the moment. Please choose another kind.',
  TELEHEALTH_NOT_OFFERED: 'This therapist does not offer video sessions for this kind of session. Please choose an in-person time.',
  LOCATION_REQUIRED: 'Please choose where the session takes place.',
  CONCERNS_TOO_LONG: 'Please keep what you want to talk about under 2,000 characters.',
  CANCELLATION_WINDOW_CLOSED: 'This appointment starts in less than 24 hours, so it can no longer be changed online. Please call the clinic.',
  REASON_REQUIRED: 'Please say why the appointment is cancelled (at most 500 characters).',
  NOT_BOOKED: 'This appointment is no longer booked, so it cannot be changed.',
  SESSION_NOT_STARTED: 'This session has not started yet.',
  THERAPIST_NOT_ACCEPTING: 'This therapist is not taking new patients. Please choose another therapist.',
  INVALID_RANGE: 'Please choose an end date after the start date.',
  RANGE_TOO_LONG: 'Please search at most 31 days at a time.',
  UNKNOWN_TIME_ZONE: 'Your time zone is not recognised. Please choose it again in your account.',
  UNKNOWN_SESSION_TYPE: 'Please choose a kind of session.',
  NO_QUESTIONNAIRE: 'There is no questionnaire for this appointment.',
  SESSION_STARTED: 'The session has already started, so the answers can no longer be changed.',
  CHOOSE_THERAPIST_OR_SPECIALTY: 'Please choose a therapist or a specialty to wait for.',
  THERAPIST_NOT_FOUND: 'That therapist could not be found. Please choose another.',
  LOCATION_NOT_FOUND: 'That place could not be found. Please choose another.',
  LOCATION_OR_TELEHEALTH: 'Choose a place or video sessions, not both.',
  TELEHEALTH_UNAVAILABLE: 'Video sessions are not offered for this choice.',
  DATE_IN_PAST: 'Please choose dates from today on.',
  DATE_RANGE_INVALID: 'The last day must be on or after the first day.',
  DATE_RANGE_TOO_LONG: 'Please choose at most 90 days.',
  TOO_MANY_ENTRIES: 'You are already waiting for 5 times, the most at once. Leave one to add another.',
  NOT_WAITING: 'You are no longer on this waiting list.',
  // treatment plans and progress
  PLAN_COMPLETED: 'This plan is finished, so it cannot be changed.',
  NOT_ACTIVE: 'Sessions can only be logged on the plan you follow now. Please reload the page.',
  PRESCRIPTION_REMOVED: 'Your therapist took this exercise out of your plan, so it cannot be logged any more.',
  DATE_IN_FUTURE: 'That day has not come yet. Please choose today or an earlier day.',
  BEFORE_PLAN_START: 'That day is before your plan started.',
  TOO_FAR_BACK: 'That day is too long ago to log now.',
  NOT_WHOLE_NUMBER: 'Please use a whole number.',
  INVALID_STEP: 'Please use one of the steps on the scale.',
  NOT_SELF_REPORTED: 'Your care team records this measurement at your sessions.',
  DATE_TOO_EARLY: 'That date is too long ago.',
  UNKNOWN_DEFINITION: 'That measurement is no longer available. Please reload the page.',
  GOAL_CLOSED: 'This goal is already closed.',
  INVALID_ANSWER: 'One of the answers is not on the scale. Please check the form.',
  MISSING_ANSWERS: 'Please answer every question of the form.',
  ACTIVITIES_MISMATCH: 'Please name one activity for each rating.',
  // transport
  UNAUTHENTICATED: 'You are signed out. Please sign in again.',
  FORBIDDEN: 'You do not have access to this.',
  RATE_LIMITED: 'Too many attempts. Please wait a few minutes and try again.',
  NETWORK: 'We could not reach Relief. Please check your internet connection and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again in a moment.',
};

export function describeCode(code: string | null | undefined): string {
  return (code && SENTENCES[code]) || SENTENCES.INTERNAL!;
}

/**
 * A typed error in words: ours when we have a sentence for its code, else the API's own
 * message (written for the person who asked), never a bare code.
 */
export function describeTypedError(error: { code: string; message?: string | null }): string {
  return SENTENCES[error.code] ?? (error.message || describeCode('INTERNAL'));
}

export interface TypedError {
  code: string;
  field?: string | null;
  message?: string;
}

/** Sentences for typed errors, the ones about a field keyed by it, the rest under "form". */
export function errorsByField(errors: readonly TypedError[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors) {
    const key = error.field ?? 'form';
    result[key] = result[key] ? `${result[key]} ${describeCode(error.code)}` : describeCode(error.code);
  }
  return result;
}

interface CombinedErrorLike {
  networkError?: unknown;
  graphQLErrors?: readonly { extensions?: Record<string, unknown> }[];
}

/** A transport or top-level GraphQL error in words. */
export function describeRequestError(error: CombinedErrorLike | null | undefined): string | null {
  if (!error) return null;
  if (error.networkError) return describeCode('NETWORK');
  const code = error.graphQLErrors?.[0]?.extensions?.code;
  return describeCode(typeof code === 'string' ? code : 'INTERNAL');
}
