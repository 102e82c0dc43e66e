import { describe, expect, it } from 'vitest';
import { pathAllowed } from '../../lib/actingFor';
import {
  MAX_RANGE_DAYS,
  addDays,
  checkRange,
  dayNumber,
  defaultRange,
  describeActor,
  describeDetail,
  describeEntry,
  describeLogError,
  describeRange,
  describeResource,
  describeVerbs,
  describeWhat,
  exportHref,
  formatDay,
  possessive,
  rangeToWindow,
  requestErrorCode,
  times,
  type LogEntry,
  type Perspective,
} from './accessLog';

const PATIENT: Perspective = { reader: 'PATIENT', timeZone: 'America/New_York', locale: 'en-GB' };
const GUARDIAN: Perspective = { reader: 'GUARDIAN', patientName: 'Liam Chen', timeZone: 'America/Chicago', locale: 'en-GB' };

function entry(overrides: Partial<LogEntry>): LogEntry {
  return {
    grouping: 'DAY',
    who: 'Dr. Amara Okafor',
    role: 'THERAPIST',
    actingFor: null,
    resources: [],
    count: 1,
    firstAccessAt: '2026-03-03T14:05:00Z',
    lastAccessAt: '2026-03-03T15:00:00Z',
    day: null,
    emergencyReason: null,
    emergencyOpenedAt: null,
    ...overrides,
  };
}

