import { describe, expect, it } from 'vitest';
import { painValueText } from '../progress/pain';
import { chartChoices, goalMetricLabel, recordableMetrics } from '../progress/metrics';
import { adherencePercent, describeLevel, loggedToday, phaseState, todayIn, weekRange, whereYouAre } from './plan';

describe('plan words', () => {
  it('explains the chosen modification', () => {
    expect(describeLevel('REGRESSION', 'Sit to stand from a high chair', 'Sit to stand')).toMatch(/^Your therapist chose .*gentler form of "Sit to stand"/);
    expect(describeLevel('PROGRESSION', 'Quad set with leg raise', 'Quad set')).toMatch(/more demanding form of "Quad set"/);
    expect(describeLevel('STANDARD', 'Bridge', 'Bridge')).toMatch(/usually done/);
  });

  it('places phases around the current week', () => {
    expect(phaseState({ startWeek: 1, endWeek: 2 }, 3)).toBe('past');
    expect(phaseState({ startWeek: 3, endWeek: 6 }, 3)).toBe('current');
    expect(phaseState({ startWeek: 7, endWeek: 12 }, 3)).toBe('future');
    expect(phaseState({ startWeek: 1, endWeek: 2 }, null)).toBe('future');
    expect(whereYouAre(3, 12, '2025-05-01')).toBe('You are in week 3 of 12.');
    expect(whereYouAre(13, 12, '2025-05-01')).toMatch(/behind you/);
    expect(whereYouAre(null, 12, '2025-05-01')).toMatch(/^Your plan starts on/);
    expect(weekRange(3, 3)).toBe('Week 3');
    expect(weekRange(3, 6)).toBe('Weeks 3 to 6');
  });

  it('computes adherence and today in the patient time zone', () => {
    expect(adherencePercent(0.666)).toBe(67);
    expect(adherencePercent(1.2)).toBe(100);
    expect(adherencePercent(null)).toBeNull();
    const lateEvening = new Date('2025-05-02T02:30:00Z');
    expect(todayIn('America/New_York', lateEvening)).toBe('2025-05-01');
    expect(todayIn('Europe/Berlin', lateEvening)).toBe('2025-05-02');
    expect(loggedToday([{ outcome: 'DONE', prescriptionId: 'a' }, { outcome: 'PARTIAL', prescriptionId: 'a' }, { outcome: 'SKIPPED', prescriptionId: 'b' }], 'a')).toBe(
      'Done, Partly done',
    );
  });
});

describe('progress choices', () => {
  const romGoal = { kind: 'RANGE_OF_MOTION' as const, description: 'Bend', bodySite: 'KNEE', side: 'RIGHT', movement: 'FLEXION', unit: 'deg' };
  it('offers pain first, then metrics with goals, then the rest', () => {
    const choices = chartChoices([{ kind: 'PAIN', description: 'Pain', side: 'NOT_APPLICABLE', unit: '{score}' }, romGoal], [{ id: 'd1', name: 'Steps', unit: '{steps}' }]);
    expect(choices.map((c) => c.label)).toEqual([
      'Pain (0 to 10)',
      'Range of motion: right knee flexion',
      'Everyday function (0 to 100 %)',
      'How often symptoms come (times a day)',
      'Steps',
    ]);
    expect(choices[1]!.selector).toEqual({ kind: 'RANGE_OF_MOTION', bodySite: 'KNEE', side: 'RIGHT', movement: 'FLEXION', unit: null });
    expect(goalMetricLabel(romGoal)).toBe('Range of motion: right knee flexion');
  });

  it('lets the patient record function, symptom frequency and custom metrics', () => {
    const metrics = recordableMetrics([{ id: 'd1', name: 'Steps', unit: '{steps}', minimum: 0, maximum: 50000 }]);
    expect(metrics.map((m) => m.kind)).toEqual(['FUNCTION', 'SYMPTOM_FREQUENCY', 'CUSTOM']);
    expect(metrics[2]).toMatchObject({ definitionId: 'd1', max: 50000 });
  });

  it('announces pain values with words', () => {
    expect(painValueText(0)).toBe('0: no pain');
    expect(painValueText(3)).toBe('3: uncomfortable pain');
    expect(painValueText(10)).toBe('10: worst pain imaginable');
  });
});
