import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { graphql } from '../../gql';
import type { EmergencyPatientLookupQuery } from '../../gql/graphql';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { useSession } from '../../session';
import { localToday, requestErrorCode } from '../accessLog/requests';
import {
  REASON_MAX_LENGTH,
  canBreakGlass,
  clockTime,
  describeEmergencyError,
  describeRemaining,
  lookupProblems,
  openAccesses,
  patientLabel,
  reasonCounter,
  reasonProblem,
  type LookupProblems,
} from './emergency';
import { CloseEmergencyAccessDocument, EMERGENCY_CONTEXT, MyEmergencyAccessesDocument, useNow } from './queries';
import './emergency.css';

const LookupDocument = graphql(`
  query EmergencyPatientLookup($familyName: String!, $dateOfBirth: Date!) {
    emergencyPatientLookup(familyName: $familyName, dateOfBirth: $dateOfBirth) {
      patientId
      givenName
      familyName
    }
  }
`);

const OpenDocument = graphql(`
  mutation OpenEmergencyAccess($input: OpenEmergencyAccessInput!) {
    openEmergencyAccess(input: $input) {
      __typename
      ... on OpenEmergencyAccessPayload {
        alreadyOpen
        emergencyAccess {
          id
          reason
          openedAt
          expiresAt
          closedAt
          status
          patientId
        }
      }
      ... on EmergencyAccessErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

type Match = EmergencyPatientLookupQuery['emergencyPatientLookup'][number];

interface Opened {
  patientId: string;
  name: string;
  expiresAt: string;
  alreadyOpen: boolean;
}

export default function EmergencyAccess() {
  const heading = usePageHeading('Emergency access');
  const { viewer } = useSession();
  const allowed = canBreakGlass(viewer?.roles);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [chosen, setChosen] = useState<Match | null>(null);

  return (
    <section aria-labelledby="emergency-heading" className="emergency">
      <h1 id="emergency-heading" ref={heading} tabIndex={-1}>
        Emergency access
      </h1>
      {!allowed ? (
        <p>Only therapists and clinic administrators can open a record in an emergency.</p>
      ) : (
        <>
          {opened ? (
            <OpenedNote opened={opened} onAnother={() => setOpened(null)} />
          ) : (
            <section className="card" aria-labelledby="break-glass-heading">
              <h2 id="break-glass-heading">Open a record in an emergency</h2>
              <Warning />
              {chosen ? (
                <ReasonForm
                  patient={chosen}
                  onBack={() => setChosen(null)}
                  onOpened={(result) => {
                    setOpened(result);
                    setChosen(null);
                    setMatches(null);
                  }}
                />
              ) : (
                <>
                  <LookupForm onFound={setMatches} />
                  {matches && <MatchList matches={matches} onChoose={setChosen} />}
                </>
              )}
            </section>
          )}
          <OpenNow />
        </>
      )}
    </section>
  );
}

/** What breaking the glass means, said before anything is looked up. */
function Warning() {
  return (
    <div className="emergency-warning" role="note" aria-label="Before you continue">
      <p>
        <strong>Use this only when someone needs care now and their record is not on your caseload.</strong>
      </p>
      <ul>
        <li>Every search and everything you open is recorded, with your name and the reason you give.</li>
        <li>The clinic&apos;s administrators are alerted straight away and review every emergency access.</li>
        <li>The patient (or their parent or guardian) is told, and sees who opened their record and why.</li>
        <li>Access ends by itself after a set time. End it yourself as soon as you are done.</li>
      </ul>
    </div>
  );
}

/** The viewer's open emergency accesses, each with its time left and a way to end it. */
function OpenNow() {
  const now = useNow();
  const [{ data, fetching, error }] = useQuery({
    query: MyEmergencyAccessesDocument,
    context: EMERGENCY_CONTEXT,
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching: closing }, close] = useMutation(CloseEmergencyAccessDocument);
  const [closeError, setCloseError] = useState<string | null>(null);
  const accesses = openAccesses(data?.myEmergencyAccesses ?? [], now);

  return (
    <section aria-labelledby="open-now-heading">
      <h2 id="open-now-heading">Open now</h2>
      {fetching && !data && <Loading label="Loading your emergency accesses…" />}
      <ErrorNote>{error ? describeEmergencyError(requestErrorCode(error)) : null}</ErrorNote>
      <ErrorNote>{closeError}</ErrorNote>
      {data && accesses.length === 0 && <p>You have no emergency access open.</p>}
      {accesses.length > 0 && (
        <ul className="emergency-open-list">
          {accesses.map((access) => {
            const name = patientLabel(access.patient);
            return (
              <li key={access.id} className="card emergency-open">
                <p>
                  <strong>
                    {name}: emergency access until {clockTime(access.expiresAt)}
                  </strong>{' '}
                  ({describeRemaining(access.expiresAt, now)})
                </p>
                <p className="meta">Your reason: {access.reason}</p>
                <div className="actions">
                  <Link className="button small secondary" href={`/patients/${encodeURIComponent(access.patientId)}`}>
                    Open {name}&apos;s record
                  </Link>
                  <button
                    type="button"
                    className="button small"
                    disabled={closing}
                    aria-busy={closing}
                    onClick={async () => {
                      setCloseError(null);
                      const result = await close({ id: access.id }, EMERGENCY_CONTEXT);
                      if (result.error) setCloseError(describeEmergencyError(requestErrorCode(result.error)));
                    }}
                  >
                    End emergency access<span className="visually-hidden"> to {name}&apos;s record</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function LookupForm({ onFound }: { onFound: (matches: Match[]) => void }) {
  const client = useClient();
  const today = useMemo(() => localToday(), []);
  const [familyName, setFamilyName] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [problems, setProblems] = useState<LookupProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = lookupProblems(familyName, dateOfBirth, today);
    setProblems(found);
    setError(null);
    if (found.familyName || found.dateOfBirth) {
      document.getElementById(found.familyName ? 'emergency-family-name' : 'emergency-dob')?.focus();
      return;
    }
    setSearching(true);
    // Every lookup is audited: never answered from a cache.
    const result = await client
      .query(LookupDocument, { familyName: familyName.trim(), dateOfBirth }, { requestPolicy: 'network-only' })
      .toPromise();
    setSearching(false);
    if (!result.data) setError(describeEmergencyError(requestErrorCode(result.error)));
    else onFound(result.data.emergencyPatientLookup);
  }

  return (
    <form onSubmit={submit} noValidate aria-busy={searching} aria-labelledby="lookup-heading">
      <h3 id="lookup-heading">1. Find the patient</h3>
      <p className="hint">Both must match the record exactly. Only names are shown.</p>
      <ErrorNote>{error}</ErrorNote>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="emergency-family-name">Family name</label>
          <input
            id="emergency-family-name"
            autoComplete="off"
            value={familyName}
            maxLength={200}
            required
            aria-invalid={problems.familyName ? true : undefined}
            aria-describedby={problems.familyName ? 'emergency-family-name-error' : undefined}
            onChange={(event) => setFamilyName(event.target.value)}
          />
          {problems.familyName && (
            <p className="field-error" id="emergency-family-name-error">
              {problems.familyName}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="emergency-dob">Date of birth</label>
          <input
            id="emergency-dob"
            type="date"
            value={dateOfBirth}
            max={today}
            required
            aria-invalid={problems.dateOfBirth ? true : undefined}
            aria-describedby={problems.dateOfBirth ? 'emergency-dob-error' : undefined}
            onChange={(event) => setDateOfBirth(event.target.value)}
          />
          {problems.dateOfBirth && (
            <p className="field-error" id="emergency-dob-error">
              {problems.dateOfBirth}
            </p>
          )}
        </div>
      </div>
      <button type="submit" className="button secondary" disabled={searching}>
        {searching ? 'Searching…' : 'Find patient'}
      </button>
    </form>
  );
}

function MatchList({ matches, onChoose }: { matches: Match[]; onChoose: (match: Match) => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [matches]);
  return (
    <div className="emergency-matches">
      <h3 id="matches-heading" ref={heading} tabIndex={-1}>
        {matches.length === 0 ? 'No patient found' : matches.length === 1 ? '1 patient found' : `${matches.length} patients found`}
      </h3>
      {matches.length === 0 ? (
        <p>No record has exactly this family name and date of birth. Check the spelling and the date, or ask the front desk.</p>
      ) : (
        <ul aria-labelledby="matches-heading">
          {matches.map((match) => (
            <li key={match.patientId}>
              <button type="button" className="button secondary" onClick={() => onChoose(match)}>
                Choose {match.givenName} {match.familyName}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ReasonForm({ patient, onBack, onOpened }: { patient: Match; onBack: () => void; onOpened: (opened: Opened) => void }) {
  const name = `${patient.givenName} ${patient.familyName}`;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [{ fetching }, open] = useMutation(OpenDocument);
  const reasonField = useRef<HTMLTextAreaElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const local = reasonProblem(reason);
    setProblem(local);
    if (local) {
      reasonField.current?.focus();
      return;
    }
    const result = await open({ input: { patientId: patient.patientId, reason: reason.trim() } }, EMERGENCY_CONTEXT);
    const payload = result.data?.openEmergencyAccess;
    if (!payload) {
      setFormError(describeEmergencyError(requestErrorCode(result.error)));
      return;
    }
    if (payload.__typename === 'EmergencyAccessErrors') {
      const first = payload.errors[0];
      const words = describeEmergencyError(first?.code);
      if (first?.field === 'reason') {
        setProblem(words);
        reasonField.current?.focus();
      } else setFormError(words);
      return;
    }
    onOpened({
      patientId: payload.emergencyAccess.patientId,
      name,
      expiresAt: payload.emergencyAccess.expiresAt,
      alreadyOpen: payload.alreadyOpen,
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-busy={fetching} aria-labelledby="reason-heading">
      <h3 id="reason-heading" ref={heading} tabIndex={-1}>
        2. Why do you need {name}&apos;s record now?
      </h3>
      <ErrorNote>{formError}</ErrorNote>
      <div className="field">
        <label htmlFor="emergency-reason">Reason for emergency access</label>
        <p className="hint" id="emergency-reason-hint">
          {patient.givenName} and the clinic&apos;s administrators will read this. At least 10 letters or digits, at most{' '}
          {REASON_MAX_LENGTH.toLocaleString('en-US')} characters. {reasonCounter(reason)}.
        </p>
        <textarea
          id="emergency-reason"
          ref={reasonField}
          rows={4}
          maxLength={REASON_MAX_LENGTH}
          required
          value={reason}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'emergency-reason-error emergency-reason-hint' : 'emergency-reason-hint'}
          onChange={(event) => setReason(event.target.value)}
        />
        {problem && (
          <p className="field-error" id="emergency-reason-error">
            {problem}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button danger" disabled={fetching}>
          {fetching ? 'Opening…' : 'Open the record in an emergency'}
        </button>
        <button type="button" className="button secondary" onClick={onBack}>
          Choose another patient
        </button>
      </div>
    </form>
  );
}

function OpenedNote({ opened, onAnother }: { opened: Opened; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const now = useNow();
  return (
    <section className="card emergency-opened" aria-labelledby="opened-heading">
      <h2 id="opened-heading" ref={heading} tabIndex={-1}>
        {opened.alreadyOpen ? 'Emergency access was already open' : 'Emergency access is open'}
      </h2>
      <p>
        You can read {opened.name}&apos;s record until <strong>{clockTime(opened.expiresAt)}</strong> (
        {describeRemaining(opened.expiresAt, now)}). The administrators have been alerted and {opened.name.split(' ')[0]} will be
        told.
      </p>
      <div className="actions">
        <Link className="button" href={`/patients/${encodeURIComponent(opened.patientId)}`}>
          Open {opened.name}&apos;s record
        </Link>
        <button type="button" className="button secondary" onClick={onAnother}>
          Open another record
        </button>
      </div>
    </section>
  );
}
