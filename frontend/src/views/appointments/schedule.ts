/** Scheduling helpers: days and times in a named time zone, statuses and policy in words. */

export interface SlotLike {
  startsAt: string;
  endsAt: string;
}

export interface DayGroup<T> {
  /** YYYY-MM-DD in the zone. */
  day: string;
  /** "Monday, December 7" in the zone. */
  label: string;
  slots: T[];
}

const dayKeyFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in a zone, as YYYY-MM-DD. */
export function localDay(iso: string, timeZone: string): string {
  let format = dayKeyFormats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayKeyFormats.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

export function formatDayLabel(iso: string, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(iso));
}

/** "9:30 AM" in the zone. */
export function formatTime(iso: string, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "9:30 – 10:15 AM"-style range, each end in the zone. */
export function formatTimeRange(startIso: string, endIso: string, timeZone: string, locale?: string): string {
  return `${formatTime(startIso, timeZone, locale)} to ${formatTime(endIso, timeZone, locale)}`;
}

/** "Monday, December 7, 2026 at 9:30 AM" in the zone. */
export function formatDateTime(iso: string, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** The zone's short name at that instant ("EST", "GMT+1"), so a reader knows which clock is meant. */
export function zoneAbbreviation(iso: string, timeZone: string, locale?: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** "America/New_York" -> "New York (America/New_York)". */
export function describeZone(timeZone: string): string {
  const city = timeZone.split('/').pop()?.replace(/_/g, ' ');
  return city && city !== timeZone ? `${city} time (${timeZone})` : timeZone;
}

/** Slots grouped by the day they start on in the zone, days and slots earliest first. */
export function groupSlotsByDay<T extends SlotLike>(slots: readonly T[], timeZone: string, locale?: string): DayGroup<T>[] {
  const sorted = [...slots].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const groups: DayGroup<T>[] = [];
  for (const slot of sorted) {
    const day = localDay(slot.startsAt, timeZone);
    let group = groups[groups.length - 1];
    if (!group || group.day !== day) {
      group = { day, label: formatDayLabel(slot.startsAt, timeZone, locale), slots: [] };
      groups.push(group);
    }
    group.slots.push(slot);
  }
  return groups;
}

/** The UTC instant at which a local calendar day begins in the zone (handles DST days). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  // Guess midnight UTC, then correct by the zone's offset at the guess (twice, for DST edges).
  let guess = Date.UTC(year, month - 1, date);
  for (let i = 0; i < 2; i += 1) {
    const offset = zoneOffsetMinutes(new Date(guess), timeZone);
    guess = Date.UTC(year, month - 1, date) - offset * 60_000;
  }
  return new Date(guess);
}

/** Minutes the zone is ahead of UTC at an instant. */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

export const STATUS_LABELS: Record<string, string> = {
  BOOKED: 'Booked',
  CANCELLED: 'Cancelled',
  LATE_CANCELLED: 'Cancelled late',
  ATTENDED: 'Attended',
  NO_SHOW: 'Missed',
};

export const QUESTIONNAIRE_LABELS: Record<string, string> = {
  PENDING: 'Due',
  SUBMITTED: 'Sent',
  OVERDUE: 'Overdue',
};

/** "4 of 5 sessions attended (80%)", or a sentence before any was marked. */
export function describeAttendance(tally: { attended: number; noShows: number; rate?: number | null }): string {
  const marked = tally.attended + tally.noShows;
  if (marked === 0 || tally.rate === null || tally.rate === undefined) return 'No sessions have been marked yet.';
  const sessions = marked === 1 ? 'session' : 'sessions';
  return `${tally.attended} of ${marked} ${sessions} attended (${Math.round(tally.rate * 100)}%)`;
}

export const CANCELLATION_WINDOW_HOURS = 24;
export const UNDO_MINUTES = 10;

/** Whether the start is closer than the window, when changing online may be refused. */
export function insideWindow(startsAt: string, now: Date = new Date(), hours = CANCELLATION_WINDOW_HOURS): boolean {
  return Date.parse(startsAt) - now.getTime() < hours * 3_600_000;
}

/** Whether a booking is fresh enough to be undone whatever the window. */
export function undoable(bookedAt: string, now: Date = new Date(), minutes = UNDO_MINUTES): boolean {
  return now.getTime() - Date.parse(bookedAt) <= minutes * 60_000;
}

/** "2 hours", "1 day", "1 day and 12 hours", "30 minutes" for reminder offsets. */
export function describeOffset(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
  if (rest) parts.push(`${rest} ${rest === 1 ? 'minute' : 'minutes'}`);
  return parts.join(' and ') || '0 minutes';
}
