import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SeriesTable } from './ProgressChart';
import type { SeriesLike } from './series';

const SERIES: SeriesLike = {
  unit: '{score}',
  buckets: [
    { start: '2025-05-01', end: '2025-05-01', average: 5, minimum: 5, maximum: 5, count: 1, baseline: 6, target: 2, projected: 5.9 },
    { start: '2025-05-02', end: '2025-05-02', average: 3, minimum: 3, maximum: 3, count: 1, baseline: 6, target: 2, projected: 5.8 },
  ],
};

afterEach(cleanup);

describe('SeriesTable', () => {
  it('is behind a visible toggle and holds the chart numbers', () => {
    render(<SeriesTable title="Pain (0 to 10)" series={SERIES} bucket="DAY" />);
    const toggle = screen.getByRole('button', { name: /Show as table/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('table')).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const table = screen.getByRole('table', { name: /Pain \(0 to 10\): the numbers of the chart/ });
    const headers = within(table).getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headers).toEqual(['Period', 'Your value', 'Lowest to highest', 'Entries', 'Baseline', 'Target', 'Projected']);
    const row = within(table).getByRole('row', { name: /2 May/ });
    expect(within(row).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['3', '', '1', '6', '2', '5.8']);
  });

  it('has no goal columns without a goal', () => {
    const bare: SeriesLike = { unit: '%', buckets: [{ start: '2025-05-01', end: '2025-05-01', average: 40, count: 1 }] };
    render(<SeriesTable title="Function" series={bare} bucket="DAY" initiallyOpen />);
    const headers = screen.getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headers).toEqual(['Period', 'Your value (%)', 'Lowest to highest', 'Entries']);
  });
});
