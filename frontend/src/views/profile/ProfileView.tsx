import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { allows, withoutFieldDenials } from '../../lib/actingFor';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { useActing, type CareRecipient } from '../../session';
import { ConfirmProfileReviewedMutation, ProfileViewQuery } from './documents';
import { CommunicationForm, ConditionForm, ContactsForm, GoalsForm, HistoryForm, InsuranceForm, PersonalForm, SchedulingForm, type Patient } from './forms';
import { ProfileSection } from './parts';
import { describeChange, describeDenial, describeMoment, describeProfileError, reviewState, sectionDenials, SECTIONS, type SectionKey } from './profile';
import { CommunicationView, ConditionView, ContactsView, GoalsView, HistoryView, InsuranceView, PersonalView, SchedulingView } from './views';
import './profile.css';

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The profile: personal details, health history, condition, goals, emergency contacts,
 * insurance and preferences, each changed in place; the periodic "still up to date?" check.
 * A caregiver sees what their grant covers (a withheld section says why) and changes it only
 * with PROFILE_EDIT; the server decides either way.
 */
export default function ProfileView() {
  const { acting } = useActing();
  const title = acting ? `${acting.patientName}'s profile` : 'Your profile';
  const heading = usePageHeading(title);
  // The history of changes is the patient's and the care team's: a caregiver does not ask.
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: ProfileViewQuery,
    variables: { withHistory: !acting },
    requestPolicy: 'cache-and-network',
  });
  const patient = data?.myPatient ?? null;
  const denials = useMemo(() => sectionDenials(error?.graphQLErrors, acting?.confidentialFields ?? []), [error, acting]);
  const canEdit = allows(acting, 'PROFILE_EDIT');
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="profile-heading" className="profile">
      <h1 id="profile-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {fetching && !data && <Loading label="Loading the profile…" />}
      {stale && data && <Loading label="Updating the profile…" />}
      <ErrorNote>{describeRequestError(withoutFieldDenials(error))}</ErrorNote>
      {data && !patient && <p>Profiles are kept for patients. Your account has no patient record.</p>}
      {patient && <Profile patient={patient} acting={acting} canEdit={canEdit} denials={denials} onChanged={reload} />}
    </section>
  );
}

function Profile({
  patient,
  acting,
  canEdit,
  denials,
  onChanged,
}: {
  patient: Patient;
  acting: CareRecipient | null;
  canEdit: boolean;
  denials: Partial<Record<SectionKey, ReturnType<typeof sectionDenials>[SectionKey]>>;
  onChanged: () => void;
}) {
  const name = acting?.patientName ?? [patient.givenName, patient.familyName].filter(Boolean).join(' ');
  const timeZone = patient.timeZone ?? browserTimeZone();
  const note = (key: SectionKey): ReactNode => {
    const denial = denials[key];
    return denial ? describeDenial(denial, name) : undefined;
  };
  const editable = (key: SectionKey) => canEdit && !denials[key];
  const done = (close: (saved: boolean) => void) => (saved: boolean) => {
    if (saved) onChanged();
    close(saved);
  };

  const sections: Record<string, { view: ReactNode; form: (close: (saved: boolean) => void) => ReactNode }> = {
    personal: {
      view: <PersonalView patient={patient} />,
      form: (close) => <PersonalForm patient={patient} onDone={done(close)} />,
    },
    history: {
      view: patient.healthHistory ? <HistoryView history={patient.healthHistory} /> : null,
      form: (close) => <HistoryForm patient={patient} onDone={done(close)} />,
    },
    condition: {
      view: patient.currentCondition ? <ConditionView condition={patient.currentCondition} /> : null,
      form: (close) => <ConditionForm patient={patient} onDone={done(close)} />,
    },
    goals: {
      view: patient.treatmentGoals ? <GoalsView goals={patient.treatmentGoals} /> : null,
      form: (close) => <GoalsForm patient={patient} onDone={done(close)} />,
    },
    contacts: {
      view: patient.emergencyContacts ? <ContactsView contacts={patient.emergencyContacts} /> : null,
      form: (close) => <ContactsForm patient={patient} onDone={done(close)} />,
    },
    insurance: {
      view: <InsuranceView insurance={patient.insurance} />,
      form: (close) => <InsuranceForm patient={patient} onDone={done(close)} />,
    },
    scheduling: {
      view: patient.preferences ? <SchedulingView preferences={patient.preferences} /> : null,
      form: (close) => <SchedulingForm patient={patient} onDone={done(close)} />,
    },
    communication: {
      view: patient.communication ? <CommunicationView communication={patient.communication} /> : null,
      form: (close) => <CommunicationForm patient={patient} onDone={done(close)} />,
    },
  };

  return (
    <>
      <p className="lead">
        {acting
          ? `What the clinic knows about ${name}. ${canEdit ? 'You can change the parts shared with you; each change is recorded as made by you.' : 'You can see it, but not change it.'}`
          : 'What the clinic knows about you. Keeping it up to date helps your care team treat you safely.'}
      </p>
      <ReviewCard patient={patient} name={acting ? name : null} canConfirm={canEdit && !denials.review} timeZone={timeZone} onChanged={onChanged} />
      <nav className="card on-this-page" aria-label="Sections of the profile">
        <h2 id="on-this-page-heading">On this page</h2>
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.key}>
              <a href={`#profile-${section.key}`}>{section.title}</a>
            </li>
          ))}
        </ul>
      </nav>
      {SECTIONS.map((section) => (
        <ProfileSection
          key={section.key}
          id={section.key}
          title={section.title}
          note={note(section.key)}
          editable={editable(section.key)}
          view={sections[section.key]?.view}
          form={sections[section.key]?.form ?? (() => null)}
        />
      ))}
      {patient.profileHistory && <RecentChanges changes={patient.profileHistory.edges.map((edge) => edge.node)} timeZone={timeZone} />}
    </>
  );
}

