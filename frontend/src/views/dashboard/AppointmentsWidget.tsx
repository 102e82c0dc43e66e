import { useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError } from '../../lib/errors';
import { Link } from '../../lib/router';
import { therapistName, When } from '../appointments/parts';

const DashboardAppointmentsQuery = graphql(`
  query DashboardAppointments($patientId: ID!) {
    me {
      id
      timeZone
    }
    appointments(patientId: $patientId, status: [BOOKED], first: 3) {
      edges {
        node {
          id
          startsAt
          endsAt
          telehealth
          sessionType {
            id
            name
          }
          therapist {
            id
            name
            credentials
          }
        }
      }
    }
  }
`);

/** The next three booked sessions, soonest first, in the viewer's time zone. */
export function AppointmentsWidget({ patientId }: { patientId: string | null }) {
  const [{ data, fetching, error }] = useQuery({
    query: DashboardAppointmentsQuery,
    variables: { patientId: patientId ?? '' },
    pause: !patientId,
    requestPolicy: 'cache-and-network',
  });
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const items = data?.appointments.edges.map((edge) => edge.node) ?? [];
  if (!patientId) return <p>Appointments are shown here for patients of the clinic.</p>;
  return (
    <>
      {fetching && !data && <Loading label="Loading your appointments…" />}
      <ErrorNote>{data ? null : describeRequestError(error)}</ErrorNote>
      {data && items.length === 0 && (
        <p>
          You have no upcoming appointments. <Link href="/appointments/book">Book an appointment</Link>
        </p>
      )}
      {items.length > 0 && (
        <ul className="upcoming-list">
          {items.map((appointment) => (
            <li key={appointment.id}>
              <Link href={`/appointments/${encodeURIComponent(appointment.id)}`}>
                {appointment.sessionType.name} with {therapistName(appointment)}
              </Link>
              <span className="meta">
                <When appointment={appointment} timeZone={timeZone} />
                {appointment.telehealth ? ', by video' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="widget-more">
        <Link href="/appointments">All appointments</Link>
      </p>
    </>
  );
}
