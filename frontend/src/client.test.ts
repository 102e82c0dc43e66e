import { describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, createReliefClient, graphqlWsUrl, onReconnect, socketEvents } from './client';
import { graphql } from './gql';

const ServerInfoQuery = graphql(`
  query ServerInfo {
    serverInfo {
      name
      version
    }
  }
`);

describe('createReliefClient', () => {
  it('POSTs JSON to same-origin /graphql with credentials and the CSRF header', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      new Response(
        JSON.stringify({ data: { serverInfo: { __typename: 'ServerInfo', name: 'Relief', version: '0.1.0' } } }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const client = createReliefClient({ fetch: fetchMock });

    const result = await client.query(ServerInfoQuery, {}).toPromise();

    expect(result.error).toBeUndefined();
    expect(result.data?.serverInfo.version).toBe('0.1.0');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/graphql');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    const headers = new Headers(init?.headers);
    expect(headers.get(CSRF_HEADER)).toBe('1');
    expect(headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toMatchObject({ operationName: 'ServerInfo' });
  });

  it('reports a network failure as an error result', async () => {
    const client = createReliefClient({
      fetch: vi.fn<typeof fetch>(async () => {
        throw new TypeError('Failed to fetch');
      }),
    });
    const result = await client.query(ServerInfoQuery, {}).toPromise();
    expect(result.data).toBeUndefined();
    expect(result.error?.networkError?.message).toBe('Failed to fetch');
  });
});

describe('graphqlWsUrl', () => {
  it('uses ws: on http and wss: on https, same host, /graphql', () => {
    expect(graphqlWsUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/graphql');
    expect(graphqlWsUrl({ protocol: 'https:', host: 'portal.example' })).toBe('wss://portal.example/graphql');
  });
});

describe('onReconnect', () => {
  it('tells listeners when the socket comes back, not when it first connects', () => {
    const listener = vi.fn();
    const stop = onReconnect(listener);
    socketEvents.connected(null, undefined, false);
    expect(listener).not.toHaveBeenCalled();
    socketEvents.connected(null, undefined, true);
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    socketEvents.connected(null, undefined, true);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
