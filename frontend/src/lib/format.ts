export interface DosageLike {
  sets?: number | null;
  reps?: number | null;
  holdSeconds?: number | null;
  durationSeconds?: number | null;
  timesPerDay: number;
}

/** "3 sets of 10, hold 5 s, twice a day" */
export function describeDosage(dosage: DosageLike): string {
  const parts: string[] = [];
  if (dosage.sets && dosage.reps) parts.push(`${dosage.sets} sets of ${dosage.reps}`);
  else if (dosage.reps) parts.push(`${dosage.reps} repetitions`);
  else if (dosage.sets) parts.push(`${dosage.sets} sets`);
  if (dosage.holdSeconds) parts.push(`hold ${dosage.holdSeconds} s`);
  if (dosage.durationSeconds) {
    const minutes = Math.round(dosage.durationSeconds / 60);
    parts.push(dosage.durationSeconds >= 60 ? `${minutes} min` : `${dosage.durationSeconds} s`);
  }
  const times = dosage.timesPerDay === 1 ? 'once a day' : dosage.timesPerDay === 2 ? 'twice a day' : `${dosage.timesPerDay} times a day`;
  parts.push(times);
  return parts.join(', ');
}

/** Adherence as whole percent, or a sentence when nothing was prescribed. */
export function describeAdherence(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return 'No sessions were due yet this week';
  return `${Math.round(rate * 100)}% of this week's sessions done`;
}
