import { describe, expect, it } from 'vitest';
import { canMarkAttendance, describePain, describeUnit, describePlanStatus, describeWeekAdherence, isTherapist, patientName, splitThreads } from './therapist';

describe('isTherapist', () => {
  it('is true for a therapist and false for patients and anonymous visitors', () => {
    expect(isTherapist(['THERAPIST'])).toBe(true);
    expect(isTherapist(['THERAPIST', 'ADMIN'])).toBe(true);
    expect(isTherapist(['PATIENT'])).toBe(false);
    expect(isTherapist(['PATIENT', 'THERAPIST'])).toBe(false);
    expect(isTherapist(null)).toBe(false);
  });
});

describe('describing the caseload', () => {
  it('says pain out of ten, rounded, and when there is none', () => {
    expect(describePain(6)).toBe('6/10');
    expect(describePain(3.6)).toBe('4/10');
    expect(describePain(0)).toBe('0/10');
    expect(describePain(null)).toBe('No pain score yet');
  });

  it('says adherence as percent, and why there is none', () => {
    expect(describeWeekAdherence({ rate: 0.5, prescribed: 4 })).toBe('50%');
    expect(describeWeekAdherence({ rate: null, prescribed: 0 })).toBe('Nothing due yet');
    expect(describeWeekAdherence(null)).toBe('No active plan');
  });

  it('names the plan status with its week', () => {
    expect(describePlanStatus({ status: 'ACTIVE', currentWeek: 3 })).toBe('Active, week 3');
    expect(describePlanStatus({ status: 'DRAFT', currentWeek: null })).toBe('Draft');
    expect(describePlanStatus(null)).toBe('No active plan');
  });

  it('shows a preferred name beside the given one', () => {
    expect(patientName({ givenName: 'Maria', familyName: 'Gonzalez', preferredName: '' })).toBe('Maria Gonzalez');
    expect(patientName({ givenName: 'Robert', familyName: 'Hale', preferredName: 'Bob' })).toBe('Robert (Bob) Hale');
  });
});

describe('canMarkAttendance', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  it('allows a booked session once it has started', () => {
    expect(canMarkAttendance({ status: 'BOOKED', startsAt: '2026-03-02T10:00:00Z' }, now)).toBe(true);
    expect(canMarkAttendance({ status: 'BOOKED', startsAt: '2026-03-01T09:00:00Z' }, now)).toBe(true);
  });
  it('refuses future, cancelled and already marked sessions', () => {
    expect(canMarkAttendance({ status: 'BOOKED', startsAt: '2026-03-02T10:00:01Z' }, now)).toBe(false);
    expect(canMarkAttendance({ status: 'CANCELLED', startsAt: '2026-03-01T09:00:00Z' }, now)).toBe(false);
    expect(canMarkAttendance({ status: 'ATTENDED', startsAt: '2026-03-01T09:00:00Z' }, now)).toBe(false);
  });
});

describe('splitThreads', () => {
  it('puts urgent threads first and lists the others once', () => {
    const all = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const result = splitThreads([{ id: 'c' }], all);
    expect(result.urgent.map((t) => t.id)).toEqual(['c']);
    expect(result.rest.map((t) => t.id)).toEqual(['a', 'b']);
  });
});

describe('describeUnit', () => {
  it('drops UCUM annotations and spells degrees', () => {
    expect(describeUnit('{score}')).toBe('');
    expect(describeUnit('deg')).toBe('°');
    expect(describeUnit('s')).toBe(' s');
  });
});
