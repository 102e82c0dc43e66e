import { useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { ErrorNote, Loading, TableWrap } from '../../components/Status';
import { onReconnect } from '../../client';
import { graphql } from '../../gql';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { allows } from '../../lib/actingFor';
import { useActing, useSession } from '../../session';
import { AppointmentChangedSubscription, AppointmentSummary, StatusTag, therapistName } from './parts';
import { describeAttendance, describeZone, formatDateTime, STATUS_LABELS } from './schedule';
import './appointments.css';

const AppointmentsQuery = graphql(`
  query Appointments($patientId: ID) {
    me {
      id
      timeZone
    }
    appointments(patientId: $patientId, status: [BOOKED], first: 50) {
      edges {
        node {
          ...AppointmentCard
        }
      }
    }
    attendanceHistory(patientId: $patientId) {
      overall {
        attended
        noShows
        rate
      }
      byTherapist {
        attended
        noShows
        rate
        therapist {
          id
          name
        }
      }
      appointments {
        id
        status
        startsAt
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
`);

const ScheduleQuery = graphql(`
  query MySchedule {
    me {
      id
      timeZone
    }
    myAppointments(first: 50) {
      edges {
        node {
          ...AppointmentCard
          patient {
            id
            givenName
            familyName
          }
        }
      }
    }
  }
`);

/** A therapist's own schedule: booking and the patient's tools are the patient's. */
function Schedule() {
  const heading = usePageHeading('Appointments');
  const [{ data, fetching, error }] = useQuery({ query: ScheduleQuery, requestPolicy: 'cache-and-network' });
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const items = data?.myAppointments.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="appointments-heading" className="appointments">
      <h1 id="appointments-heading" ref={heading} tabIndex={-1}>
        Appointments
      </h1>
      {fetching && !data && <Loading label="Loading your schedule…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && (
        <>
          <h2 id="schedule-heading">Your schedule</h2>
          <p className="hint">Times are shown in {describeZone(timeZone)}.</p>
          {items.length === 0 ? (
            <p>No appointments are booked with you.</p>
          ) : (
            <ul className="appointment-list" aria-labelledby="schedule-heading">
              {items.map((appointment) => (
                <li key={appointment.id}>
                  {appointment.patient && (
                    <p className="meta">
                      Patient: {appointment.patient.givenName} {appointment.patient.familyName}
                    </p>
                  )}
                  <AppointmentSummary appointment={appointment} timeZone={timeZone} link={false} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export default function Appointments() {
  const { viewer } = useSession();
  const { acting } = useActing();
  // A caregiver acting for a patient sees the patient's page, whatever their own roles.
  const isPatient = !viewer || viewer.roles.includes('PATIENT') || acting !== null;
  return isPatient ? <PatientAppointments /> : <Schedule />;
}

function PatientAppointments() {
  const heading = usePageHeading('Appointments');
  const { acting } = useActing();
  const canBook = allows(acting, 'APPOINTMENTS_MANAGE');
  // Without patientId the lists are the viewer's own record: a caregiver names the patient.
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AppointmentsQuery,
    variables: { patientId: acting?.patientId ?? null },
    requestPolicy: 'cache-and-network',
  });
  const [liveNote, setLiveNote] = useState('');
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  // Changes made while the socket was down are not replayed: read the lists again.
  useEffect(() => onReconnect(() => refetch({ requestPolicy: 'network-only' })), [refetch]);
  useSubscription({ query: AppointmentChangedSubscription }, (_previous: unknown, event) => {
    const changed = event.appointmentChanged;
    setLiveNote(`${changed.sessionType.name} on ${formatDateTime(changed.startsAt, timeZone)}: ${STATUS_LABELS[changed.status] ?? changed.status}.`);
    refetch({ requestPolicy: 'network-only' });
    return event;
  });

  const upcoming = data?.appointments.edges.map((edge) => edge.node) ?? [];
  const history = data?.attendanceHistory;

  return (
    <section aria-labelledby="appointments-heading" className="appointments">
      <div className="page-head">
        <h1 id="appointments-heading" ref={heading} tabIndex={-1}>
          Appointments
        </h1>
        {canBook && (
          <Link href="/appointments/book" className="button">
            Book an appointment
          </Link>
        )}
      </div>
      <nav aria-label="Appointment settings" className="sub-links">
        <Link href="/appointments/waitlist">Waiting list</Link>
        <Link href="/appointments/calendar">Calendar feed and reminders</Link>
      </nav>
      <p className="visually-hidden" role="status" aria-live="polite">
        {liveNote}
      </p>
      {fetching && !data && <Loading label="Loading your appointments…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && (
        <>
          <h2 id="upcoming-heading">Upcoming</h2>
          <p className="hint">Times are shown in {describeZone(timeZone)}.</p>
          {upcoming.length === 0 ? (
            <p>
              You have no upcoming appointments. <Link href="/appointments/book">Book one</Link>.
            </p>
          ) : (
            <ul className="appointment-list" aria-labelledby="upcoming-heading">
              {upcoming.map((appointment) => (
                <li key={appointment.id}>
                  <AppointmentSummary appointment={appointment} timeZone={timeZone} />
                </li>
              ))}
            </ul>
          )}
          <h2 id="past-heading">Past sessions and attendance</h2>
          {history && (
            <>
              <p className="big-figure">{describeAttendance(history.overall)}</p>
              {history.byTherapist.length > 1 && (
                <ul>
                  {history.byTherapist.map((tally) => (
                    <li key={tally.therapist?.id ?? 'all'}>
                      {tally.therapist?.name ?? 'Other'}: {describeAttendance(tally)}
                    </li>
                  ))}
                </ul>
              )}
              {history.appointments.length === 0 ? (
                <p>Sessions appear here once your therapist marks them attended or missed.</p>
              ) : (
                <TableWrap label="Past sessions">
                  <table>
                    <caption className="visually-hidden">Past sessions</caption>
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Session</th>
                        <th scope="col">Therapist</th>
                        <th scope="col">Attendance</th>
                      </tr>
                    </thead>
                    <tbody>
                      {history.appointments.map((past) => (
                        <tr key={past.id}>
                          <td>{formatDateTime(past.startsAt, timeZone)}</td>
                          <td>{past.sessionType.name}</td>
                          <td>{therapistName(past)}</td>
                          <td>
                            <StatusTag status={past.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
