import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote, TableWrap } from '../components/Status';
import { graphql } from '../gql';
import type { NotificationChannel, NotificationKind } from '../gql/graphql';
import { describeCode, describeRequestError } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';

const PreferencesQuery = graphql(`
  query NotificationPreferences {
    notificationPreferences {
      kind
      channel
      enabled
      isDefault
      locked
    }
    quietHours {
      starts
      ends
      timeZone
    }
  }
`);

const UpdatePreferencesMutation = graphql(`
  mutation UpdateNotificationPreferences($changes: [NotificationPreferenceChange!]!) {
    updateNotificationPreferences(changes: $changes) {
      __typename
      ... on NotificationPreferences {
        preferences {
          kind
          channel
          enabled
          isDefault
          locked
        }
      }
      ... on NotificationErrors {
        errors {
          code
        }
      }
    }
  }
`);

const SetQuietHoursMutation = graphql(`
  mutation SetQuietHours($starts: Time!, $ends: Time!) {
    setQuietHours(starts: $starts, ends: $ends) {
      __typename
      ... on QuietHours {
        starts
        ends
        timeZone
      }
      ... on NotificationErrors {
        errors {
          code
        }
      }
    }
  }
`);

const ClearQuietHoursMutation = graphql(`
  mutation ClearQuietHours {
    clearQuietHours
  }
`);

export const KIND_LABELS: Record<NotificationKind, string> = {
  PLAN_UPDATED: 'Treatment plan changes',
  PROFILE_REVIEW_DUE: 'Profile review reminders',
  QUESTIONNAIRE_DUE: 'Questionnaires before a session',
  APPOINTMENT_BOOKED: 'Appointment booked',
  APPOINTMENT_CHANGED: 'Appointment moved or cancelled',
  APPOINTMENT_REMINDER: 'Appointment reminders',
  WAITLIST_SLOT_OPEN: 'A waiting-list time opened',
  NEW_MESSAGE: 'New messages',
  URGENT_MESSAGE_ESCALATION: 'Urgent message follow-up',
  NEW_MESSAGE_URGENT: 'New urgent messages',
  MESSAGE_OVERDUE: 'Overdue replies',
  VIDEO_COMMENT: 'Comments on your videos',
  SECURITY: 'Security alerts',
  CAREGIVER_ACCESS: 'Family and caregiver access changes',
  EMERGENCY_ACCESS: 'Emergency access to your record',
};

export const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  IN_APP: 'In the app',
  EMAIL: 'Email',
  SMS: 'Text message',
  PUSH: 'Push',
};

const key = (kind: string, channel: string) => `${kind}:${channel}`;

/** Only the cells that differ from what the server has, as the mutation's changes. */
export function preferenceChanges(
  server: readonly { kind: NotificationKind; channel: NotificationChannel; enabled: boolean; locked: boolean }[],
  wanted: Record<string, boolean>,
): { kind: NotificationKind; channel: NotificationChannel; enabled: boolean }[] {
  return server
    .filter((p) => !p.locked && key(p.kind, p.channel) in wanted && wanted[key(p.kind, p.channel)] !== p.enabled)
    .map((p) => ({ kind: p.kind, channel: p.channel, enabled: wanted[key(p.kind, p.channel)]! }));
}

function toInputTime(value: string | undefined): string {
  return value ? value.slice(0, 5) : '';
}

