import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useClient, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import type { RecordAccessLogQuery } from '../../gql/graphql';
import { usePageHeading } from '../../lib/page';
import { Link, navigate, queryParam, useLocation } from '../../lib/router';
import { useActing, useSession } from '../../session';
import {
  checkRange,
  defaultRange,
  describeEntry,
  describeLogError,
  describeRange,
  exportHref,
  givenName,
  localToday,
  rangeToWindow,
  requestErrorCode,
  type DateRange,
  type Perspective,
} from './accessLog';
import './accessLog.css';

const RecordAccessLogDocument = graphql(`
  query RecordAccessLog($patientId: ID, $from: DateTime, $to: DateTime, $first: Int, $after: String, $includeOwn: Boolean!) {
    recordAccessLog(patientId: $patientId, from: $from, to: $to, first: $first, after: $after, includeOwn: $includeOwn) {
      __typename
      ... on RecordAccessLog {
        timeZone
        entries {
          grouping
          who
          role
          actingFor
          count
          firstAccessAt
          lastAccessAt
          day
          emergencyReason
          emergencyOpenedAt
          resources {
            resource
            action
            count
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      ... on AccessLogErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

const PAGE_SIZE = 20;

type LogResult = RecordAccessLogQuery['recordAccessLog'];
type Entry = Extract<LogResult, { __typename: 'RecordAccessLog' }>['entries'][number];

/** Whose log this page shows, decided from the address, the viewer and whom they act for. */
type Target =
  | { kind: 'LOG'; patientId: string | null; perspective: Omit<Perspective, 'timeZone'>; exportPatient: string | null }
  | { kind: 'SWITCH'; patientId: string; name: string }
  | { kind: 'NOTE'; text: string; link?: { href: string; label: string } };

function useTarget(): Target {
  const location = useLocation();
  const { viewer } = useSession();
  const { acting, recipients } = useActing();
  const named = queryParam(location, 'patient');
  const roles = viewer?.roles ?? [];
  if (acting) {
    // The shell shows this page only to a guardian (lib/actingFor SECTION_SCOPES).
    if (named && named !== acting.patientId) {
      const other = recipients.find((recipient) => recipient.patientId === named && recipient.kind === 'GUARDIAN');
      if (other) return { kind: 'SWITCH', patientId: other.patientId, name: other.patientName };
    }
    return {
      kind: 'LOG',
      patientId: acting.patientId,
      perspective: { reader: 'GUARDIAN', patientName: acting.patientName },
      exportPatient: acting.patientId,
    };
  }
  if (named) {
    const recipient = recipients.find((item) => item.patientId === named);
    if (recipient?.kind === 'GUARDIAN') return { kind: 'SWITCH', patientId: recipient.patientId, name: recipient.patientName };
    if (recipient) {
      return { kind: 'NOTE', text: `Only ${givenName(recipient.patientName)} (or a parent or guardian) can see who opened their record.` };
    }
    if (roles.includes('ADMIN')) {
      return { kind: 'LOG', patientId: named, perspective: { reader: 'ADMIN', patientName: null }, exportPatient: named };
    }
    return { kind: 'LOG', patientId: named, perspective: { reader: 'PATIENT' }, exportPatient: named };
  }
  if (roles.includes('PATIENT')) return { kind: 'LOG', patientId: null, perspective: { reader: 'PATIENT' }, exportPatient: null };
  if (roles.includes('ADMIN')) {
    return {
      kind: 'NOTE',
      text: "Choose whose record to look at: every emergency access in the review links to its patient's log.",
      link: { href: '/admin/emergency-access', label: 'Go to the emergency access review' },
    };
  }
  if (recipients.some((recipient) => recipient.kind === 'GUARDIAN')) {
    return {
      kind: 'NOTE',
      text: 'To see who opened the record of a child you care for, choose them under "Acting for" at the top of the page, then open this page again from Account.',
    };
  }
  return { kind: 'NOTE', text: 'You have no patient record of your own, so there is no access log to show.' };
}

function titleFor(target: Target): string {
  if (target.kind === 'SWITCH') return `Who saw ${givenName(target.name)}'s record`;
  if (target.kind === 'LOG' && target.perspective.reader === 'GUARDIAN' && target.perspective.patientName) {
    return `Who saw ${givenName(target.perspective.patientName)}'s record`;
  }
  if (target.kind === 'LOG' && target.perspective.reader === 'ADMIN') return "Who saw this patient's record";
  return 'Who saw my record';
}

