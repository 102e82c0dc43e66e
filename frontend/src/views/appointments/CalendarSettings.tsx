import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import { describeCode, describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { describeOffset, formatDateTime } from './schedule';
import './appointments.css';

const CalendarSettingsQuery = graphql(`
  query CalendarSettings {
    me {
      id
      timeZone
    }
    calendarFeed {
      active
      createdAt
    }
    reminderPreferences {
      offsetsMinutes
      isDefault
    }
  }
`);

const RegenerateFeedMutation = graphql(`
  mutation RegenerateCalendarFeed {
    regenerateCalendarFeed {
      url
      feed {
        active
        createdAt
      }
    }
  }
`);

const RevokeFeedMutation = graphql(`
  mutation RevokeCalendarFeed {
    revokeCalendarFeed {
      active
      createdAt
    }
  }
`);

const SetRemindersMutation = graphql(`
  mutation SetReminderPreferences($offsetsMinutes: [Int!]!) {
    setReminderPreferences(offsetsMinutes: $offsetsMinutes) {
      __typename
      ... on ReminderPreferences {
        offsetsMinutes
        isDefault
      }
      ... on CalendarErrors {
        errors {
          code
          message
        }
      }
    }
  }
`);

/** The reminder times offered: the API takes 1 to 4 of them, 15 minutes to 7 days before. */
export const REMINDER_CHOICES = [15, 60, 120, 240, 1440, 2880, 10080];

function FeedSection({ active, createdAt, timeZone, onChange }: { active: boolean; createdAt: string | null | undefined; timeZone: string; onChange: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching: making }, regenerate] = useMutation(RegenerateFeedMutation);
  const [{ fetching: revoking }, revoke] = useMutation(RevokeFeedMutation);

  async function make() {
    setNote(null);
    setProblem(null);
    const outcome = await regenerate({});
    if (outcome.data) {
      setUrl(outcome.data.regenerateCalendarFeed.url);
      onChange();
    } else setProblem(describeRequestError(outcome.error));
  }

  async function stop() {
    setNote(null);
    setProblem(null);
    const outcome = await revoke({});
    if (outcome.data) {
      setUrl(null);
      setNote('The calendar feed is turned off. Calendars that used its address stop updating.');
      onChange();
    } else setProblem(describeRequestError(outcome.error));
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setNote('The address is copied. Paste it into your calendar app as a subscription.');
    } catch {
      const field = document.getElementById('feed-url') as HTMLInputElement | null;
      field?.select();
      setNote('Copying is not allowed here: the address is selected, press Ctrl+C (or Cmd+C) to copy it.');
    }
  }

  return (
    <section className="card" aria-labelledby="feed-heading">
      <h2 id="feed-heading">Calendar feed</h2>
      <p>
        A private address your calendar app (Google, Apple, Outlook) can subscribe to, so your appointments with every therapist appear there
        and stay up to date.
      </p>
      <p className="big-figure">
        {active ? `Active, made ${createdAt ? formatDateTime(createdAt, timeZone) : 'earlier'}.` : 'Not active.'}
      </p>
      {url && (
        <div className="feed-url">
          <label htmlFor="feed-url">Your feed address (shown only now: copy it into your calendar app)</label>
          <input id="feed-url" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="button" onClick={copy}>
            Copy the address
          </button>
        </div>
      )}
      <SuccessNote>{note}</SuccessNote>
      <ErrorNote>{problem}</ErrorNote>
      <div className="actions">
        <button type="button" className="button secondary" onClick={make} disabled={making} aria-busy={making}>
          {making ? 'Making…' : active ? 'Make a new address' : 'Turn on the calendar feed'}
        </button>
        {active && (
          <button type="button" className="button secondary" onClick={stop} disabled={revoking} aria-busy={revoking}>
            {revoking ? 'Turning off…' : 'Turn off the feed'}
          </button>
        )}
      </div>
      {active && !url && <p className="hint">For your privacy the address is shown only once. If you lost it, make a new one: the old one then stops working.</p>}
    </section>
  );
}

function RemindersSection({ offsets, isDefault }: { offsets: readonly number[]; isDefault: boolean }) {
  const [chosen, setChosen] = useState<number[]>([...offsets]);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, save] = useMutation(SetRemindersMutation);
  useEffect(() => setChosen([...offsets]), [offsets]);
  const choices = [...new Set([...REMINDER_CHOICES, ...offsets])].sort((a, b) => a - b);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNote(null);
    setProblem(null);
    if (chosen.length < 1 || chosen.length > 4) {
      setProblem('Please choose between 1 and 4 reminder times.');
      return;
    }
    const outcome = await save({ offsetsMinutes: chosen });
    const payload = outcome.data?.setReminderPreferences;
    if (payload?.__typename === 'ReminderPreferences') {
      setNote(`Saved: you are reminded ${payload.offsetsMinutes.map(describeOffset).join(', ')} before each appointment.`);
    } else if (payload?.__typename === 'CalendarErrors') setProblem(payload.errors[0]?.message || describeCode(payload.errors[0]?.code));
    else setProblem(describeRequestError(outcome.error));
  }

  return (
    <section className="card" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">Reminders</h2>
      <p>{isDefault ? 'You use the clinic’s usual reminder times.' : 'You chose your own reminder times.'} How you are told (email, text, app) is set in your notification settings.</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Remind me before each appointment (choose 1 to 4)</legend>
          {choices.map((minutes) => (
            <div className="check" key={minutes}>
              <input
                type="checkbox"
                id={`remind-${minutes}`}
                checked={chosen.includes(minutes)}
                onChange={(e) => setChosen((current) => (e.target.checked ? [...current, minutes] : current.filter((m) => m !== minutes)))}
              />
              <label htmlFor={`remind-${minutes}`}>{describeOffset(minutes)} before</label>
            </div>
          ))}
        </fieldset>
        <SuccessNote>{note}</SuccessNote>
        <ErrorNote>{problem}</ErrorNote>
        <button type="submit" className="button" disabled={fetching}>
          {fetching ? 'Saving…' : 'Save reminder times'}
        </button>
      </form>
      <p>
        <Link href="/account/notifications">Choose how you are notified</Link>
      </p>
    </section>
  );
}

export default function CalendarSettings() {
  const heading = usePageHeading('Calendar feed and reminders');
  const [{ data, fetching, error }, refetch] = useQuery({ query: CalendarSettingsQuery, requestPolicy: 'cache-and-network' });
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <section aria-labelledby="calendar-heading" className="appointments">
      <h1 id="calendar-heading" ref={heading} tabIndex={-1}>
        Calendar feed and reminders
      </h1>
      <p>
        <Link href="/appointments">Back to appointments</Link>
      </p>
      {fetching && !data && <Loading label="Loading your calendar settings…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && (
        <>
          <FeedSection
            active={data.calendarFeed.active}
            createdAt={data.calendarFeed.createdAt}
            timeZone={timeZone}
            onChange={() => refetch({ requestPolicy: 'network-only' })}
          />
          <RemindersSection offsets={data.reminderPreferences.offsetsMinutes} isDefault={data.reminderPreferences.isDefault} />
        </>
      )}
    </section>
  );
}
