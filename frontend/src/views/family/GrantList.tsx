import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote, SuccessNote } from '../../components/Status';
import type { CaregiverGrantFieldsFragment, CaregiverScope } from '../../gql/graphql';
import { describeRequestError } from '../../lib/errors';
import { RevokeCaregiverAccessMutation, UpdateCaregiverAccessMutation } from './documents';
import { ScopeFieldset } from './ScopeFieldset';
import {
  caregiverErrorsByField,
  dateFromExpiry,
  describeExpiry,
  describeRelationship,
  describeScopes,
  describeStatus,
  expiryFromDate,
  isLive,
} from './words';

type Grant = CaregiverGrantFieldsFragment;

/** Every grant of the record: the current ones to change or stop, then the ended ones. */
export function GrantList({ grants, onChanged }: { grants: readonly Grant[]; onChanged: () => void }) {
  const current = grants.filter((grant) => isLive(grant.status));
  const ended = grants.filter((grant) => !isLive(grant.status));
  return (
    <>
      {current.length === 0 ? (
        <p>Nobody else can see this record. Invite someone below.</p>
      ) : (
        <ul className="grant-list" aria-labelledby="grants-heading">
          {current.map((grant) => (
            <GrantItem key={grant.id} grant={grant} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {ended.length > 0 && (
        <>
          <h3 id="ended-heading">Ended access and invitations</h3>
          <ul className="grant-list ended" aria-labelledby="ended-heading">
            {ended.map((grant) => (
              <li key={grant.id} className="grant" data-testid="grant">
                <GrantSummary grant={grant} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function who(grant: Grant): string {
  return grant.caregiverName ?? grant.invitedEmail;
}

function GrantSummary({ grant }: { grant: Grant }) {
  return (
    <>
      <h3 className="grant-name">{who(grant)}</h3>
      <p className="meta">
        {describeRelationship(grant.relationship)}
        {grant.caregiverName ? ` · ${grant.invitedEmail}` : ''}
      </p>
      <p>
        <span className="status-tag" data-status={grant.status}>
          {describeStatus(grant.status)}
        </span>
      </p>
      <p>
        <span className="visually-hidden">May: </span>
        {describeScopes(grant.scopes, grant.kind)}
      </p>
      {isLive(grant.status) && <p className="meta">{describeExpiry(grant.expiresAt)}</p>}
    </>
  );
}

type Mode = 'view' | 'edit' | 'confirm';

function GrantItem({ grant, onChanged }: { grant: Grant; onChanged: () => void }) {
  const [mode, setMode] = useState<Mode>('view');
  const [done, setDone] = useState<string | null>(null);
  const changeButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const guardian = grant.kind === 'GUARDIAN';
  const name = who(grant);

  const back = (to: 'change' | 'stop') => {
    setMode('view');
    // Focus returns to the button that opened the form, once it is back on the page.
    requestAnimationFrame(() => (to === 'change' ? changeButton : stopButton).current?.focus());
  };

  return (
    <li className="grant card" data-testid="grant">
      <GrantSummary grant={grant} />
      <SuccessNote>{done}</SuccessNote>
      {mode === 'view' && (
        <div className="actions">
          {!guardian && (
            <button ref={changeButton} type="button" className="button secondary" onClick={() => setMode('edit')}>
              Change access<span className="visually-hidden"> for {name}</span>
            </button>
          )}
          <button ref={stopButton} type="button" className="button secondary danger" onClick={() => setMode('confirm')}>
            {grant.status === 'INVITED' ? 'Withdraw invitation' : 'Stop access'}
            <span className="visually-hidden"> for {name}</span>
          </button>
        </div>
      )}
      {mode === 'edit' && (
        <ChangeForm
          grant={grant}
          onCancel={() => back('change')}
          onSaved={() => {
            setDone(`Saved. ${name}'s access changes from their next page.`);
            back('change');
            onChanged();
          }}
        />
      )}
      {mode === 'confirm' && <ConfirmStop grant={grant} onCancel={() => back('stop')} onStopped={onChanged} />}
    </li>
  );
}

function ChangeForm({ grant, onCancel, onSaved }: { grant: Grant; onCancel: () => void; onSaved: () => void }) {
  const base = `grant-${grant.id.replace(/[^\w-]/g, '')}`;
  const [scopes, setScopes] = useState<CaregiverScope[]>([...grant.scopes]);
  const [until, setUntil] = useState(dateFromExpiry(grant.expiresAt));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [{ fetching }, update] = useMutation(UpdateCaregiverAccessMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    if (scopes.length === 0) {
      setErrors({ scopes: 'Please choose at least one thing they may see or do, or stop their access instead.' });
      document.getElementById(`${base}-scopes`)?.focus();
      return;
    }
    const expiresAt = until ? expiryFromDate(until) : null;
    if (until && !expiresAt) return setErrors({ expiresAt: 'Please enter the last day as a date, or leave it empty.' });
    const unchangedExpiry = until === dateFromExpiry(grant.expiresAt);
    const result = await update({
      input: {
        grantId: grant.id,
        scopes,
        expiresAt: unchangedExpiry ? null : expiresAt,
        clearExpiry: !unchangedExpiry && !until,
      },
    });
    const payload = result.data?.updateCaregiverAccess;
    if (!payload) return setErrors({ form: describeRequestError(result.error) ?? '' });
    if (payload.__typename === 'CaregiverErrors') {
      const found = caregiverErrorsByField(payload.errors);
      setErrors({ ...found, form: found.form ?? '' });
      return;
    }
    onSaved();
  }

  return (
    <form className="change-form" onSubmit={submit} aria-label={`Change ${who(grant)}'s access`} noValidate aria-busy={fetching}>
      <ErrorNote>{errors.form}</ErrorNote>
      <ScopeFieldset id={`${base}-scopes`} legend={`What ${who(grant)} may see and do`} value={scopes} onChange={setScopes} error={errors.scopes} />
      <div className="field">
        <label htmlFor={`${base}-until`}>Last day of access (optional)</label>
        <p className="hint" id={`${base}-until-hint`}>
          Leave empty to keep access until you stop it.
        </p>
        <input
          id={`${base}-until`}
          type="date"
          value={until}
          onChange={(event) => setUntil(event.target.value)}
          aria-invalid={errors.expiresAt ? true : undefined}
          aria-describedby={[`${base}-until-hint`, errors.expiresAt ? `${base}-until-error` : ''].filter(Boolean).join(' ')}
        />
        {errors.expiresAt && (
          <p className="field-error" id={`${base}-until-error`}>
            {errors.expiresAt}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={fetching}>
          {fetching ? 'Saving…' : 'Save access'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ConfirmStop({ grant, onCancel, onStopped }: { grant: Grant; onCancel: () => void; onStopped: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, revoke] = useMutation(RevokeCaregiverAccessMutation);
  const invited = grant.status === 'INVITED';
  const name = who(grant);
  const question = useRef<HTMLParagraphElement>(null);
  // The question takes focus once, when it appears, so it is read out first.
  useEffect(() => question.current?.focus(), []);

  async function stop() {
    setProblem(null);
    const result = await revoke({ grantId: grant.id });
    const payload = result.data?.revokeCaregiverAccess;
    if (!payload) return setProblem(describeRequestError(result.error));
    if (payload.__typename === 'CaregiverErrors') return setProblem(Object.values(caregiverErrorsByField(payload.errors)).join(' '));
    onStopped();
  }

  return (
    <div className="confirm" role="group" aria-labelledby={`confirm-${grant.id}`}>
      <p id={`confirm-${grant.id}`} tabIndex={-1} ref={question}>
        <strong>
          {invited ? `Withdraw the invitation to ${name}?` : `Stop ${name}'s access now?`}
        </strong>{' '}
        {invited
          ? 'The link in their email will no longer work.'
          : 'From their next page they see nothing of this record. You can invite them again later.'}
      </p>
      <ErrorNote>{problem}</ErrorNote>
      <div className="actions">
        <button type="button" className="button danger" onClick={stop} disabled={fetching}>
          {fetching ? 'Stopping…' : invited ? 'Yes, withdraw it' : 'Yes, stop access'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {invited ? 'Keep the invitation' : 'Keep access'}
        </button>
      </div>
    </div>
  );
}