describe('an entry in plain words', () => {
  it("says a therapist's routine day as one sentence, the most read part first", () => {
    const words = describeEntry(
      entry({
        day: '2026-03-03',
        count: 12,
        resources: [
          { resource: 'TreatmentPlan', action: 'READ', count: 5 },
          { resource: 'Prescription', action: 'READ', count: 4 },
          { resource: 'Measurement', action: 'READ', count: 2 },
          { resource: 'Patient', action: 'READ', count: 1 },
        ],
      }),
      PATIENT,
      2026,
    );
    expect(words.sentence).toBe('Dr. Amara Okafor (therapist) viewed your treatment plan and 3 other parts — 12 times on Tuesday 3 March');
    expect(words.emergency).toBe(false);
    expect(words.reason).toBeNull();
    expect(words.details).toEqual([
      'Viewed your treatment plan: 5 times',
      'Viewed your prescribed exercises: 4 times',
      'Viewed your measurements and pain scores: twice',
      'Viewed your profile: once',
    ]);
  });

  it('says the year of a day in another year', () => {
    const words = describeEntry(entry({ day: '2025-12-30', resources: [{ resource: 'Patient', action: 'READ', count: 1 }] }), PATIENT, 2026);
    expect(words.sentence).toBe('Dr. Amara Okafor (therapist) viewed your profile — once on Tuesday, 30 December 2025');
  });

  it("names a caregiver's request with whom they acted for, at its time on the patient's clock", () => {
    const words = describeEntry(
      entry({
        grouping: 'REQUEST',
        who: 'Grace Chen',
        role: 'CAREGIVER',
        actingFor: 'Liam Chen',
        count: 2,
        firstAccessAt: '2026-03-03T20:05:00Z',
        resources: [{ resource: 'Appointment', action: 'READ', count: 2 }],
      }),
      GUARDIAN,
      2026,
    );
    // 20:05 UTC is 14:05 in Chicago (CST, before the clocks change on 8 March).
    expect(words.sentence).toBe("Grace Chen (caregiver) for Liam viewed Liam's appointments — twice on Tuesday 3 March at 14:05");
  });

  it('highlights an emergency access with its reason, the opening said once', () => {
    const words = describeEntry(
      entry({
        grouping: 'EMERGENCY_ACCESS',
        who: 'Sunita Patel',
        count: 4,
        emergencyReason: '  Patient collapsed in the gym; need allergies now.  ',
        emergencyOpenedAt: '2026-03-03T19:00:00Z',
        resources: [
          { resource: 'Patient', action: 'READ', count: 2 },
          { resource: 'EmergencyAccess', action: 'CREATE', count: 1 },
          { resource: 'CareTeam', action: 'READ', count: 1 },
        ],
      }),
      PATIENT,
      2026,
    );
    expect(words.emergency).toBe(true);
    expect(words.reason).toBe('Patient collapsed in the gym; need allergies now.');
    expect(words.details).toEqual([
      'Viewed your profile: twice',
      'Opened emergency access to your record: once',
      'Viewed your care team: once',
    ]);
    expect(describeDetail({ resource: 'EmergencyAccess', action: 'READ', count: 2 }, 'your')).toBe(
      'Looked at the emergency access itself (its end time and reason)',
    );
    expect(words.sentence).toBe(
      'Sunita Patel (therapist) opened your record in an emergency on Tuesday 3 March at 14:00 and viewed your profile and 1 other part (3 times)',
    );
  });

  it('says an emergency access that read nothing yet as the opening alone', () => {
    const words = describeEntry(
      entry({
        grouping: 'EMERGENCY_ACCESS',
        who: 'Sunita Patel',
        emergencyReason: 'Fall in the waiting room, checking medication',
        emergencyOpenedAt: '2026-03-03T19:00:00Z',
        resources: [{ resource: 'EmergencyAccess', action: 'CREATE', count: 1 }],
      }),
      GUARDIAN,
      2026,
    );
    expect(words.sentence).toBe("Sunita Patel (therapist) opened Liam's record in an emergency on Tuesday 3 March at 13:00");
  });

  it('says "You" for the patient\'s own views, and names the patient to anyone else', () => {
    expect(describeActor({ who: 'Maria Gonzalez', role: 'PATIENT' }, PATIENT)).toBe('You');
    expect(describeActor({ who: 'Liam Chen', role: 'PATIENT' }, GUARDIAN)).toBe('Liam Chen (patient)');
    expect(describeActor({ who: 'Morgan Reyes', role: 'ADMIN' }, PATIENT)).toBe('Morgan Reyes (clinic administrator)');
    expect(describeActor({ who: 'Grace Chen', role: 'CAREGIVER', actingFor: null }, PATIENT)).toBe('Grace Chen (caregiver)');
  });

  it('groups labels: verbs in a fixed order, parts counted once, owners by perspective', () => {
    expect(
      describeVerbs([
        { resource: 'Patient', action: 'UPDATE', count: 1 },
        { resource: 'Patient', action: 'READ', count: 1 },
        { resource: 'Goal', action: 'CREATE', count: 1 },
      ]),
    ).toBe('viewed, changed and added to');
    expect(describeVerbs([{ resource: 'Patient', action: 'PURGE', count: 1 }])).toBe('opened');
    expect(
      describeWhat(
        [
          { resource: 'Patient', action: 'READ', count: 3 },
          { resource: 'Patient', action: 'UPDATE', count: 1 },
          { resource: 'Goal', action: 'READ', count: 1 },
        ],
        'your',
      ),
    ).toBe('your profile and 1 other part');
    expect(describeWhat([], 'your')).toBe('your record');
    expect(possessive({ reader: 'PATIENT' })).toBe('your');
    expect(possessive({ reader: 'GUARDIAN', patientName: 'Liam Chen' })).toBe("Liam's");
    expect(possessive({ reader: 'ADMIN', patientName: null })).toBe("the patient's");
    expect(describeResource('TreatmentPlan')).toBe('treatment plan');
    expect(describeResource('BrandNewThing')).toBe('brand new thing');
    expect([times(1), times(2), times(3)]).toEqual(['once', 'twice', '3 times']);
  });

  it('tells a day as a date on the calendar, whatever the device clock', () => {
    expect(formatDay('2026-03-03', 'en-GB')).toBe('Tuesday 3 March');
    expect(formatDay('2026-03-03', 'en-US')).toBe('Tuesday, March 3');
  });
});

