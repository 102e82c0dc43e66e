/** Logic of the therapist's views, kept out of the components so vitest can reach it. */

/** Whether the signed-in person works as a therapist (their home is the caseload). */
export function isTherapist(roles: readonly string[] | null | undefined): boolean {
  return !!roles && roles.includes('THERAPIST') && !roles.includes('PATIENT');
}

/** "6/10", or a sentence when nothing was logged. */
export function describePain(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'No pain score yet';
  return `${Math.round(value)}/10`;
}

/** Adherence this week as whole percent, or why there is none. */
export function describeWeekAdherence(adherence: { rate?: number | null; prescribed: number } | null | undefined): string {
  if (!adherence) return 'No active plan';
  if (adherence.rate === null || adherence.rate === undefined || adherence.prescribed === 0) return 'Nothing due yet';
  return `${Math.round(adherence.rate * 100)}%`;
}

const PLAN_STATUS: Record<string, string> = {
  DRAFT: 'Draft',
  ACTIVE: 'Active',
  COMPLETED: 'Completed',
};

export function describePlanStatus(plan: { status: string; currentWeek?: number | null } | null | undefined): string {
  if (!plan) return 'No active plan';
  const label = PLAN_STATUS[plan.status] ?? plan.status;
  return plan.currentWeek ? `${label}, week ${plan.currentWeek}` : label;
}

/** A booked session that has started can be marked attended or missed. */
export function canMarkAttendance(appointment: { status: string; startsAt: string }, now: Date = new Date()): boolean {
  return appointment.status === 'BOOKED' && Date.parse(appointment.startsAt) <= now.getTime();
}

/** Urgent threads first (in the order the API gave them), then every other thread once. */
export function splitThreads<T extends { id: string }>(urgent: readonly T[], all: readonly T[]): { urgent: T[]; rest: T[] } {
  const urgentIds = new Set(urgent.map((thread) => thread.id));
  return { urgent: [...urgent], rest: all.filter((thread) => !urgentIds.has(thread.id)) };
}

/** A patient's name as the care team uses it: "Maria Gonzalez", with the preferred name if set. */
export function patientName(patient: { givenName: string; familyName: string; preferredName?: string | null }): string {
  const given = patient.preferredName && patient.preferredName !== patient.givenName ? `${patient.givenName} (${patient.preferredName})` : patient.givenName;
  return `${given} ${patient.familyName}`;
}

/** A goal's UCUM unit in words: annotations such as "{score}" say nothing to a reader. */
export function describeUnit(unit: string): string {
  if (/^\{.*\}$/.test(unit)) return '';
  if (unit === 'deg') return '°';
  return ` ${unit}`;
}