export function ReviewCard({
  patient,
  name,
  canConfirm,
  timeZone,
  onChanged,
}: {
  patient: Patient;
  name: string | null;
  canConfirm: boolean;
  timeZone: string;
  onChanged: () => void;
}) {
  const review = reviewState(patient.profileReviewedAt, patient.profileReviewDueAt, new Date());
  const [{ fetching }, confirm] = useMutation(ConfirmProfileReviewedMutation);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const message = useRef<HTMLParagraphElement>(null);
  const whose = name ? `${name}'s` : 'your';
  const last = review.reviewedAt ? `${name ? `${name}'s profile was last` : 'You last'} confirmed up to date on ${describeMoment(review.reviewedAt, timeZone)}.` : '';

  async function submit() {
    setSaid(null);
    const result = await confirm({ patientId: patient.id });
    const payload = result.data?.confirmProfileReviewed;
    let next: { ok: boolean; text: string };
    if (payload?.__typename === 'PatientProfilePayload') {
      const due = describeMoment(payload.patient.profileReviewDueAt, timeZone);
      next = { ok: true, text: `Thank you: ${whose} profile is confirmed up to date.${due ? ` The next check is due on ${due}.` : ''}` };
      onChanged();
    } else if (payload?.__typename === 'PatientProfileErrors') {
      next = { ok: false, text: payload.errors.map((item) => describeProfileError(item)).join(' ') };
    } else {
      next = { ok: false, text: describeRequestError(result.error) ?? '' };
    }
    setSaid(next);
    // The button goes once the check is done: focus stays with what happened.
    requestAnimationFrame(() => message.current?.focus());
  }

  if (!review.due && !said) {
    if (!last && !review.dueAt) return null;
    return (
      <p className="meta review-line">
        {last} {review.dueAt ? `The next check is due on ${describeMoment(review.dueAt, timeZone)}.` : ''}
      </p>
    );
  }
  return (
    <section className="card review-card" aria-labelledby="review-heading" data-testid="review-card">
      <h2 id="review-heading">Is {whose} profile still up to date?</h2>
      {review.due && !said?.ok && (
        <>
          <p>
            {last} Please look through each section below, change anything that is out of date (medications, contacts and insurance
            change most often), then confirm.
          </p>
          {canConfirm ? (
            <button type="button" className="button" onClick={submit} disabled={fetching} aria-busy={fetching}>
              {fetching ? 'Confirming…' : name ? `Confirm ${name}'s profile is up to date` : 'Confirm my profile is up to date'}
            </button>
          ) : (
            <p className="meta">Only {name ?? 'the patient'} or someone allowed to change the profile can confirm it.</p>
          )}
        </>
      )}
      {said && (
        <p ref={message} tabIndex={-1} className={said.ok ? 'success-note' : 'error-note'} role={said.ok ? 'status' : 'alert'}>
          {said.text}
        </p>
      )}
    </section>
  );
}

function RecentChanges({
  changes,
  timeZone,
}: {
  changes: readonly { id: string; changedAt: string; changedByName?: string | null; changedByRole: string; section: string }[];
  timeZone: string;
}) {
  return (
    <section className="card" aria-labelledby="profile-changes">
      <h2 id="profile-changes">Recent changes</h2>
      {changes.length === 0 ? (
        <p className="meta">No changes yet.</p>
      ) : (
        <ul className="profile-list">
          {changes.map((change) => (
            <li key={change.id}>
              <strong>{describeMoment(change.changedAt, timeZone)}</strong>
              <span className="detail">{describeChange(change)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
