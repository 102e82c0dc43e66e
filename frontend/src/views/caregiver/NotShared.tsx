import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { useActing } from '../../session';

/** A page the grant of the person acted for does not cover. */
export default function NotShared() {
  const { acting } = useActing();
  const heading = usePageHeading('Not shared with you');
  const name = acting?.patientName ?? 'This person';
  return (
    <section aria-labelledby="not-shared-heading">
      <h1 id="not-shared-heading" ref={heading} tabIndex={-1}>
        Not shared with you
      </h1>
      <p>
        {name} has not given you access to this part of their record. They can change what you may see in their Family access
        settings.
      </p>
      <p>
        <Link href="/">Back to {acting ? `${acting.patientName}'s` : 'the'} home page</Link>
      </p>
    </section>
  );
}
