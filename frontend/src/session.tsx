import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { graphql } from './gql';
import type { SessionQuery } from './gql/graphql';

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

export type Viewer = NonNullable<SessionQuery['me']>;

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
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  return useContext(SessionContext);
}
