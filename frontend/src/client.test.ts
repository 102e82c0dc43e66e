import { describe, expect, it, vi } from 'vitest';
import { connectionParams, CSRF_HEADER, createReliefClient, graphqlWsUrl, onReconnect, requestHeaders, socketEvents, switchActingFor } from './client';
import { ACTING_FOR_STORAGE_KEY, actingForStore } from './lib/actingFor';
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

describe('acting for a patient', () => {
  const ok = () =>
    new Response(JSON.stringify({ data: { serverInfo: { __typename: 'ServerInfo', name: 'Relief', version: '0.1.0' } } }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });

  it('sends the header on every request, read at the time of the request', async () => {
    let actingFor: string | null = 'UGF0aWVudDox';
    const fetchMock = vi.fn<typeof fetch>(async () => ok());
    const client = createReliefClient({ fetch: fetchMock, actingFor: () => actingFor });
    await client.query(ServerInfoQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).get('X-Relief-Acting-For')).toBe('UGF0aWVudDox');
    actingFor = null;
    await client.query(ServerInfoQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    const second = new Headers(fetchMock.mock.calls[1]![1]?.headers);
    expect(second.has('X-Relief-Acting-For')).toBe(false);
    expect(second.get(CSRF_HEADER)).toBe('1');
  });

  it('says whom the socket acts for in connection_init, and nothing when acting for yourself', () => {
    expect(connectionParams('UGF0aWVudDox')).toEqual({ [CSRF_HEADER]: '1', actingFor: 'UGF0aWVudDox' });
    expect(connectionParams(null)).toEqual({ [CSRF_HEADER]: '1' });
    expect(requestHeaders(null)).toEqual({ [CSRF_HEADER]: '1' });
  });

  it('stores the choice for the tab when switching', () => {
    switchActingFor('UGF0aWVudDoy');
    expect(actingForStore.get()).toBe('UGF0aWVudDoy');
    expect(window.sessionStorage.getItem(ACTING_FOR_STORAGE_KEY)).toBe('UGF0aWVudDoy');
    switchActingFor(null);
    expect(actingForStore.get()).toBeNull();
    expect(window.sessionStorage.getItem(ACTING_FOR_STORAGE_KEY)).toBeNull();
  });
});
