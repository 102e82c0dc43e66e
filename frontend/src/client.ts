import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';

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

/**
 * graphql-ws is loaded on the first subscription only, so it stays out of
 * the initial bundle. The socket is lazy and speaks graphql-transport-ws
 * (graphql-ws's only protocol). The browser sends the session cookie with
 * the same-origin upgrade request; custom headers cannot be set on a
 * WebSocket, so the CSRF marker also travels in connectionParams.
 */
function getWsClient(): Promise<WsClient> {
  wsClient ??= import('graphql-ws').then(({ createClient }) =>
    createClient({
      url: graphqlWsUrl(),
      lazy: true,
      retryAttempts: 5,
      connectionParams: { [CSRF_HEADER]: '1' },
    }),
  );
  return wsClient;
}

export interface ReliefClientOptions {
  /** Override fetch (tests). */
  fetch?: typeof fetch;
}

export function createReliefClient(options: ReliefClientOptions = {}): Client {
  return new Client({
    url: GRAPHQL_PATH,
    // Always POST JSON: never turn queries into GET URLs.
    preferGetMethod: false,
    fetchOptions: () => ({
      credentials: 'same-origin',
      headers: { [CSRF_HEADER]: '1' },
    }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              let dispose: (() => void) | undefined;
              let closed = false;
              getWsClient().then(
                (client) => {
                  if (!closed) dispose = client.subscribe(input, sink);
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
