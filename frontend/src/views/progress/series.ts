/** From a progressSeries to Chart.js data and to the table that carries the same numbers. */

export type BucketSize = 'DAY' | 'WEEK' | 'MONTH';

export interface SeriesBucket {
  start: string;
  end: string;
  average?: number | null;
  minimum?: number | null;
  maximum?: number | null;
  count: number;
  baseline?: number | null;
  target?: number | null;
  projected?: number | null;
}

export interface SeriesLike {
  unit: string;
  buckets: readonly SeriesBucket[];
}

export type LineKey = 'average' | 'baseline' | 'target' | 'projected';

export interface LineStyle {
  key: LineKey;
  label: string;
  /** Words for the legend under the chart: the style, never the colour alone. */
  pattern: string;
  dash: number[];
  pointStyle: 'circle' | 'rect' | 'triangle' | 'crossRot' | false;
  width: number;
}

export const LINES: readonly LineStyle[] = [
  { key: 'average', label: 'Your values', pattern: 'solid line with round points', dash: [], pointStyle: 'circle', width: 3 },
  { key: 'baseline', label: 'Baseline (where you started)', pattern: 'long dashes', dash: [10, 6], pointStyle: false, width: 2 },
  { key: 'target', label: 'Target (your goal)', pattern: 'dotted line', dash: [2, 4], pointStyle: false, width: 3 },
  { key: 'projected', label: 'Projected (expected path to the goal)', pattern: 'dash and dot', dash: [12, 4, 2, 4], pointStyle: false, width: 2 },
];

/** Line colours with at least 3:1 contrast against the card background (WCAG 1.4.11). */
export const PALETTE: Record<'light' | 'dark', Record<LineKey, string> & { grid: string; text: string }> = {
  light: { average: '#0b5d57', baseline: '#3d4745', target: '#6a3d9a', projected: '#8a4b08', grid: '#c9d1cf', text: '#1a1f1e' },
  dark: { average: '#7fd3c9', baseline: '#c3ccca', target: '#d4b5ff', projected: '#f0b46a', grid: '#3a4543', text: '#eef2f1' },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(isoDate: string): [number, number, number] {
  const [year, month, day] = isoDate.split('-').map(Number);
  return [year ?? 1970, month ?? 1, day ?? 1];
}

/** A bucket's short label: "4 May" (day), "Week of 4 May" (week), "May 2025" (month). */
export function bucketLabel(bucket: Pick<SeriesBucket, 'start'>, size: BucketSize): string {
  const [year, month, day] = parts(bucket.start);
  const monthName = MONTHS[month - 1] ?? '';
  if (size === 'MONTH') return `${monthName} ${year}`;
  if (size === 'WEEK') return `Week of ${day} ${monthName}`;
  return `${day} ${monthName}`;
}

/** Numbers as the table and tooltips show them: at most one decimal, no trailing ".0". */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** "{score}" -> "", "deg" -> "°", "%" -> "%": what to write after a number. */
export function unitSuffix(unit: string): string {
  if (unit === 'deg') return '°';
  if (unit === '%') return '%';
  if (unit === '/d') return ' a day';
  if (unit.startsWith('{') && unit.endsWith('}')) return '';
  return ` ${unit}`;
}

export interface ChartDataset {
  key: LineKey;
  label: string;
  data: (number | null)[];
}

export interface ChartData {
  labels: string[];
  datasets: ChartDataset[];
}

/**
 * One label per bucket (empty ones too, so the time axis is even) and one dataset per line.
 * A goal line is left out when no bucket has it; the values line is always there.
 */
export function seriesToChart(series: SeriesLike, size: BucketSize): ChartData {
  const labels = series.buckets.map((bucket) => bucketLabel(bucket, size));
  const datasets: ChartDataset[] = [];
  for (const line of LINES) {
    const data = series.buckets.map((bucket) => {
      const value = bucket[line.key];
      return value === undefined || value === null ? null : Math.round(value * 10) / 10;
    });
    if (line.key !== 'average' && data.every((value) => value === null)) continue;
    datasets.push({ key: line.key, label: line.label, data });
  }
  return { labels, datasets };
}

export interface TableRow {
  key: string;
  period: string;
  average: string;
  range: string;
  count: number;
  baseline: string;
  target: string;
  projected: string;
}

/** The chart's table alternative: the same buckets and the same rounded numbers. */
export function seriesToRows(series: SeriesLike, size: BucketSize): TableRow[] {
  return series.buckets.map((bucket) => {
    const low = formatValue(bucket.minimum);
    const high = formatValue(bucket.maximum);
    return {
      key: bucket.start,
      period: size === 'DAY' ? bucketLabel(bucket, size) : `${bucketLabel(bucket, size)} (${bucket.start} to ${bucket.end})`,
      average: bucket.count > 0 ? formatValue(bucket.average) : 'No entry',
      range: bucket.count > 1 && low !== high ? `${low} to ${high}` : '',
      count: bucket.count,
      baseline: formatValue(bucket.baseline),
      target: formatValue(bucket.target),
      projected: formatValue(bucket.projected),
    };
  });
}

/** The window a chart asks for: the last 30 days, 26 weeks or 12 months up to now. */
export function rangeFor(size: BucketSize, now: Date = new Date()): { from: string; to: string } {
  const to = new Date(now.getTime() + 60_000);
  const from = new Date(now);
  if (size === 'DAY') from.setDate(from.getDate() - 29);
  else if (size === 'WEEK') from.setDate(from.getDate() - 7 * 25 - 6);
  else {
    // The first of the month before moving back, so 31 May does not overflow into July.
    from.setDate(1);
    from.setMonth(from.getMonth() - 11);
  }
  from.setHours(0, 0, 0, 0);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** One sentence summing up a series for the canvas's accessible name. */
export function summarize(series: SeriesLike, title: string): string {
  const measured = series.buckets.filter((bucket) => bucket.count > 0);
  if (measured.length === 0) return `${title}: no measurements in this period. The table lists every period.`;
  const first = measured[0]!;
  const last = measured[measured.length - 1]!;
  const suffix = unitSuffix(series.unit);
  return `${title}: ${formatValue(first.average)}${suffix} at first, ${formatValue(last.average)}${suffix} most recently, over ${measured.length} periods with entries. The table has every number.`;
}
