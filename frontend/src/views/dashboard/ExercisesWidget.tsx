import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError } from '../../lib/errors';
import { describeAdherence, describeDosage } from '../../lib/format';
import { Link } from '../../lib/router';
import { loggedToday, todayIn, type Outcome } from '../plan/plan';

const DashboardExercisesQuery = graphql(`
  query DashboardExercises {
    myPatient {
      id
      timeZone
      activePlan {
        id
        title
        currentWeek
        currentPhase {
          id
          name
          focus
          prescriptions {
            id
            sessionsPerWeek
            exercise {
              id
              name
            }
            dosage {
              sets
              reps
              holdSeconds
              durationSeconds
              timesPerDay
              daysPerWeek
            }
          }
        }
      }
      adherenceThisWeek {
        prescribed
        done
        partial
        skipped
        rate
      }
    }
  }
`);

const DashboardTodaysLogsQuery = graphql(`
  query DashboardTodaysLogs($patientId: ID!, $today: Date!) {
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

/**
 * The current phase's exercises with what was logged today, and this week's adherence.
 * Logging happens on the plan page: the widget links there.
 */
export function ExercisesWidget() {
  const [{ data, fetching, error }] = useQuery({ query: DashboardExercisesQuery, requestPolicy: 'cache-and-network' });
  const patient = data?.myPatient;
  // Fields a caregiver's grant does not cover arrive as null: count days in the browser's zone then.
  const today = patient ? todayIn(patient.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone) : '';
  const plan = patient?.activePlan;
  const [logs] = useQuery({
    query: DashboardTodaysLogsQuery,
    variables: { patientId: patient?.id ?? '', today },
    pause: !plan,
    requestPolicy: 'cache-and-network',
  });
  const todaysLogs = (logs.data?.exerciseLogs.edges ?? []).map(({ node }) => ({
    outcome: node.outcome as Outcome,
    prescriptionId: node.prescription.id,
  }));
  const prescriptions = plan?.currentPhase?.prescriptions ?? [];
  const adherence = patient?.adherenceThisWeek;

  return (
    <>
      {fetching && !data && <Loading label="Loading today's exercises…" />}
      <ErrorNote>{data ? null : describeRequestError(error)}</ErrorNote>
      {data && !patient && <p>Exercises are shown here for patients of the clinic.</p>}
      {patient && !plan && <p>You have no active treatment plan yet. Your therapist will add one after your first session.</p>}
      {plan && (
        <>
          <p>
            <strong>{plan.title}</strong>
            {plan.currentWeek ? `, week ${plan.currentWeek}` : ''}
            {plan.currentPhase ? ` · ${plan.currentPhase.name}` : ''}
          </p>
          {plan.currentPhase?.focus && <p>{plan.currentPhase.focus}</p>}
          {prescriptions.length === 0 && <p>No exercises are set for this phase.</p>}
          {prescriptions.length > 0 && (
            <ul className="exercise-list">
              {prescriptions.map((prescription) => {
                const logged = loggedToday(todaysLogs, prescription.id);
                return (
                  <li key={prescription.id}>
                    <strong>{prescription.exercise.name}</strong>
                    <span>{describeDosage(prescription.dosage)}</span>
                    {logs.data && <span className="meta">{logged ? `Logged today: ${logged}.` : 'Not logged yet today.'}</span>}
                  </li>
                );
              })}
            </ul>
          )}
          <p className="widget-more">
            <Link href="/plan">Open your plan to log today&apos;s exercises</Link>
          </p>
        </>
      )}
      {plan && (
        <section className="widget-part" aria-labelledby="widget-this-week">
          <h3 id="widget-this-week">This week</h3>
          {!adherence && <p>Nothing to track this week.</p>}
          {adherence && (
            <>
              <p className="big-figure">{describeAdherence(adherence.rate)}</p>
              <progress max={1} value={adherence.rate ?? 0} aria-label="Adherence this week" />
              <dl className="figures">
                <div>
                  <dt>Done</dt>
                  <dd>{adherence.done}</dd>
                </div>
                <div>
                  <dt>Partly done</dt>
                  <dd>{adherence.partial}</dd>
                </div>
                <div>
                  <dt>Skipped</dt>
                  <dd>{adherence.skipped}</dd>
                </div>
                <div>
                  <dt>Due this week</dt>
                  <dd>{adherence.prescribed}</dd>
                </div>
              </dl>
            </>
          )}
        </section>
      )}
    </>
  );
}
