import { useSyncExternalStore } from 'react';

/**
 * Acting for: a caregiver acts for one patient at a time. The choice is per browser tab
 * (sessionStorage), so two tabs can act for two people, and it travels on every request as
 * a header (and in the socket's connection_init). Which sections a caregiver sees follows
 * the scopes of their grant; the server decides, this only keeps the screen honest.
 */

/** The header the API reads the patient a request acts for from (a Patient global id). */
export const ACTING_FOR_HEADER = 'X-Relief-Acting-For';
export const ACTING_FOR_STORAGE_KEY = 'relief.actingFor';

/** The scopes a patient can grant (CaregiverScope in the schema). */
export type Scope =
  | 'APPOINTMENTS_VIEW'
  | 'APPOINTMENTS_MANAGE'
  | 'PLAN_VIEW'
  | 'PROGRESS_VIEW'
  | 'PROGRESS_LOG'
  | 'MESSAGES'
  | 'REMINDERS'
  | 'PROFILE_VIEW'
  | 'PROFILE_EDIT'
  | 'INSURANCE_VIEW'
  | 'DOCUMENTS';

export const ALL_SCOPES: readonly Scope[] = [
  'APPOINTMENTS_VIEW',
  'APPOINTMENTS_MANAGE',
  'PLAN_VIEW',
  'PROGRESS_VIEW',
  'PROGRESS_LOG',
  'MESSAGES',
  'REMINDERS',
  'PROFILE_VIEW',
  'PROFILE_EDIT',
  'INSURANCE_VIEW',
  'DOCUMENTS',
];

/** Managing implies seeing (as api/access/needs.py IMPLIED says). */
const IMPLIED: Partial<Record<Scope, Scope>> = {
  APPOINTMENTS_MANAGE: 'APPOINTMENTS_VIEW',
  PROFILE_EDIT: 'PROFILE_VIEW',
};

/** The part of a CareRecipient the screen needs to decide what to show. */
export interface Recipient {
  patientId: string;
  patientName: string;
  kind: string; // PROXY | GUARDIAN
  scopes: readonly string[];
}

/** What a grant answers: the scopes chosen and what they imply; a guardian manages fully. */
export function effectiveScopes(recipient: Pick<Recipient, 'kind' | 'scopes'>): ReadonlySet<Scope> {
  if (recipient.kind === 'GUARDIAN') return new Set(ALL_SCOPES);
  const result = new Set<Scope>();
  for (const scope of recipient.scopes) {
    if (!(ALL_SCOPES as readonly string[]).includes(scope)) continue;
    result.add(scope as Scope);
    const implied = IMPLIED[scope as Scope];
    if (implied) result.add(implied);
  }
  return result;
}

/** Whether the person acted for allows `scope`; acting for nobody (yourself) allows all. */
export function allows(recipient: Pick<Recipient, 'kind' | 'scopes'> | null, scope: Scope): boolean {
  return recipient === null || effectiveScopes(recipient).has(scope);
}

/**
 * The scope each section of the app needs when acting for someone: OWN sections are the
 * caregiver's own (Home, Account, notifications); family access is for a guardian, who
 * manages a dependent's grants; a section not listed is not for caregivers at all.
 */
export const SECTION_SCOPES: Readonly<Record<string, Scope | 'OWN' | 'GUARDIAN'>> = {
  '/': 'OWN',
  '/account': 'OWN',
  '/notifications': 'OWN',
  '/appointments': 'APPOINTMENTS_VIEW',
  '/messages': 'MESSAGES',
  '/plan': 'PLAN_VIEW',
  '/progress': 'PROGRESS_VIEW',
  '/profile': 'PROFILE_VIEW',
  '/family': 'GUARDIAN',
  // Who saw the record: the patient's and a guardian's to read, not a proxy's.
  '/access-log': 'GUARDIAN',
};

