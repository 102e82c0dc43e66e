import { Link } from '../../lib/router';
import { ThreadList } from '../Messages';

/** The three most recently active conversations (ThreadList has the loading and empty states). */
export function MessagesWidget() {
  return (
    <>
      <ThreadList first={3} compact />
      <p className="widget-more">
        <Link href="/messages">All messages</Link>
      </p>
    </>
  );
}
