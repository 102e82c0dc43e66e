import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Provider, type Client } from 'urql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromValue, never } from 'wonka';
import { App } from '../../App';
import { actingForStore, ACTING_FOR_STORAGE_KEY } from '../../lib/actingFor';
import { navigate } from '../../lib/router';
import { ClientFactoryContext } from '../../session';

type Operation = { query: { definitions: { name?: { value: string } }[] } };

const MARIA = 'UGF0aWVudDox';

function operationName(operation: Operation): string {
  return operation.query.definitions[0]?.name?.value ?? '';
}

/** A client that answers each query by operation name from `answers` as it is at the time. */
function mockClient(answers: Record<string, unknown>): Client {
  return {
    executeQuery: vi.fn((operation: Operation) => {
      const data = answers[operationName(operation)];
      return data ? fromValue({ operation, data, stale: false, hasNext: false }) : never;
    }),
    executeMutation: vi.fn(() => never),
    executeSubscription: vi.fn(() => never),
  } as unknown as Client;
}

function recipient(scopes: string[]) {
  return {
    grantId: 'Q2FyZWdpdmVyR3JhbnQ6MQ==',
    patientId: MARIA,
    patientName: 'Maria Gonzalez',
    relationship: 'SPOUSE_OR_PARTNER',
    kind: 'PROXY',
    scopes,
    expiresAt: null,
    confidentialFields: [],
  };
}

function caregiverAnswers(scopes: string[]): Record<string, unknown> {
  return {
    Session: {
      signInState: 'SIGNED_IN',
      me: { id: 'u7', displayName: 'Sam Rivera', email: 's@example.test', emailVerified: true, twoFactorEnabled: false, roles: ['CAREGIVER'] },
    },
    Bell: { unreadNotificationCount: 0, notifications: { edges: [] } },
    Caregiving: { caregiving: [recipient(scopes)] },
  };
}

function renderApp(answers: Record<string, unknown>) {
  const client = mockClient(answers);
  return render(
    <Provider value={client}>
      <ClientFactoryContext.Provider value={() => client}>
        <App />
      </ClientFactoryContext.Provider>
    </Provider>,
  );
}

function navLabels(): (string | null)[] {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return Array.from(nav.querySelectorAll('a')).map((a) => a.textContent);
}

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  actingForStore.set(null);
});
afterEach(() => {
  cleanup();
  actingForStore.set(null);
});

describe('a caregiver acting for someone', () => {
  it('sees only the sections the grant covers, and a banner naming the person', async () => {
    actingForStore.set(MARIA);
    renderApp(caregiverAnswers(['APPOINTMENTS_VIEW']));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Helping Maria Gonzalez' });
    expect(document.activeElement).toBe(heading);
    expect(navLabels()).toEqual(['Home', 'Appointments', 'Account']);
    expect((await screen.findByTestId('acting-banner')).textContent).toContain('You are acting for Maria Gonzalez');
  });

  it('shows "not shared" for a section outside the grant instead of loading it', async () => {
    actingForStore.set(MARIA);
    window.history.replaceState(null, '', '/progress');
    renderApp(caregiverAnswers(['APPOINTMENTS_VIEW']));
    expect(await screen.findByRole('heading', { level: 1, name: 'Not shared with you' })).toBeTruthy();
    expect(screen.getByText(/Maria Gonzalez has not given you access/)).toBeTruthy();
  });

  it('switches from their own home to acting for someone, and focus moves to the new page', async () => {
    renderApp(caregiverAnswers(['APPOINTMENTS_VIEW', 'MESSAGES']));
    await screen.findByRole('heading', { level: 1, name: 'Your dashboard' });
    expect(screen.getByText('Welcome back, Sam.')).toBeTruthy();
    expect(navLabels()).toEqual(['Home', 'Family access', 'Account']);
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Act for Maria Gonzalez' })));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Helping Maria Gonzalez' });
    expect(document.activeElement).toBe(heading);
    expect(window.sessionStorage.getItem(ACTING_FOR_STORAGE_KEY)).toBe(MARIA);
    expect(navLabels()).toEqual(['Home', 'Appointments', 'Messages', 'Account']);
  });

  it('is told on the next navigation when the access ended', async () => {
    actingForStore.set(MARIA);
    const answers = caregiverAnswers(['APPOINTMENTS_VIEW']);
    renderApp(answers);
    await screen.findByRole('heading', { level: 1, name: 'Helping Maria Gonzalez' });
    answers.Caregiving = { caregiving: [] };
    act(() => navigate('/appointments'));
    expect((await screen.findByRole('alert')).textContent).toContain("Your access to Maria Gonzalez's record has ended.");
    expect(actingForStore.get()).toBeNull();
    expect(window.location.pathname).toBe('/');
    expect(navLabels()).toEqual(['Home', 'Family access', 'Account']);
  });
});
