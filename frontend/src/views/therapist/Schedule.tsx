import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError, describeTypedError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { Place, StatusTag, When } from '../appointments/parts';
import { describeZone, formatDateTime } from '../appointments/schedule';
import { canMarkAttendance, patientName } from './therapist';
import './therapist.css';

const TherapistScheduleQuery = graphql(`
  query TherapistSchedule {
    me {
      id
      timeZone
    }
    myAppointments(first: 100) {
      edges {
        node {
          ...AppointmentCard
          attendanceMarkedAt
          patient {
            id
            givenName
            familyName
            preferredName
          }
        }
      }
    }
  }
`);

const MarkAttendanceMutation = graphql(`
  mutation MarkAttendance($appointmentId: ID!, $status: AttendanceMark!) {
    markAttendance(appointmentId: $appointmentId, status: $status) {
      __typename
      ... on AppointmentPayload {
        appointment {
          id
          status
          attendanceMarkedAt
        }
      }
      ... on BookingErrors {
        errors {
          code
          message
        }
      }
    }
  }
`);

type Mark = 'ATTENDED' | 'NO_SHOW';

export default function TherapistSchedule() {
  const heading = usePageHeading('Your schedule');
  const [{ data, fetching, error }] = useQuery({ query: TherapistScheduleQuery, requestPolicy: 'cache-and-network' });
  const [{ fetching: marking }, markAttendance] = useMutation(MarkAttendanceMutation);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const items = data?.myAppointments.edges.map((edge) => edge.node) ?? [];
  const now = new Date();

  async function mark(appointmentId: string, status: Mark, what: string) {
    setBusyId(appointmentId);
    setDone('');
    setProblems((current) => ({ ...current, [appointmentId]: '' }));
    const result = await markAttendance({ appointmentId, status });
    setBusyId(null);
    const payload = result.data?.markAttendance;
    let problem = describeRequestError(result.error);
    if (!problem && payload?.__typename === 'BookingErrors') problem = payload.errors.map(describeTypedError).join(' ');
    if (problem) setProblems((current) => ({ ...current, [appointmentId]: problem ?? '' }));
    else setDone(`${what}: marked ${status === 'ATTENDED' ? 'attended' : 'missed'}.`);
  }

  return (
    <section aria-labelledby="schedule-heading" className="therapist appointments">
      <h1 id="schedule-heading" ref={heading} tabIndex={-1}>
        Your schedule
      </h1>
      {fetching && !data && <Loading label="Loading your schedule…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      <SuccessNote>{done}</SuccessNote>
      {data && (
        <>
          <p className="hint">
            Times are shown in {describeZone(timeZone)}. Once a session has started, mark whether the patient came.
          </p>
          {items.length === 0 ? (
            <p>No appointments are booked with you.</p>
          ) : (
            <ul className="appointment-list" aria-labelledby="schedule-heading">
              {items.map((appointment) => {
                const who = appointment.patient ? patientName(appointment.patient) : 'A patient';
                const what = `${who}, ${formatDateTime(appointment.startsAt, timeZone)}`;
                const problemId = `attendance-problem-${appointment.id}`;
                const problem = problems[appointment.id];
                return (
                  <li key={appointment.id}>
                    <article className="appointment card" aria-labelledby={`sched-${appointment.id}`}>
                      <h2 id={`sched-${appointment.id}`}>
                        {appointment.sessionType.name} with{' '}
                        {appointment.patient ? <Link href={`/patients/${encodeURIComponent(appointment.patient.id)}`}>{who}</Link> : who}
                      </h2>
                      <p className="appointment-tags">
                        <StatusTag status={appointment.status} />
                      </p>
                      <dl className="appointment-facts">
                        <div>
                          <dt>When</dt>
                          <dd>
                            <When appointment={appointment} timeZone={timeZone} />
                          </dd>
                        </div>
                        <div>
                          <dt>Where</dt>
                          <dd>
                            <Place appointment={appointment} />
                          </dd>
                        </div>
                      </dl>
                      {appointment.concerns && <p>They want to talk about: {appointment.concerns}</p>}
                      {canMarkAttendance(appointment, now) && (
                        <div className="attendance-actions" role="group" aria-label={`Attendance of ${what}`}>
                          {(['ATTENDED', 'NO_SHOW'] as const).map((status) => (
                            <button
                              key={status}
                              type="button"
                              className={status === 'ATTENDED' ? 'button' : 'button secondary'}
                              disabled={marking && busyId === appointment.id}
                              aria-describedby={problem ? problemId : undefined}
                              onClick={() => mark(appointment.id, status, what)}
                            >
                              {status === 'ATTENDED' ? 'Mark attended' : 'Mark no-show'}
                            </button>
                          ))}
                        </div>
                      )}
                      <ErrorNote id={problemId}>{problem}</ErrorNote>
                    </article>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
