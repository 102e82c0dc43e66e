import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote, TableWrap } from '../components/Status';
import { graphql } from '../gql';
import { describeCode, describeRequestError } from '../lib/errors';
import { shortTime } from '../lib/notifications';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';
import { useSession } from '../session';
import { AccessLogLink } from './accessLog/AccessLogLink';

const SecurityQuery = graphql(`
  query Security {
    me {
      id
      email
      twoFactorEnabled
      sessions {
        id
        client
        device
        ip
        createdAt
        lastSeenAt
        current
      }
      loginHistory(first: 10) {
        edges {
          node {
            id
            occurredAt
            ip
            device
            succeeded
            failureReason
            newDevice
          }
        }
      }
    }
  }
`);

const StartTotpMutation = graphql(`
  mutation StartTotp($input: ReauthenticationInput!) {
    startTotpEnrollment(input: $input) {
      __typename
      ... on TotpEnrollment {
        secret
        qrSvg
      }
      ... on AccountErrors {
        errors {
          code
        }
      }
    }
  }
`);

const ConfirmTotpMutation = graphql(`
  mutation ConfirmTotp($code: String!) {
    confirmTotpEnrollment(code: $code) {
      __typename
      ... on RecoveryCodes {
        recoveryCodes
      }
      ... on AccountErrors {
        errors {
          code
        }
      }
    }
  }
`);

const RevokeSessionMutation = graphql(`
  mutation RevokeSession($sessionId: ID!) {
    revokeSession(sessionId: $sessionId) {
      __typename
      ... on AccountErrors {
        errors {
          code
        }
      }
    }
  }
`);

const RevokeOthersMutation = graphql(`
  mutation RevokeOtherSessions {
    revokeAllSessions(keepCurrent: true) {
      sessionsEnded
    }
  }
`);

