import { useMemo } from 'react';
import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError } from '../../lib/errors';
import { Link } from '../../lib/router';
import { KIND_LABELS } from '../progress/metrics';
import { ProgressChart } from '../progress/ProgressChart';
import { rangeFor } from '../progress/series';
import '../progress/progress.css';

const DashboardPainSeriesQuery = graphql(`
  query DashboardPainSeries($patientId: ID!, $from: DateTime!, $to: DateTime!) {
    progressSeries(patientId: $patientId, metric: { kind: PAIN }, from: $from, to: $to, bucket: DAY) {
      unit
      buckets {
        start
        end
        average
        minimum
        maximum
        count
        baseline
        target
        projected
      }
    }
  }
`);

/**
 * Pain over the last 30 days, with the Progress page's chart and its table alternative. This
 * module is loaded only when the widget is shown (React.lazy), and the chart draws with
 * Chart.js from its own chunk, so neither is in the first load.
 */
export default function ProgressWidget({ patientId }: { patientId: string | null }) {
  const range = useMemo(() => rangeFor('DAY'), []);
  const [{ data, fetching, error }] = useQuery({
    query: DashboardPainSeriesQuery,
    variables: { patientId: patientId ?? '', from: range.from, to: range.to },
    pause: !patientId,
    requestPolicy: 'cache-and-network',
  });
  if (!patientId) return <p>Progress is shown here for patients of the clinic.</p>;
  const series = data?.progressSeries;
  const measured = series?.buckets.some((bucket) => bucket.count > 0) ?? false;
  return (
    <>
      <p className="hint">The last 30 days.</p>
      {fetching && !data && <Loading label="Loading your pain chart…" />}
      <ErrorNote>{data ? null : describeRequestError(error)}</ErrorNote>
      {series && !measured && <p>No pain scores in the last 30 days yet.</p>}
      {series && measured && <ProgressChart title={KIND_LABELS.PAIN} series={series} bucket="DAY" />}
      <p className="widget-more">
        <Link href="/progress">Log pain and see all your charts</Link>
      </p>
    </>
  );
}
