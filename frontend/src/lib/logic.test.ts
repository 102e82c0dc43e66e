import { describe, expect, it } from 'vitest';
import { advanceResumeCursor } from '../client';
import { strengthLabel } from '../components/PasswordStrength';
import { preferenceChanges } from '../views/NotificationSettings';
import { seenBy } from '../views/Thread';
import { describeAdherence, describeDosage } from './format';
import { bellLabel, mergeNotifications, type NotificationItem } from './notifications';

const note = (id: string, createdAt: string): NotificationItem => ({
  id,
  createdAt,
  title: id,
  body: '',
  link: '/',
  read: false,
  urgent: false,
});

describe('advanceResumeCursor', () => {
  it('moves `after` to the newest id received, so a reconnect catches up from there', () => {
    const variables: Record<string, unknown> = { after: null };
    advanceResumeCursor(variables, { notificationAdded: { id: 'n5', title: 'x' } });
    expect(variables.after).toBe('n5');
  });

  it('leaves subscriptions without `after` alone', () => {
    const variables: Record<string, unknown> = { patientId: 'p' };
    advanceResumeCursor(variables, { planUpdated: { id: 'x' } });
    expect(variables).toEqual({ patientId: 'p' });
  });
});

describe('notifications', () => {
  it('merges live and fetched items newest first, each once', () => {
    const merged = mergeNotifications([note('a', '2026-01-01T10:00:00Z'), note('b', '2026-01-01T09:00:00Z')], [note('c', '2026-01-01T11:00:00Z'), note('a', '2026-01-01T10:00:00Z')]);
    expect(merged.map((n) => n.id)).toEqual(['c', 'a', 'b']);
  });

  it('labels the bell for screen readers', () => {
    expect(bellLabel(0)).toBe('Notifications, none unread');
    expect(bellLabel(3)).toBe('Notifications, 3 unread');
  });
});

describe('wording helpers', () => {
  it('describes a dosage', () => {
    expect(describeDosage({ sets: 3, reps: 10, holdSeconds: 5, timesPerDay: 2 })).toBe('3 sets of 10, hold 5 s, twice a day');
    expect(describeDosage({ durationSeconds: 600, timesPerDay: 1 })).toBe('10 min, once a day');
  });

  it('describes adherence', () => {
    expect(describeAdherence(0.666)).toBe("67% of this week's sessions done");
    expect(describeAdherence(null)).toBe('No sessions were due yet this week');
  });

  it('names password strength scores', () => {
    expect(strengthLabel(0)).toBe('Very weak');
    expect(strengthLabel(4)).toBe('Very strong');
    expect(strengthLabel(9)).toBe('Very strong');
  });

  it('shows read receipts of people other than the author', () => {
    const author = { name: 'Maria', role: 'PATIENT' as const };
    const receipt = (name: string) => ({ name, side: 'CLINIC' as const, readAt: '2026-01-01T00:00:00Z' });
    expect(seenBy({ author, readBy: [receipt('Dr. Okafor'), receipt('Maria')] })).toBe('Seen by Dr. Okafor');
    expect(seenBy({ author, readBy: [] })).toBe('');
  });
});

describe('preferenceChanges', () => {
  it('sends only changed, unlocked cells', () => {
    const server = [
      { kind: 'NEW_MESSAGE' as const, channel: 'EMAIL' as const, enabled: true, locked: false },
      { kind: 'NEW_MESSAGE' as const, channel: 'SMS' as const, enabled: false, locked: false },
      { kind: 'SECURITY' as const, channel: 'EMAIL' as const, enabled: true, locked: true },
    ];
    expect(preferenceChanges(server, { 'NEW_MESSAGE:EMAIL': true, 'NEW_MESSAGE:SMS': true, 'SECURITY:EMAIL': false })).toEqual([
      { kind: 'NEW_MESSAGE', channel: 'SMS', enabled: true },
    ]);
  });
});
