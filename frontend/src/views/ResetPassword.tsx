import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { PasswordStrengthMeter } from '../components/PasswordStrength';
import { ErrorNote } from '../components/Status';
import { graphql } from '../gql';
import { describeCode, describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link, queryParam, useLocation } from '../lib/router';
import { useSession } from '../session';

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      __typename
      ... on AccountErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

export default function ResetPassword() {
  const location = useLocation();
  const token = queryParam(location, 'token') ?? '';
  const { refresh } = useSession();
  const [done, setDone] = useState(false);
  const heading = usePageHeading(done ? 'Password changed' : 'Choose a new password');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(token ? null : describeCode('INVALID_TOKEN'));
  const [{ fetching }, reset] = useMutation(ResetPasswordMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await reset({ input: { token, newPassword: password } });
    const payload = result.data?.resetPassword;
    if (!payload) setError(describeRequestError(result.error));
    else if (payload.__typename === 'AccountErrors') setError(describeCode(payload.errors[0]?.code));
    else {
      setDone(true);
      refresh();
    }
  }

  return (
    <section className="card narrow" aria-labelledby="reset-heading">
      <h1 key={done ? 'done' : 'form'} id="reset-heading" ref={heading} tabIndex={-1}>
        {done ? 'Password changed' : 'Choose a new password'}
      </h1>
      {done ? (
        <p role="status">
          Your password is changed and every session has been signed out. <Link href="/sign-in">Sign in</Link> with the new
          password.
        </p>
      ) : (
        <form onSubmit={submit} aria-busy={fetching} noValidate>
          <ErrorNote>{error}</ErrorNote>
          <div className="field">
            <label htmlFor="new-password">New password</label>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              required
              value={password}
              aria-describedby="new-password-strength"
              onChange={(e) => setPassword(e.target.value)}
            />
            <PasswordStrengthMeter id="new-password-strength" password={password} email="" name="" />
          </div>
          <button type="submit" className="button" disabled={fetching || !token}>
            {fetching ? 'Saving…' : 'Save the new password'}
          </button>
          {!token && (
            <p>
              <Link href="/forgot-password">Ask for a new link</Link>
            </p>
          )}
        </form>
      )}
    </section>
  );
}
