import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote } from '../components/Status';
import { graphql } from '../gql';
import { describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';

const RequestResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) {
      message
    }
  }
`);

export default function ForgotPassword() {
  const heading = usePageHeading('Forgot your password');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, request] = useMutation(RequestResetMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await request({ email: email.trim() });
    if (!result.data) setError(describeRequestError(result.error));
    else setSent(true);
  }

  return (
    <section className="card narrow" aria-labelledby="forgot-heading">
      <h1 id="forgot-heading" ref={heading} tabIndex={-1}>
        Forgot your password
      </h1>
      {sent ? (
        <p role="status">
          If <strong>{email}</strong> has a Relief account, we have sent it a link to choose a new password. Check your spam
          folder if it does not arrive within a few minutes.
        </p>
      ) : (
        <form onSubmit={submit} aria-busy={fetching} noValidate>
          <p>Enter the email address you signed up with. We will send you a link to choose a new password.</p>
          <ErrorNote>{error}</ErrorNote>
          <div className="field">
            <label htmlFor="forgot-email">Email address</label>
            <input id="forgot-email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <button type="submit" className="button" disabled={fetching}>
            {fetching ? 'Sending…' : 'Send the link'}
          </button>
        </form>
      )}
      <p>
        <Link href="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
