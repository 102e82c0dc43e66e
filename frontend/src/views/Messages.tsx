import { useQuery, useSubscription } from 'urql';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import { describeRequestError } from '../lib/errors';
import { shortTime } from '../lib/notifications';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';

export const ThreadsQuery = graphql(`
  query Threads($first: Int) {
    messageThreads(first: $first) {
      edges {
        node {
          id
          subject
          status
          lastMessageAt
          unreadCount
          overdue
        }
      }
    }
    urgentThreads: messageThreads(first: 100, filter: { urgentOnly: true }) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

const ThreadListMessageAdded = graphql(`
  subscription ThreadListMessageAdded($after: ID) {
    messageAdded(after: $after) {
      id
    }
  }
`);

export function ThreadList({ first, compact = false }: { first: number; compact?: boolean }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ThreadsQuery, variables: { first }, requestPolicy: 'cache-and-network' });
  // A new message in any conversation reorders the list and moves its unread count.
  useSubscription({ query: ThreadListMessageAdded, variables: { after: null } }, (_, event) => {
    refetch({ requestPolicy: 'network-only' });
    return event;
  });
  const urgent = new Set(data?.urgentThreads.edges.map((edge) => edge.node.id) ?? []);
  const threads = data?.messageThreads.edges.map((edge) => edge.node) ?? [];
  if (fetching && !data) return <Loading label="Loading your conversations…" />;
  return (
    <>
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && threads.length === 0 && <p>No conversations yet.</p>}
      <ul className={compact ? 'thread-list compact' : 'thread-list'}>
        {threads.map((thread) => (
          <li key={thread.id} data-unread={thread.unreadCount > 0}>
            <Link href={`/messages/${encodeURIComponent(thread.id)}`}>
              {thread.subject}
              {thread.unreadCount > 0 && <span className="visually-hidden">, {thread.unreadCount} unread</span>}
              {urgent.has(thread.id) && <span className="visually-hidden">, urgent</span>}
            </Link>
            <span className="thread-tags" aria-hidden="true">
              {urgent.has(thread.id) && <span className="tag urgent">Urgent</span>}
              {thread.unreadCount > 0 && <span className="tag">{thread.unreadCount} new</span>}
              {thread.status === 'RESOLVED' && <span className="tag muted">Resolved</span>}
            </span>
            <span className="meta">
              Last message <time dateTime={thread.lastMessageAt}>{shortTime(thread.lastMessageAt)}</time>
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function Messages() {
  const heading = usePageHeading('Messages');
  return (
    <section aria-labelledby="messages-heading">
      <div className="page-head">
        <h1 id="messages-heading" ref={heading} tabIndex={-1}>
          Messages
        </h1>
        <Link href="/messages/new" className="button">
          New message
        </Link>
      </div>
      <p>Your care team usually answers within one business day.</p>
      <ThreadList first={50} />
    </section>
  );
}
