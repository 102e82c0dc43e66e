import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { useActing, useSession } from '../../session';
import { describeRelationship, describeScopes } from './words';
import { DependentForm } from './DependentForm';
import { FamilyGrantsQuery } from './documents';
import { GrantList } from './GrantList';
import { InviteForm } from './InviteForm';
import './family.css';

/**
 * Family access: who may see this record and what they may do (the patient's own, or a
 * dependent's for a guardian acting for them); the people you help; registering a child.
 */
export default function FamilyAccess() {
  const { viewer } = useSession();
  const { acting, recipients, switchTo, refresh } = useActing();
  const helps = recipients.length > 0 || !!viewer?.roles.includes('CAREGIVER');
  const title = acting ? `Family access for ${acting.patientName}` : 'Family access';
  const heading = usePageHeading(title);
  // Grants belong to a record: your own, or the dependent a guardian acts for.
  const hasRecord = acting ? acting.kind === 'GUARDIAN' : !!viewer?.roles.includes('PATIENT');
  const whose = acting ? `${acting.patientName}'s` : 'your';
  const [{ data, fetching, error }, refetch] = useQuery({ query: FamilyGrantsQuery, pause: !hasRecord, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="family-heading" className="family">
      <h1 id="family-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {hasRecord && (
        <>
          <p className="lead">
            You choose who can help with {whose} care and what each person may see or do. A change applies from their next page.
          </p>
          <section aria-labelledby="grants-heading">
            <h2 id="grants-heading">People who can see {whose} record</h2>
            {fetching && !data && <Loading label="Loading who has access…" />}
            <ErrorNote>{describeRequestError(error)}</ErrorNote>
            {data && <GrantList grants={data.caregiverGrants} onChanged={reload} />}
          </section>
          <InviteForm whose={whose} onInvited={reload} />
        </>
      )}
      {!acting && (
        <>
          {helps && (
            <section className="card" aria-labelledby="helping-list-heading">
              <h2 id="helping-list-heading">People you help</h2>
              {recipients.length === 0 ? (
                <p>You do not help anyone yet. When someone invites you, open the link in their email to accept.</p>
              ) : (
                <ul className="recipient-list">
                  {recipients.map((recipient) => (
                    <li key={recipient.patientId}>
                      <span>
                        <strong>{recipient.patientName}</strong>
                        <span className="meta"> · {describeRelationship(recipient.relationship)}</span>
                        <br />
                        <span className="meta">{describeScopes(recipient.scopes, recipient.kind)}</span>
                      </span>
                      <button type="button" className="button secondary" onClick={() => switchTo(recipient.patientId)}>
                        Act for {recipient.patientName}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          <DependentForm onRegistered={refresh} />
        </>
      )}
    </section>
  );
}
