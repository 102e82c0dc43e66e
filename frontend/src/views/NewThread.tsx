import { useState } from 'react';
import { useMutation } from 'urql';
import { Composer } from '../components/Composer';
import { graphql } from '../gql';
import { describeCode, describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link, navigate } from '../lib/router';
import { useActing } from '../session';

const StartThreadMutation = graphql(`
  mutation StartThread($input: StartThreadInput!) {
    startThread(input: $input) {
      __typename
      ... on PostMessagePayload {
        thread {
          id
        }
      }
      ... on MessagingErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

export default function NewThread() {
  const heading = usePageHeading('New message');
  const [subject, setSubject] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, start] = useMutation(StartThreadMutation);
  // A caregiver writes on behalf of the patient they act for, who must be named.
  const { acting } = useActing();
  return (
    <section aria-labelledby="new-heading">
      <h1 id="new-heading" ref={heading} tabIndex={-1}>
        New message
      </h1>
      <p>
        <Link href="/messages">Back to messages</Link>
      </p>
      <Composer
        bodyLabel="Message"
        submitLabel="Send message"
        busyLabel="Sending…"
        busy={fetching}
        error={error}
        onSubmit={async (values) => {
          setError(null);
          const result = await start({
            input: { subject: subject.trim(), ...values, ...(acting ? { patientId: acting.patientId } : {}) },
          });
          const payload = result.data?.startThread;
          if (!payload) {
            setError(describeRequestError(result.error));
            return false;
          }
          if (payload.__typename === 'MessagingErrors') {
            setError(payload.errors.map((e) => describeCode(e.code)).join(' '));
            return false;
          }
          navigate(`/messages/${encodeURIComponent(payload.thread.id)}`);
          return true;
        }}
      >
        <div className="field">
          <label htmlFor="subject">Subject</label>
          <input id="subject" required maxLength={200} value={subject} onChange={(e) => setSubject(e.target.value)} />
        </div>
      </Composer>
    </section>
  );
}
