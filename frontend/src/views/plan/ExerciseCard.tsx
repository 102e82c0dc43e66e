import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import type { PlanViewQuery } from '../../gql/graphql';
import { describeRequestError, describeTypedError } from '../../lib/errors';
import { describeDosage } from '../../lib/format';
import { PainSlider } from '../progress/PainSlider';
import { describeLevel, LEVEL_TAG, loggedToday, OUTCOME_WORDS, type Level, type Outcome } from './plan';

type Prescription = NonNullable<NonNullable<PlanViewQuery['myPatient']>['activePlan']>['phases'][number]['prescriptions'][number];

const LogSessionDocument = graphql(`
  mutation LogExerciseSession($input: LogExerciseSessionInput!) {
    logExerciseSession(input: $input) {
      __typename
      ... on ExerciseLogPayload {
        log {
          id
          outcome
          performedOn
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

const OUTCOMES: Outcome[] = ['DONE', 'PARTIAL', 'SKIPPED'];

export function ExerciseCard({
  prescription,
  loggable,
  today,
  todaysLogs,
  onLogged,
}: {
  prescription: Prescription;
  loggable: boolean;
  today: string;
  todaysLogs: { outcome: Outcome; prescriptionId: string }[];
  onLogged: () => void;
}) {
  const id = useId();
  const { exercise } = prescription;
  const level = prescription.level as Level;
  const logged = loggedToday(todaysLogs, prescription.id);
  const headingId = `${id}-name`;
  return (
    <article className="card exercise-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{exercise.name}</h3>
      <p className="dosage">
        <strong>How much:</strong> {describeDosage(prescription.dosage)}, {prescription.dosage.daysPerWeek} days a week
        {prescription.dosage.holdSeconds ? ` (hold each for ${prescription.dosage.holdSeconds} seconds)` : ''}.
      </p>
      <p>
        <span className={`tag level-${level.toLowerCase()}`}>{LEVEL_TAG[level]}</span>{' '}
        {describeLevel(level, exercise.name, prescription.baseExercise.name)}
      </p>
      <h4>How to do it</h4>
      <ol className="steps">
        {exercise.instructions.map((step, index) => (
          <li key={index}>{step}</li>
        ))}
      </ol>
      {exercise.equipment.length > 0 && (
        <p>
          <strong>You need:</strong> {exercise.equipment.join(', ')}
        </p>
      )}
      {prescription.notes && (
        <p>
          <strong>Your therapist&apos;s note:</strong> {prescription.notes}
        </p>
      )}
      {exercise.cautions && (
        <p className="caution">
          <strong>Take care:</strong> {exercise.cautions}
        </p>
      )}
      <Media name={exercise.name} videoUrl={exercise.videoUrl ?? null} imageUrls={exercise.imageUrls} />
      {loggable && (
        <>
          <p className="logged-today" aria-live="polite">
            {logged ? `Logged today: ${logged}.` : 'Not logged yet today.'}
          </p>
          <LogForm prescriptionId={prescription.id} name={exercise.name} today={today} onLogged={onLogged} />
        </>
      )}
    </article>
  );
}

/** Diagrams and the video; the written steps above are always their text alternative. */
function Media({ name, videoUrl, imageUrls }: { name: string; videoUrl: string | null; imageUrls: readonly string[] }) {
  if (!videoUrl && imageUrls.length === 0) return null;
  return (
    <div className="media">
      {imageUrls.length > 0 && (
        <ul className="diagrams">
          {imageUrls.map((url, index) => (
            <li key={url}>
              <figure>
                <img src={url} alt={`Diagram ${index + 1} of ${imageUrls.length} for ${name}`} loading="lazy" />
                <figcaption>The steps under &quot;How to do it&quot; describe this picture in words.</figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
      {videoUrl && (
        <p>
          <a href={videoUrl} target="_blank" rel="noopener noreferrer">
            Watch the video of {name}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
          . The steps under &quot;How to do it&quot; say the same in words.
        </p>
      )}
    </div>
  );
}

function LogForm({ prescriptionId, name, today, onLogged }: { prescriptionId: string; name: string; today: string; onLogged: () => void }) {
  const id = useId();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [withPain, setWithPain] = useState(false);
  const [pain, setPain] = useState(0);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [{ fetching }, logSession] = useMutation(LogSessionDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    if (!outcome) {
      setProblem('Please choose done, partly done or skipped.');
      return;
    }
    setProblem(null);
    const result = await logSession({
      input: { prescriptionId, outcome, performedOn: today || null, painDuring: withPain ? pain : null, note },
    });
    const payload = result.data?.logExerciseSession;
    if (!payload) {
      setProblem(describeRequestError(result.error));
      return;
    }
    if (payload.__typename === 'PlanErrors') {
      setProblem(payload.errors.map(describeTypedError).join(' '));
      return;
    }
    setSaved(`Saved: ${name}, ${OUTCOME_WORDS[outcome].toLowerCase()} today.`);
    setOutcome(null);
    setWithPain(false);
    setPain(0);
    setNote('');
    onLogged();
  }

  return (
    <form className="log-form" onSubmit={submit} aria-label={`Log today's session of ${name}`} noValidate>
      <fieldset>
        <legend>How did today&apos;s session go?</legend>
        <div className="outcome-choices">
          {OUTCOMES.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name={`${id}-outcome`} value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
              {OUTCOME_WORDS[value]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="check">
        <input id={`${id}-with-pain`} type="checkbox" checked={withPain} onChange={(event) => setWithPain(event.target.checked)} />
        <label htmlFor={`${id}-with-pain`}>Add how much pain I felt</label>
      </div>
      {withPain && <PainSlider label="Pain during the session" value={pain} onChange={setPain} />}
      <div className="field">
        <label htmlFor={`${id}-note`}>Note for your therapist (optional)</label>
        <textarea id={`${id}-note`} rows={2} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      <ErrorNote>{problem}</ErrorNote>
      <SuccessNote>{saved}</SuccessNote>
      <button type="submit" className="button" disabled={fetching} aria-busy={fetching}>
        {fetching ? 'Saving…' : "Save today's session"}
        <span className="visually-hidden"> of {name}</span>
      </button>
    </form>
  );
}
