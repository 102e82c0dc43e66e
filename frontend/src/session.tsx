import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Provider, useClient, useQuery, type Client } from 'urql';
import { createReliefClient, switchActingFor } from './client';
import { Loading } from './components/Status';
import { graphql } from './gql';
import type { CaregivingQuery, SessionQuery } from './gql/graphql';
import { currentRecipient, useActingFor } from './lib/actingFor';
import { navigate, useLocation } from './lib/router';

export const SessionDocument = graphql(`
  query Session {
    signInState
    me {
      id
      displayName
      email
      emailVerified
      twoFactorEnabled
      roles
    }
  }
`);

export const CaregivingDocument = graphql(`
  query Caregiving {
    caregiving {
      grantId
      patientId
      patientName
      relationship
      kind
      scopes
      expiresAt
      confidentialFields
    }
  }
`);

export type Viewer = NonNullable<SessionQuery['me']>;
export type CareRecipient = CaregivingQuery['caregiving'][number];

interface SessionValue {
  state: SessionQuery['signInState'] | 'LOADING' | 'OFFLINE';
  viewer: Viewer | null;
  refresh: () => void;
}

const SessionContext = createContext<SessionValue>({ state: 'LOADING', viewer: null, refresh: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: SessionDocument, requestPolicy: 'network-only' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const value = useMemo<SessionValue>(() => {
    if (data) return { state: data.signInState, viewer: data.me ?? null, refresh };
    if (fetching) return { state: 'LOADING', viewer: null, refresh };
    if (error) return { state: 'OFFLINE', viewer: null, refresh };
    return { state: 'LOADING', viewer: null, refresh };
  }, [data, fetching, error, refresh]);
  return (
    <SessionContext.Provider value={value}>
      <ActingProvider session={value}>{children}</ActingProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionValue {
  return useContext(SessionContext);
}

// --- Acting for ----------------------------------------------------------------------------

export interface ActingValue {
  /** The people this viewer helps (empty for someone who helps nobody). */
  recipients: readonly CareRecipient[];
  /** Whom this tab acts for now; null for yourself. */
  acting: CareRecipient | null;
  /** The name of someone whose access just ended while acting for them (shown once). */
  ended: string | null;
  /** Act for a patient (their Patient id) or yourself (null); goes home, focus follows. */
  switchTo: (patientId: string | null) => void;
  dismissEnded: () => void;
  /** Read the list again (after accepting an invitation). */
  refresh: () => void;
}

/** Makes the client of a new acting-for choice (tests stand in their own). */
export const ClientFactoryContext = createContext<() => Client>(() => createReliefClient());

const ActingContext = createContext<ActingValue>({
  recipients: [],
  acting: null,
  ended: null,
  switchTo: () => undefined,
  dismissEnded: () => undefined,
  refresh: () => undefined,
});

export function useActing(): ActingValue {
  return useContext(ActingContext);
}

/**
 * Whom this tab acts for, checked against the live list of grants, and the urql client for
 * that choice. Each switch makes a new client (an empty cache: nothing read for one person
 * shows for another) and remounts the app under it; the list is read again on every
 * navigation while acting, so a revoked or expired grant ends on the next page.
 */
function ActingProvider({ session, children }: { session: SessionValue; children: ReactNode }) {
  const base = useClient();
  const makeClient = useContext(ClientFactoryContext);
  const actingFor = useActingFor();
  const location = useLocation();
  const signedIn = session.state === 'SIGNED_IN';
  const helps = signedIn && (!!session.viewer?.roles.includes('CAREGIVER') || actingFor !== null);
  const [{ data, error }, reexecute] = useQuery({ query: CaregivingDocument, pause: !helps, requestPolicy: 'network-only' });
  const recipients = useMemo(() => (helps ? (data?.caregiving ?? []) : []), [helps, data]);
  const names = useRef(new Map<string, string>());
  recipients.forEach((recipient) => names.current.set(recipient.patientId, recipient.patientName));
  const [ended, setEnded] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  // The first page after a switch keeps the answer it has; later pages ask again.
  const lastLocation = useRef(location);
  useEffect(() => {
    if (lastLocation.current === location) return;
    lastLocation.current = location;
    if (actingFor !== null && helps) reexecute({ requestPolicy: 'network-only' });
  }, [location, actingFor, helps, reexecute]);

  // Signed out, or the grant is gone from the live list: act for yourself again.
  useEffect(() => {
    if (actingFor === null) return;
    if (session.state === 'ANONYMOUS') {
      switchActingFor(null);
      setGeneration((value) => value + 1);
      return;
    }
    if (!signedIn || !data || error) return;
    if (currentRecipient(actingFor, data.caregiving)) return;
    // Said only when this page knew the name (a grant that ended while it was open).
    setEnded(names.current.get(actingFor) ?? null);
    switchActingFor(null);
    setGeneration((value) => value + 1);
    navigate('/');
  }, [actingFor, data, error, signedIn, session.state]);

  const switchTo = useCallback((patientId: string | null) => {
    setEnded(null);
    switchActingFor(patientId);
    setGeneration((value) => value + 1);
    navigate('/');
  }, []);
  const dismissEnded = useCallback(() => setEnded(null), []);
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  // Until the list confirms the stored choice, nothing is shown for that person.
  const acting = currentRecipient(actingFor, recipients);
  const value = useMemo<ActingValue>(
    () => ({ recipients, acting, ended, switchTo, dismissEnded, refresh }),
    [recipients, acting, ended, switchTo, dismissEnded, refresh],
  );
  // A tab that never switched keeps the app's own client (and its tests' stand-in).
  const client = useMemo(
    () => (generation === 0 && actingFor === null ? base : makeClient()),
    [generation, actingFor, base, makeClient],
  );
  const waiting = actingFor !== null && helps && !data && !error;
  return (
    <ActingContext.Provider value={value}>
      <Provider value={client} key={`${generation}:${actingFor ?? ''}`}>
        {waiting ? <Loading label="Opening Relief…" /> : children}
      </Provider>
    </ActingContext.Provider>
  );
}
