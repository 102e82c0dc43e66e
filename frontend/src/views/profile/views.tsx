/** What each profile section shows when it is not being edited. */
import type { ReactNode } from 'react';
import type { Patient } from './forms';
import {
  CHANNELS,
  describeChoices,
  describeDate,
  describeLanguage,
  labelOf,
  SEVERITIES,
  SUBSCRIBER_RELATIONSHIPS,
  TELEHEALTH,
  TIMES_OF_DAY,
  WEEKDAYS,
} from './profile';

const NOT_GIVEN = 'Not given';

function Facts({ children }: { children: ReactNode }) {
  return <dl className="profile-facts">{children}</dl>;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children || <span className="meta">{NOT_GIVEN}</span>}</dd>
    </div>
  );
}

export function PersonalView({ patient }: { patient: Patient }) {
  const address = patient.address;
  // "Boston, MA 02118": town, then region and postal code, then the country.
  const town = address ? [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ') : '';
  const place = address ? [address.line1, address.line2, town, address.country].filter(Boolean) : [];
  return (
    <Facts>
      <Fact term="Name">{[patient.givenName, patient.familyName].filter(Boolean).join(' ')}</Fact>
      <Fact term="Preferred name">{patient.preferredName}</Fact>
      <Fact term="Pronouns">{patient.pronouns}</Fact>
      <Fact term="Date of birth">{describeDate(patient.dateOfBirth)}</Fact>
      <Fact term="Phone">{patient.phone ? <a href={`tel:${patient.phone}`}>{patient.phone}</a> : ''}</Fact>
      <Fact term="Email">
        {patient.email ? (
          <>
            {patient.email}
            <span className="meta"> (the sign-in address, changed in Account)</span>
          </>
        ) : (
          ''
        )}
      </Fact>
      <Fact term="Address">
        {place.length ? (
          <span className="address">
            {place.map((line, index) => (
              <span key={index}>{line}</span>
            ))}
          </span>
        ) : (
          ''
        )}
      </Fact>
      <Fact term="Time zone">{patient.timeZone}</Fact>
      <Fact term="Preferred language">{describeLanguage(patient.preferredLanguage)}</Fact>
    </Facts>
  );
}

function Listed<T>({ heading, items, none, render }: { heading: string; items: readonly T[]; none: string; render: (item: T) => ReactNode }) {
  return (
    <div className="history-part">
      <h3>{heading}</h3>
      {items.length === 0 ? (
        <p className="meta">{none}</p>
      ) : (
        <ul className="profile-list">
          {items.map((item, index) => (
            <li key={index}>{render(item)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Detail({ children }: { children: ReactNode }) {
  return children ? <span className="meta detail">{children}</span> : null;
}

export function HistoryView({ history }: { history: NonNullable<Patient['healthHistory']> }) {
  return (
    <div className="history-parts">
      <Listed
        heading="Long-term conditions"
        items={history.chronicConditions}
        none="No long-term conditions listed."
        render={(item) => (
          <>
            <strong>{item.name}</strong>
            <Detail>{[item.since ? `Since ${describeDate(item.since)}` : '', item.notes].filter(Boolean).join('. ')}</Detail>
          </>
        )}
      />
      <Listed
        heading="Previous injuries"
        items={history.previousInjuries}
        none="No previous injuries listed."
        render={(item) => (
          <>
            <strong>{item.description}</strong>
            <Detail>{[describeDate(item.occurredOn), item.notes].filter(Boolean).join('. ')}</Detail>
          </>
        )}
      />
      <Listed
        heading="Operations"
        items={history.surgeries}
        none="No operations listed."
        render={(item) => (
          <>
            <strong>{item.procedure}</strong>
            <Detail>{[describeDate(item.performedOn), item.notes].filter(Boolean).join('. ')}</Detail>
          </>
        )}
      />
      <Listed
        heading="Medications"
        items={history.medications}
        none="No medications listed."
        render={(item) => (
          <>
            <strong>{item.name}</strong>
            <Detail>{[item.dose, item.frequency, item.notes].filter(Boolean).join(', ')}</Detail>
          </>
        )}
      />
      <Listed
        heading="Allergies"
        items={history.allergies}
        none="No allergies listed."
        render={(item) => (
          <>
            <strong>{item.substance}</strong>
            <Detail>{[`${labelOf(SEVERITIES, item.severity)} reaction`, item.reaction].filter(Boolean).join(': ')}</Detail>
          </>
        )}
      />
    </div>
  );
}

export function ConditionView({ condition }: { condition: NonNullable<Patient['currentCondition']> }) {
  return (
    <Facts>
      <Fact term="Symptoms">{condition.symptoms && <span className="prose">{condition.symptoms}</span>}</Fact>
      <Fact term="Usual pain level">{condition.painLevel === null || condition.painLevel === undefined ? '' : `${condition.painLevel} out of 10`}</Fact>
      <Fact term="What is hard to do">{condition.mobilityLimitations && <span className="prose">{condition.mobilityLimitations}</span>}</Fact>
    </Facts>
  );
}

export function GoalsView({ goals }: { goals: NonNullable<Patient['treatmentGoals']> }) {
  if (!goals.text && goals.items.length === 0) return <p className="meta">No goals written down yet.</p>;
  return (
    <>
      {goals.text && <p className="prose">{goals.text}</p>}
      {goals.items.length > 0 && (
        <ul className="profile-list">
          {goals.items.map((goal, index) => (
            <li key={index}>
              <strong>{goal.description}</strong>
              <Detail>{goal.targetDate ? `By ${describeDate(goal.targetDate)}` : ''}</Detail>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ContactsView({ contacts }: { contacts: NonNullable<Patient['emergencyContacts']> }) {
  if (contacts.length === 0) return <p className="meta">No emergency contacts yet. Please add at least one person the clinic can call.</p>;
  return (
    <ul className="profile-list contacts">
      {contacts.map((contact, index) => (
        <li key={index}>
          <strong>{contact.name}</strong>
          {contact.isPrimary && <span className="tag">Main contact</span>}
          <span className="detail">{contact.relationship}</span>
          <span className="detail">
            <a href={`tel:${contact.phone}`}>{contact.phone}</a>
            {contact.email && (
              <>
                {' · '}
                <a href={`mailto:${contact.email}`}>{contact.email}</a>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function InsuranceView({ insurance }: { insurance: Patient['insurance'] }) {
  if (!insurance) return <p className="meta">No insurance details yet.</p>;
  if (insurance.selfPay) return <p>Sessions are paid without insurance (self-pay).</p>;
  return (
    <Facts>
      <Fact term="Insurer">{insurance.payer}</Fact>
      <Fact term="Member ID">{insurance.memberId}</Fact>
      <Fact term="Group number">{insurance.groupId}</Fact>
      <Fact term="Whose plan it is">{labelOf(SUBSCRIBER_RELATIONSHIPS, insurance.subscriberRelationship)}</Fact>
      {insurance.subscriberRelationship !== 'SELF' && (
        <>
          <Fact term="Plan holder">{insurance.subscriberName}</Fact>
          <Fact term="Plan holder's date of birth">{describeDate(insurance.subscriberDateOfBirth)}</Fact>
        </>
      )}
    </Facts>
  );
}

export function SchedulingView({ preferences }: { preferences: NonNullable<Patient['preferences']> }) {
  return (
    <Facts>
      <Fact term="Days">{describeChoices(WEEKDAYS, preferences.preferredDays, 'Any day')}</Fact>
      <Fact term="Times of day">{describeChoices(TIMES_OF_DAY, preferences.preferredTimes, 'Any time')}</Fact>
      <Fact term="Sessions a week">{preferences.sessionsPerWeek ? String(preferences.sessionsPerWeek) : 'No preference'}</Fact>
      <Fact term="In person or by video">{labelOf(TELEHEALTH, preferences.telehealth)}</Fact>
      <Fact term="Other">{preferences.schedulingConstraints && <span className="prose">{preferences.schedulingConstraints}</span>}</Fact>
    </Facts>
  );
}

export function CommunicationView({ communication }: { communication: NonNullable<Patient['communication']> }) {
  return (
    <Facts>
      <Fact term="Best way to reach">{labelOf(CHANNELS, communication.preferredChannel)}</Fact>
      <Fact term="Language">{describeLanguage(communication.language)}</Fact>
      <Fact term="When to contact">{communication.contactWindow}</Fact>
      <Fact term="Voicemail">{communication.okToLeaveVoicemail ? 'The clinic may leave a voicemail' : 'Please do not leave a voicemail'}</Fact>
    </Facts>
  );
}
