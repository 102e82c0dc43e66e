import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import type { PlanViewQuery } from '../../gql/graphql';
import { allows, withoutFieldDenials } from '../../lib/actingFor';
import { useActing } from '../../session';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { ExerciseCard } from './ExerciseCard';
import { adherencePercent, longDate, phaseState, todayIn, weekRange, whereYouAre, type Outcome } from './plan';
import './plan.css';

const PlanViewDocument = graphql(`
  query PlanView {
    myPatient {
      id
      timeZone
      activePlan {
        id
        title
        condition
        goals
        expectedOutcome
        startsOn
        currentWeek
        revision
        therapist {
          id
          name
        }
        phases {
          id
          name
          focus
          startWeek
          endWeek
          startsOn
          endsOn
          prescriptions {
            id
            level
            notes
            sessionsPerWeek
            dosage {
              sets
              reps
              holdSeconds
              durationSeconds
              timesPerDay
              daysPerWeek
            }
            exercise {
              id
              name
              instructions
              equipment
              cautions
              videoUrl
              imageUrls
            }
            baseExercise {
              id
              name
            }
          }
        }
        revisions(first: 20) {
          edges {
            node {
              id
              number
              createdAt
              summary
              createdByName
              changes {
                text
              }
            }
          }
        }
      }
      adherenceThisWeek {
        week
        prescribed
        done
        partial
        skipped
        rate
      }
      plans {
        id
        title
        status
        startsOn
        completedAt
      }
    }
  }
`);

const TodaysLogsDocument = graphql(`
  query TodaysLogs($patientId: ID!, $today: Date!) {
    exerciseLogs(patientId: $patientId, from: $today, to: $today, first: 100) {
      edges {
        node {
          id
          outcome
          prescription {
            id
          }
        }
      }
    }
  }
`);

const PlanUpdatedDocument = graphql(`
  subscription PlanUpdated {
    planUpdated {
      id
      revision
      status
    }
  }
`);

type Plan = NonNullable<NonNullable<PlanViewQuery['myPatient']>['activePlan']>;
type Adherence = NonNullable<NonNullable<PlanViewQuery['myPatient']>['adherenceThisWeek']>;

