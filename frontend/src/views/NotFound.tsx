import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';

export default function NotFound() {
  const heading = usePageHeading('Page not found');
  return (
    <section aria-labelledby="nf-heading">
      <h1 id="nf-heading" ref={heading} tabIndex={-1}>
        Page not found
      </h1>
      <p>
        This page does not exist. <Link href="/">Go to your dashboard</Link>
      </p>
    </section>
  );
}
