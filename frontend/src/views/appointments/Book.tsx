import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import type { AppointmentCardFragment, Specialty } from '../../gql/graphql';
import { describeCode, describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link, queryParam, useLocation } from '../../lib/router';
import { AppointmentSummary, CancelAppointmentMutation, PolicyNote, therapistName, useSchedulingPolicy } from './parts';
import { addDays, describeZone, formatDateTime, localDay, startOfLocalDay, undoable } from './schedule';
import { slotKey, slotPlace, SlotList, type Slot } from './SlotList';
import './appointments.css';

const BookSetupQuery = graphql(`
  query BookSetup {
    me {
      id
      timeZone
    }
    sessionTypes(includeInactive: false) {
      id
      code
      name
      description
      durationMinutes
      telehealthAllowed
    }
    specialties {
      value
      label
    }
    locations {
      id
      name
      city
    }
  }
`);

const RescheduleTargetQuery = graphql(`
  query RescheduleTarget($id: ID!) {
    appointment(id: $id) {
      ...AppointmentCard
    }
  }
`);

const AvailableSlotsQuery = graphql(`
  query AvailableSlots($filter: SlotFilter!, $timeZone: String) {
    availableSlots(filter: $filter, timeZone: $timeZone) {
      __typename
      ... on AvailableSlots {
        timeZone
        slots {
          startsAt
          endsAt
          localDate
          telehealth
          therapist {
            id
            name
            credentials
          }
          sessionType {
            id
            code
            name
          }
          location {
            id
            name
          }
        }
      }
      ... on ScheduleErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

const BookAppointmentMutation = graphql(`
  mutation BookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
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

const RescheduleAppointmentMutation = graphql(`
  mutation RescheduleAppointment($input: RescheduleAppointmentInput!) {
    rescheduleAppointment(input: $input) {
      __typename
      ... on ReschedulePayload {
        appointment {
          ...AppointmentCard
        }
        previous {
          id
          status
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

type How = 'any' | 'in-person' | 'video';

interface Filters {
  sessionType: string;
  specialty: string;
  locationId: string;
  how: How;
  fromDay: string;
  toDay: string;
}

const SEARCH_DAYS = 7;

/** The API's filter for a search, the days taken as whole local days in the zone. */
export function slotFilter(filters: Filters, timeZone: string) {
  return {
    sessionType: filters.sessionType,
    from: startOfLocalDay(filters.fromDay, timeZone).toISOString(),
    to: startOfLocalDay(addDays(filters.toDay, 1), timeZone).toISOString(),
    specialty: (filters.specialty || null) as Specialty | null,
    locationId: filters.how === 'video' ? null : filters.locationId || null,
    telehealth: filters.how === 'any' ? null : filters.how === 'video',
  };
}

/** Booking errors in words; the API's own sentence where it carries facts (the clinic's phone). */
function bookingError(errors: readonly { code: string; message: string }[]): string {
  const first = errors[0];
  if (!first) return describeCode('INTERNAL');
  if (first.code === 'CANCELLATION_WINDOW_CLOSED' && first.message) return first.message;
  return describeCode(first.code);
}

export default function Book() {
  const location = useLocation();
  const rescheduleId = queryParam(location, 'reschedule');
  const [{ data: setup, fetching: loadingSetup, error: setupError }] = useQuery({ query: BookSetupQuery });
  const [{ data: target, error: targetError }] = useQuery({
    query: RescheduleTargetQuery,
    variables: { id: rescheduleId ?? '' },
    pause: !rescheduleId,
  });
  const timeZone = setup?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = localDay(new Date().toISOString(), timeZone);
  const moving = target?.appointment ?? null;

  const [filters, setFilters] = useState<Filters | null>(null);
  const [applied, setApplied] = useState<Filters | null>(null);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [concerns, setConcerns] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<{ appointment: AppointmentCardFragment; moved: boolean } | null>(null);
  const policy = useSchedulingPolicy();
  const [undone, setUndone] = useState(false);
  const [undoError, setUndoError] = useState<string | null>(null);

  // Once the session types (and the booking being moved) are known, search the coming week.
  useEffect(() => {
    if (!setup || filters || (rescheduleId && !moving)) return;
    const types = setup.sessionTypes;
    const preferred = moving?.sessionType.code ?? types.find((t) => t.code === 'follow_up')?.code ?? types[0]?.code ?? '';
    const initial: Filters = { sessionType: preferred, specialty: '', locationId: '', how: 'any', fromDay: today, toDay: addDays(today, SEARCH_DAYS - 1) };
    setFilters(initial);
    setApplied(initial);
  }, [setup, filters, rescheduleId, moving, today]);

  const filter = useMemo(() => (applied && setup?.me ? slotFilter(applied, timeZone) : null), [applied, setup?.me, timeZone]);
  const [{ data: found, fetching: searching, error: searchError }, search] = useQuery({
    query: AvailableSlotsQuery,
    variables: { filter: filter!, timeZone },
    pause: !filter || !filter.sessionType,
    requestPolicy: 'network-only',
  });

  const [{ fetching: booking }, book] = useMutation(BookAppointmentMutation);
  const [{ fetching: rescheduling }, reschedule] = useMutation(RescheduleAppointmentMutation);
  const [{ fetching: undoing }, cancel] = useMutation(CancelAppointmentMutation);

  const title = done ? (undone ? 'Booking undone' : done.moved ? 'Your appointment is moved' : 'Your appointment is booked') : moving ? 'Move your appointment' : 'Book an appointment';
  const heading = usePageHeading(title);

  const result = found?.availableSlots;
  const slots = result?.__typename === 'AvailableSlots' ? result.slots : [];
  const slotsError = result?.__typename === 'ScheduleErrors' ? describeCode(result.errors[0]?.code) : describeRequestError(searchError);

  function update<K extends keyof Filters>(key: K, value: Filters[K]) {
    setFilters((current) => (current ? { ...current, [key]: value } : current));
  }

  function applySearch(event: FormEvent) {
    event.preventDefault();
    setSelected(null);
    setFormError(null);
    setApplied(filters);
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    if (!selected) {
      setFormError('Please choose a time first.');
      return;
    }
    const place = { locationId: selected.telehealth ? null : (selected.location?.id ?? null), telehealth: selected.telehealth };
    if (moving) {
      const outcome = await reschedule({
        input: { appointmentId: moving.id, startsAt: selected.startsAt, therapistId: selected.therapist.id, sessionType: selected.sessionType.code, ...place },
      });
      const payload = outcome.data?.rescheduleAppointment;
      if (payload?.__typename === 'ReschedulePayload') setDone({ appointment: payload.appointment, moved: true });
      else failed(payload?.__typename === 'BookingErrors' ? payload.errors : null, outcome.error);
      return;
    }
    const outcome = await book({
      input: { therapistId: selected.therapist.id, sessionType: selected.sessionType.code, startsAt: selected.startsAt, concerns, ...place },
    });
    const payload = outcome.data?.bookAppointment;
    if (payload?.__typename === 'AppointmentPayload') setDone({ appointment: payload.appointment, moved: false });
    else failed(payload?.__typename === 'BookingErrors' ? payload.errors : null, outcome.error);
  }

  function failed(errors: readonly { code: string; message: string }[] | null, error: Parameters<typeof describeRequestError>[0]) {
    if (!errors) {
      setFormError(describeRequestError(error));
      return;
    }
    setFormError(bookingError(errors));
    if (errors.some((e) => e.code === 'SLOT_UNAVAILABLE' || e.code === 'PATIENT_DOUBLE_BOOKED')) {
      setSelected(null);
      search({ requestPolicy: 'network-only' });
    }
  }

  async function undo() {
    if (!done) return;
    setUndoError(null);
    const outcome = await cancel({ input: { appointmentId: done.appointment.id, reason: 'Undone right after booking' } });
    const payload = outcome.data?.cancelAppointment;
    if (payload?.__typename === 'AppointmentPayload') setUndone(true);
    else setUndoError(payload?.__typename === 'BookingErrors' ? bookingError(payload.errors) : describeRequestError(outcome.error));
  }

  if (done) {
    return (
      <section aria-labelledby="book-heading" className="appointments">
        <h1 id="book-heading" ref={heading} tabIndex={-1} key={title}>
          {title}
        </h1>
        {undone ? (
          <SuccessNote>The booking is cancelled. Nothing else changed.</SuccessNote>
        ) : (
          <>
            <AppointmentSummary appointment={done.appointment} timeZone={timeZone} link={false} level={2} />
            <p>A confirmation is on its way by email, with a calendar file attached.</p>
            {!done.moved && policy && undoable(done.appointment.bookedAt, new Date(), policy.bookingUndoMinutes) && (
              <div className="card">
                <p>
                  Booked the wrong time? You can undo this booking in the next {policy.bookingUndoMinutes} minutes, whatever
                  the time of the appointment.
                </p>
                <ErrorNote>{undoError}</ErrorNote>
                <button type="button" className="button secondary" onClick={undo} disabled={undoing} aria-busy={undoing}>
                  {undoing ? 'Undoing…' : 'Undo this booking'}
                </button>
              </div>
            )}
          </>
        )}
        <ul className="quick-links">
          {!undone && (
            <li>
              <Link href={`/appointments/${encodeURIComponent(done.appointment.id)}`}>Answer the questionnaire before the session</Link>
            </li>
          )}
          <li>
            <Link href="/appointments">See all your appointments</Link>
          </li>
        </ul>
      </section>
    );
  }

  return (
    <section aria-labelledby="book-heading" className="appointments">
      <h1 id="book-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>
        <Link href="/appointments">Back to appointments</Link>
      </p>
      {(loadingSetup || (rescheduleId && !moving && !targetError)) && <Loading label="Loading the booking form…" />}
      <ErrorNote>{describeRequestError(setupError ?? targetError)}</ErrorNote>
      {moving && (
        <div className="card">
          <h2>Now booked</h2>
          <p>
            {moving.sessionType.name} with {therapistName(moving)}, {formatDateTime(moving.startsAt, timeZone)}.
          </p>
          <PolicyNote policy={policy} />
        </div>
      )}
      {setup && filters && (
        <form className="card filters" onSubmit={applySearch} aria-labelledby="filters-heading">
          <h2 id="filters-heading">What and when</h2>
          <div className="filter-grid">
            <div className="field">
              <label htmlFor="f-type">Kind of session</label>
              <select id="f-type" value={filters.sessionType} onChange={(e) => update('sessionType', e.target.value)}>
                {setup.sessionTypes.map((type) => (
                  <option key={type.code} value={type.code}>
                    {type.name} ({type.durationMinutes} min)
                  </option>
                ))}
              </select>
            </div>
            {!moving && (
              <div className="field">
                <label htmlFor="f-specialty">Specialty</label>
                <select id="f-specialty" value={filters.specialty} onChange={(e) => update('specialty', e.target.value)}>
                  <option value="">Any specialty</option>
                  {setup.specialties.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <fieldset className="field how">
              <legend>In person or by video</legend>
              {(
                [
                  ['any', 'Either'],
                  ['in-person', 'In person'],
                  ['video', 'Telehealth (video)'],
                ] as const
              ).map(([value, label]) => (
                <div className="check" key={value}>
                  <input type="radio" id={`f-how-${value}`} name="how" checked={filters.how === value} onChange={() => update('how', value)} />
                  <label htmlFor={`f-how-${value}`}>{label}</label>
                </div>
              ))}
            </fieldset>
            {filters.how !== 'video' && (
              <div className="field">
                <label htmlFor="f-location">Place</label>
                <select id="f-location" value={filters.locationId} onChange={(e) => update('locationId', e.target.value)}>
                  <option value="">Any place</option>
                  {setup.locations.map((place) => (
                    <option key={place.id} value={place.id}>
                      {place.name}, {place.city}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="field">
              <label htmlFor="f-from">From</label>
              <input id="f-from" type="date" value={filters.fromDay} min={today} onChange={(e) => update('fromDay', e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="f-to">To (at most 31 days)</label>
              <input id="f-to" type="date" value={filters.toDay} min={filters.fromDay} onChange={(e) => update('toDay', e.target.value)} required />
            </div>
          </div>
          <button type="submit" className="button secondary" aria-busy={searching}>
            Show free times
          </button>
        </form>
      )}
      {applied && (
        <form onSubmit={confirm} aria-labelledby="slots-heading" className="booking">
          <h2 id="slots-heading">Free times</h2>
          <p className="hint">Times are shown in your time zone: {describeZone(timeZone)}. You can change it in your account.</p>
          {searching && <Loading label="Looking for free times…" />}
          <ErrorNote>{slotsError}</ErrorNote>
          {!searching && result?.__typename === 'AvailableSlots' && slots.length === 0 && (
            <p>
              No free times match. Try more days, another place or either kind of visit, or{' '}
              <Link href="/appointments/waitlist">join the waiting list</Link> to be told when a time frees up.
            </p>
          )}
          {slots.length > 0 && <SlotList slots={slots} timeZone={timeZone} selected={selected ? slotKey(selected) : null} onSelect={setSelected} />}
          {selected && (
            <p className="chosen" role="status">
              Chosen: {formatDateTime(selected.startsAt, timeZone)} with {selected.therapist.name}, {slotPlace(selected)}.
            </p>
          )}
          {!moving && (
            <div className="field">
              <label htmlFor="concerns">What would you like to talk about? (optional)</label>
              <textarea id="concerns" rows={3} maxLength={2000} value={concerns} onChange={(e) => setConcerns(e.target.value)} aria-describedby="concerns-hint" />
              <p className="hint" id="concerns-hint">
                Your therapist reads this before the session. At most 2,000 characters.
              </p>
            </div>
          )}
          <ErrorNote>{formError}</ErrorNote>
          <button type="submit" className="button" disabled={booking || rescheduling} aria-busy={booking || rescheduling}>
            {booking || rescheduling ? 'Saving…' : moving ? 'Move to this time' : 'Confirm booking'}
          </button>
        </form>
      )}
    </section>
  );
}
