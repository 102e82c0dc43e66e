import { describe, expect, it } from 'vitest';
import {
  caregiverErrorsByField,
  dateFromExpiry,
  describeCaregiverError,
  describeExpiry,
  describeScopes,
  describeStatus,
  expiryFromDate,
  isLive,
  SCOPE_CHOICES,
} from './words';
import { ALL_SCOPES } from '../../lib/actingFor';

describe('scopes in words', () => {
  it('lists every grantable scope once, with a description', () => {
    expect(SCOPE_CHOICES.map((choice) => choice.scope).sort()).toEqual([...ALL_SCOPES].sort());
    expect(SCOPE_CHOICES.every((choice) => choice.description.length > 10)).toBe(true);
  });

  it('reads a grant in the order of the form, and a guardian as everything', () => {
    expect(describeScopes(['MESSAGES', 'APPOINTMENTS_VIEW'])).toBe('See appointments, Message the care team');
    expect(describeScopes([])).toBe('Nothing yet');
    expect(describeScopes(['PLAN_VIEW'], 'GUARDIAN')).toBe('Everything, as a parent or guardian');
  });

  it('says where a grant stands', () => {
    expect(describeStatus('REVOKED')).toBe('Access ended (you stopped it)');
    expect(isLive('INVITED')).toBe(true);
    expect(isLive('EXPIRED')).toBe(false);
  });
});

describe('caregiver errors in plain words', () => {
  it('counts down the date-of-birth attempts', () => {
    expect(describeCaregiverError({ code: 'WRONG_DATE_OF_BIRTH', attemptsLeft: 2 })).toBe(
      'That is not the date of birth on the record. You can try 2 more times.',
    );
    expect(describeCaregiverError({ code: 'WRONG_DATE_OF_BIRTH', attemptsLeft: 1 })).toContain('1 more time.');
    expect(describeCaregiverError({ code: 'WRONG_DATE_OF_BIRTH', attemptsLeft: 0 })).toContain('no longer works');
  });

  it('puts each sentence next to its field and the rest on the form', () => {
    const found = caregiverErrorsByField([
      { code: 'NO_SCOPES', field: 'scopes' },
      { code: 'INVALID_EMAIL', field: 'email' },
      { code: 'ALREADY_HAS_ACCESS', field: null },
    ]);
    expect(found.scopes).toBe('Please choose at least one thing they may see or do.');
    expect(found.email).toContain('email address');
    expect(found.form).toContain('already has access');
  });

  it('falls back to the API message, then to a general sentence, never a bare code', () => {
    expect(describeCaregiverError({ code: 'SOMETHING_NEW', message: 'Words from the API.' })).toBe('Words from the API.');
    expect(describeCaregiverError({ code: 'SOMETHING_NEW' })).not.toContain('SOMETHING_NEW');
  });
});

describe('expiry dates', () => {
  it('turns a last day into the end of that day and back', () => {
    const iso = expiryFromDate('2030-06-15');
    expect(iso).not.toBeNull();
    expect(dateFromExpiry(iso)).toBe('2030-06-15');
    expect(expiryFromDate('15/06/2030')).toBeNull();
    expect(dateFromExpiry(null)).toBe('');
  });

  it('reads an end in words', () => {
    expect(describeExpiry(null)).toBe('No end date');
    expect(describeExpiry('2030-06-15T12:00:00Z', 'UTC')).toBe('Until June 15, 2030');
  });
});
