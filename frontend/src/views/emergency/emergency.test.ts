import { describe, expect, it } from 'vitest';
import { activeSection, ADMIN_NAVIGATION, THERAPIST_NAVIGATION } from '../../App';
import {
  REASON_MAX_LENGTH,
  canBreakGlass,
  clockTime,
  describeEmergencyError,
  describeRemaining,
  describeStatus,
  isOpen,
  lookupProblems,
  meaningfulCharacters,
  minutesLeft,
  nextExpiryIn,
  openAccesses,
  patientLabel,
  reasonCounter,
  reasonProblem,
} from './emergency';
import { isAdmin } from './roles';

const NOW = new Date('2026-03-03T14:00:00Z');

describe('the reason for emergency access', () => {
  it('is checked as the API checks it: trimmed, 10 letters or digits, at most 1000 characters', () => {
    expect(reasonProblem('')).toMatch(/^Please write why/);
    expect(reasonProblem('    ')).toMatch(/^Please write why/);
    expect(reasonProblem('asdf asdf')).toMatch(/at least 10 letters or digits/);
    expect(reasonProblem('..........!!!!')).toMatch(/at least 10 letters or digits/);
    expect(reasonProblem('Fall in gym!')).toMatch(/at least 10/);
    expect(reasonProblem('Fell in the gym')).toBeNull();
    expect(reasonProblem('Sturz – Allergien prüfen')).toBeNull();
    expect(reasonProblem('x'.repeat(REASON_MAX_LENGTH))).toBeNull();
    expect(reasonProblem('x'.repeat(REASON_MAX_LENGTH + 1))).toBe('Please keep the reason to 1,000 characters.');
    expect(reasonProblem(`  ${'x'.repeat(REASON_MAX_LENGTH)}  `)).toBeNull();
  });

  it('counts letters and digits of any script', () => {
    expect(meaningfulCharacters('ab 12 -- éü 漢字')).toBe(8);
    expect(reasonCounter('  hello  ')).toBe('5 of 1,000 characters used');
  });

  it("maps the API's typed errors to plain words", () => {
    expect(describeEmergencyError('REASON_TOO_SHORT')).toMatch(/at least 10 letters or digits/);
    expect(describeEmergencyError('NOT_NEEDED')).toMatch(/already open this record/);
    expect(describeEmergencyError('FORBIDDEN')).toMatch(/^Only therapists/);
    expect(describeEmergencyError('WHATEVER')).toMatch(/^Something went wrong/);
    expect(describeEmergencyError(undefined)).toMatch(/^Something went wrong/);
  });
});

describe('the patient lookup', () => {
  it('needs a family name and a past date of birth', () => {
    expect(lookupProblems('Gonzalez', '1986-03-14', '2026-03-03')).toEqual({});
    expect(lookupProblems('  ', '1986-03-14', '2026-03-03')).toHaveProperty('familyName');
    expect(lookupProblems('x'.repeat(101), '1986-03-14', '2026-03-03').familyName).toMatch(/at most 100/);
    expect(lookupProblems('Gonzalez', '', '2026-03-03')).toHaveProperty('dateOfBirth');
    expect(lookupProblems('Gonzalez', '2027-01-01', '2026-03-03').dateOfBirth).toMatch(/future/);
  });
});

describe('time left and status', () => {
  const open = { id: 'a', status: 'OPEN', expiresAt: '2026-03-03T14:58:00Z', closedAt: null };
  const soon = { id: 'b', status: 'OPEN', expiresAt: '2026-03-03T14:10:00Z', closedAt: null };
  const closed = { id: 'c', status: 'CLOSED', expiresAt: '2026-03-03T14:30:00Z', closedAt: '2026-03-03T13:55:00Z' };
  const ranOut = { id: 'd', status: 'OPEN', expiresAt: '2026-03-03T13:59:00Z', closedAt: null };

  it('counts whole minutes left, rounded up', () => {
    expect(minutesLeft(open.expiresAt, NOW)).toBe(58);
    expect(minutesLeft('2026-03-03T14:00:01Z', NOW)).toBe(1);
    expect(minutesLeft(ranOut.expiresAt, NOW)).toBe(0);
    expect(describeRemaining(open.expiresAt, NOW)).toBe('58 minutes left');
    expect(describeRemaining('2026-03-03T14:00:30Z', NOW)).toBe('less than a minute left');
    expect(describeRemaining('2026-03-03T17:00:00Z', NOW)).toBe('3 hours left');
    expect(describeRemaining('2026-03-03T17:20:00Z', NOW)).toBe('3 hours 20 minutes left');
    expect(describeRemaining(ranOut.expiresAt, NOW)).toBe('ended');
  });

  it('keeps only what is open now, the soonest to end first, and knows when to look again', () => {
    expect(openAccesses([open, closed, soon, ranOut], NOW).map((access) => access.id)).toEqual(['b', 'a']);
    expect(nextExpiryIn([open, soon, closed], NOW)).toBe(10 * 60_000);
    expect(nextExpiryIn([closed, ranOut], NOW)).toBeNull();
    expect(isOpen(ranOut, NOW)).toBe(false);
  });

  it('says the status as the review list shows it', () => {
    expect(describeStatus(open, NOW)).toBe('Open');
    expect(describeStatus(closed, NOW)).toBe('Ended early');
    expect(describeStatus(ranOut, NOW)).toBe('Ran out');
    expect(describeStatus({ ...ranOut, status: 'EXPIRED' }, NOW)).toBe('Ran out');
  });

  it('tells the time on a clock and names the patient', () => {
    expect(clockTime('2026-03-03T14:58:00Z', 'en-GB', 'UTC')).toBe('14:58');
    expect(clockTime('2026-03-03T14:58:00Z', 'en-US', 'America/New_York')).toBe('9:58 AM');
    expect(patientLabel({ givenName: 'Maria', familyName: 'Gonzalez' })).toBe('Maria Gonzalez');
    expect(patientLabel(null)).toBe('a patient');
  });
});

describe('who breaks the glass, and where it is in the navigation', () => {
  it('is for therapists and admins; the review for admins', () => {
    expect(canBreakGlass(['THERAPIST'])).toBe(true);
    expect(canBreakGlass(['ADMIN'])).toBe(true);
    expect(canBreakGlass(['PATIENT', 'CAREGIVER'])).toBe(false);
    expect(canBreakGlass(null)).toBe(false);
    expect(isAdmin(['ADMIN'])).toBe(true);
    expect(isAdmin(['THERAPIST'])).toBe(false);
  });

  it('marks the emergency access entries as the current section', () => {
    expect(activeSection('/emergency-access', THERAPIST_NAVIGATION)).toBe('/emergency-access');
    expect(activeSection('/admin/emergency-access', ADMIN_NAVIGATION)).toBe('/admin/emergency-access');
  });
});
