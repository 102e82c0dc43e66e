export interface NotificationItem {
  id: string;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  read: boolean;
  urgent: boolean;
}

/** Newest first, each id once: live arrivals may repeat what a refetch already brought. */
export function mergeNotifications(current: readonly NotificationItem[], incoming: readonly NotificationItem[]): NotificationItem[] {
  const byId = new Map<string, NotificationItem>();
  for (const item of [...incoming, ...current]) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function bellLabel(unread: number): string {
  if (unread <= 0) return 'Notifications, none unread';
  return `Notifications, ${unread} unread`;
}

/** Short relative-or-absolute time for lists: "Today 14:05", "12 Mar 09:30". */
export function shortTime(iso: string, now: Date = new Date()): string {
  const when = new Date(iso);
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (when.toDateString() === now.toDateString()) return `Today ${time}`;
  return `${when.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}
