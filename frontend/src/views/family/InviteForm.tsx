import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote, SuccessNote } from '../../components/Status';
import type { CaregiverRelationship, CaregiverScope } from '../../gql/graphql';
import { describeRequestError } from '../../lib/errors';
import { InviteCaregiverMutation } from './documents';
import { ScopeFieldset } from './ScopeFieldset';
import { caregiverErrorsByField, dateFromExpiry, expiryFromDate, RELATIONSHIPS } from './words';

const FIELD_ORDER = ['email', 'relationship', 'scopes', 'expiresAt'] as const;

/** Invite someone by email: who they are to the patient, what they may do, until when. */
export function InviteForm({ whose, onInvited }: { whose: string; onInvited: () => void }) {
  const id = useId().replace(/[^\w-]/g, '');
  const [email, setEmail] = useState('');
  const [relationship, setRelationship] = useState('');
  const [scopes, setScopes] = useState<CaregiverScope[]>([]);
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<string | null>(null);
  const [{ fetching }, invite] = useMutation(InviteCaregiverMutation);
  const fieldId = (name: string) => (name === 'scopes' ? `${id}-scopes` : `${id}-${name}`);

  function fail(found: Record<string, string>) {
    setErrors({ ...found, form: found.form ?? 'Please correct the fields marked below.' });
    const first = FIELD_ORDER.find((name) => found[name]);
    if (first) document.getElementById(fieldId(first))?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent(null);
    setErrors({});
    // What can be told without asking the server is told at once.
    const local: Record<string, string> = {};
    if (!email.trim()) local.email = 'Please enter their email address.';
    if (!relationship) local.relationship = 'Please choose who they are to you.';
    if (scopes.length === 0) local.scopes = 'Please choose at least one thing they may see or do.';
    const expiresAt = until ? expiryFromDate(until) : null;
    if (until && !expiresAt) local.expiresAt = 'Please enter the last day as a date, or leave it empty.';
    if (Object.keys(local).length) return fail(local);

    const result = await invite({
      input: { email: email.trim(), relationship: relationship as CaregiverRelationship, scopes, expiresAt },
    });
    const payload = result.data?.inviteCaregiver;
    if (!payload) return setErrors({ form: describeRequestError(result.error) ?? '' });
    if (payload.__typename === 'CaregiverErrors') return fail(caregiverErrorsByField(payload.errors));
    setSent(`Invitation sent to ${payload.grant.invitedEmail}. They are listed above as "Invitation sent" until they accept.`);
    setEmail('');
    setRelationship('');
    setScopes([]);
    setUntil('');
    onInvited();
  }

  const describedBy = (name: string, hint?: boolean) =>
    [hint ? `${fieldId(name)}-hint` : '', errors[name] ? `${fieldId(name)}-error` : ''].filter(Boolean).join(' ') || undefined;
  const fieldError = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`${fieldId(name)}-error`}>
        {errors[name]}
      </p>
    ) : null;

  return (
    <form className="card invite-form" onSubmit={submit} aria-labelledby={`${id}-heading`} aria-busy={fetching} noValidate>
      <h2 id={`${id}-heading`}>Invite a caregiver</h2>
      <p>
        They get an email with a link. To accept, they confirm {whose} date of birth, so only someone who knows it can use the
        link.
      </p>
      <ErrorNote>{errors.form}</ErrorNote>
      <SuccessNote>{sent}</SuccessNote>
      <div className="field">
        <label htmlFor={fieldId('email')}>Their email address</label>
        <input
          id={fieldId('email')}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy('email')}
          required
        />
        {fieldError('email')}
      </div>
      <div className="field">
        <label htmlFor={fieldId('relationship')}>Who they are to {whose === 'your' ? 'you' : whose.replace(/'s$/, '')}</label>
        <select
          id={fieldId('relationship')}
          value={relationship}
          onChange={(event) => setRelationship(event.target.value)}
          aria-invalid={errors.relationship ? true : undefined}
          aria-describedby={describedBy('relationship')}
          required
        >
          <option value="">Choose…</option>
          {RELATIONSHIPS.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </select>
        {fieldError('relationship')}
      </div>
      <ScopeFieldset id={fieldId('scopes')} legend="What they may see and do" value={scopes} onChange={setScopes} error={errors.scopes} />
      <div className="field">
        <label htmlFor={fieldId('expiresAt')}>Last day of access (optional)</label>
        <p className="hint" id={`${fieldId('expiresAt')}-hint`}>
          Leave empty to keep access until you stop it.
        </p>
        <input
          id={fieldId('expiresAt')}
          type="date"
          min={dateFromExpiry(new Date().toISOString())}
          value={until}
          onChange={(event) => setUntil(event.target.value)}
          aria-invalid={errors.expiresAt ? true : undefined}
          aria-describedby={describedBy('expiresAt', true)}
        />
        {fieldError('expiresAt')}
      </div>
      <button type="submit" className="button" disabled={fetching}>
        {fetching ? 'Sending the invitation…' : 'Send invitation'}
      </button>
    </form>
  );
}
