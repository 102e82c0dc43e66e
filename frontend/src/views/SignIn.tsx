import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { resetRealtime } from '../client';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import { describeCode, describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link, navigate, queryParam, useLocation } from '../lib/router';
import { useSession } from '../session';

const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on SignInPayload {
        state
      }
      ... on AccountErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

const SecondFactorMutation = graphql(`
  mutation VerifySecondFactor($input: SecondFactorInput!) {
    verifySecondFactor(input: $input) {
      __typename
      ... on SignInPayload {
        state
      }
      ... on AccountErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

/** Only paths inside the app: an open redirect through ?next= is refused. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

function PasswordStep() {
  const { refresh } = useSession();
  const heading = usePageHeading('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, signIn] = useMutation(SignInMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await signIn({ input: { email: email.trim(), password } });
    const payload = result.data?.signIn;
    if (!payload) {
      setError(describeRequestError(result.error));
      return;
    }
    if (payload.__typename === 'AccountErrors') {
      setError(describeCode(payload.errors[0]?.code));
      return;
    }
    resetRealtime();
    // The session's new state moves the page on (see SignIn below).
    refresh();
  }

  return (
    <section className="card narrow" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading" ref={heading} tabIndex={-1}>
        Sign in
      </h1>
      <form onSubmit={submit} aria-busy={fetching} noValidate>
        <ErrorNote>{error}</ErrorNote>
        <div className="field">
          <label htmlFor="email">Email address</label>
          <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={fetching}>
          {fetching ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New to Relief? <Link href="/register">Create an account</Link>
      </p>
    </section>
  );
}

function SecondFactorStep() {
  const { refresh } = useSession();
  const heading = usePageHeading('Enter your sign-in code');
  const [code, setCode] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, verify] = useMutation(SecondFactorMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await verify({ input: { code: code.trim(), rememberDevice: remember } });
    const payload = result.data?.verifySecondFactor;
    if (!payload) {
      setError(describeRequestError(result.error));
      return;
    }
    if (payload.__typename === 'AccountErrors') {
      setError(describeCode(payload.errors[0]?.code));
      return;
    }
    refresh();
  }

  return (
    <section className="card narrow" aria-labelledby="code-heading">
      <h1 id="code-heading" ref={heading} tabIndex={-1}>
        Enter your sign-in code
      </h1>
      <p>Open your authenticator app and enter the 6-digit code for Relief. No phone? Enter one of your recovery codes.</p>
      <form onSubmit={submit} aria-busy={fetching} noValidate>
        <ErrorNote>{error}</ErrorNote>
        <div className="field">
          <label htmlFor="code">Code</label>
          <input
            id="code"
            inputMode="text"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </div>
        <div className="check">
          <input id="remember" type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          <label htmlFor="remember">Remember this device for 30 days</label>
        </div>
        <button type="submit" className="button" disabled={fetching}>
          {fetching ? 'Checking…' : 'Continue'}
        </button>
      </form>
    </section>
  );
}

export default function SignIn() {
  const { state } = useSession();
  const location = useLocation();
  const next = safeNext(queryParam(location, 'next'));
  useEffect(() => {
    if (state === 'SIGNED_IN') navigate(next, { replace: true });
  }, [state, next]);
  if (state === 'SIGNED_IN') return <Loading label="Opening your dashboard…" />;
  return state === 'SECOND_FACTOR_REQUIRED' ? <SecondFactorStep /> : <PasswordStep />;
}
