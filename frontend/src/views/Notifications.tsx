import { useMutation, useQuery } from 'urql';
import { MarkAllReadMutation, MarkReadMutation, NotificationList } from '../components/NotificationBell';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import { describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';

const AllNotificationsQuery = graphql(`
  query AllNotifications {
    notifications(first: 100) {
      edges {
        node {
          id
          title
          body
          link
          createdAt
          read
          urgent
        }
      }
    }
  }
`);

export default function Notifications() {
  const heading = usePageHeading('Notifications');
  const [{ data, fetching, error }, refetch] = useQuery({ query: AllNotificationsQuery, requestPolicy: 'cache-and-network' });
  const [, markRead] = useMutation(MarkReadMutation);
  const [{ fetching: markingAll }, markAll] = useMutation(MarkAllReadMutation);
  const items = data?.notifications.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="notifications-heading">
      <h1 id="notifications-heading" ref={heading} tabIndex={-1}>
        Notifications
      </h1>
      <p>
        <Link href="/account/notifications">Choose how you are notified</Link>
      </p>
      <button
        type="button"
        className="button secondary"
        disabled={markingAll || items.every((item) => item.read)}
        aria-busy={markingAll}
        onClick={async () => {
          await markAll({});
          refetch({ requestPolicy: 'network-only' });
        }}
      >
        {markingAll ? 'Marking…' : 'Mark all read'}
      </button>
      {fetching && !data && <Loading label="Loading notifications…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && items.length === 0 && <p>You have no notifications.</p>}
      <NotificationList
        items={items}
        onRead={async (item) => {
          await markRead({ id: item.id });
        }}
      />
    </section>
  );
}
