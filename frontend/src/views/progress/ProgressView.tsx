import { useId, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import type { MetricSelector } from '../../gql/graphql';
import { allows } from '../../lib/actingFor';
import { describeRequestError, describeTypedError } from '../../lib/errors';
import { useActing } from '../../session';
import { usePageHeading } from '../../lib/page';
import { longDate } from '../plan/plan';
import { chartChoices, GOAL_STATUS_WORDS, goalMetricLabel, recordableMetrics } from './metrics';
import { OutcomeMeasures } from './OutcomeMeasures';
import { painValueText } from './pain';
import { PainSlider } from './PainSlider';
import { ProgressChart } from './ProgressChart';
import { formatValue, rangeFor, unitSuffix, type BucketSize } from './series';
import './progress.css';

const ProgressPageDocument = graphql(`
  query ProgressPage {
    myPatient {
      id
      latestPain {
        id
        value
        measuredAt
      }
      progressGoals {
        id
        description
        kind
        bodySite
        side
        movement
        unit
        baselineValue
        baselineAt
        targetValue
        targetDate
        status
        definition {
          id
          name
        }
      }
    }
  }
`);

const MetricDefinitionsDocument = graphql(`
  query MetricDefinitions($patientId: ID!) {
    metricDefinitions(patientId: $patientId) {
      id
      name
      unit
      minimum
      maximum
      higherIsBetter
    }
  }
`);

const ProgressSeriesDocument = graphql(`
  query ProgressSeries($patientId: ID!, $metric: MetricSelector!, $from: DateTime!, $to: DateTime!, $bucket: Bucket!) {
    progressSeries(patientId: $patientId, metric: $metric, from: $from, to: $to, bucket: $bucket) {
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
      goal {
        id
        description
      }
    }
  }
`);

const RecordMeasurementDocument = graphql(`
  mutation RecordMeasurement($input: RecordMeasurementInput!) {
    recordMeasurement(input: $input) {
      __typename
      ... on MeasurementPayload {
        measurement {
          id
          kind
          value
          unit
          measuredAt
        }
      }
      ... on ProgressErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

const BUCKETS: { value: BucketSize; label: string }[] = [
  { value: 'DAY', label: 'Days (last 30)' },
  { value: 'WEEK', label: 'Weeks (last 26)' },
  { value: 'MONTH', label: 'Months (last 12)' },
];

export default function ProgressView() {
  const heading = usePageHeading('Progress');
  // A caregiver logs for the patient only with PROGRESS_LOG; seeing needs PROGRESS_VIEW.
  const canLog = allows(useActing().acting, 'PROGRESS_LOG');
  const [{ data, fetching, error }, refetchPage] = useQuery({ query: ProgressPageDocument, requestPolicy: 'cache-and-network' });
  const patient = data?.myPatient;
  const [definitionsResult] = useQuery({
    query: MetricDefinitionsDocument,
    variables: { patientId: patient?.id ?? '' },
    pause: !patient,
  });
  const definitions = useMemo(() => definitionsResult.data?.metricDefinitions ?? [], [definitionsResult.data]);
  const goals = useMemo(() => patient?.progressGoals ?? [], [patient]);
  const [revision, setRevision] = useState(0);
  const recorded = () => {
    setRevision((value) => value + 1);
    refetchPage({ requestPolicy: 'network-only' });
  };

  return (
    <section aria-labelledby="progress-heading" className="progress-view">
      <h1 id="progress-heading" ref={heading} tabIndex={-1}>
        Progress
      </h1>
      {fetching && !data && <Loading label="Loading your progress…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && !patient && <p>Progress is shown to patients. Your account is not a patient record.</p>}
      {patient && (
        <>
          {canLog && (
            <div className="progress-forms">
              <PainForm patientId={patient.id} latest={patient.latestPain ?? null} onRecorded={recorded} />
              <OtherMetricForm patientId={patient.id} definitions={definitions} onRecorded={recorded} />
            </div>
          )}
          <Charts patientId={patient.id} goals={goals} definitions={definitions} revision={revision} />
          <Goals goals={goals} />
          <OutcomeMeasures patientId={patient.id} />
        </>
      )}
    </section>
  );
}

function PainForm({
  patientId,
  latest,
  onRecorded,
}: {
  patientId: string;
  latest: { value: number; measuredAt: string } | null;
  onRecorded: () => void;
}) {
  const [pain, setPain] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [{ fetching }, record] = useMutation(RecordMeasurementDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    setProblem(null);
    const result = await record({ input: { patientId, kind: 'PAIN', value: pain } });
    const payload = result.data?.recordMeasurement;
    if (!payload) return setProblem(describeRequestError(result.error));
    if (payload.__typename === 'ProgressErrors') return setProblem(payload.errors.map(describeTypedError).join(' '));
    setSaved(`Saved: pain ${painValueText(pain)}. The chart below now includes it.`);
    onRecorded();
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="pain-form-heading" noValidate>
      <h2 id="pain-form-heading">How is your pain right now?</h2>
      {latest && (
        <p className="meta">
          Last time ({new Date(latest.measuredAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}): {painValueText(latest.value)}.
        </p>
      )}
      <PainSlider label="Pain now" value={pain} onChange={setPain} hint="Use the arrow keys, or Home for 0 and End for 10." />
      <ErrorNote>{problem}</ErrorNote>
      <SuccessNote>{saved}</SuccessNote>
      <button type="submit" className="button" disabled={fetching} aria-busy={fetching}>
        {fetching ? 'Saving…' : 'Save pain score'}
      </button>
    </form>
  );
}

function OtherMetricForm({
  patientId,
  definitions,
  onRecorded,
}: {
  patientId: string;
  definitions: readonly { id: string; name: string; unit: string; minimum?: number | null; maximum?: number | null }[];
  onRecorded: () => void;
}) {
  const id = useId();
  const metrics = useMemo(() => recordableMetrics(definitions), [definitions]);
  const [key, setKey] = useState('FUNCTION');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [{ fetching }, record] = useMutation(RecordMeasurementDocument);
  const metric = metrics.find((item) => item.key === key) ?? metrics[0]!;
  const range = metric.max === null ? `${metric.min} or more` : `${metric.min} to ${metric.max}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const number = Number(value.replace(',', '.'));
    if (value.trim() === '' || Number.isNaN(number)) return setProblem('Please enter a number.');
    setProblem(null);
    const result = await record({
      input: { patientId, kind: metric.kind, value: number, definitionId: metric.definitionId },
    });
    const payload = result.data?.recordMeasurement;
    if (!payload) return setProblem(describeRequestError(result.error));
    if (payload.__typename === 'ProgressErrors') return setProblem(payload.errors.map(describeTypedError).join(' '));
    setSaved(`Saved: ${metric.label}, ${formatValue(number)}${unitSuffix(metric.unit)}.`);
    setValue('');
    onRecorded();
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-h`} noValidate>
      <h2 id={`${id}-h`}>Record something else</h2>
      <div className="field">
        <label htmlFor={`${id}-metric`}>What to record</label>
        <select id={`${id}-metric`} value={key} onChange={(event) => setKey(event.target.value)}>
          {metrics.map((item) => (
            <option key={item.key} value={item.key}>
              {item.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>Value</label>
        <p className="hint" id={`${id}-hint`}>
          A number from {range}.
        </p>
        <input
          id={`${id}-value`}
          inputMode="decimal"
          value={value}
          aria-describedby={`${id}-hint`}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
      </div>
      <ErrorNote>{problem}</ErrorNote>
      <SuccessNote>{saved}</SuccessNote>
      <button type="submit" className="button" disabled={fetching} aria-busy={fetching}>
        {fetching ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

function Charts({
  patientId,
  goals,
  definitions,
  revision,
}: {
  patientId: string;
  goals: Parameters<typeof chartChoices>[0];
  definitions: Parameters<typeof chartChoices>[1];
  revision: number;
}) {
  const id = useId();
  const choices = useMemo(() => chartChoices(goals, definitions), [goals, definitions]);
  const [choiceKey, setChoiceKey] = useState('PAIN');
  const [bucket, setBucket] = useState<BucketSize>('DAY');
  const choice = choices.find((item) => item.key === choiceKey) ?? choices[0]!;
  // The window is fixed per bucket size and per saved entry, so a new entry shows at once.
  const range = useMemo(() => rangeFor(bucket), [bucket, revision]);
  const [{ data, fetching, error }] = useQuery({
    query: ProgressSeriesDocument,
    variables: { patientId, metric: choice.selector as MetricSelector, from: range.from, to: range.to, bucket },
    requestPolicy: 'cache-and-network',
  });
  const series = data?.progressSeries;
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Your chart</h2>
      <div className="chart-controls">
        <div className="field">
          <label htmlFor={`${id}-metric`}>Show</label>
          <select id={`${id}-metric`} value={choice.key} onChange={(event) => setChoiceKey(event.target.value)}>
            {choices.map((item) => (
              <option key={item.key} value={item.key}>
                {item.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="bucket-choice">
          <legend>Group by</legend>
          {BUCKETS.map((item) => (
            <label key={item.value} className="choice">
              <input type="radio" name={`${id}-bucket`} value={item.value} checked={bucket === item.value} onChange={() => setBucket(item.value)} />
              {item.label}
            </label>
          ))}
        </fieldset>
      </div>
      {fetching && !series && <Loading label="Loading the chart…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {series && (
        <>
          {series.goal && <p>Goal: {series.goal.description}.</p>}
          <ProgressChart title={choice.label} series={series} bucket={bucket} />
        </>
      )}
    </section>
  );
}

type GoalItem = Parameters<typeof goalMetricLabel>[0] & { id: string; baselineValue: number; targetValue: number; targetDate: string; status: string };

function Goals({ goals }: { goals: readonly GoalItem[] }) {
  return (
    <section className="card" aria-labelledby="goals-heading">
      <h2 id="goals-heading">Your goals</h2>
      {goals.length === 0 && <p>Your therapist has not set measurable goals yet.</p>}
      <ul className="goal-list">
        {goals.map((goal) => {
          const suffix = unitSuffix(goal.unit);
          return (
            <li key={goal.id}>
              <p>
                <strong>{goal.description}</strong> <span className="tag">{GOAL_STATUS_WORDS[goal.status] ?? goal.status}</span>
              </p>
              <p className="meta">
                {goalMetricLabel(goal)}: from {formatValue(goal.baselineValue)}
                {suffix} to {formatValue(goal.targetValue)}
                {suffix} by {longDate(goal.targetDate)}.
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
