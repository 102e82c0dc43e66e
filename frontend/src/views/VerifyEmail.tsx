import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import { describeCode, describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link, queryParam, useLocation } from '../lib/router';
import { useSession } from '../session';

const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token) {
      __typename
      ... on UserPayload {
        user {
          id
          emailVerified
        }
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

export default function VerifyEmail() {
  const location = useLocation();
  const token = queryParam(location, 'token');
  const { state, refresh } = useSession();
  const [outcome, setOutcome] = useState<'pending' | 'done' | string>(token ? 'pending' : describeCode('INVALID_TOKEN'));
  const heading = usePageHeading(outcome === 'done' ? 'Email address confirmed' : 'Confirming your email address');
  const [, verify] = useMutation(VerifyEmailMutation);
  const started = useRef(false);

  useEffect(() => {
    // The token is single-use: ask once, even when React runs effects twice in development.
    if (!token || started.current) return;
    started.current = true;
    void verify({ token }).then((result) => {
      const payload = result.data?.verifyEmail;
      if (!payload) setOutcome(describeRequestError(result.error) ?? describeCode('INTERNAL'));
      else if (payload.__typename === 'AccountErrors') {
        const code = payload.errors[0]?.code;
        setOutcome(code === 'ALREADY_VERIFIED' ? 'done' : describeCode(code));
      } else setOutcome('done');
      refresh();
    });
  }, [token, verify, refresh]);

  return (
    <section className="card narrow" aria-labelledby="verify-heading">
      <h1 key={outcome === 'done' ? 'done' : 'pending'} id="verify-heading" ref={heading} tabIndex={-1}>
        {outcome === 'done' ? 'Email address confirmed' : 'Confirming your email address'}
      </h1>
      {outcome === 'pending' && <Loading label="Confirming your email address…" />}
      {outcome === 'done' && (
        <>
          <p role="status">Thank you: your email address is confirmed.</p>
          <p>{state === 'SIGNED_IN' ? <Link href="/">Go to your dashboard</Link> : <Link href="/sign-in">Sign in</Link>}</p>
        </>
      )}
      {outcome !== 'pending' && outcome !== 'done' && (
        <>
          <ErrorNote>{outcome}</ErrorNote>
          <p>
            Sign in to have a new link sent: <Link href="/sign-in">Sign in</Link>
          </p>
        </>
      )}
    </section>
  );
}
