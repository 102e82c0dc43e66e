import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { ACTING_FOR_HEADER, actingForStore } from './lib/actingFor';

/** Header the API requires on every cookie-authenticated request (CSRF guard). */
export const CSRF_HEADER = 'X-Relief-CSRF';

/** Same-origin HTTP endpoint. */
export const GRAPHQL_PATH = '/graphql';

/** ws(s)://<same host>/graphql, following the page's scheme. */
export function graphqlWsUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${GRAPHQL_PATH}`;
}

let wsClient: Promise<WsClient> | undefined;

/** The headers of every HTTP request: the CSRF marker, and whom a caregiver acts for. */
export function requestHeaders(actingFor: string | null): Record<string, string> {
  return actingFor ? { [CSRF_HEADER]: '1', [ACTING_FOR_HEADER]: actingFor } : { [CSRF_HEADER]: '1' };
}

/** The socket's connection_init payload: a WebSocket carries no custom headers. */
export function connectionParams(actingFor: string | null): Record<string, string> {
  return actingFor ? { [CSRF_HEADER]: '1', actingFor } : { [CSRF_HEADER]: '1' };
}

/**
 * After a reconnect, graphql-ws sends the same subscribe payload again. A subscription that
 * takes `after` (notificationAdded, messageAdded) then asks for what it missed since the
 * newest item this client received, so nothing is lost and nothing arrives twice.
 */
export function advanceResumeCursor(variables: Record<string, unknown> | undefined, data: unknown): void {
  if (!variables || !('after' in variables) || !data || typeof data !== 'object') return;
  for (const value of Object.values(data as Record<string, unknown>)) {
    if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
      variables.after = (value as { id: string }).id;
      return;
    }
  }
}

const reconnectListeners = new Set<() => void>();

/**
 * Called after the socket comes back from a drop. Views whose subscription has no `after`
 * cursor (appointmentChanged) re-read what they show, since events sent meanwhile were missed.
 * Returns the function that stops listening.
 */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => {
    reconnectListeners.delete(listener);
  };
}

/** graphql-ws `on` handlers: a connection that is a retry tells the reconnect listeners. */
export const socketEvents = {
  connected(_socket: unknown, _payload: unknown, wasRetry: boolean): void {
    if (wasRetry) reconnectListeners.forEach((listener) => listener());
  },
};

/**
 * Act for another patient (or yourself, with null). The socket closes, so the next
 * subscription opens one that says whom it acts for; the caller swaps the urql client
 * (session.tsx keys it by this choice), so nothing cached for one person shows for another.
 */
export function switchActingFor(patientId: string | null): void {
  if ((patientId || null) === actingForStore.get()) return;
  actingForStore.set(patientId);
  resetRealtime();
}

/** Closes the socket: the next subscription opens a new one with the new session's cookie. */
export function resetRealtime(): void {
  const previous = wsClient;
  wsClient = undefined;
  void previous?.then((client) => client.dispose());
}

/**
 * graphql-ws is loaded on the first subscription only, so it stays out of
 * the initial bundle. The socket is lazy and speaks graphql-transport-ws
 * (graphql-ws's only protocol). The browser sends the session cookie with
 * the same-origin upgrade request; custom headers cannot be set on a
 * WebSocket, so the CSRF marker (and whom a caregiver acts for) travels in connectionParams.
 */
function getWsClient(): Promise<WsClient> {
  wsClient ??= import('graphql-ws').then(({ createClient }) =>
    createClient({
      url: graphqlWsUrl(),
      lazy: true,
      retryAttempts: Infinity,
      // Back off up to ~30 s between attempts; a phone that slept reconnects on its own.
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries))),
      shouldRetry: () => true,
      // Read at each (re)connect: after a switch the new socket acts for the new choice.
      connectionParams: () => connectionParams(actingForStore.get()),
      on: socketEvents,
    }),
  );
  return wsClient;
}

export interface ReliefClientOptions {
  /** Override fetch (tests). */
  fetch?: typeof fetch;
  /** Whom requests act for (tests); the tab's stored choice by default. */
  actingFor?: () => string | null;
}

export function createReliefClient(options: ReliefClientOptions = {}): Client {
  const actingFor = options.actingFor ?? actingForStore.get;
  return new Client({
    url: GRAPHQL_PATH,
    // Always POST JSON: never turn queries into GET URLs.
    preferGetMethod: false,
    fetchOptions: () => ({
      credentials: 'same-origin',
      // Read per request, so no request goes out for the wrong person after a switch.
      headers: requestHeaders(actingFor()),
    }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const variables: Record<string, unknown> = { ...(request.variables ?? {}) };
          const input = { ...request, query: request.query ?? '', variables };
          return {
            subscribe(sink) {
              let dispose: (() => void) | undefined;
              let closed = false;
              getWsClient().then(
                (client) => {
                  if (closed) return;
                  dispose = client.subscribe(input, {
                    next(result) {
                      advanceResumeCursor(variables, result.data);
                      sink.next(result as Parameters<typeof sink.next>[0]);
                    },
                    error: (error) => sink.error(error),
                    complete: () => sink.complete(),
                  });
                },
                (error: unknown) => sink.error(error),
              );
              return {
                unsubscribe() {
                  closed = true;
                  dispose?.();
                },
              };
            },
          };
        },
      }),
    ],
  });
}
