import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import type { Specialty } from '../../gql/graphql';
import { describeCode, describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { addDays, localDay } from './schedule';
import './appointments.css';

const WaitlistQuery = graphql(`
  query Waitlist {
    me {
      id
      timeZone
    }
    myWaitlist(all: false) {
      id
      status
      specialty
      telehealth
      fromDate
      toDate
      joinedAt
      lastOfferedAt
      therapist {
        id
        name
      }
      sessionType {
        id
        name
      }
      location {
        id
        name
      }
    }
    sessionTypes(includeInactive: false) {
      id
      code
      name
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
    therapists(first: 100) {
      edges {
        node {
          id
          name
          credentials
        }
      }
    }
  }
`);

const JoinWaitlistMutation = graphql(`
  mutation JoinWaitlist($input: JoinWaitlistInput!) {
    joinWaitlist(input: $input) {
      __typename
      ... on WaitlistPayload {
        entry {
          id
          status
        }
      }
      ... on WaitlistErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

const LeaveWaitlistMutation = graphql(`
  mutation LeaveWaitlist($id: ID!) {
    leaveWaitlist(id: $id) {
      __typename
      ... on WaitlistPayload {
        entry {
          id
          status
        }
      }
      ... on WaitlistErrors {
        errors {
          code
          message
        }
      }
    }
  }
`);

/** "December 7, 2026" for a plain date, without shifting it through a time zone. */
function formatDate(day: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(`${day}T00:00:00Z`));
}

export default function Waitlist() {
  const heading = usePageHeading('Waiting list');
  const [{ data, fetching, error }, refetch] = useQuery({ query: WaitlistQuery, requestPolicy: 'cache-and-network' });
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = localDay(new Date().toISOString(), timeZone);
  const [forWhom, setForWhom] = useState<'therapist' | 'specialty'>('therapist');
  const [therapistId, setTherapistId] = useState('');
  const [specialty, setSpecialty] = useState('');
  const [sessionType, setSessionType] = useState('');
  const [place, setPlace] = useState('');
  const [fromDate, setFromDate] = useState('');
  const [toDate, setToDate] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [{ fetching: joining }, join] = useMutation(JoinWaitlistMutation);
  const [{ fetching: leaving }, leave] = useMutation(LeaveWaitlistMutation);

  const types = data?.sessionTypes ?? [];
  const therapists = data?.therapists.edges.map((edge) => edge.node) ?? [];
  const chosenType = sessionType || types.find((t) => t.code === 'follow_up')?.code || types[0]?.code || '';
  const chosenFrom = fromDate || today;
  const chosenTo = toDate || addDays(today, 13);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setNote(null);
    const outcome = await join({
      input: {
        therapistId: forWhom === 'therapist' ? therapistId || null : null,
        specialty: forWhom === 'specialty' ? ((specialty || null) as Specialty | null) : null,
        sessionType: chosenType,
        locationId: place && place !== 'video' ? place : null,
        telehealth: place === 'video' ? true : null,
        fromDate: chosenFrom,
        toDate: chosenTo,
      },
    });
    const payload = outcome.data?.joinWaitlist;
    if (payload?.__typename === 'WaitlistPayload') {
      setNote('You are on the waiting list. We will tell you as soon as a matching time frees up: the first to book it gets it.');
      refetch({ requestPolicy: 'network-only' });
    } else if (payload?.__typename === 'WaitlistErrors') setProblem(describeCode(payload.errors[0]?.code));
    else setProblem(describeRequestError(outcome.error));
  }

  async function stopWaiting(id: string) {
    setProblem(null);
    setNote(null);
    const outcome = await leave({ id });
    const payload = outcome.data?.leaveWaitlist;
    if (payload?.__typename === 'WaitlistPayload') {
      setNote('You left that waiting list.');
      refetch({ requestPolicy: 'network-only' });
    } else if (payload?.__typename === 'WaitlistErrors') setProblem(describeCode(payload.errors[0]?.code));
    else setProblem(describeRequestError(outcome.error));
  }

  const entries = data?.myWaitlist ?? [];
  return (
    <section aria-labelledby="waitlist-heading" className="appointments">
      <h1 id="waitlist-heading" ref={heading} tabIndex={-1}>
        Waiting list
      </h1>
      <p>
        <Link href="/appointments">Back to appointments</Link>
      </p>
      <p>No time suits you? Wait for a therapist, or any therapist of a specialty, between two dates. When a matching time frees up, people waiting are told in the order they joined.</p>
      {fetching && !data && <Loading label="Loading your waiting list…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      <SuccessNote>{note}</SuccessNote>
      <ErrorNote>{problem}</ErrorNote>
      {data && (
        <>
          <h2 id="entries-heading">You are waiting for</h2>
          {entries.length === 0 ? (
            <p>You are not on any waiting list.</p>
          ) : (
            <ul className="appointment-list" aria-labelledby="entries-heading">
              {entries.map((entry) => (
                <li key={entry.id} className="card">
                  <p>
                    <strong>{entry.sessionType.name}</strong> with{' '}
                    {entry.therapist ? entry.therapist.name : `any ${data.specialties.find((s) => s.value === entry.specialty)?.label ?? 'therapist'} therapist`}
                    , {formatDate(entry.fromDate)} to {formatDate(entry.toDate)},{' '}
                    {entry.telehealth ? 'by video' : entry.location ? `at ${entry.location.name}` : 'in person or by video'}.
                  </p>
                  <button type="button" className="button secondary" onClick={() => stopWaiting(entry.id)} disabled={leaving}>
                    Leave<span className="visually-hidden"> the waiting list for {entry.sessionType.name} from {formatDate(entry.fromDate)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="card" onSubmit={submit} aria-labelledby="join-heading">
            <h2 id="join-heading">Join a waiting list</h2>
            <fieldset className="field">
              <legend>Wait for</legend>
              <div className="check">
                <input type="radio" id="w-for-therapist" name="for" checked={forWhom === 'therapist'} onChange={() => setForWhom('therapist')} />
                <label htmlFor="w-for-therapist">A therapist</label>
              </div>
              <div className="check">
                <input type="radio" id="w-for-specialty" name="for" checked={forWhom === 'specialty'} onChange={() => setForWhom('specialty')} />
                <label htmlFor="w-for-specialty">Any therapist of a specialty</label>
              </div>
            </fieldset>
            {forWhom === 'therapist' ? (
              <div className="field">
                <label htmlFor="w-therapist">Therapist</label>
                <select id="w-therapist" value={therapistId} onChange={(e) => setTherapistId(e.target.value)}>
                  <option value="">Choose a therapist</option>
                  {therapists.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                      {t.credentials ? `, ${t.credentials}` : ''}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <div className="field">
                <label htmlFor="w-specialty">Specialty</label>
                <select id="w-specialty" value={specialty} onChange={(e) => setSpecialty(e.target.value)}>
                  <option value="">Choose a specialty</option>
                  {data.specialties.map((s) => (
                    <option key={s.value} value={s.value}>
                      {s.label}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="field">
              <label htmlFor="w-type">Kind of session</label>
              <select id="w-type" value={chosenType} onChange={(e) => setSessionType(e.target.value)}>
                {types.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="w-place">Where</label>
              <select id="w-place" value={place} onChange={(e) => setPlace(e.target.value)}>
                <option value="">Any place, or by video</option>
                <option value="video">Telehealth (video) only</option>
                {data.locations.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}, {l.city}
                  </option>
                ))}
              </select>
            </div>
            <div className="inline-fields">
              <div className="field">
                <label htmlFor="w-from">First day</label>
                <input id="w-from" type="date" min={today} value={chosenFrom} onChange={(e) => setFromDate(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="w-to">Last day (at most 90 days later)</label>
                <input id="w-to" type="date" min={chosenFrom} value={chosenTo} onChange={(e) => setToDate(e.target.value)} />
              </div>
            </div>
            <button type="submit" className="button" disabled={joining}>
              {joining ? 'Joining…' : 'Join the waiting list'}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
