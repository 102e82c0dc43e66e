import { useMutation } from 'urql';
import { resetRealtime } from '../client';
import { ErrorNote, SuccessNote } from '../components/Status';
import { graphql } from '../gql';
import { describeCode, describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { navigate } from '../lib/router';
import { useSession } from '../session';

const ResendMutation = graphql(`
  mutation ResendVerification {
    resendVerificationEmail {
      __typename
      ... on AccountErrors {
        errors {
          code
        }
      }
    }
  }
`);

const SignOutFromPending = graphql(`
  mutation SignOutPending {
    signOut {
      signedOut
    }
  }
`);

export default function ConfirmEmailPending() {
  const { viewer, refresh } = useSession();
  const heading = usePageHeading('Confirm your email address');
  const [{ fetching, data, error }, resend] = useMutation(ResendMutation);
  const [, signOut] = useMutation(SignOutFromPending);
  const outcome = data?.resendVerificationEmail;
  return (
    <section className="card narrow" aria-labelledby="pending-heading">
      <h1 id="pending-heading" ref={heading} tabIndex={-1}>
        Confirm your email address
      </h1>
      <p>
        Before you can see your records, please open the link we sent to <strong>{viewer?.email}</strong>.
      </p>
      {outcome?.__typename === 'Accepted' && <SuccessNote>A new link is on its way.</SuccessNote>}
      <ErrorNote>
        {outcome?.__typename === 'AccountErrors' ? describeCode(outcome.errors[0]?.code) : describeRequestError(error)}
      </ErrorNote>
      <div className="actions">
        <button type="button" className="button" aria-busy={fetching} disabled={fetching} onClick={() => void resend({})}>
          {fetching ? 'Sending…' : 'Send the link again'}
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={async () => {
            await signOut({});
            resetRealtime();
            navigate('/sign-in');
            refresh();
          }}
        >
          Sign out
        </button>
      </div>
    </section>
  );
}
