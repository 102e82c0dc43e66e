import { Link } from '../../lib/router';

/** The three things people come to do most: no data to wait for, so no loading state. */
export function QuickActions() {
  return (
    <ul className="quick-actions">
      <li>
        <Link href="/appointments/book" className="button">
          Book an appointment
        </Link>
      </li>
      <li>
        <Link href="/messages/new" className="button secondary">
          Message your therapist
        </Link>
      </li>
      <li>
        <Link href="/progress" className="button secondary">
          Log your pain
        </Link>
      </li>
    </ul>
  );
}
