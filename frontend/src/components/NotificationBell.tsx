import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import { describeRequestError } from '../lib/errors';
import { bellLabel, mergeNotifications, shortTime, type NotificationItem } from '../lib/notifications';
import { Link } from '../lib/router';
import { ErrorNote, Loading } from './Status';

export const BellQuery = graphql(`
  query Bell {
    unreadNotificationCount
    notifications(first: 10) {
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

const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded($after: ID) {
    notificationAdded(after: $after) {
      id
      title
      body
      link
      createdAt
      read
      urgent
    }
  }
`);

export const MarkReadMutation = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      unreadNotificationCount
      notification {
        id
        read
        readAt
      }
    }
  }
`);

export const MarkAllReadMutation = graphql(`
  mutation MarkAllNotificationsRead {
    markAllNotificationsRead {
      markedRead
      unreadNotificationCount
    }
  }
`);

export function NotificationBell() {
  const [{ data, fetching, error }] = useQuery({ query: BellQuery, requestPolicy: 'cache-and-network' });
  const [items, setItems] = useState<NotificationItem[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [cursor, setCursor] = useState<{ after: string | null } | null>(null);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [, markRead] = useMutation(MarkReadMutation);
  const [{ fetching: markingAll }, markAll] = useMutation(MarkAllReadMutation);

  useEffect(() => {
    if (!data) return;
    const nodes = data.notifications.edges.map((edge) => edge.node);
    setItems((current) => mergeNotifications(current.filter((item) => nodes.every((n) => n.id !== item.id)), nodes));
    setUnread(data.unreadNotificationCount);
    // Subscribe once, from the newest notification the first load showed.
    setCursor((current) => current ?? { after: nodes[0]?.id ?? null });
  }, [data]);

  useSubscription({ query: NotificationAddedSubscription, variables: cursor ?? { after: null }, pause: cursor === null }, (_, event) => {
    const added = event.notificationAdded;
    setItems((current) => {
      if (current.some((item) => item.id === added.id)) return current;
      if (!added.read) setUnread((count) => count + 1);
      return mergeNotifications(current, [added]);
    });
    return event;
  });

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [open]);

  async function read(item: NotificationItem) {
    const result = await markRead({ id: item.id });
    const payload = result.data?.markNotificationRead;
    if (!payload) return;
    setUnread(payload.unreadNotificationCount);
    setItems((current) => current.map((n) => (n.id === item.id ? { ...n, read: true } : n)));
  }

  async function readAll() {
    const result = await markAll({});
    const payload = result.data?.markAllNotificationsRead;
    if (!payload) return;
    setUnread(payload.unreadNotificationCount);
    setItems((current) => current.map((n) => ({ ...n, read: true })));
  }

  return (
    <div className="bell">
      <button
        ref={buttonRef}
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={bellLabel(unread)}
        data-testid="bell"
        onClick={() => setOpen((value) => !value)}
      >
        <svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 24 24">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 && (
          <span className="badge" aria-hidden="true" data-testid="bell-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {unread > 0 ? `${unread} unread notifications` : ''}
      </span>
      <div ref={panelRef} id={panelId} className="bell-panel" hidden={!open} role="region" aria-label="Notifications">
        <div className="bell-panel-head">
          <h2>Notifications</h2>
          <button type="button" className="button small secondary" onClick={readAll} disabled={markingAll || unread === 0} aria-busy={markingAll}>
            {markingAll ? 'Marking…' : 'Mark all read'}
          </button>
        </div>
        {fetching && !data && <Loading label="Loading notifications…" />}
        <ErrorNote>{describeRequestError(error)}</ErrorNote>
        {data && items.length === 0 && <p>You have no notifications.</p>}
        <NotificationList items={items} onRead={read} onFollow={() => setOpen(false)} />
        <p>
          <Link href="/notifications" onClick={() => setOpen(false)}>
            See all notifications
          </Link>
        </p>
      </div>
    </div>
  );
}

export function NotificationList({
  items,
  onRead,
  onFollow,
}: {
  items: readonly NotificationItem[];
  onRead: (item: NotificationItem) => void;
  onFollow?: () => void;
}) {
  return (
    <ul className="notification-list">
      {items.map((item) => (
        <li key={item.id} data-read={item.read}>
          <p className="notification-title">
            {item.urgent && <span className="tag urgent">Urgent</span>}
            {!item.read && <span className="tag">New</span>}
            <Link
              href={item.link || '/'}
              onClick={() => {
                if (!item.read) onRead(item);
                onFollow?.();
              }}
            >
              {item.title}
            </Link>
          </p>
          <p>{item.body}</p>
          <p className="meta">
            <time dateTime={item.createdAt}>{shortTime(item.createdAt)}</time>
            {!item.read && (
              <button type="button" className="link-button" onClick={() => onRead(item)}>
                Mark read<span className="visually-hidden">: {item.title}</span>
              </button>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
