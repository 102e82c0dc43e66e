import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AppointmentCardFragment } from '../../gql/graphql';
import { Link } from '../../lib/router';
import { formatDateTime, formatTime, QUESTIONNAIRE_LABELS, STATUS_LABELS, zoneAbbreviation } from './schedule';

export const AppointmentCard = graphql(`
  fragment AppointmentCard on Appointment {
    id
    status
    startsAt
    endsAt
    bookedAt
    telehealth
    joinUrl
    concerns
    cancellationReason
    sessionType {
      id
      code
      name
      durationMinutes
    }
    therapist {
      id
      name
      credentials
    }
    location {
      id
      name
      addressLine1
      city
      phone
    }
    questionnaire {
      status
      dueAt
      submittedAt
    }
  }
`);

export const AppointmentChangedSubscription = graphql(`
  subscription AppointmentChanged {
    appointmentChanged {
      ...AppointmentCard
    }
  }
`);

export const CancelAppointmentMutation = graphql(`
  mutation CancelAppointment($input: CancelAppointmentInput!) {
    cancelAppointment(input: $input) {
      __typename
      ... on AppointmentPayload {
        appointment {
          ...AppointmentCard
        }
      }
      ... on BookingErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export function therapistName(appointment: Pick<AppointmentCardFragment, 'therapist'>): string {
  const therapist = appointment.therapist;
  if (!therapist) return 'your therapist';
  // Some directory names carry their letters already ("Dr. A. Okafor, DPT"): do not repeat them.
  return therapist.credentials && !therapist.name.includes(',') ? `${therapist.name}, ${therapist.credentials}` : therapist.name;
}

/** When, in the viewer's zone, with the zone's short name so the clock is never ambiguous. */
export function When({ appointment, timeZone }: { appointment: Pick<AppointmentCardFragment, 'startsAt' | 'endsAt'>; timeZone: string }) {
  return (
    <>
      {formatDateTime(appointment.startsAt, timeZone)} to {formatTime(appointment.endsAt, timeZone)}{' '}
      <abbr title={timeZone}>{zoneAbbreviation(appointment.startsAt, timeZone)}</abbr>
    </>
  );
}

/** Where: the clinic and its address, or video with its link (or where the link will appear). */
export function Place({ appointment }: { appointment: Pick<AppointmentCardFragment, 'telehealth' | 'joinUrl' | 'location'> }) {
  if (appointment.telehealth) {
    return (
      <>
        Telehealth (video).{' '}
        {appointment.joinUrl ? (
          <a href={appointment.joinUrl} target="_blank" rel="noreferrer">
            Join the video session
          </a>
        ) : (
          <span>The link to join will appear here before the session.</span>
        )}
      </>
    );
  }
  const location = appointment.location;
  if (!location) return <>The clinic will tell you where.</>;
  return (
    <>
      {location.name}, {location.addressLine1}, {location.city}
    </>
  );
}

export function StatusTag({ status }: { status: string }) {
  return <span className={`tag status-${status.toLowerCase()}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function QuestionnaireTag({ status }: { status: string }) {
  const label = QUESTIONNAIRE_LABELS[status] ?? status;
  return <span className={status === 'OVERDUE' ? 'tag urgent' : 'tag'}>Questionnaire: {label.toLowerCase()}</span>;
}

export function AppointmentSummary({
  appointment,
  timeZone,
  link = true,
  level = 3,
}: {
  appointment: AppointmentCardFragment;
  timeZone: string;
  link?: boolean;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <article className="appointment card" aria-labelledby={`appt-${appointment.id}`}>
      <Heading id={`appt-${appointment.id}`}>
        {appointment.sessionType.name} with {therapistName(appointment)}
      </Heading>
      <p className="appointment-tags">
        <StatusTag status={appointment.status} />
        {appointment.status === 'BOOKED' && appointment.questionnaire && <QuestionnaireTag status={appointment.questionnaire.status} />}
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
      {link && (
        <p>
          <Link href={`/appointments/${encodeURIComponent(appointment.id)}`}>
            Details<span className="visually-hidden"> of {appointment.sessionType.name} on {formatDateTime(appointment.startsAt, timeZone)}</span>
            {appointment.status === 'BOOKED' ? ', questionnaire, move or cancel' : ''}
          </Link>
        </p>
      )}
    </article>
  );
}

/** The policy, said before anyone tries to change a booking. */
export const SchedulingPolicyQuery = graphql(`
  query SchedulingPolicy {
    schedulingPolicy {
      cancellationWindowHours
      lateCancellationAllowed
      bookingUndoMinutes
      clinicPhone
    }
  }
`);

export interface Policy {
  cancellationWindowHours: number;
  lateCancellationAllowed: boolean;
  bookingUndoMinutes: number;
  clinicPhone: string;
}

/** The clinic's rules as the API states them (the settings), never numbers of our own. */
export function useSchedulingPolicy(): Policy | undefined {
  const [{ data }] = useQuery({ query: SchedulingPolicyQuery });
  return data?.schedulingPolicy;
}

export function PolicyNote({ policy }: { policy: Policy | undefined }) {
  if (!policy) return null;
  const hours = policy.cancellationWindowHours;
  const closer = policy.lateCancellationAllowed
    ? 'Closer to the start you can still cancel, but it counts as a late cancellation; to move it, please call the clinic.'
    : 'Closer to the start, please call the clinic instead: we show you how to reach it.';
  return (
    <p className="policy">
      You can move or cancel an appointment here until {hours} hours before it starts. A booking you made in the last{' '}
      {policy.bookingUndoMinutes} minutes can always be undone. {closer}
    </p>
  );
}
