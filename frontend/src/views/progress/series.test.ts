import { describe, expect, it } from 'vitest';
import { bucketLabel, formatValue, rangeFor, seriesToChart, seriesToRows, summarize, unitSuffix, type SeriesLike } from './series';

const GOAL = { baseline: 6, target: 2 };
const SERIES: SeriesLike = {
  unit: '{score}',
  buckets: [
    { start: '2025-05-01', end: '2025-05-01', average: 6, minimum: 6, maximum: 6, count: 1, ...GOAL, projected: 5.93 },
    { start: '2025-05-02', end: '2025-05-02', average: null, minimum: null, maximum: null, count: 0, ...GOAL, projected: 5.87 },
    { start: '2025-05-03', end: '2025-05-03', average: 4.25, minimum: 3, maximum: 5.5, count: 2, ...GOAL, projected: 5.8 },
  ],
};

describe('seriesToChart', () => {
  it('has one label per bucket and the values, baseline, target and projected lines', () => {
    const chart = seriesToChart(SERIES, 'DAY');
    expect(chart.labels).toEqual(['1 May', '2 May', '3 May']);
    expect(chart.datasets.map((d) => d.key)).toEqual(['average', 'baseline', 'target', 'projected']);
    expect(chart.datasets[0]!.data).toEqual([6, null, 4.3]);
    expect(chart.datasets[1]!.data).toEqual([6, 6, 6]);
    expect(chart.datasets[2]!.data).toEqual([2, 2, 2]);
    expect(chart.datasets[3]!.data).toEqual([5.9, 5.9, 5.8]);
  });

  it('leaves out goal lines when there is no goal, but always keeps the values', () => {
    const bare: SeriesLike = { unit: '%', buckets: [{ start: '2025-05-05', end: '2025-05-11', average: null, count: 0 }] };
    const chart = seriesToChart(bare, 'WEEK');
    expect(chart.labels).toEqual(['Week of 5 May']);
    expect(chart.datasets.map((d) => d.key)).toEqual(['average']);
  });
});

describe('seriesToRows (the table alternative)', () => {
  it('shows the same rounded numbers as the chart, bucket by bucket', () => {
    const rows = seriesToRows(SERIES, 'DAY');
    const chart = seriesToChart(SERIES, 'DAY');
    expect(rows.map((row) => row.period)).toEqual(chart.labels);
    expect(rows.map((row) => row.average)).toEqual(['6', 'No entry', '4.3']);
    expect(rows.map((row) => row.count)).toEqual([1, 0, 2]);
    expect(rows[2]!.range).toBe('3 to 5.5');
    expect(rows.map((row) => row.projected)).toEqual(chart.datasets[3]!.data.map((value) => formatValue(value)));
    expect(rows[0]!.target).toBe('2');
  });

  it('names weeks and months with their dates', () => {
    const monthly: SeriesLike = { unit: 'deg', buckets: [{ start: '2025-04-01', end: '2025-04-30', average: 112, count: 3 }] };
    expect(seriesToRows(monthly, 'MONTH')[0]!.period).toBe('Apr 2025 (2025-04-01 to 2025-04-30)');
    expect(bucketLabel({ start: '2025-12-29' }, 'WEEK')).toBe('Week of 29 Dec');
  });
});

describe('words and ranges', () => {
  it('formats values and units', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(3.04)).toBe('3');
    expect(formatValue(3.05)).toBe('3.1');
    expect(formatValue(null)).toBe('');
    expect(unitSuffix('deg')).toBe('°');
    expect(unitSuffix('{score}')).toBe('');
    expect(unitSuffix('kg')).toBe(' kg');
  });

  it('asks for 30 days, 26 weeks or 12 months up to now', () => {
    const now = new Date(2025, 4, 31, 15, 0);
    const day = rangeFor('DAY', now);
    expect(new Date(day.from).getDate()).toBe(2);
    expect(new Date(day.to).getTime()).toBeGreaterThan(now.getTime());
    const month = rangeFor('MONTH', now);
    expect(new Date(month.from).getMonth()).toBe(5);
    expect(new Date(month.from).getFullYear()).toBe(2024);
  });

  it('sums a series up for the canvas name', () => {
    expect(summarize(SERIES, 'Pain')).toContain('Pain: 6 at first, 4.3 most recently');
    expect(summarize({ unit: '%', buckets: [] }, 'Function')).toContain('no measurements');
  });
});
