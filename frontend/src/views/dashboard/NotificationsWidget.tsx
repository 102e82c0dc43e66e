import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError } from '../../lib/errors';
import { shortTime } from '../../lib/notifications';
import { Link } from '../../lib/router';

const DashboardNotificationsQuery = graphql(`
  query DashboardNotifications {
    notifications(first: 5) {
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

/** The latest five notifications, unread ones in bold. */
export function NotificationsWidget() {
  const [{ data, fetching, error }] = useQuery({ query: DashboardNotificationsQuery, requestPolicy: 'cache-and-network' });
  const items = data?.notifications.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {fetching && !data && <Loading label="Loading your notifications…" />}
      <ErrorNote>{data ? null : describeRequestError(error)}</ErrorNote>
      {data && items.length === 0 && <p>You have no notifications.</p>}
      {items.length > 0 && (
        <ul className="notification-list compact">
          {items.map((node) => (
            <li key={node.id} data-read={node.read}>
              {node.urgent && <span className="tag urgent">Urgent</span>}
              <Link href={node.link || '/notifications'}>
                {node.title}
                {!node.read && <span className="visually-hidden"> (unread)</span>}
              </Link>{' '}
              <time className="meta" dateTime={node.createdAt}>
                {shortTime(node.createdAt)}
              </time>
            </li>
          ))}
        </ul>
      )}
      <p className="widget-more">
        <Link href="/notifications">All notifications</Link>
      </p>
    </>
  );
}
