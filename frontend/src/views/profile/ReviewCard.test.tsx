import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Provider, type Client } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromValue, never } from 'wonka';
import type { Patient } from './forms';
import { ReviewCard } from './ProfileView';

function client(answer: unknown): Client & { executeMutation: ReturnType<typeof vi.fn> } {
  return {
    executeQuery: vi.fn(() => never),
    executeMutation: vi.fn((operation: unknown) => (answer ? fromValue({ operation, data: answer, stale: false, hasNext: false }) : never)),
    executeSubscription: vi.fn(() => never),
  } as unknown as Client & { executeMutation: ReturnType<typeof vi.fn> };
}

const DUE = { id: 'UGF0aWVudDox', profileReviewedAt: '2026-01-10T15:00:00Z', profileReviewDueAt: '2026-04-10T15:00:00Z' } as Patient;
const CONFIRMED = {
  confirmProfileReviewed: {
    __typename: 'PatientProfilePayload',
    patient: { __typename: 'Patient', id: DUE.id, profileReviewedAt: '2026-05-01T12:00:00Z', profileReviewDueAt: '2026-08-01T12:00:00Z' },
  },
};

afterEach(cleanup);

describe('the profile review', () => {
  it('asks for a confirmation when due, then says when the next one is, with focus on the answer', async () => {
    const mock = client(CONFIRMED);
    const onChanged = vi.fn();
    render(
      <Provider value={mock}>
        <ReviewCard patient={DUE} name={null} canConfirm timeZone="America/New_York" onChanged={onChanged} />
      </Provider>,
    );
    expect(screen.getByRole('heading', { level: 2, name: 'Is your profile still up to date?' })).toBeTruthy();
    expect(screen.getByText(/You last confirmed up to date on 10 January 2026/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Confirm my profile is up to date' }));
    });
    const answer = await screen.findByRole('status');
    expect(answer.textContent).toBe('Thank you: your profile is confirmed up to date. The next check is due on 1 August 2026.');
    expect(screen.queryByRole('button')).toBeNull();
    expect(onChanged).toHaveBeenCalledOnce();
    expect(mock.executeMutation.mock.calls[0]?.[0]).toMatchObject({ variables: { patientId: DUE.id } });
    await act(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(document.activeElement).toBe(answer);
  });

  it('names the person acted for, and offers no button to someone who may not change the profile', () => {
    render(
      <Provider value={client(null)}>
        <ReviewCard patient={DUE} name="Liam Chen" canConfirm={false} timeZone="America/Chicago" onChanged={() => undefined} />
      </Provider>,
    );
    expect(screen.getByRole('heading', { level: 2, name: "Is Liam Chen's profile still up to date?" })).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText(/Only Liam Chen or someone allowed to change the profile can confirm it/)).toBeTruthy();
  });

  it('only says the dates when no check is due', () => {
    const notDue = { ...DUE, profileReviewDueAt: '2999-01-01T00:00:00Z' } as Patient;
    render(
      <Provider value={client(null)}>
        <ReviewCard patient={notDue} name={null} canConfirm timeZone="UTC" onChanged={() => undefined} />
      </Provider>,
    );
    expect(screen.queryByRole('heading')).toBeNull();
    expect(screen.getByText(/The next check is due on 1 January 2999/)).toBeTruthy();
  });
});