export default function PlanView() {
  const heading = usePageHeading('Treatment Plan');
  const [{ data, fetching, error }, refetch] = useQuery({ query: PlanViewDocument, requestPolicy: 'cache-and-network' });
  const patient = data?.myPatient;
  // A caregiver without profile access gets no time zone: count days in the browser's.
  const today = patient ? todayIn(patient.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone) : '';
  const [logsResult, refetchLogs] = useQuery({
    query: TodaysLogsDocument,
    variables: { patientId: patient?.id ?? '', today },
    pause: !patient,
    requestPolicy: 'cache-and-network',
  });
  const [announcement, setAnnouncement] = useState('');

  useSubscription({ query: PlanUpdatedDocument }, (_, event) => {
    // The therapist changed the plan: read it again, and say so without moving focus.
    refetch({ requestPolicy: 'network-only' });
    setAnnouncement(
      event.planUpdated.status === 'ACTIVE'
        ? `Your therapist updated your plan (revision ${event.planUpdated.revision}). The page now shows the new version.`
        : 'Your therapist changed your plans. The page now shows the latest version.',
    );
    return event;
  });

  const todaysLogs = useMemo(
    () =>
      (logsResult.data?.exerciseLogs.edges ?? []).map(({ node }) => ({
        outcome: node.outcome as Outcome,
        prescriptionId: node.prescription.id,
      })),
    [logsResult.data],
  );

  const onLogged = () => {
    refetch({ requestPolicy: 'network-only' });
    refetchLogs({ requestPolicy: 'network-only' });
  };

  const plan = patient?.activePlan;
  const pastPlans = (patient?.plans ?? []).filter((item) => item.id !== plan?.id);

  return (
    <section aria-labelledby="plan-heading" className="plan-view">
      <h1 id="plan-heading" ref={heading} tabIndex={-1}>
        Treatment Plan
      </h1>
      <p className={announcement ? 'plan-updated' : 'visually-hidden'} role="status" aria-live="polite">
        {announcement}
      </p>
      {fetching && !data && <Loading label="Loading your treatment plan…" />}
      <ErrorNote>{describeRequestError(withoutFieldDenials(error))}</ErrorNote>
      {data && !patient && <p>Treatment plans are shown to patients. Your account is not a patient record.</p>}
      {patient && !plan && (
        <p>
          You have no active treatment plan yet. Your therapist adds one after your first session. Questions?{' '}
          <Link href="/messages/new">Send a message</Link>.
        </p>
      )}
      {plan && patient && (
        <>
          <PlanSummary plan={plan} />
          <AdherenceCard adherence={patient.adherenceThisWeek ?? null} />
          <Phases plan={plan} today={today} todaysLogs={todaysLogs} onLogged={onLogged} />
          <History plan={plan} />
        </>
      )}
      {pastPlans.length > 0 && (
        <section className="card" aria-labelledby="past-plans">
          <h2 id="past-plans">Earlier plans</h2>
          <ul>
            {pastPlans.map((item) => (
              <li key={item.id}>
                {item.title} — started {longDate(item.startsOn)}
                {item.completedAt ? `, completed ${new Date(item.completedAt).toLocaleDateString()}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function PlanSummary({ plan }: { plan: Plan }) {
  const lastWeek = Math.max(0, ...plan.phases.map((phase) => phase.endWeek));
  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">{plan.title}</h2>
      <p className="lead">{whereYouAre(plan.currentWeek, lastWeek, plan.startsOn)}</p>
      <dl className="plan-facts">
        <div>
          <dt>What it treats</dt>
          <dd>{plan.condition}</dd>
        </div>
        {plan.goals && (
          <div>
            <dt>Goals</dt>
            <dd>{plan.goals}</dd>
          </div>
        )}
        {plan.expectedOutcome && (
          <div>
            <dt>What to expect</dt>
            <dd>{plan.expectedOutcome}</dd>
          </div>
        )}
        <div>
          <dt>Started</dt>
          <dd>{longDate(plan.startsOn)}</dd>
        </div>
        {plan.therapist && (
          <div>
            <dt>Your therapist</dt>
            <dd>{plan.therapist.name}</dd>
          </div>
        )}
      </dl>
      <nav aria-label="Phases of your plan">
        <ol className="phase-steps">
          {plan.phases.map((phase) => {
            const state = phaseState(phase, plan.currentWeek);
            return (
              <li key={phase.id} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
                <a href={`#phase-${phase.id}`}>
                  <span className="phase-name">{phase.name}</span>
                  <span className="meta">
                    {weekRange(phase.startWeek, phase.endWeek)}
                    {state === 'current' ? ' · you are here' : state === 'past' ? ' · finished' : ' · coming up'}
                  </span>
                </a>
              </li>
            );
          })}
        </ol>
      </nav>
    </section>
  );
}

function AdherenceCard({ adherence }: { adherence: Adherence | null }) {
  const percent = adherencePercent(adherence?.rate);
  return (
    <section className="card" aria-labelledby="adherence-heading">
      <h2 id="adherence-heading">This week{adherence ? ` (week ${adherence.week})` : ''}</h2>
      {!adherence && <p>Nothing to track yet: your plan has not started.</p>}
      {adherence && (
        <>
          <p className="big-figure">
            {percent === null ? 'No sessions are due this week.' : `${percent}% of this week's sessions done`}
          </p>
          {percent !== null && <progress max={100} value={percent} aria-label={`Sessions done this week: ${percent}%`} />}
          <p>
            {adherence.done} done, {adherence.partial} partly done and {adherence.skipped} skipped, of {adherence.prescribed}{' '}
            sessions due this week. A partly done session counts as half.
          </p>
        </>
      )}
    </section>
  );
}

function Phases({
  plan,
  today,
  todaysLogs,
  onLogged,
}: {
  plan: Plan;
  today: string;
  todaysLogs: { outcome: Outcome; prescriptionId: string }[];
  onLogged: () => void;
}) {
  // A caregiver logs sessions for the patient only with PROGRESS_LOG.
  const canLog = allows(useActing().acting, 'PROGRESS_LOG');
  return (
    <>
      {plan.phases.map((phase) => {
        const state = phaseState(phase, plan.currentWeek);
        return (
          <section key={phase.id} id={`phase-${phase.id}`} className="phase" data-state={state} aria-labelledby={`phase-h-${phase.id}`}>
            <h2 id={`phase-h-${phase.id}`}>
              {phase.name}{' '}
              <span className="tag">{state === 'current' ? 'Now' : state === 'past' ? 'Finished' : 'Coming up'}</span>
            </h2>
            <p className="meta">
              {weekRange(phase.startWeek, phase.endWeek)}: {longDate(phase.startsOn)} to {longDate(phase.endsOn)}
            </p>
            {phase.focus && <p>{phase.focus}</p>}
            {state !== 'current' && phase.prescriptions.length > 0 && (
              <details className="phase-details">
                <summary>
                  {phase.prescriptions.length} exercise{phase.prescriptions.length === 1 ? '' : 's'} in this phase
                </summary>
                <ul className="exercise-cards">
                  {phase.prescriptions.map((prescription) => (
                    <li key={prescription.id}>
                      <ExerciseCard prescription={prescription} loggable={false} today={today} todaysLogs={todaysLogs} onLogged={onLogged} />
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {state === 'current' && (
              <ul className="exercise-cards">
                {phase.prescriptions.map((prescription) => (
                  <li key={prescription.id}>
                    <ExerciseCard prescription={prescription} loggable={canLog} today={today} todaysLogs={todaysLogs} onLogged={onLogged} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}

function History({ plan }: { plan: Plan }) {
  const revisions = plan.revisions.edges.map(({ node }) => node);
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Changes to your plan</h2>
      {revisions.length === 0 && <p>No changes yet.</p>}
      <ul className="revisions">
        {revisions.map((revision) => (
          <li key={revision.id}>
            <p>
              <strong>
                Version {revision.number}: {revision.summary}
              </strong>{' '}
              <span className="meta">
                {new Date(revision.createdAt).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}
                {revision.createdByName ? `, by ${revision.createdByName}` : ''}
              </span>
            </p>
            {revision.changes.length > 0 && (
              <ul>
                {revision.changes.map((change, index) => (
                  <li key={index}>{change.text}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