export default function AccessLog() {
  const target = useTarget();
  const title = titleFor(target);
  const heading = usePageHeading(title);
  const { switchTo } = useActing();

  return (
    <section aria-labelledby="access-log-heading" className="access-log">
      <p>
        <Link href="/account">Back to account and security</Link>
      </p>
      <h1 id="access-log-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {target.kind === 'NOTE' && (
        <>
          <p>{target.text}</p>
          {target.link && (
            <p>
              <Link href={target.link.href}>{target.link.label}</Link>
            </p>
          )}
        </>
      )}
      {target.kind === 'SWITCH' && (
        <>
          <p>
            This is the log of {target.name}&apos;s record. To see it, act for {givenName(target.name)}: what you then open is
            for them.
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              switchTo(target.patientId);
              navigate(`/access-log?patient=${encodeURIComponent(target.patientId)}`);
            }}
          >
            Act for {givenName(target.name)} and show the log
          </button>
        </>
      )}
      {target.kind === 'LOG' && <LogPage target={target} />}
    </section>
  );
}

function LogPage({ target }: { target: Extract<Target, { kind: 'LOG' }> }) {
  const today = useMemo(() => localToday(), []);
  const [draft, setDraft] = useState<DateRange>(() => defaultRange(today));
  const [range, setRange] = useState<DateRange>(draft);
  const [rangeError, setRangeError] = useState<{ field: 'from' | 'to'; message: string } | null>(null);
  const [includeOwn, setIncludeOwn] = useState(false);
  const within = useMemo(() => rangeToWindow(range), [range]);
  const owner = target.perspective.reader === 'PATIENT' ? 'my' : target.perspective.patientName ? `${givenName(target.perspective.patientName)}'s` : "the patient's";

  function apply(event: FormEvent) {
    event.preventDefault();
    const checked = checkRange(draft.from, draft.to, today);
    if (!checked.ok) {
      setRangeError({ field: checked.field, message: checked.message });
      document.getElementById(`log-${checked.field}`)?.focus();
      return;
    }
    setRangeError(null);
    setRange(checked.range);
  }

  const describedBy = (field: 'from' | 'to') => (rangeError?.field === field ? 'log-range-error' : 'log-range-hint');
  return (
    <>
      <p className="lead">
        Every time someone opens {target.perspective.reader === 'PATIENT' ? 'your' : 'this'} record in Relief, it is written down.
        Emergency access is highlighted, with the reason the clinician gave.
      </p>
      <form className="card log-range" onSubmit={apply} noValidate aria-labelledby="log-range-heading">
        <h2 id="log-range-heading">Which days</h2>
        <p className="hint" id="log-range-hint">
          Up to a year at a time. The last 90 days are shown first.
        </p>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="log-from">From</label>
            <input
              id="log-from"
              type="date"
              value={draft.from}
              max={today}
              required
              aria-invalid={rangeError?.field === 'from' ? true : undefined}
              aria-describedby={describedBy('from')}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="log-to">To</label>
            <input
              id="log-to"
              type="date"
              value={draft.to}
              max={today}
              required
              aria-invalid={rangeError?.field === 'to' ? true : undefined}
              aria-describedby={describedBy('to')}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
            />
          </div>
        </div>
        {rangeError && (
          <p className="field-error" id="log-range-error" role="alert">
            {rangeError.message}
          </p>
        )}
        <div className="check">
          <input id="log-own" type="checkbox" checked={includeOwn} onChange={(event) => setIncludeOwn(event.target.checked)} />
          <label htmlFor="log-own">Include {owner} own views</label>
        </div>
        <div className="actions">
          <button type="submit" className="button secondary">
            Show these days
          </button>
          <a className="button secondary" href={exportHref(within, target.exportPatient)} download>
            Download as CSV
          </a>
        </div>
      </form>
      <Results
        key={`${target.patientId ?? ''}|${within.from}|${within.to}|${includeOwn}`}
        patientId={target.patientId}
        within={within}
        range={range}
        includeOwn={includeOwn}
        perspective={target.perspective}
      />
    </>
  );
}