/** The first path segment: "/appointments/abc?x=1" is in "/appointments". */
export function sectionOf(path: string): string {
  const clean = path.split(/[?#]/, 1)[0] ?? '/';
  const first = clean.split('/').filter(Boolean)[0];
  return first ? `/${first}` : '/';
}

/** Some pages inside an allowed section need more than seeing (booking needs managing). */
const PAGE_SCOPES: readonly { prefix: string; scope: Scope }[] = [
  { prefix: '/appointments/book', scope: 'APPOINTMENTS_MANAGE' },
  { prefix: '/appointments/waitlist', scope: 'APPOINTMENTS_MANAGE' },
  { prefix: '/appointments/calendar', scope: 'APPOINTMENTS_VIEW' },
];

/** Whether a path may be shown while acting for `recipient` (acting for nobody: all). */
export function pathAllowed(path: string, recipient: Recipient | null): boolean {
  if (recipient === null) return true;
  const section = sectionOf(path);
  const need = SECTION_SCOPES[section];
  if (need === 'OWN') return true;
  if (need === 'GUARDIAN') return recipient.kind === 'GUARDIAN';
  if (need === undefined) return false;
  const scopes = effectiveScopes(recipient);
  if (!scopes.has(need)) return false;
  const clean = path.split(/[?#]/, 1)[0] ?? '/';
  return PAGE_SCOPES.every(({ prefix, scope }) => !(clean === prefix || clean.startsWith(`${prefix}/`)) || scopes.has(scope));
}

/** The navigation entries to show: all of them for yourself, the granted ones when acting. */
export function navigationFor<T extends { href: string }>(items: readonly T[], recipient: Recipient | null): T[] {
  return items.filter((item) => pathAllowed(item.href, recipient));
}

/** The recipient the stored choice names, or null when it names nobody you still help. */
export function currentRecipient<T extends { patientId: string }>(actingFor: string | null, recipients: readonly T[] | null | undefined): T | null {
  if (!actingFor || !recipients) return null;
  return recipients.find((recipient) => recipient.patientId === actingFor) ?? null;
}

// --- The per-tab store ---------------------------------------------------------------------

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ActingForStore {
  get(): string | null;
  set(patientId: string | null): void;
  subscribe(listener: () => void): () => void;
}

/** A store over `storage` (sessionStorage in the app); a failing storage keeps it in memory. */
export function createActingForStore(storage: StorageLike | null): ActingForStore {
  let value: string | null = null;
  try {
    value = storage?.getItem(ACTING_FOR_STORAGE_KEY) || null;
  } catch {
    value = null; // storage blocked (privacy settings): act for nobody, in memory only
  }
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(patientId) {
      const next = patientId || null;
      if (next === value) return;
      value = next;
      try {
        if (next) storage?.setItem(ACTING_FOR_STORAGE_KEY, next);
        else storage?.removeItem(ACTING_FOR_STORAGE_KEY);
      } catch {
        // In memory is enough for this page's life.
      }
      listeners.forEach((listener) => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function sessionStorageOrNull(): StorageLike | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

export const actingForStore: ActingForStore = createActingForStore(sessionStorageOrNull());

/** The Patient id this tab acts for, or null for yourself. */
export function useActingFor(): string | null {
  return useSyncExternalStore(actingForStore.subscribe, actingForStore.get, actingForStore.get);
}

// --- Errors --------------------------------------------------------------------------------

interface GraphQLErrorLike {
  path?: readonly (string | number)[] | undefined;
  extensions?: Record<string, unknown> | undefined;
}

interface CombinedErrorLike {
  networkError?: unknown;
  graphQLErrors?: readonly GraphQLErrorLike[];
}

/**
 * A caregiver's query answers what their grant covers and nulls the rest, each with a
 * FORBIDDEN error at its path. Those are not failures of the page: this drops them and
 * returns what is left (null when nothing is), for describeRequestError.
 */
export function withoutFieldDenials<E extends CombinedErrorLike>(error: E | null | undefined): E | null {
  if (!error) return null;
  if (error.networkError) return error;
  const left = (error.graphQLErrors ?? []).filter((item) => !isFieldDenial(item));
  if (left.length === 0) return null;
  return left.length === (error.graphQLErrors ?? []).length ? error : ({ ...error, graphQLErrors: left } as E);
}

function isFieldDenial(error: GraphQLErrorLike): boolean {
  return error.extensions?.code === 'FORBIDDEN' && !!error.path && error.path.length > 1;
}

/** The paths ("myPatient.timeZone") a caregiver's grant did not cover in this answer. */
export function deniedPaths(error: CombinedErrorLike | null | undefined): string[] {
  return (error?.graphQLErrors ?? []).filter(isFieldDenial).map((item) => (item.path ?? []).join('.'));
}
