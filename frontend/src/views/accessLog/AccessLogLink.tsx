import { Link } from '../../lib/router';
import { useActing, useSession } from '../../session';

/**
 * Account and security's way to "Who saw my record": for a patient, and for a guardian while
 * acting for their dependent. Nobody else reads a log from here (admins: the review).
 */
export function AccessLogLink() {
  const { viewer } = useSession();
  const { acting } = useActing();
  if (acting?.kind === 'GUARDIAN') {
    return (
      <p>
        <Link href="/access-log">Who saw {acting.patientName.split(' ')[0]}&apos;s record</Link>
      </p>
    );
  }
  if (acting || !viewer?.roles.includes('PATIENT')) return null;
  return (
    <p>
      <Link href="/access-log">Who saw my record</Link>
    </p>
  );
}
