import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { PasswordStrengthMeter } from '../../components/PasswordStrength';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import type { CaregiverInvitationQuery } from '../../gql/graphql';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link, queryParam, useLocation } from '../../lib/router';
import { useActing, useSession } from '../../session';
import { caregiverErrorsByField, describeExpiry, describeRelationship, SCOPE_CHOICES } from '../family/words';
import './caregiver.css';

const CaregiverInvitationDocument = graphql(`
  query CaregiverInvitation($token: String!) {
    caregiverInvitation(token: $token) {
      patientFirstName
      invitedByName
      relationship
      scopes
      expiresAt
      invitationExpiresAt
      invitedEmail
      hasAccount
    }
  }
`);

const AcceptCaregiverInvitationDocument = graphql(`
  mutation AcceptCaregiverInvitation($input: AcceptCaregiverInvitationInput!) {
    acceptCaregiverInvitation(input: $input) {
      __typename
      ... on CareRecipientPayload {
        careRecipient {
          grantId
          patientId
          patientName
        }
      }
      ... on CaregiverErrors {
        errors {
          code
          field
          message
          attemptsLeft
        }
      }
    }
  }
`);

const DeclineCaregiverInvitationDocument = graphql(`
  mutation DeclineCaregiverInvitation($token: String!) {
    declineCaregiverInvitation(token: $token) {
      __typename
      ... on DeclineCaregiverInvitationPayload {
        declined
      }
      ... on CaregiverErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

type Preview = NonNullable<CaregiverInvitationQuery['caregiverInvitation']>;
type Outcome = { kind: 'accepted'; patientId: string; patientName: string; newAccount: boolean } | { kind: 'declined' } | { kind: 'void' };

/** The page the invitation email links to: what is offered, then accept or decline. */
export default function AcceptInvitation() {
  const location = useLocation();
  const token = queryParam(location, 'token') ?? '';
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [{ data, fetching, error }] = useQuery({ query: CaregiverInvitationDocument, variables: { token }, pause: !token });
  const preview = data?.caregiverInvitation;

  if (outcome) return <Done outcome={outcome} />;
  if (!token || (data && !preview)) return <Unavailable />;
  if (!preview) {
    return (
      <section className="card narrow" aria-labelledby="accept-heading">
        <Heading title="Accept an invitation" />
        {fetching && <Loading label="Opening the invitation…" />}
        <ErrorNote>{describeRequestError(error)}</ErrorNote>
      </section>
    );
  }
  return <Offer token={token} preview={preview} onOutcome={setOutcome} />;
}

function Heading({ title }: { title: string }) {
  const heading = usePageHeading(title);
  return (
    <h1 id="accept-heading" ref={heading} tabIndex={-1}>
      {title}
    </h1>
  );
}

function Unavailable() {
  return (
    <section className="card narrow" aria-labelledby="accept-heading">
      <Heading title="This invitation no longer works" />
      <p>The link has expired, was already used, or was withdrawn. Please ask the person who invited you to send a new one.</p>
      <p>
        <Link href="/sign-in">Go to sign in</Link>
      </p>
    </section>
  );
}

function Offer({ token, preview, onOutcome }: { token: string; preview: Preview; onOutcome: (outcome: Outcome) => void }) {
  const { state, viewer, refresh } = useSession();
  const acting = useActing();
  const signedIn = state === 'SIGNED_IN';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attemptsLeft, setAttemptsLeft] = useState<number | null>(null);
  const [confirmDecline, setConfirmDecline] = useState(false);
  const [{ fetching }, accept] = useMutation(AcceptCaregiverInvitationDocument);
  const [declining, decline] = useMutation(DeclineCaregiverInvitationDocument);
  const newAccount = !signedIn && !preview.hasAccount;
  const scopes = SCOPE_CHOICES.filter((choice) => preview.scopes.includes(choice.scope as Preview['scopes'][number]));
  const next = `/caregiver/accept?token=${encodeURIComponent(token)}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    const local: Record<string, string> = {};
    if (newAccount && !name.trim()) local['newAccount.displayName'] = 'Please enter your name.';
    if (newAccount && !password) local['newAccount.password'] = 'Please choose a password.';
    if (!dateOfBirth) local.dateOfBirth = `Please enter ${preview.patientFirstName}'s date of birth.`;
    if (Object.keys(local).length) return fail(local);
    const result = await accept({
      input: {
        token,
        dateOfBirth,
        newAccount: newAccount ? { displayName: name.trim(), password } : null,
      },
    });
    const payload = result.data?.acceptCaregiverInvitation;
    if (!payload) return setErrors({ form: describeRequestError(result.error) ?? '' });
    if (payload.__typename === 'CaregiverErrors') {
      const wrong = payload.errors.find((item) => item.code === 'WRONG_DATE_OF_BIRTH');
      if (wrong && wrong.attemptsLeft === 0) return onOutcome({ kind: 'void' });
      if (payload.errors.some((item) => item.code === 'INVALID_TOKEN')) return onOutcome({ kind: 'void' });
      if (wrong) setAttemptsLeft(wrong.attemptsLeft ?? null);
      return fail(caregiverErrorsByField(payload.errors));
    }
    const recipient = payload.careRecipient;
    if (signedIn) {
      refresh(); // the account now holds the caregiver role
      acting.refresh();
    }
    onOutcome({ kind: 'accepted', patientId: recipient.patientId, patientName: recipient.patientName, newAccount });
  }

  function fail(found: Record<string, string>) {
    setErrors({ ...found, form: found.form ?? found.newAccount ?? found.token ?? 'Please correct the fields marked below.' });
    const order = ['newAccount.displayName', 'newAccount.password', 'dateOfBirth'];
    const first = order.find((field) => found[field]);
    if (first) document.getElementById(`accept-${first.replace('newAccount.', '')}`)?.focus();
  }

  async function declineNow() {
    const result = await decline({ token });
    const payload = result.data?.declineCaregiverInvitation;
    if (!payload) return setErrors({ form: describeRequestError(result.error) ?? '' });
    if (payload.__typename === 'CaregiverErrors') return setErrors({ form: Object.values(caregiverErrorsByField(payload.errors)).join(' ') });
    onOutcome({ kind: 'declined' });
  }

  const fieldError = (field: string, id: string) =>
    errors[field] ? (
      <p className="field-error" id={`${id}-error`}>
        {errors[field]}
      </p>
    ) : null;

  return (
    <section className="card narrow" aria-labelledby="accept-heading">
      <Heading title={`Help ${preview.patientFirstName} with their care`} />
      <p>
        <strong>{preview.invitedByName}</strong> invited you ({preview.invitedEmail}) to help {preview.patientFirstName} at Relief, as
        their {describeRelationship(preview.relationship).toLowerCase()}.
      </p>
      <h2 id="offered-heading">What you could see and do</h2>
      <ul aria-labelledby="offered-heading">
        {scopes.map((choice) => (
          <li key={choice.scope}>
            <strong>{choice.label}</strong>: {choice.description}
          </li>
        ))}
      </ul>
      <p className="meta">
        {preview.expiresAt ? `The access would last until ${describeExpiry(preview.expiresAt).replace(/^Until /, '')}` : 'The access would last until it is stopped'}. You
        can accept until {describeExpiry(preview.invitationExpiresAt).replace(/^Until /, '')}.
      </p>

      {!signedIn && preview.hasAccount ? (
        <>
          <h2>Sign in to accept</h2>
          <p>An account already exists for {preview.invitedEmail}. Sign in, and you will come back here to accept.</p>
          <p>
            <Link href={`/sign-in?next=${encodeURIComponent(next)}`} className="button">
              Sign in to accept
            </Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} aria-labelledby="accept-form-heading" aria-busy={fetching} noValidate>
          <h2 id="accept-form-heading">{newAccount ? 'Create your account and accept' : 'Accept the invitation'}</h2>
          {signedIn && viewer && (
            <p>
              You are signed in as {viewer.displayName} ({viewer.email}). The access will be added to this account.
            </p>
          )}
          <ErrorNote>{errors.form}</ErrorNote>
          {newAccount && (
            <>
              <p>Your account will use {preview.invitedEmail}.</p>
              <div className="field">
                <label htmlFor="accept-displayName">Your full name</label>
                <input
                  id="accept-displayName"
                  autoComplete="name"
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  aria-invalid={errors['newAccount.displayName'] ? true : undefined}
                  aria-describedby={errors['newAccount.displayName'] ? 'accept-displayName-error' : undefined}
                  required
                />
                {fieldError('newAccount.displayName', 'accept-displayName')}
              </div>
              <div className="field">
                <label htmlFor="accept-password">Choose a password</label>
                <input
                  id="accept-password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                  aria-invalid={errors['newAccount.password'] ? true : undefined}
                  aria-describedby={['accept-password-strength', errors['newAccount.password'] ? 'accept-password-error' : ''].filter(Boolean).join(' ')}
                  required
                />
                {fieldError('newAccount.password', 'accept-password')}
                <PasswordStrengthMeter id="accept-password-strength" password={password} email={preview.invitedEmail} name={name} />
              </div>
            </>
          )}
          <div className="field">
            <label htmlFor="accept-dateOfBirth">{preview.patientFirstName}&apos;s date of birth</label>
            <p className="hint" id="accept-dateOfBirth-hint">
              To make sure the invitation reached the right person. After 3 wrong answers the invitation stops working.
            </p>
            <input
              id="accept-dateOfBirth"
              type="date"
              value={dateOfBirth}
              onChange={(event) => setDateOfBirth(event.target.value)}
              aria-invalid={errors.dateOfBirth ? true : undefined}
              aria-describedby={['accept-dateOfBirth-hint', errors.dateOfBirth ? 'accept-dateOfBirth-error' : ''].filter(Boolean).join(' ')}
              required
            />
            {fieldError('dateOfBirth', 'accept-dateOfBirth')}
            {attemptsLeft !== null && attemptsLeft > 0 && (
              <p className="dob-attempts" data-testid="attempts-left">
                {attemptsLeft === 1 ? '1 attempt left.' : `${attemptsLeft} attempts left.`}
              </p>
            )}
          </div>
          <button type="submit" className="button" disabled={fetching}>
            {fetching ? 'Accepting…' : newAccount ? 'Create account and accept' : 'Accept invitation'}
          </button>
        </form>
      )}

      <h2 id="decline-heading" className="decline-heading">
        Not for you?
      </h2>
      {!confirmDecline ? (
        <button type="button" className="button secondary" onClick={() => setConfirmDecline(true)}>
          Decline the invitation
        </button>
      ) : (
        <div role="group" aria-labelledby="decline-question">
          <p id="decline-question">
            Decline? {preview.invitedByName} will be told, and the link will stop working.
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={declineNow} disabled={declining.fetching}>
              {declining.fetching ? 'Declining…' : 'Yes, decline'}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirmDecline(false)}>
              Keep the invitation
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Done({ outcome }: { outcome: Outcome }) {
  const { state } = useSession();
  const { recipients, switchTo } = useActing();
  if (outcome.kind === 'declined') {
    return (
      <section className="card narrow" aria-labelledby="accept-heading">
        <Heading title="Invitation declined" />
        <p>You declined the invitation. Nothing of the record was shared with you.</p>
      </section>
    );
  }
  if (outcome.kind === 'void') {
    return (
      <section className="card narrow" aria-labelledby="accept-heading">
        <Heading title="This invitation no longer works" />
        <p role="alert">
          The date of birth was not right three times, or the invitation ended meanwhile, so it no longer works. Please ask the person
          who invited you to send a new one.
        </p>
      </section>
    );
  }
  const ready = recipients.some((recipient) => recipient.patientId === outcome.patientId);
  return (
    <section className="card narrow" aria-labelledby="accept-heading">
      <Heading title={`You can now help ${outcome.patientName}`} />
      {outcome.newAccount || state !== 'SIGNED_IN' ? (
        <>
          <p>Your account is ready. Sign in with your email address and the password you chose, then choose {outcome.patientName} under "Acting for".</p>
          <p>
            <Link href="/sign-in" className="button">
              Sign in
            </Link>
          </p>
        </>
      ) : (
        <>
          <p>Choose {outcome.patientName} under "Acting for" at the top of any page to see what they shared with you.</p>
          {ready ? (
            <button type="button" className="button" onClick={() => switchTo(outcome.patientId)}>
              Act for {outcome.patientName}
            </button>
          ) : (
            <Loading label="Getting your access ready…" />
          )}
        </>
      )}
    </section>
  );
}