/** The QR code as an image: no inline markup or styles, so the strict CSP holds. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

const FAILURES: Record<string, string> = {
  UNKNOWN_ACCOUNT: 'unknown account',
  BAD_PASSWORD: 'wrong password',
  LOCKED: 'locked after too many tries',
  DEACTIVATED: 'account closed',
  BAD_SECOND_FACTOR: 'wrong code',
  RATE_LIMITED: 'too many attempts',
};

function TwoFactor({ enabled, onChanged }: { enabled: boolean; onChanged: () => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrollment, setEnrollment] = useState<{ secret: string; qrSvg: string } | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching: starting }, start] = useMutation(StartTotpMutation);
  const [{ fetching: confirming }, confirm] = useMutation(ConfirmTotpMutation);

  async function begin(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await start({ input: { currentPassword: password } });
    const payload = result.data?.startTotpEnrollment;
    if (!payload) setError(describeRequestError(result.error));
    else if (payload.__typename === 'AccountErrors') setError(describeCode(payload.errors[0]?.code));
    else {
      setEnrollment(payload);
      setPassword('');
    }
  }

  async function finish(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await confirm({ code: code.trim() });
    const payload = result.data?.confirmTotpEnrollment;
    if (!payload) setError(describeRequestError(result.error));
    else if (payload.__typename === 'AccountErrors') setError(describeCode(payload.errors[0]?.code));
    else {
      setRecovery(payload.recoveryCodes);
      setEnrollment(null);
      onChanged();
    }
  }

  if (recovery) {
    return (
      <div>
        <SuccessNote>Two-step sign-in is on.</SuccessNote>
        <h3>Your recovery codes</h3>
        <p>
          Each code works once, if you lose your phone. Write them down or print them now: <strong>they are shown only this
          once</strong>.
        </p>
        <ul className="recovery-codes">
          {recovery.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button secondary" onClick={() => setRecovery(null)}>
          I have saved my codes
        </button>
      </div>
    );
  }
  if (enabled) return <p>Two-step sign-in is on: after your password, Relief asks for a code from your authenticator app.</p>;
  if (enrollment) {
    return (
      <form onSubmit={finish} aria-busy={confirming} noValidate>
        <ol>
          <li>Open an authenticator app on your phone and scan this code.</li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <img className="qr" src={svgDataUrl(enrollment.qrSvg)} width={200} height={200} alt="QR code to add Relief to your authenticator app" />
        <p>
          Cannot scan? Type this key into the app instead: <code className="secret">{enrollment.secret}</code>
        </p>
        <ErrorNote>{error}</ErrorNote>
        <div className="field">
          <label htmlFor="totp-code">6-digit code</label>
          <input id="totp-code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={confirming}>
          {confirming ? 'Checking…' : 'Turn on two-step sign-in'}
        </button>
      </form>
    );
  }
  return (
    <form onSubmit={begin} aria-busy={starting} noValidate>
      <p>Two-step sign-in is off. With it on, someone who learns your password still cannot sign in without your phone.</p>
      <ErrorNote>{error}</ErrorNote>
      <div className="field">
        <label htmlFor="totp-password">Your current password</label>
        <input
          id="totp-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={starting}>
        {starting ? 'Starting…' : 'Set up two-step sign-in'}
      </button>
    </form>
  );
}

export default function Account() {
  const heading = usePageHeading('Account and security');
  const { refresh } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: SecurityQuery, requestPolicy: 'cache-and-network' });
  const [{ fetching: revokingOne }, revokeOne] = useMutation(RevokeSessionMutation);
  const [{ fetching: revoking, data: revoked }, revokeOthers] = useMutation(RevokeOthersMutation);
  const me = data?.me;
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading" ref={heading} tabIndex={-1}>
        Account and security
      </h1>
      <p>
        <Link href="/account/notifications">Notification settings</Link>
      </p>
      <AccessLogLink />
      {fetching && !data && <Loading label="Loading your account…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {me && (
        <>
          <section className="card" aria-labelledby="tf-heading">
            <h2 id="tf-heading">Two-step sign-in</h2>
            <TwoFactor
              enabled={me.twoFactorEnabled}
              onChanged={() => {
                reload();
                refresh();
              }}
            />
          </section>

          <section className="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">Where you are signed in</h2>
            {revoked && <SuccessNote>{revoked.revokeAllSessions.sessionsEnded} other session(s) signed out.</SuccessNote>}
            <TableWrap label="Your sessions">
              <table>
                <caption className="visually-hidden">Your sessions</caption>
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">Address</th>
                    <th scope="col">Last active</th>
                    <th scope="col">
                      <span className="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {me.sessions.map((s) => (
                    <tr key={s.id}>
                      <td>
                        {s.device || 'Unknown device'}
                        {s.current && <strong> (this device)</strong>}
                      </td>
                      <td>{s.ip}</td>
                      <td>
                        <time dateTime={s.lastSeenAt}>{shortTime(s.lastSeenAt)}</time>
                      </td>
                      <td>
                        {!s.current && (
                          <button
                            type="button"
                            className="button small secondary"
                            disabled={revokingOne}
                            onClick={async () => {
                              await revokeOne({ sessionId: s.id });
                              reload();
                            }}
                          >
                            Sign out<span className="visually-hidden"> {s.device}</span>
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <button
              type="button"
              className="button secondary"
              aria-busy={revoking}
              disabled={revoking || me.sessions.every((s) => s.current)}
              onClick={async () => {
                await revokeOthers({});
                reload();
              }}
            >
              {revoking ? 'Signing out…' : 'Sign out everywhere else'}
            </button>
          </section>

          <section className="card" aria-labelledby="history-heading">
            <h2 id="history-heading">Recent sign-ins</h2>
            <p>If you do not recognise a sign-in, change your password and sign out everywhere else.</p>
            <TableWrap label="Your last ten sign-in attempts">
              <table>
                <caption className="visually-hidden">Your last ten sign-in attempts</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Device</th>
                    <th scope="col">Address</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {me.loginHistory.edges.map(({ node }) => (
                    <tr key={node.id}>
                      <td>
                        <time dateTime={node.occurredAt}>{shortTime(node.occurredAt)}</time>
                      </td>
                      <td>
                        {node.device || 'Unknown device'}
                        {node.newDevice && <span className="tag">New device</span>}
                      </td>
                      <td>{node.ip}</td>
                      <td>{node.succeeded ? 'Signed in' : `Failed: ${FAILURES[node.failureReason ?? ''] ?? 'refused'}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        </>
      )}
    </section>
  );
}
