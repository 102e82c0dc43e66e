import { useQuery, useSubscription } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import type { TherapistInboxQuery } from '../../gql/graphql';
import { describeRequestError } from '../../lib/errors';
import { shortTime } from '../../lib/notifications';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { patientName, splitThreads } from './therapist';
import './therapist.css';

const TherapistInboxQuery = graphql(`
  query TherapistInbox {
    urgent: messageThreads(first: 100, filter: { urgentOnly: true }) {
      edges {
        node {
          ...InboxThread
        }
      }
    }
    all: messageThreads(first: 100) {
      edges {
        node {
          ...InboxThread
        }
      }
    }
  }
  fragment InboxThread on MessageThread {
    id
    subject
    status
    lastMessageAt
    unreadCount
    overdue
    responseDueAt
    patient {
      id
      givenName
      familyName
      preferredName
    }
  }
`);

const InboxMessageAdded = graphql(`
  subscription InboxMessageAdded($after: ID) {
    messageAdded(after: $after) {
      id
    }
  }
`);

type Thread = TherapistInboxQuery['all']['edges'][number]['node'];

function ThreadItems({ threads, urgent, labelledBy }: { threads: readonly Thread[]; urgent: boolean; labelledBy: string }) {
  return (
    <ul className="thread-list" aria-labelledby={labelledBy}>
      {threads.map((thread) => (
        <li key={thread.id} data-unread={thread.unreadCount > 0}>
          <Link href={`/messages/${encodeURIComponent(thread.id)}`}>
            {thread.subject}
            {thread.patient && <span className="visually-hidden">, from {patientName(thread.patient)}</span>}
            {urgent && <span className="visually-hidden">, urgent</span>}
            {thread.overdue && <span className="visually-hidden">, overdue</span>}
            {thread.unreadCount > 0 && <span className="visually-hidden">, {thread.unreadCount} unread</span>}
          </Link>
          <span className="thread-tags" aria-hidden="true">
            {urgent && <span className="tag urgent">Urgent</span>}
            {thread.overdue && <span className="tag urgent">Overdue</span>}
            {thread.unreadCount > 0 && <span className="tag">{thread.unreadCount} new</span>}
            {thread.status === 'RESOLVED' && <span className="tag muted">Resolved</span>}
          </span>
          <span className="meta">
            {thread.patient ? `${patientName(thread.patient)} · ` : ''}
            Last message <time dateTime={thread.lastMessageAt}>{shortTime(thread.lastMessageAt)}</time>
            {thread.responseDueAt && !thread.overdue && thread.status === 'OPEN' && (
              <>
                {' '}
                · answer by <time dateTime={thread.responseDueAt}>{shortTime(thread.responseDueAt)}</time>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The therapist's inbox: unacknowledged urgent threads first, then the rest, overdue ones marked. */
export default function TherapistInbox() {
  const heading = usePageHeading('Messages');
  const [{ data, fetching, error }, refetch] = useQuery({ query: TherapistInboxQuery, requestPolicy: 'cache-and-network' });
  useSubscription({ query: InboxMessageAdded, variables: { after: null } }, (_, event) => {
    refetch({ requestPolicy: 'network-only' });
    return event;
  });
  const { urgent, rest } = splitThreads(
    data?.urgent.edges.map((edge) => edge.node) ?? [],
    data?.all.edges.map((edge) => edge.node) ?? [],
  );
  return (
    <section aria-labelledby="inbox-heading" className="therapist">
      <h1 id="inbox-heading" ref={heading} tabIndex={-1}>
        Messages
      </h1>
      {fetching && !data && <Loading label="Loading your messages…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && (
        <>
          <h2 id="urgent-heading">Urgent, not yet read</h2>
          {urgent.length === 0 ? <p>No urgent messages are waiting.</p> : <ThreadItems threads={urgent} urgent labelledBy="urgent-heading" />}
          <h2 id="other-heading">Other conversations</h2>
          {rest.length === 0 ? <p>No other conversations.</p> : <ThreadItems threads={rest} urgent={false} labelledBy="other-heading" />}
        </>
      )}
    </section>
  );
}
