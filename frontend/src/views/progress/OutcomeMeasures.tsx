import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError, describeTypedError } from '../../lib/errors';
import { formatValue } from './series';

const OutcomeMeasuresDocument = graphql(`
  query OutcomeMeasures($patientId: ID!) {
    outcomeMeasures(patientId: $patientId, first: 10) {
      edges {
        node {
          id
          measure
          score
          maximum
          interpretation
          activities
          answers
          submittedAt
        }
      }
    }
  }
`);

const SubmitOutcomeMeasureDocument = graphql(`
  mutation SubmitOutcomeMeasure($input: SubmitOutcomeMeasureInput!) {
    submitOutcomeMeasure(input: $input) {
      __typename
      ... on OutcomeMeasureResult {
        id
        measure
        score
        maximum
        interpretation
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

export const MEASURE_NAMES: Record<string, string> = {
  PSFS: 'Patient-Specific Functional Scale',
  LEFS: 'Lower Extremity Functional Scale',
  ODI: 'Oswestry Disability Index',
  NDI: 'Neck Disability Index',
  QUICK_DASH: 'QuickDASH',
};

const RATINGS = Array.from({ length: 11 }, (_, value) => value);

function ratingWords(value: number): string {
  if (value === 0) return '0: unable to do it';
  if (value === 10) return '10: able to do it as well as before';
  return String(value);
}

/** Per-item problems ("activities[1]", "answers[1]") keyed by their row. */
function rowProblems(errors: readonly { code: string; field?: string | null; message: string }[]): { rows: Record<number, string>; form: string } {
  const rows: Record<number, string> = {};
  const form: string[] = [];
  for (const error of errors) {
    const match = /^(?:activities|answers)\[(\d+)\]$/.exec(error.field ?? '');
    if (match) rows[Number(match[1])] = describeTypedError(error);
    else form.push(describeTypedError(error));
  }
  return { rows, form: form.join(' ') };
}

/**
 * The Patient-Specific Functional Scale (Stratford 1995): three to five activities the
 * patient finds hard, in their own words, each rated 0-10; the server scores it.
 */
export function OutcomeMeasures({ patientId }: { patientId: string }) {
  const id = useId();
  const [{ data, fetching, error }, refetch] = useQuery({ query: OutcomeMeasuresDocument, variables: { patientId } });
  const [activities, setActivities] = useState<string[]>(['', '', '']);
  const [ratings, setRatings] = useState<(number | null)[]>([null, null, null]);
  const [problems, setProblems] = useState<{ rows: Record<number, string>; form: string }>({ rows: {}, form: '' });
  const [result, setResult] = useState<string | null>(null);
  const [{ fetching: sending }, submit] = useMutation(SubmitOutcomeMeasureDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    const rows: Record<number, string> = {};
    activities.forEach((activity, index) => {
      if (!activity.trim()) rows[index] = 'Please name the activity.';
      else if (ratings[index] === null) rows[index] = 'Please rate this activity.';
    });
    if (Object.keys(rows).length > 0) {
      setProblems({ rows, form: 'Please complete every activity.' });
      return;
    }
    setProblems({ rows: {}, form: '' });
    const response = await submit({ input: { patientId, measure: 'PSFS', answers: ratings, activities } });
    const payload = response.data?.submitOutcomeMeasure;
    if (!payload) return setProblems({ rows: {}, form: describeRequestError(response.error) ?? '' });
    if (payload.__typename === 'ProgressErrors') return setProblems(rowProblems(payload.errors));
    setResult(`Your score: ${formatValue(payload.score)} out of ${formatValue(payload.maximum)}. ${payload.interpretation}`);
    setActivities(['', '', '']);
    setRatings([null, null, null]);
    refetch({ requestPolicy: 'network-only' });
  }

  const history = data?.outcomeMeasures.edges.map(({ node }) => node) ?? [];

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Questionnaires</h2>
      <form onSubmit={onSubmit} noValidate aria-labelledby={`${id}-form-h`}>
        <h3 id={`${id}-form-h`}>{MEASURE_NAMES.PSFS}</h3>
        <p>
          Name three to five everyday activities you find hard because of your condition, then rate how well you can do each
          today: 0 means you cannot do it at all, 10 means you can do it as well as before your problem began.
        </p>
        {activities.map((activity, index) => {
          const rowError = problems.rows[index];
          const errorId = `${id}-err-${index}`;
          return (
            <fieldset key={index} className="psfs-item">
              <legend>Activity {index + 1}</legend>
              <div className="field">
                <label htmlFor={`${id}-a-${index}`}>What activity?</label>
                <input
                  id={`${id}-a-${index}`}
                  value={activity}
                  maxLength={120}
                  aria-invalid={rowError && !activity.trim() ? true : undefined}
                  aria-describedby={rowError ? errorId : undefined}
                  onChange={(event) => setActivities((list) => list.map((item, i) => (i === index ? event.target.value : item)))}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-r-${index}`}>How well can you do it today?</label>
                <select
                  id={`${id}-r-${index}`}
                  value={ratings[index] ?? ''}
                  aria-invalid={rowError && ratings[index] === null ? true : undefined}
                  aria-describedby={rowError ? errorId : undefined}
                  onChange={(event) =>
                    setRatings((list) => list.map((item, i) => (i === index ? (event.target.value === '' ? null : Number(event.target.value)) : item)))
                  }
                >
                  <option value="">Choose 0 to 10</option>
                  {RATINGS.map((value) => (
                    <option key={value} value={value}>
                      {ratingWords(value)}
                    </option>
                  ))}
                </select>
              </div>
              {rowError && (
                <p className="field-error" id={errorId}>
                  {rowError}
                </p>
              )}
            </fieldset>
          );
        })}
        <div className="psfs-actions">
          {activities.length < 5 && (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setActivities((list) => [...list, '']);
                setRatings((list) => [...list, null]);
              }}
            >
              Add another activity
            </button>
          )}
          {activities.length > 3 && (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setActivities((list) => list.slice(0, -1));
                setRatings((list) => list.slice(0, -1));
              }}
            >
              Remove the last activity
            </button>
          )}
        </div>
        <ErrorNote>{problems.form}</ErrorNote>
        <SuccessNote>{result}</SuccessNote>
        <button type="submit" className="button" disabled={sending} aria-busy={sending}>
          {sending ? 'Sending…' : 'Send the questionnaire'}
        </button>
      </form>
      <h3>Your earlier questionnaires</h3>
      {fetching && !data && <Loading label="Loading your questionnaires…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && history.length === 0 && <p>None yet.</p>}
      <ul className="measure-history">
        {history.map((item) => (
          <li key={item.id}>
            <strong>
              {MEASURE_NAMES[item.measure] ?? item.measure}: {formatValue(item.score)} out of {formatValue(item.maximum)}
            </strong>{' '}
            <span className="meta">{new Date(item.submittedAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}</span>
            <p>{item.interpretation}</p>
            {item.activities.length > 0 && (
              <ul>
                {item.activities.map((activity, index) => (
                  <li key={index}>
                    {activity}: {item.answers[index] ?? 'not answered'}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