export default function NotificationSettings() {
  const heading = usePageHeading('Notification settings');
  const [{ data, fetching, error }, refetch] = useQuery({ query: PreferencesQuery, requestPolicy: 'cache-and-network' });
  const [wanted, setWanted] = useState<Record<string, boolean>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [quietNote, setQuietNote] = useState<string | null>(null);
  const [quietError, setQuietError] = useState<string | null>(null);
  const [{ fetching: saving }, update] = useMutation(UpdatePreferencesMutation);
  const [{ fetching: settingQuiet }, setQuiet] = useMutation(SetQuietHoursMutation);
  const [{ fetching: clearingQuiet }, clearQuiet] = useMutation(ClearQuietHoursMutation);

  const preferences = data?.notificationPreferences ?? [];
  const kinds = [...new Set(preferences.map((p) => p.kind))];
  const channels = [...new Set(preferences.map((p) => p.channel))];
  const cell = new Map(preferences.map((p) => [key(p.kind, p.channel), p]));

  useEffect(() => {
    setStarts(toInputTime(data?.quietHours?.starts));
    setEnds(toInputTime(data?.quietHours?.ends));
  }, [data?.quietHours?.starts, data?.quietHours?.ends]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    setSaveError(null);
    const changes = preferenceChanges(preferences, wanted);
    if (changes.length === 0) {
      setSaved('Nothing changed.');
      return;
    }
    const result = await update({ changes });
    const payload = result.data?.updateNotificationPreferences;
    if (!payload) setSaveError(describeRequestError(result.error));
    else if (payload.__typename === 'NotificationErrors') setSaveError(describeCode(payload.errors[0]?.code));
    else {
      setWanted({});
      setSaved('Your notification settings are saved.');
      refetch({ requestPolicy: 'network-only' });
    }
  }

  async function saveQuiet(event: FormEvent) {
    event.preventDefault();
    setQuietNote(null);
    setQuietError(null);
    const result = await setQuiet({ starts: `${starts}:00`, ends: `${ends}:00` });
    const payload = result.data?.setQuietHours;
    if (!payload) setQuietError(describeRequestError(result.error));
    else if (payload.__typename === 'NotificationErrors') setQuietError(describeCode(payload.errors[0]?.code));
    else setQuietNote(`Quiet hours saved: ${toInputTime(payload.starts)} to ${toInputTime(payload.ends)} (${payload.timeZone}).`);
  }

  return (
    <section aria-labelledby="prefs-heading">
      <h1 id="prefs-heading" ref={heading} tabIndex={-1}>
        Notification settings
      </h1>
      <p>
        <Link href="/account">Back to account and security</Link>
      </p>
      {fetching && !data && <Loading label="Loading your settings…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && (
        <form className="card" onSubmit={save} aria-busy={saving}>
          <h2>How we tell you</h2>
          <p>Settings marked “locked” cannot be turned off: the clinic needs to reach you that way.</p>
          <SuccessNote>{saved}</SuccessNote>
          <ErrorNote>{saveError}</ErrorNote>
          <TableWrap label="Notifications by kind and channel">
            <table className="matrix">
              <caption className="visually-hidden">Notifications by kind and channel</caption>
              <thead>
                <tr>
                  <th scope="col">Notification</th>
                  {channels.map((c) => (
                    <th scope="col" key={c}>
                      {CHANNEL_LABELS[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {kinds.map((kind) => (
                  <tr key={kind}>
                    <th scope="row">{KIND_LABELS[kind]}</th>
                    {channels.map((channel) => {
                      const pref = cell.get(key(kind, channel));
                      if (!pref) return <td key={channel} />;
                      const id = `pref-${kind}-${channel}`;
                      const checked = wanted[key(kind, channel)] ?? pref.enabled;
                      return (
                        <td key={channel}>
                          <input
                            id={id}
                            type="checkbox"
                            checked={checked}
                            disabled={pref.locked}
                            aria-describedby={pref.locked ? `${id}-locked` : undefined}
                            onChange={(e) => setWanted((w) => ({ ...w, [key(kind, channel)]: e.target.checked }))}
                          />
                          <label htmlFor={id} className="visually-hidden">
                            {KIND_LABELS[kind]} by {CHANNEL_LABELS[channel]}
                          </label>
                          {pref.locked && (
                            <span className="locked" id={`${id}-locked`}>
                              <span aria-hidden="true">🔒</span> locked
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
        </form>
      )}
      {data && (
        <form className="card" onSubmit={saveQuiet} aria-busy={settingQuiet || clearingQuiet}>
          <h2>Quiet hours</h2>
          <p>
            During quiet hours email, text and push notifications wait until the hours end. Urgent ones still come at once. Times
            are in your time zone{data.quietHours ? ` (${data.quietHours.timeZone})` : ''}.
          </p>
          <SuccessNote>{quietNote}</SuccessNote>
          <ErrorNote>{quietError}</ErrorNote>
          <div className="inline-fields">
            <div className="field">
              <label htmlFor="quiet-starts">From</label>
              <input id="quiet-starts" type="time" required value={starts} onChange={(e) => setStarts(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="quiet-ends">Until</label>
              <input id="quiet-ends" type="time" required value={ends} onChange={(e) => setEnds(e.target.value)} />
            </div>
          </div>
          <div className="actions">
            <button type="submit" className="button" disabled={settingQuiet || !starts || !ends}>
              {settingQuiet ? 'Saving…' : 'Save quiet hours'}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={clearingQuiet || !data.quietHours}
              onClick={async () => {
                await clearQuiet({});
                setQuietNote('Quiet hours removed.');
                refetch({ requestPolicy: 'network-only' });
              }}
            >
              {clearingQuiet ? 'Removing…' : 'Remove quiet hours'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
