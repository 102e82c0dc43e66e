import { cleanup, render, screen } from '@testing-library/react';
import { CombinedError, type Client } from 'urql';
import { Provider } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromValue, never } from 'wonka';
import { App } from './App';

function mockClient(executeQuery: () => unknown): Client {
  return {
    executeQuery: vi.fn(executeQuery),
    executeMutation: vi.fn(() => never),
    executeSubscription: vi.fn(() => never),
  } as unknown as Client;
}

function renderWith(client: Client) {
  return render(
    <Provider value={client}>
      <App />
    </Provider>,
  );
}

afterEach(cleanup);

describe('App', () => {
  it('shows the page heading and purpose', () => {
    renderWith(mockClient(() => never));
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Relief');
    expect(screen.getByRole('main').textContent).toMatch(
      /patient portal for physical, occupational and speech therapy/i,
    );
  });

  it('shows a loading message while the query is in flight', () => {
    renderWith(mockClient(() => never));
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('Checking the API…');
  });

  it('shows the server name and version on success', () => {
    const client = mockClient(() =>
      fromValue({
        data: { serverInfo: { __typename: 'ServerInfo', name: 'Relief', version: '0.1.0' } },
      }),
    );
    renderWith(client);
    expect(screen.getByRole('status').textContent).toBe('API reachable: Relief 0.1.0');
    expect(client.executeQuery).toHaveBeenCalledTimes(1);
  });

  it('shows a plain-words error when the query fails', () => {
    renderWith(
      mockClient(() =>
        fromValue({
          error: new CombinedError({ networkError: new Error('connect ECONNREFUSED') }),
        }),
      ),
    );
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('The API could not be reached. Is the server running?');
    expect(status.textContent).not.toMatch(/ECONNREFUSED/);
  });
});
