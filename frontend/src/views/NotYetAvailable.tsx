import { usePageHeading } from '../lib/page';
import { Link, useLocation } from '../lib/router';

const TITLES: Record<string, string> = {
  '/appointments': 'Appointments',
  '/plan': 'Treatment Plan',
  '/progress': 'Progress',
};

/** The sections whose pages come later say so plainly and point at what works today. */
export default function NotYetAvailable() {
  const location = useLocation();
  const title = TITLES[location.split('?', 1)[0] ?? ''] ?? 'Coming soon';
  const heading = usePageHeading(title);
  return (
    <section aria-labelledby="soon-heading">
      <h1 id="soon-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>This part of Relief is not ready in the web app yet.</p>
      <p>
        Your plan summary and this week&apos;s exercises are on your <Link href="/">dashboard</Link>. To ask your therapist
        something, <Link href="/messages/new">send a message</Link>.
      </p>
    </section>
  );
}
