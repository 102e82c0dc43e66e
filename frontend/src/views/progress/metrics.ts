/** Which metrics the Progress page charts and lets the patient record (pure). */

export type Kind = 'PAIN' | 'RANGE_OF_MOTION' | 'STRENGTH' | 'FUNCTION' | 'SYMPTOM_FREQUENCY' | 'CUSTOM';

export interface Selector {
  kind: Kind;
  definitionId?: string | null;
  bodySite?: string | null;
  side?: string | null;
  movement?: string | null;
  unit?: string | null;
}

export interface MetricChoice {
  key: string;
  label: string;
  selector: Selector;
}

interface GoalLike {
  kind: Kind;
  description: string;
  bodySite?: string | null;
  side: string;
  movement?: string | null;
  unit: string;
  definition?: { id: string; name: string } | null;
}

interface DefinitionLike {
  id: string;
  name: string;
  unit: string;
  minimum?: number | null;
  maximum?: number | null;
}

function words(value: string | null | undefined): string {
  return (value ?? '').toLowerCase().replace(/_/g, ' ');
}

/** "Range of motion: right knee flexion" */
export function goalMetricLabel(goal: GoalLike): string {
  if (goal.kind === 'CUSTOM') return goal.definition?.name ?? goal.description;
  const side = goal.side === 'LEFT' || goal.side === 'RIGHT' ? `${words(goal.side)} ` : '';
  const where = [goal.bodySite ? `${side}${words(goal.bodySite)}` : '', words(goal.movement)].filter(Boolean).join(' ');
  const kind = goal.kind === 'RANGE_OF_MOTION' ? 'Range of motion' : goal.kind === 'STRENGTH' ? 'Strength' : KIND_LABELS[goal.kind];
  return where ? `${kind}: ${where}` : kind;
}

export const KIND_LABELS: Record<Kind, string> = {
  PAIN: 'Pain (0 to 10)',
  RANGE_OF_MOTION: 'Range of motion',
  STRENGTH: 'Strength',
  FUNCTION: 'Everyday function (0 to 100 %)',
  SYMPTOM_FREQUENCY: 'How often symptoms come (times a day)',
  CUSTOM: 'Other',
};

/** Pain first, then the metrics with a goal, then function, symptom frequency and custom ones. */
export function chartChoices(goals: readonly GoalLike[], definitions: readonly DefinitionLike[]): MetricChoice[] {
  const choices: MetricChoice[] = [{ key: 'PAIN', label: KIND_LABELS.PAIN, selector: { kind: 'PAIN' } }];
  const seen = new Set(['PAIN']);
  const add = (choice: MetricChoice) => {
    if (seen.has(choice.key)) return;
    seen.add(choice.key);
    choices.push(choice);
  };
  for (const goal of goals) {
    if (goal.kind === 'PAIN') continue;
    const selector: Selector =
      goal.kind === 'CUSTOM'
        ? { kind: 'CUSTOM', definitionId: goal.definition?.id ?? null }
        : {
            kind: goal.kind,
            bodySite: goal.bodySite ?? null,
            side: goal.side,
            movement: goal.movement ?? null,
            unit: goal.kind === 'STRENGTH' ? goal.unit : null,
          };
    add({ key: JSON.stringify(selector), label: goalMetricLabel(goal), selector });
  }
  add({ key: 'FUNCTION', label: KIND_LABELS.FUNCTION, selector: { kind: 'FUNCTION' } });
  add({ key: 'SYMPTOM_FREQUENCY', label: KIND_LABELS.SYMPTOM_FREQUENCY, selector: { kind: 'SYMPTOM_FREQUENCY' } });
  for (const definition of definitions) {
    const selector: Selector = { kind: 'CUSTOM', definitionId: definition.id };
    add({ key: JSON.stringify(selector), label: definition.name, selector });
  }
  return choices;
}

export interface RecordableMetric {
  key: string;
  label: string;
  kind: Kind;
  definitionId: string | null;
  min: number;
  max: number | null;
  step: number;
  unit: string;
}

/** What a patient records themselves besides pain (the care team records the rest). */
export function recordableMetrics(definitions: readonly DefinitionLike[]): RecordableMetric[] {
  return [
    { key: 'FUNCTION', label: KIND_LABELS.FUNCTION, kind: 'FUNCTION', definitionId: null, min: 0, max: 100, step: 1, unit: '%' },
    { key: 'SYMPTOM_FREQUENCY', label: KIND_LABELS.SYMPTOM_FREQUENCY, kind: 'SYMPTOM_FREQUENCY', definitionId: null, min: 0, max: null, step: 1, unit: '/d' },
    ...definitions.map((definition) => ({
      key: definition.id,
      label: definition.name,
      kind: 'CUSTOM' as const,
      definitionId: definition.id,
      min: definition.minimum ?? 0,
      max: definition.maximum ?? null,
      step: 0.1,
      unit: definition.unit,
    })),
  ];
}

export const GOAL_STATUS_WORDS: Record<string, string> = {
  ACTIVE: 'In progress',
  ACHIEVED: 'Reached',
  STOPPED: 'Stopped',
};
