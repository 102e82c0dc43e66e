import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, SuccessNote } from '../../components/Status';
import { describeRequestError } from '../../lib/errors';
import { Link, matchRoute, navigate, useLocation } from '../../lib/router';
import { clockTime, describeRemaining, nextExpiryIn, openAccesses, patientLabel } from './emergency';
import { CloseEmergencyAccessDocument, EMERGENCY_CONTEXT, MyEmergencyAccessesDocument, useNow } from './queries';
import './emergency.css';

const PATIENT_PAGES = [
  { pattern: '/patients/:id', value: true },
  { pattern: '/patients/:id/plan', value: true },
];

/**
 * While a clinician has a record open in an emergency, every page says so at the top: whose,
 * until when, and a button to end it now. The emergency access page lists them itself.
 */
export default function EmergencyBanner() {
  const location = useLocation();
  const now = useNow();
  const [{ data }, reexecute] = useQuery({
    query: MyEmergencyAccessesDocument,
    context: EMERGENCY_CONTEXT,
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching: closing, error: closeError }, close] = useMutation(CloseEmergencyAccessDocument);
  const [ended, setEnded] = useState<string | null>(null);
  const accesses = openAccesses(data?.myEmergencyAccesses ?? [], now);

  // Ask again when the soonest one runs out, so an expired access leaves the page by itself.
  const wait = nextExpiryIn(data?.myEmergencyAccesses ?? [], now);
  useEffect(() => {
    if (wait === null) return;
    const timer = setTimeout(() => reexecute({ requestPolicy: 'network-only' }), wait + 1000);
    return () => clearTimeout(timer);
  }, [wait, reexecute]);
  // The note that one ended stays for the page it was ended on.
  useEffect(() => setEnded(null), [location]);

  const here = matchRoute(PATIENT_PAGES, location)?.params.id ?? null;
  if (location.split(/[?#]/, 1)[0] === '/emergency-access') return null;
  // A banner that could not load says nothing: the emergency access page shows the error.
  if (accesses.length === 0 && !ended && !closeError) return null;
  return (
    <div className="emergency-banner" role="region" aria-label="Emergency access">
      <SuccessNote>{ended}</SuccessNote>
      <ErrorNote>{closeError ? describeRequestError(closeError) : null}</ErrorNote>
      {accesses.map((access) => {
        const name = patientLabel(access.patient);
        return (
          <div key={access.id} className="emergency-banner-item" data-testid="emergency-banner">
            <p>
              <strong>Emergency access until {clockTime(access.expiresAt)}</strong> to {name}&apos;s record (
              {describeRemaining(access.expiresAt, now)}). Everything you open is recorded.
            </p>
            <div className="actions">
              {here !== access.patientId && (
                <Link className="button small secondary" href={`/patients/${encodeURIComponent(access.patientId)}`}>
                  Open {name}&apos;s record
                </Link>
              )}
              <button
                type="button"
                className="button small"
                disabled={closing}
                aria-busy={closing}
                onClick={async () => {
                  const result = await close({ id: access.id }, EMERGENCY_CONTEXT);
                  if (result.error) return;
                  setEnded(`Emergency access to ${name}'s record has ended.`);
                  // The record's page would keep showing what is no longer in reach.
                  if (here === access.patientId) navigate('/emergency-access');
                }}
              >
                End emergency access<span className="visually-hidden"> to {name}&apos;s record</span>
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}
