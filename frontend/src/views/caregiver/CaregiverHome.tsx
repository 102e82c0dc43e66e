import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import { allows, navigationFor } from '../../lib/actingFor';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { useActing, useSession, type CareRecipient } from '../../session';
import { formatDateTime } from '../appointments/schedule';
import { describeExpiry, describeRelationship, describeScopes } from '../family/words';
import './caregiver.css';

const UpcomingForRecipientQuery = graphql(`
  query UpcomingForRecipient($patientId: ID!) {
    me {
      id
      timeZone
    }
    appointments(patientId: $patientId, status: [BOOKED], first: 3) {
      edges {
        node {
          id
          startsAt
          sessionType {
            id
            name
          }
          therapist {
            id
            name
          }
        }
      }
    }
  }
`);

/** The sections a caregiver may open for the person they act for, with what each holds. */
const SECTIONS = [
  { href: '/appointments', label: 'Appointments' },
  { href: '/messages', label: 'Messages' },
  { href: '/plan', label: 'Treatment Plan' },
  { href: '/progress', label: 'Progress' },
  { href: '/family', label: 'Family access' },
];

/** Home for someone who helps others: whom they act for now, or whom they can act for. */
export default function CaregiverHome() {
  const { acting } = useActing();
  return acting ? <ActingHome recipient={acting} /> : <HelperHome />;
}

function ActingHome({ recipient }: { recipient: CareRecipient }) {
  const heading = usePageHeading(`Helping ${recipient.patientName}`);
  const sections = navigationFor(SECTIONS, recipient);
  const seesAppointments = allows(recipient, 'APPOINTMENTS_VIEW');
  const [{ data, fetching, error }] = useQuery({
    query: UpcomingForRecipientQuery,
    variables: { patientId: recipient.patientId },
    pause: !seesAppointments,
    requestPolicy: 'cache-and-network',
  });
  // Times in the caregiver's own zone, as on the Appointments page.
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const upcoming = data?.appointments.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="helping-heading">
      <h1 id="helping-heading" ref={heading} tabIndex={-1}>
        Helping {recipient.patientName}
      </h1>
      <p className="lead">
        You are acting for {recipient.patientName}. What you see and do here is theirs, and is recorded as done by you on their
        behalf.
      </p>
      <section className="card" aria-labelledby="may-heading">
        <h2 id="may-heading">What you may do</h2>
        <p>{describeScopes(recipient.scopes, recipient.kind)}.</p>
        <p className="meta">
          {describeRelationship(recipient.relationship)} · {describeExpiry(recipient.expiresAt)}
        </p>
        {recipient.confidentialFields.length > 0 && (
          <p className="meta">Some parts of the health record are kept private between a teenager and the clinic.</p>
        )}
        {sections.length > 0 && (
          <ul className="section-links">
            {sections.map((section) => (
              <li key={section.href}>
                <Link href={section.href} className="button secondary">
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {seesAppointments && (
        <section className="card" aria-labelledby="next-heading">
          <h2 id="next-heading">Next appointments</h2>
          {fetching && !data && <Loading label="Loading appointments…" />}
          <ErrorNote>{describeRequestError(error)}</ErrorNote>
          {data && upcoming.length === 0 && <p>No appointments are booked.</p>}
          {upcoming.length > 0 && (
            <ul>
              {upcoming.map((appointment) => (
                <li key={appointment.id}>
                  {formatDateTime(appointment.startsAt, timeZone)}: {appointment.sessionType.name} with {appointment.therapist?.name ?? 'the care team'}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}

function HelperHome() {
  const { viewer } = useSession();
  const { recipients, switchTo } = useActing();
  // The same home title as everyone's: the people they help take the place of a record.
  const heading = usePageHeading('Your dashboard');
  const first = viewer?.displayName.split(' ')[0] ?? '';
  return (
    <section aria-labelledby="helper-heading">
      <h1 id="helper-heading" ref={heading} tabIndex={-1}>
        Your dashboard
      </h1>
      {first && <p className="lead">Welcome back, {first}.</p>}
      <section className="card" aria-labelledby="help-heading">
        <h2 id="help-heading">People you help</h2>
        {recipients.length === 0 ? (
          <p>
            Nobody has given you access to their record yet. When someone invites you, open the link in their email to accept. You
            can also <Link href="/family">register your child</Link>.
          </p>
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
                <button type="button" className="button" onClick={() => switchTo(recipient.patientId)}>
                  Act for {recipient.patientName}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
