import { describe, expect, it, vi } from 'vitest';
import {
  ACTING_FOR_STORAGE_KEY,
  allows,
  createActingForStore,
  currentRecipient,
  deniedPaths,
  effectiveScopes,
  navigationFor,
  pathAllowed,
  sectionOf,
  withoutFieldDenials,
  type Recipient,
} from './actingFor';

const NAV = [
  { href: '/', label: 'Home' },
  { href: '/appointments', label: 'Appointments' },
  { href: '/messages', label: 'Messages' },
  { href: '/plan', label: 'Treatment Plan' },
  { href: '/progress', label: 'Progress' },
  { href: '/family', label: 'Family access' },
  { href: '/account', label: 'Account' },
];

const proxy = (scopes: string[]): Recipient => ({ patientId: 'UGF0aWVudDox', patientName: 'Maria Gonzalez', kind: 'PROXY', scopes });

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

describe('scopes to navigation', () => {
  it('shows everything to someone acting for themselves', () => {
    expect(navigationFor(NAV, null).map((item) => item.label)).toEqual(NAV.map((item) => item.label));
  });

  it('shows a caregiver only the sections their grant covers, plus their own home and account', () => {
    const labels = navigationFor(NAV, proxy(['APPOINTMENTS_VIEW'])).map((item) => item.label);
    expect(labels).toEqual(['Home', 'Appointments', 'Account']);
    expect(navigationFor(NAV, proxy(['PLAN_VIEW', 'PROGRESS_VIEW', 'MESSAGES'])).map((item) => item.label)).toEqual([
      'Home',
      'Messages',
      'Treatment Plan',
      'Progress',
      'Account',
    ]);
  });

  it('lets managing imply seeing, and a guardian see everything, family access too', () => {
    expect(effectiveScopes(proxy(['APPOINTMENTS_MANAGE'])).has('APPOINTMENTS_VIEW')).toBe(true);
    expect(effectiveScopes(proxy(['PROFILE_EDIT'])).has('PROFILE_VIEW')).toBe(true);
    expect(effectiveScopes(proxy(['PROGRESS_LOG'])).has('PROGRESS_VIEW')).toBe(false);
    const guardian = { ...proxy([]), kind: 'GUARDIAN' };
    expect(navigationFor(NAV, guardian).map((item) => item.label)).toEqual(['Home', 'Appointments', 'Messages', 'Treatment Plan', 'Progress', 'Family access', 'Account']);
    expect(pathAllowed('/family', proxy(['APPOINTMENTS_VIEW', 'PROFILE_EDIT']))).toBe(false);
  });

  it('guards pages inside a section by what they need', () => {
    const viewer = proxy(['APPOINTMENTS_VIEW']);
    expect(pathAllowed('/appointments/QXBwb2ludG1lbnQ6MQ==?x=1', viewer)).toBe(true);
    expect(pathAllowed('/appointments/book', viewer)).toBe(false);
    expect(pathAllowed('/appointments/book', proxy(['APPOINTMENTS_MANAGE']))).toBe(true);
    expect(pathAllowed('/progress', viewer)).toBe(false);
    expect(pathAllowed('/patients/abc', viewer)).toBe(false);
    expect(pathAllowed('/notifications', viewer)).toBe(true);
  });

  it('answers whether a single scope is allowed', () => {
    expect(allows(null, 'PROGRESS_LOG')).toBe(true);
    expect(allows(proxy(['PROGRESS_VIEW']), 'PROGRESS_LOG')).toBe(false);
    expect(allows(proxy(['PROGRESS_VIEW', 'PROGRESS_LOG']), 'PROGRESS_LOG')).toBe(true);
    expect(allows(proxy(['NOT_A_SCOPE']), 'PROGRESS_LOG')).toBe(false);
  });

  it('names the section of a path', () => {
    expect(sectionOf('/')).toBe('/');
    expect(sectionOf('/messages/abc?x=1')).toBe('/messages');
    expect(sectionOf('/family#invite')).toBe('/family');
  });
});

describe('the acting-for store', () => {
  it('starts from the tab storage and writes changes back', () => {
    const storage = memoryStorage({ [ACTING_FOR_STORAGE_KEY]: 'UGF0aWVudDoy' });
    const store = createActingForStore(storage);
    expect(store.get()).toBe('UGF0aWVudDoy');
    const listener = vi.fn();
    const stop = store.subscribe(listener);
    store.set('UGF0aWVudDoz');
    expect(storage.data.get(ACTING_FOR_STORAGE_KEY)).toBe('UGF0aWVudDoz');
    expect(listener).toHaveBeenCalledTimes(1);
    store.set('UGF0aWVudDoz');
    expect(listener).toHaveBeenCalledTimes(1);
    store.set(null);
    expect(storage.data.has(ACTING_FOR_STORAGE_KEY)).toBe(false);
    expect(store.get()).toBeNull();
    stop();
    store.set('UGF0aWVudDo0');
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('keeps working in memory when storage is blocked', () => {
    const broken = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    };
    const store = createActingForStore(broken);
    expect(store.get()).toBeNull();
    store.set('UGF0aWVudDox');
    expect(store.get()).toBe('UGF0aWVudDox');
    expect(createActingForStore(null).get()).toBeNull();
  });

  it('finds the stored choice among the live grants, or nobody', () => {
    const list = [proxy(['MESSAGES'])];
    expect(currentRecipient('UGF0aWVudDox', list)?.patientName).toBe('Maria Gonzalez');
    expect(currentRecipient('UGF0aWVudDo5', list)).toBeNull();
    expect(currentRecipient(null, list)).toBeNull();
    expect(currentRecipient('UGF0aWVudDox', undefined)).toBeNull();
  });
});

describe('field denials', () => {
  const denial = { message: 'no', path: ['myPatient', 'timeZone'], extensions: { code: 'FORBIDDEN' } };
  const notFound = { message: 'gone', path: ['appointment'], extensions: { code: 'NOT_FOUND' } };

  it('are not failures of the page', () => {
    expect(withoutFieldDenials({ graphQLErrors: [denial] })).toBeNull();
    expect(withoutFieldDenials(null)).toBeNull();
    expect(deniedPaths({ graphQLErrors: [denial, notFound] })).toEqual(['myPatient.timeZone']);
  });

  it('leave other errors in place', () => {
    const mixed = { graphQLErrors: [denial, notFound] };
    expect(withoutFieldDenials(mixed)?.graphQLErrors).toEqual([notFound]);
    const network = { networkError: new Error('offline'), graphQLErrors: [] };
    expect(withoutFieldDenials(network)).toBe(network);
    // A denied root field is the whole answer: that one is a failure.
    const root = { graphQLErrors: [{ ...denial, path: ['caregiverGrants'] }] };
    expect(withoutFieldDenials(root)).toBe(root);
  });
});