describe('the date range', () => {
  it('defaults to the last 90 days up to today', () => {
    expect(defaultRange('2026-03-31')).toEqual({ from: '2025-12-31', to: '2026-03-31' });
  });

  it('accepts a range within a year, ending today at the latest', () => {
    expect(checkRange('2026-03-01', '2026-03-31', '2026-03-31')).toEqual({ ok: true, range: { from: '2026-03-01', to: '2026-03-31' } });
    expect(checkRange('2026-03-31', '2026-03-31', '2026-03-31').ok).toBe(true);
    const longest = addDays('2026-03-31', -(MAX_RANGE_DAYS - 1));
    expect(checkRange(longest, '2026-03-31', '2026-03-31').ok).toBe(true);
  });

  it('says what to fix, on the field to fix', () => {
    expect(checkRange('', '2026-03-31', '2026-03-31')).toMatchObject({ ok: false, field: 'from' });
    expect(checkRange('2026-02-30', '2026-03-31', '2026-03-31')).toMatchObject({ ok: false, field: 'from' });
    expect(checkRange('2026-03-01', 'soon', '2026-03-31')).toMatchObject({ ok: false, field: 'to' });
    expect(checkRange('2026-03-01', '2026-04-01', '2026-03-31')).toEqual({
      ok: false,
      field: 'to',
      message: 'The last day cannot be after today.',
    });
    expect(checkRange('2026-03-10', '2026-03-01', '2026-03-31')).toEqual({
      ok: false,
      field: 'from',
      message: 'The first day must be on or before the last day.',
    });
    const tooEarly = addDays('2026-03-31', -MAX_RANGE_DAYS);
    expect(checkRange(tooEarly, '2026-03-31', '2026-03-31')).toMatchObject({ ok: false, field: 'from', message: expect.stringContaining('365 days') });
  });

  it('reads only real dates', () => {
    expect(dayNumber('2024-02-29')).not.toBeNull();
    expect(dayNumber('2025-02-29')).toBeNull();
    expect(dayNumber('2025-13-01')).toBeNull();
    expect(dayNumber('25-01-01')).toBeNull();
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });

  it("asks the API for midnight to midnight after the last day, on the device's clock", () => {
    const window = rangeToWindow({ from: '2026-03-01', to: '2026-03-31' });
    expect(window.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(window.to).toBe(new Date(2026, 3, 1).toISOString());
  });

  it('says the range and links the CSV of the same window', () => {
    expect(describeRange({ from: '2026-03-01', to: '2026-03-31' }, 'en-GB')).toBe('1 March 2026 to 31 March 2026');
    expect(describeRange({ from: '2026-03-01', to: '2026-03-01' }, 'en-GB')).toBe('1 March 2026');
    expect(exportHref({ from: '2026-03-01T05:00:00.000Z', to: '2026-04-01T04:00:00.000Z' })).toBe(
      '/exports/record-access.csv?from=2026-03-01T05%3A00%3A00.000Z&to=2026-04-01T04%3A00%3A00.000Z',
    );
    expect(exportHref({ from: 'a', to: 'b' }, 'UGF0aWVudDoy')).toBe('/exports/record-access.csv?patient=UGF0aWVudDoy&from=a&to=b');
  });
});

describe("the log's errors", () => {
  it('are plain words, never codes', () => {
    expect(describeLogError('RANGE_TOO_LONG')).toBe('Please choose at most 365 days at a time.');
    expect(describeLogError('FORBIDDEN')).toMatch(/^Only the patient/);
    expect(describeLogError('SOMETHING_NEW')).toMatch(/^Something went wrong/);
    expect(describeLogError(null)).toMatch(/^Something went wrong/);
    expect(requestErrorCode({ networkError: new Error('offline') })).toBe('NETWORK');
    expect(requestErrorCode({ graphQLErrors: [{ extensions: { code: 'NOT_FOUND' } }] })).toBe('NOT_FOUND');
    expect(requestErrorCode({ graphQLErrors: [{}] })).toBe('INTERNAL');
    expect(requestErrorCode(null)).toBeNull();
  });
});

describe('acting for someone', () => {
  it('shows the access log to a guardian, not to a proxy', () => {
    const base = { patientId: 'P', patientName: 'Liam Chen' };
    expect(pathAllowed('/access-log?patient=P', { ...base, kind: 'GUARDIAN', scopes: [] })).toBe(true);
    expect(pathAllowed('/access-log', { ...base, kind: 'PROXY', scopes: ['PROFILE_VIEW', 'PLAN_VIEW'] })).toBe(false);
  });
});
