/** Words and small calculations of the Treatment Plan view (pure, tested in plan.test.ts). */

export type Level = 'REGRESSION' | 'STANDARD' | 'PROGRESSION';
export type Outcome = 'DONE' | 'PARTIAL' | 'SKIPPED';

export const OUTCOME_WORDS: Record<Outcome, string> = {
  DONE: 'Done',
  PARTIAL: 'Partly done',
  SKIPPED: 'Skipped',
};

/** The modification the therapist chose, explained to the patient. */
export function describeLevel(level: Level, exerciseName: string, baseName: string): string {
  if (level === 'REGRESSION') {
    return `Your therapist chose "${exerciseName}", a gentler form of "${baseName}", to suit you for now.`;
  }
  if (level === 'PROGRESSION') {
    return `Your therapist chose "${exerciseName}", a more demanding form of "${baseName}", because you are ready for more.`;
  }
  return 'The exercise as it is usually done.';
}

export const LEVEL_TAG: Record<Level, string> = {
  REGRESSION: 'Easier version',
  STANDARD: 'Standard version',
  PROGRESSION: 'Harder version',
};

export type PhaseState = 'past' | 'current' | 'future';

export function phaseState(phase: { startWeek: number; endWeek: number }, currentWeek: number | null | undefined): PhaseState {
  if (!currentWeek) return 'future';
  if (currentWeek > phase.endWeek) return 'past';
  if (currentWeek < phase.startWeek) return 'future';
  return 'current';
}

/** "Week 3 of 12" or "Your plan starts on 4 May". */
export function whereYouAre(currentWeek: number | null | undefined, lastWeek: number, startsOn: string): string {
  if (!currentWeek) return `Your plan starts on ${longDate(startsOn)}.`;
  if (currentWeek > lastWeek) return `All ${lastWeek} weeks of your plan are behind you.`;
  return `You are in week ${currentWeek} of ${lastWeek}.`;
}

/** "Weeks 3 to 6" / "Week 1". */
export function weekRange(startWeek: number, endWeek: number): string {
  return startWeek === endWeek ? `Week ${startWeek}` : `Weeks ${startWeek} to ${endWeek}`;
}

/** A calendar date ("2025-05-04") in words, read as a date (no time-zone shift). */
export function longDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** Today's date in a time zone, as the API's Date ("YYYY-MM-DD"). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Adherence as a whole percent (0-100), or null when nothing was due. */
export function adherencePercent(rate: number | null | undefined): number | null {
  if (rate === null || rate === undefined) return null;
  return Math.round(Math.min(1, Math.max(0, rate)) * 100);
}

/** The outcomes logged today for one prescription, in words: "Done, Partly done". */
export function loggedToday(logs: readonly { outcome: Outcome; prescriptionId: string }[], prescriptionId: string): string {
  return logs
    .filter((log) => log.prescriptionId === prescriptionId)
    .map((log) => OUTCOME_WORDS[log.outcome])
    .join(', ');
}