interface ResultsProps {
  patientId: string | null;
  within: { from: string; to: string };
  range: DateRange;
  includeOwn: boolean;
  perspective: Omit<Perspective, 'timeZone'>;
}

/** One window's entries: the first page, then "Show more" appends the next ones. */
function Results({ patientId, within, range, includeOwn, perspective }: ResultsProps) {
  const client = useClient();
  const variables = useMemo(
    () => ({ patientId, from: within.from, to: within.to, includeOwn, first: PAGE_SIZE }),
    [patientId, within, includeOwn],
  );
  // Always asked afresh: the log grows with every access (reading it is one).
  const [{ data, fetching, error }] = useQuery({ query: RecordAccessLogDocument, variables, requestPolicy: 'network-only' });
  const [more, setMore] = useState<{ entries: Entry[]; hasNextPage: boolean; endCursor: string | null }[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const firstNew = useRef<HTMLLIElement>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  useEffect(() => {
    if (focusIndex !== null) firstNew.current?.focus();
  }, [focusIndex]);

  const result = data?.recordAccessLog;
  if (fetching && !data) return <Loading label="Loading who opened the record…" />;
  if (!result) return <ErrorNote>{describeLogError(requestErrorCode(error))}</ErrorNote>;
  if (result.__typename === 'AccessLogErrors') return <ErrorNote>{describeLogError(result.errors[0]?.code)}</ErrorNote>;

  const full: Perspective = { ...perspective, timeZone: result.timeZone };
  const entries = [...result.entries, ...more.flatMap((page) => page.entries)];
  const last = more[more.length - 1] ?? result.pageInfo;
  const year = new Date().getFullYear();
  const record = perspective.reader === 'PATIENT' ? 'your record' : 'this record';
  const nobody = includeOwn
    ? 'Nobody'
    : perspective.reader === 'PATIENT'
      ? 'Nobody else'
      : perspective.patientName
        ? `Nobody other than ${givenName(perspective.patientName)}`
        : 'Nobody other than the patient';

  async function showMore() {
    if (!last.endCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const answer = await client
      .query(RecordAccessLogDocument, { ...variables, after: last.endCursor }, { requestPolicy: 'network-only' })
      .toPromise();
    setLoadingMore(false);
    const page = answer.data?.recordAccessLog;
    if (!page) setMoreError(describeLogError(requestErrorCode(answer.error)));
    else if (page.__typename === 'AccessLogErrors') setMoreError(describeLogError(page.errors[0]?.code));
    else {
      setFocusIndex(entries.length);
      setMore((pages) => [...pages, { entries: page.entries, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor ?? null }]);
    }
  }

  return (
    <section aria-labelledby="log-list-heading">
      <h2 id="log-list-heading">{describeRange(range)}</h2>
      {entries.length === 0 ? (
        <p>
          {nobody} opened {record} on these days.
        </p>
      ) : (
        <ol className="log-list">
          {entries.map((entry, index) => {
            const words = describeEntry(entry, full, year);
            return (
              <li
                key={`${index}:${entry.lastAccessAt}`}
                ref={index === focusIndex ? firstNew : undefined}
                tabIndex={index === focusIndex ? -1 : undefined}
                className={`card log-entry${words.emergency ? ' emergency' : ''}`}
                data-grouping={entry.grouping}
              >
                {words.emergency && <p className="log-flag">Emergency access</p>}
                <p className="log-sentence">{words.sentence}.</p>
                {words.reason && (
                  <div className="log-reason">
                    <p className="log-reason-label">Reason given:</p>
                    <blockquote>{words.reason}</blockquote>
                  </div>
                )}
                {words.details.length > 0 && (
                  <details>
                    <summary>What was opened</summary>
                    <ul>
                      {words.details.map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <ErrorNote>{moreError}</ErrorNote>
      {loadingMore && <Loading label="Loading more…" />}
      {last.hasNextPage && !loadingMore && (
        <button type="button" className="button secondary" onClick={showMore}>
          Show more
        </button>
      )}
    </section>
  );
}
