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
