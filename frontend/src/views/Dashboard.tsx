import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import { describeRequestError } from '../lib/errors';
import { describeAdherence, describeDosage } from '../lib/format';
import { shortTime } from '../lib/notifications';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';
import { useSession } from '../session';
import { ThreadList } from './Messages';

const DashboardQuery = graphql(`
  query Dashboard {
    myPatient {
      id
      givenName
      preferredName
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
    recentNotifications: notifications(first: 5) {
      edges {
        node {
          id
          title
          link
          createdAt
          read
          urgent
        }
      }
    }
  }
`);

export default function Dashboard() {
  const { viewer } = useSession();
  const heading = usePageHeading('Your dashboard');
  const [{ data, fetching, error }] = useQuery({ query: DashboardQuery, requestPolicy: 'cache-and-network' });
  const patient = data?.myPatient;
  const plan = patient?.activePlan;
  const adherence = patient?.adherenceThisWeek;
  const name = patient?.preferredName || patient?.givenName || viewer?.displayName;

  return (
    <section aria-labelledby="dash-heading">
      <h1 id="dash-heading" ref={heading} tabIndex={-1}>
        Your dashboard
      </h1>
      {name && <p className="lead">Welcome back, {name}.</p>}
      {fetching && !data && <Loading label="Loading your dashboard…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      <div className="widgets">
        <section className="card widget" aria-labelledby="w-actions">
          <h2 id="w-actions">Quick actions</h2>
          <ul className="quick-actions">
            <li>
              <Link href="/messages/new" className="button">
                Message your therapist
              </Link>
            </li>
            <li>
              <Link href="/messages" className="button secondary">
                Read your messages
              </Link>
            </li>
            <li>
              <Link href="/account" className="button secondary">
                Security and sign-in
              </Link>
            </li>
          </ul>
        </section>

        <section className="card widget" aria-labelledby="w-today">
          <h2 id="w-today">Today&apos;s exercises</h2>
          {data && !plan && <p>You have no active treatment plan yet. Your therapist will add one after your first session.</p>}
          {plan && (
            <>
              <p>
                <strong>{plan.title}</strong>
                {plan.currentWeek ? `, week ${plan.currentWeek}` : ''}
                {plan.currentPhase ? ` · ${plan.currentPhase.name}` : ''}
              </p>
              {plan.currentPhase?.focus && <p>{plan.currentPhase.focus}</p>}
              <ul className="exercise-list">
                {(plan.currentPhase?.prescriptions ?? []).map((p) => (
                  <li key={p.id}>
                    <strong>{p.exercise.name}</strong>
                    <span>{describeDosage(p.dosage)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className="card widget" aria-labelledby="w-adherence">
          <h2 id="w-adherence">This week</h2>
          {data && !adherence && <p>Nothing to track this week.</p>}
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

        <section className="card widget" aria-labelledby="w-messages">
          <h2 id="w-messages">Recent messages</h2>
          <ThreadList first={3} compact />
          <p>
            <Link href="/messages">All messages</Link>
          </p>
        </section>

        <section className="card widget" aria-labelledby="w-notifications">
          <h2 id="w-notifications">Notifications</h2>
          {data && data.recentNotifications.edges.length === 0 && <p>You have no notifications.</p>}
          <ul className="notification-list compact">
            {data?.recentNotifications.edges.map(({ node }) => (
              <li key={node.id} data-read={node.read}>
                {node.urgent && <span className="tag urgent">Urgent</span>}
                <Link href={node.link || '/notifications'}>{node.title}</Link>{' '}
                <time className="meta" dateTime={node.createdAt}>
                  {shortTime(node.createdAt)}
                </time>
              </li>
            ))}
          </ul>
          <p>
            <Link href="/notifications">All notifications</Link>
          </p>
        </section>
      </div>
    </section>
  );
}
