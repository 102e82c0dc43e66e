import { useState, type FormEvent } from 'react';
import { useActing, useSession } from '../../session';
import { describeRelationship } from '../family/words';
import './caregiver.css';

/**
 * The header's "Acting for" switcher and, while acting, the banner that says for whom. A
 * select with a Switch button (not a select that switches on change): moving through the
 * options with the keyboard must not take the person somewhere else.
 */
export default function ActingBar() {
  const { viewer } = useSession();
  const { recipients, acting, switchTo } = useActing();
  const [choice, setChoice] = useState(acting?.patientId ?? '');

  function submit(event: FormEvent) {
    event.preventDefault();
    switchTo(choice || null);
  }

  return (
    <div className="acting-bar" data-acting={acting ? 'true' : 'false'}>
      {acting && (
        <p className="acting-banner" data-testid="acting-banner">
          You are acting for <strong>{acting.patientName}</strong>
          <span className="meta"> ({describeRelationship(acting.relationship).toLowerCase()})</span>
        </p>
      )}
      <form className="acting-switcher" onSubmit={submit}>
        <label htmlFor="acting-for">Acting for</label>
        <select id="acting-for" value={choice} onChange={(event) => setChoice(event.target.value)}>
          <option value="">Yourself{viewer ? ` (${viewer.displayName})` : ''}</option>
          {recipients.map((recipient) => (
            <option key={recipient.patientId} value={recipient.patientId}>
              {recipient.patientName}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary">
          Switch
        </button>
      </form>
    </div>
  );
}

/** Said once when the access of the person acted for ended (revoked or expired). */
export function ActingNotice() {
  const { ended, dismissEnded } = useActing();
  if (!ended) return null;
  return (
    <div className="ended-notice" role="alert">
      <p>
        <strong>Your access to {ended}&apos;s record has ended.</strong> They may have stopped it, or it reached its end date. You
        are now using Relief for yourself.
      </p>
      <button type="button" className="button secondary small" onClick={dismissEnded}>
        Dismiss
      </button>
    </div>
  );
}
