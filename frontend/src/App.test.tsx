import { act, cleanup, render, screen } from '@testing-library/react';
import { Provider, type Client } from 'urql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromValue, never } from 'wonka';
import { activeSection, App } from './App';
import { navigate } from './lib/router';

type Operation = { query: { definitions: { name?: { value: string } }[] } };

function operationName(operation: Operation): string {
  return operation.query.definitions[0]?.name?.value ?? '';
}

/** A client that answers each query by operation name; subscriptions never emit. */
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

const SIGNED_OUT = { Session: { signInState: 'ANONYMOUS', me: null } };
const SIGNED_IN = {
  Session: {
    signInState: 'SIGNED_IN',
    me: { id: 'u1', displayName: 'Maria Gonzalez', email: 'm@example.test', emailVerified: true, twoFactorEnabled: false, roles: ['PATIENT'] },
  },
  Bell: { unreadNotificationCount: 2, notifications: { edges: [] } },
};

function renderApp(answers: Record<string, unknown>) {
  return render(
    <Provider value={mockClient(answers)}>
      <App />
    </Provider>,
  );
}

beforeEach(() => window.history.replaceState(null, '', '/'));
afterEach(cleanup);

describe('App shell', () => {
  it('sends a signed-out visitor to sign-in, keeping where they wanted to go', async () => {
    window.history.replaceState(null, '', '/messages');
    renderApp(SIGNED_OUT);
    const heading = await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(window.location.pathname).toBe('/sign-in');
    expect(window.location.search).toBe('?next=%2Fmessages');
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe('Sign in · Relief');
  });

  it('shows the navigation, the bell count and the skip link when signed in', async () => {
    renderApp(SIGNED_IN);
    await screen.findByRole('heading', { level: 1, name: 'Your dashboard' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const labels = Array.from(nav.querySelectorAll('a')).map((a) => a.textContent);
    expect(labels).toEqual(['Home', 'Appointments', 'Messages', 'Treatment Plan', 'Progress', 'Profile', 'Family access', 'Account']);
    expect(screen.getByRole('link', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('button', { name: 'Notifications, 2 unread' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Skip to main content' }).getAttribute('href')).toBe('#main');
  });

  it('moves focus to the new heading and sets the title on a route change', async () => {
    renderApp(SIGNED_IN);
    await screen.findByRole('heading', { level: 1, name: 'Your dashboard' });
    act(() => navigate('/appointments'));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Appointments' });
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe('Appointments · Relief');
    expect(screen.getByRole('link', { name: 'Appointments' }).getAttribute('aria-current')).toBe('page');
  });

  it('toggles the menu button that stands for the navigation on small screens', async () => {
    renderApp(SIGNED_IN);
    await screen.findByRole('heading', { level: 1, name: 'Your dashboard' });
    const menu = screen.getByRole('button', { name: /Menu/ });
    expect(menu.getAttribute('aria-expanded')).toBe('false');
    act(() => menu.click());
    expect(menu.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById('site-nav')?.dataset.open).toBe('true');
  });
});

describe('activeSection', () => {
  it('puts sub-pages under their section', () => {
    expect(activeSection('/')).toBe('/');
    expect(activeSection('/messages/abc?x=1')).toBe('/messages');
    expect(activeSection('/account/notifications')).toBe('/account');
    expect(activeSection('/messagesx')).toBe('');
  });
});
