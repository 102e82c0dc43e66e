import { describe, expect, it } from 'vitest';
import {
  addDays,
  describeAttendance,
  describeOffset,
  describeZone,
  formatDateTime,
  formatTime,
  groupSlotsByDay,
  insideWindow,
  localDay,
  startOfLocalDay,
  undoable,
  zoneAbbreviation,
} from './schedule';

const slot = (startsAt: string, minutes = 45) => ({ startsAt, endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString() });

describe('groupSlotsByDay', () => {
  it('groups by the day in the viewer’s zone, not in UTC', () => {
    // 02:30 UTC on the 8th is still the evening of the 7th in New York (UTC-5 in December).
    const slots = [slot('2026-12-08T14:00:00Z'), slot('2026-12-08T02:30:00Z'), slot('2026-12-07T15:00:00Z')];
    const groups = groupSlotsByDay(slots, 'America/New_York', 'en-US');
    expect(groups.map((g) => g.day)).toEqual(['2026-12-07', '2026-12-08']);
    expect(groups[0]!.slots.map((s) => s.startsAt)).toEqual(['2026-12-07T15:00:00Z', '2026-12-08T02:30:00Z']);
    expect(groups[0]!.label).toBe('Monday, December 7');
    expect(groups[1]!.slots).toHaveLength(1);
  });

  it('puts the same instants on other days in a zone east of UTC', () => {
    const slots = [slot('2026-12-07T23:30:00Z'), slot('2026-12-07T15:00:00Z')];
    expect(groupSlotsByDay(slots, 'Asia/Tokyo', 'en-US').map((g) => [g.day, g.slots.length])).toEqual([
      ['2026-12-08', 2],
    ]);
    expect(groupSlotsByDay(slots, 'UTC', 'en-US').map((g) => [g.day, g.slots.length])).toEqual([['2026-12-07', 2]]);
  });

  it('returns nothing for no slots', () => {
    expect(groupSlotsByDay([], 'Europe/London')).toEqual([]);
  });
});

describe('time-zone formatting', () => {
  it('formats times in the named zone, with its DST abbreviation', () => {
    expect(formatTime('2026-07-01T13:00:00Z', 'America/New_York', 'en-US')).toBe('9:00 AM');
    expect(formatTime('2026-12-01T14:00:00Z', 'America/New_York', 'en-US')).toBe('9:00 AM');
    expect(zoneAbbreviation('2026-07-01T13:00:00Z', 'America/New_York', 'en-US')).toBe('EDT');
    expect(zoneAbbreviation('2026-12-01T14:00:00Z', 'America/New_York', 'en-US')).toBe('EST');
    expect(formatTime('2026-07-01T13:00:00Z', 'Europe/London', 'en-GB')).toBe('14:00');
  });

  it('writes the full date and time of the day in the zone', () => {
    expect(formatDateTime('2026-12-08T02:30:00Z', 'America/New_York', 'en-US')).toBe('Monday, December 7, 2026 at 9:30 PM');
  });

  it('names the zone in words', () => {
    expect(describeZone('America/New_York')).toBe('New York time (America/New_York)');
    expect(describeZone('UTC')).toBe('UTC');
  });

  it('finds the start of a local day across DST changes', () => {
    // New York springs forward on 2026-03-08 and falls back on 2026-11-01; midnight is EST/EDT.
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'Europe/London').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/London').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(localDay('2026-03-29T23:00:00Z', 'Europe/London')).toBe('2026-03-30');
  });

  it('adds days to plain dates across month ends', () => {
    expect(addDays('2026-12-28', 6)).toBe('2027-01-03');
  });
});

describe('policy and words', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  it('knows when the 24-hour window has closed', () => {
    expect(insideWindow('2026-12-08T11:59:00Z', now)).toBe(true);
    expect(insideWindow('2026-12-08T12:01:00Z', now)).toBe(false);
  });

  it('lets a booking made in the last 10 minutes be undone', () => {
    expect(undoable('2026-12-07T11:51:00Z', now)).toBe(true);
    expect(undoable('2026-12-07T11:49:00Z', now)).toBe(false);
  });

  it('describes attendance and reminder offsets', () => {
    expect(describeAttendance({ attended: 4, noShows: 1, rate: 0.8 })).toBe('4 of 5 sessions attended (80%)');
    expect(describeAttendance({ attended: 0, noShows: 0, rate: null })).toBe('No sessions have been marked yet.');
    expect(describeOffset(1440)).toBe('1 day');
    expect(describeOffset(120)).toBe('2 hours');
    expect(describeOffset(2190)).toBe('1 day and 12 hours and 30 minutes');
  });
});
