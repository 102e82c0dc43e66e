import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Chart as ChartType } from 'chart.js';
import { TableWrap } from '../../components/Status';
import { LINES, PALETTE, formatValue, seriesToChart, seriesToRows, summarize, unitSuffix, type BucketSize, type SeriesLike } from './series';

function prefers(query: string): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

/**
 * A Chart.js line chart of a series with its baseline, target and projected lines, and the
 * same numbers as a table. Chart.js is imported when the first chart is drawn, so it is in a
 * chunk of its own that only the Progress page loads.
 */
export function ProgressChart({ title, series, bucket }: { title: string; series: SeriesLike; bucket: BucketSize }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartType | null>(null);
  const [failed, setFailed] = useState(false);
  const data = useMemo(() => seriesToChart(series, bucket), [series, bucket]);
  const summary = summarize(series, title);

  useEffect(() => {
    let cancelled = false;
    const scheme = prefers('(prefers-color-scheme: dark)') ? 'dark' : 'light';
    const colours = PALETTE[scheme];
    const still = prefers('(prefers-reduced-motion: reduce)');
    const suffix = unitSuffix(series.unit);
    import('./chartSetup')
      .then(({ Chart }) => {
        if (cancelled || !canvas.current) return;
        chart.current?.destroy();
        chart.current = new Chart(canvas.current, {
          type: 'line',
          data: {
            labels: data.labels,
            datasets: data.datasets.map((dataset) => {
              const line = LINES.find((item) => item.key === dataset.key)!;
              return {
                label: dataset.label,
                data: dataset.data,
                borderColor: colours[dataset.key],
                // Goal lines stay unfilled in the legend, so their boxes show the dash pattern.
                backgroundColor: dataset.key === 'average' ? colours[dataset.key] : 'transparent',
                borderDash: line.dash,
                borderWidth: line.width,
                pointStyle: line.pointStyle,
                pointRadius: line.pointStyle ? 4 : 0,
                spanGaps: dataset.key === 'average',
                tension: 0,
              };
            }),
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: still ? false : { duration: 400 },
            transitions: still ? { active: { animation: { duration: 0 } } } : undefined,
            interaction: { mode: 'index', intersect: false },
            scales: {
              x: { ticks: { color: colours.text, autoSkip: true, maxRotation: 0 }, grid: { color: colours.grid } },
              y: { ticks: { color: colours.text }, grid: { color: colours.grid }, beginAtZero: series.unit === '{score}' },
            },
            plugins: {
              legend: { labels: { color: colours.text, usePointStyle: false, boxWidth: 30 } },
              tooltip: {
                callbacks: {
                  label: (item) => `${item.dataset.label ?? ''}: ${formatValue(item.parsed.y)}${suffix}`,
                },
              },
            },
          },
        });
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [data, series.unit]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <figure className="chart">
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={summary} />
      </div>
      {failed && <p className="hint">The chart could not be drawn; the table below has every number.</p>}
      <figcaption>
        <ul className="chart-legend" aria-label="How to read the chart">
          {data.datasets.map((dataset) => {
            const line = LINES.find((item) => item.key === dataset.key)!;
            return (
              <li key={dataset.key}>
                <svg width="36" height="12" aria-hidden="true" focusable="false">
                  <line x1="0" y1="6" x2="36" y2="6" className={`swatch swatch-${dataset.key}`} strokeWidth={line.width} strokeDasharray={line.dash.join(' ') || undefined} />
                </svg>
                {dataset.label}: {line.pattern}
              </li>
            );
          })}
        </ul>
      </figcaption>
      <SeriesTable title={title} series={series} bucket={bucket} />
    </figure>
  );
}

/** The chart's numbers as a table, behind a visible "Show as table" toggle. */
export function SeriesTable({ title, series, bucket, initiallyOpen = false }: { title: string; series: SeriesLike; bucket: BucketSize; initiallyOpen?: boolean }) {
  const id = useId();
  const [open, setOpen] = useState(initiallyOpen);
  const rows = useMemo(() => seriesToRows(series, bucket), [series, bucket]);
  const hasGoal = rows.some((row) => row.target !== '');
  const suffix = unitSuffix(series.unit).trim();
  const unit = suffix ? ` (${suffix})` : '';
  return (
    <div className="series-table">
      <button type="button" className="button secondary small" aria-expanded={open} aria-controls={`${id}-table`} onClick={() => setOpen((value) => !value)}>
        {open ? 'Hide the table' : 'Show as table'}
        <span className="visually-hidden">: {title}</span>
      </button>
      <div id={`${id}-table`} hidden={!open}>
        <TableWrap label={`${title} as a table`}>
          <table>
            <caption>{title}: the numbers of the chart</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Your value{unit}</th>
                <th scope="col">Lowest to highest</th>
                <th scope="col">Entries</th>
                {hasGoal && <th scope="col">Baseline</th>}
                {hasGoal && <th scope="col">Target</th>}
                {hasGoal && <th scope="col">Projected</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-start={row.key}>
                  <th scope="row">{row.period}</th>
                  <td>{row.average}</td>
                  <td>{row.range}</td>
                  <td>{row.count}</td>
                  {hasGoal && <td>{row.baseline}</td>}
                  {hasGoal && <td>{row.target}</td>}
                  {hasGoal && <td>{row.projected}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
    </div>
  );
}
