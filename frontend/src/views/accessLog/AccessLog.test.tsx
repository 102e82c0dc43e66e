import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Provider, type Client } from 'urql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromValue, never } from 'wonka';
import { App } from '../../App';

type Operation = { query: { definitions: { name?: { value: string } }[] }; variables?: Record<string, unknown> };
type Answer = (variables: Record<string, unknown>) => unknown;

function operationName(operation: Operation): string {
  return operation.query.definitions[0]?.name?.value ?? '';
}

/** A client that answers by operation name (and variables); subscriptions never emit. */
function mockClient(answers: Record<string, Answer>) {
  const asked: { name: string; variables: Record<string, unknown> }[] = [];
  const answer = (operation: Operation) => {
    const name = operationName(operation);
    const variables = operation.variables ?? {};
    asked.push({ name, variables });
    return answers[name]?.(variables);
  };
  const client = {
    executeQuery: vi.fn((operation: Operation) => {
      const data = answer(operation);
      return data ? fromValue({ operation, data, stale: false, hasNext: false }) : never;
    }),
    query: vi.fn((query: Operation['query'], variables: Record<string, unknown>) => ({
      toPromise: () => Promise.resolve({ data: answer({ query, variables }) }),
    })),
    executeMutation: vi.fn(() => never),
    executeSubscription: vi.fn(() => never),
  } as unknown as Client;
  return { client, asked };
}

const SESSION = {
  signInState: 'SIGNED_IN',
  me: { id: 'u1', displayName: 'Maria Gonzalez', email: 'm@example.test', emailVerified: true, twoFactorEnabled: false, roles: ['PATIENT'] },
};

function entry(overrides: Record<string, unknown>) {
  return {
    grouping: 'DAY',
    who: 'Dr. Amara Okafor',
    role: 'THERAPIST',
    actingFor: null,
    count: 3,
    firstAccessAt: '2026-03-03T14:00:00Z',
    lastAccessAt: '2026-03-03T15:00:00Z',
    day: '2026-03-03',
    emergencyReason: null,
    emergencyOpenedAt: null,
    resources: [{ resource: 'TreatmentPlan', action: 'READ', count: 3 }],
    ...overrides,
  };
}

function page(entries: unknown[], endCursor: string | null, hasNextPage: boolean) {
  return {
    recordAccessLog: { __typename: 'RecordAccessLog', timeZone: 'America/New_York', entries, pageInfo: { hasNextPage, endCursor } },
  };
}

function renderAt(path: string, log: Answer) {
  window.history.replaceState(null, '', path);
  const mock = mockClient({
    Session: () => SESSION,
    Bell: () => ({ unreadNotificationCount: 0, notifications: { edges: [] } }),
    RecordAccessLog: log,
  });
  render(
    <Provider value={mock.client}>
      <App />
    </Provider>,
  );
  return mock;
}

/** The log's entries as shown (items of the one ordered list of entries). */
function entries(): HTMLElement[] {
  const list = screen.getAllByRole('list').find((item) => item.classList.contains('log-list'));
  return list ? within(list).getAllByRole('listitem').filter((item) => item.classList.contains('log-entry')) : [];
}

beforeEach(() => window.history.replaceState(null, '', '/'));
afterEach(cleanup);

describe('Who saw my record', () => {
  it('lists the entries in words, the emergency one highlighted, and shows more on request', async () => {
    const mock = renderAt('/access-log', (variables) =>
      variables.after === 'c2'
        ? page([entry({ who: 'Morgan Reyes', role: 'ADMIN', day: '2026-03-01' })], 'c3', false)
        : page(
            [
              entry({
                grouping: 'EMERGENCY_ACCESS',
                who: 'Sunita Patel',
                day: null,
                emergencyReason: 'Collapsed in the waiting room',
                emergencyOpenedAt: '2026-03-03T14:00:00Z',
              }),
              entry({}),
            ],
            'c2',
            true,
          ),
    );
    const heading = await screen.findByRole('heading', { level: 1, name: 'Who saw my record' });
    expect(document.activeElement).toBe(heading);
    await screen.findByText('Collapsed in the waiting room');
    const items = entries();
    expect(items).toHaveLength(2);
    expect(items[0]?.classList.contains('emergency')).toBe(true);
    expect(items[0]?.textContent).toContain('Emergency access');
    expect(items[0]?.querySelector('blockquote')?.textContent).toBe('Collapsed in the waiting room');
    expect(items[1]?.textContent).toContain('Dr. Amara Okafor (therapist) viewed your treatment plan — 3 times on Tuesday');

    // The first page asked for the last 90 days, without Maria's own views.
    const first = mock.asked.find((item) => item.name === 'RecordAccessLog');
    expect(first?.variables).toMatchObject({ includeOwn: false, first: 20, patientId: null });
    const span = Date.parse(String(first?.variables.to)) - Date.parse(String(first?.variables.from));
    expect(Math.round(span / 86_400_000)).toBe(91);
    const csv = screen.getByRole('link', { name: 'Download as CSV' }).getAttribute('href') ?? '';
    expect(csv).toMatch(/^\/exports\/record-access\.csv\?from=.*&to=/);
    expect(csv).not.toContain('patient=');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show more' })));
    const all = entries();
    expect(all).toHaveLength(3);
    expect(all[2]?.textContent).toContain('Morgan Reyes (clinic administrator)');
    // Focus moves to the first entry that arrived, and there is no more to show.
    expect(document.activeElement).toBe(all[2]);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('says when nobody else opened the record, and asks again with own views', async () => {
    const mock = renderAt('/access-log', () => page([], null, false));
    expect(await screen.findByText('Nobody else opened your record on these days.')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByLabelText('Include my own views')));
    expect(await screen.findByText('Nobody opened your record on these days.')).toBeTruthy();
    expect(mock.asked.filter((item) => item.name === 'RecordAccessLog').at(-1)?.variables.includeOwn).toBe(true);
  });

  it('refuses a range that ends before it starts, in words, on the field', async () => {
    renderAt('/access-log', () => page([], null, false));
    await screen.findByText('Nobody else opened your record on these days.');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2025-06-30' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2025-06-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show these days' }));
    expect(screen.getByRole('alert').textContent).toBe('The first day must be on or before the last day.');
    expect(document.activeElement).toBe(screen.getByLabelText('From'));
    expect(screen.getByLabelText('From').getAttribute('aria-invalid')).toBe('true');
  });

  it("says the API's typed errors in plain words", async () => {
    renderAt('/access-log', () => ({ recordAccessLog: { __typename: 'AccessLogErrors', errors: [{ code: 'RANGE_TOO_LONG', field: 'from' }] } }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Please choose at most 365 days at a time.');
  });
});
