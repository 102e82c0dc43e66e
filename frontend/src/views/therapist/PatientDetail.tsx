import { useQuery } from 'urql';
import { ErrorNote, Loading, TableWrap } from '../../components/Status';
import { graphql } from '../../gql';
import { describeCode, describeRequestError } from '../../lib/errors';
import { describeDosage } from '../../lib/format';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { formatDateTime } from '../appointments/schedule';
import { describePain, describePlanStatus, describeUnit, describeWeekAdherence, patientName } from './therapist';
import './therapist.css';

const PatientDetailQuery = graphql(`
  query TherapistPatientDetail($id: ID!) {
    me {
      id
      timeZone
    }
    patient(id: $id) {
      id
      givenName
      familyName
      preferredName
      pronouns
      dateOfBirth
      healthHistory {
        chronicConditions {
          name
          since
        }
        medications {
          name
          dose
          frequency
        }
        allergies {
          substance
          reaction
          severity
        }
      }
      currentCondition {
        symptoms
        painLevel
      }
      adherenceThisWeek {
        prescribed
        rate
      }
      activePlan {
        id
        title
        condition
        status
        currentWeek
        currentPhase {
          id
        }
        phases {
          id
          name
          startWeek
          endWeek
          focus
          prescriptions {
            id
            exercise {
              id
              name
            }
            dosage {
              sets
              reps
              holdSeconds
              durationSeconds
              timesPerDay
              daysPerWeek
            }
          }
        }
      }
      recentPain {
        id
        value
        measuredAt
        note
      }
      progressGoals {
        id
        description
        unit
        baselineValue
        targetValue
        targetDate
        status
      }
      careTeam {
        role
        therapist {
          id
          name
        }
      }
    }
  }
`);

const SEVERITY: Record<string, string> = { MILD: 'mild', MODERATE: 'moderate', SEVERE: 'severe' };
const CARE_ROLE: Record<string, string> = { PRIMARY: 'primary therapist', TREATING: 'treating', CONSULTING: 'consulting' };
const PAIN_ROWS = 10;

export default function PatientDetail({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const [{ data, fetching, error }] = useQuery({ query: PatientDetailQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const patient = data?.patient;
  const title = patient ? patientName(patient) : data ? 'Patient not found' : 'Patient';
  const heading = usePageHeading(title);
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  if (fetching && !data) return <Loading label="Loading the patient's record…" />;
  if (!patient) {
    return (
      <section aria-labelledby="patient-heading" className="therapist">
        <h1 id="patient-heading" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <ErrorNote>{describeRequestError(error) ?? describeCode('NOT_FOUND')}</ErrorNote>
        <p>
          <Link href="/">Back to your caseload</Link>
        </p>
      </section>
    );
  }

  const history = patient.healthHistory;
  const plan = patient.activePlan;
  // Fields a grant does not cover come back null (a therapist reads them all, but stay safe).
  const recentPain = patient.recentPain ?? [];
  const pain = recentPain.slice(0, PAIN_ROWS);
  const careTeam = patient.careTeam ?? [];
  const goals = patient.progressGoals ?? [];
  return (
    <section aria-labelledby="patient-heading" className="therapist">
      <p>
        <Link href="/">Back to your caseload</Link>
      </p>
      <h1 id="patient-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      <dl className="figures">
        <div>
          <dt>Latest pain</dt>
          <dd>{describePain(recentPain[0]?.value)}</dd>
        </div>
        <div>
          <dt>Adherence this week</dt>
          <dd>{describeWeekAdherence(patient.adherenceThisWeek)}</dd>
        </div>
        <div>
          <dt>Plan</dt>
          <dd>{describePlanStatus(plan)}</dd>
        </div>
      </dl>

      <h2 id="profile-heading">Profile</h2>
      {patient.pronouns && <p>Pronouns: {patient.pronouns}</p>}
      {patient.currentCondition?.symptoms && <p>In their words: {patient.currentCondition.symptoms}</p>}
      {!history ? (
        <p>The health history is not shared with you.</p>
      ) : (
        <>
          <h3>Conditions</h3>
          {history.chronicConditions.length === 0 ? (
            <p>None recorded.</p>
          ) : (
            <ul className="facts">
              {history.chronicConditions.map((condition) => (
                <li key={condition.name}>
                  {condition.name}
                  {condition.since ? ` (since ${condition.since})` : ''}
                </li>
              ))}
            </ul>
          )}
          <h3>Medications</h3>
          {history.medications.length === 0 ? (
            <p>None recorded.</p>
          ) : (
            <ul className="facts">
              {history.medications.map((medication) => (
                <li key={medication.name}>{[medication.name, medication.dose, medication.frequency].filter(Boolean).join(', ')}</li>
              ))}
            </ul>
          )}
          <h3>Allergies</h3>
          {history.allergies.length === 0 ? (
            <p>None recorded.</p>
          ) : (
            <ul className="facts">
              {history.allergies.map((allergy) => (
                <li key={allergy.substance}>
                  {allergy.substance}: {SEVERITY[allergy.severity] ?? allergy.severity}
                  {allergy.reaction ? `, ${allergy.reaction}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {careTeam.length > 0 && (
        <>
          <h3>Care team</h3>
          <ul className="facts">
            {careTeam.map((member) => (
              <li key={member.therapist.id}>
                {member.therapist.name}, {CARE_ROLE[member.role] ?? member.role}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="plan-heading">Active plan</h2>
      <p>
        <Link href={`/patients/${encodeURIComponent(patient.id)}/plan`} className="button secondary">
          Open the plan editor
        </Link>
      </p>
      {!plan ? (
        <p>No plan is active.</p>
      ) : (
        <>
          <p>
            <strong>{plan.title}</strong>, for {plan.condition}
          </p>
          <ol className="phase-list">
            {plan.phases.map((phase) => (
              <li key={phase.id} className="card">
                <h3>
                  {phase.name}, weeks {phase.startWeek} to {phase.endWeek}
                  {plan.currentPhase?.id === phase.id && <span className="tag">Current phase</span>}
                </h3>
                {phase.focus && <p>{phase.focus}</p>}
                {phase.prescriptions.length > 0 && (
                  <ul className="exercise-list">
                    {phase.prescriptions.map((prescription) => (
                      <li key={prescription.id}>
                        <strong>{prescription.exercise.name}</strong>
                        <span>{describeDosage(prescription.dosage)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}

      <h2 id="pain-heading">Recent pain scores</h2>
      {pain.length === 0 ? (
        <p>No pain scores yet.</p>
      ) : (
        <TableWrap label="Recent pain scores">
          <table>
            <caption className="visually-hidden">The last {pain.length} pain scores, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Pain (0 to 10)</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {pain.map((score) => (
                <tr key={score.id}>
                  <td>{formatDateTime(score.measuredAt, timeZone)}</td>
                  <td>{describePain(score.value)}</td>
                  <td>{score.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <h2 id="goals-heading">Goals</h2>
      {goals.length === 0 ? (
        <p>No measurable goals are set.</p>
      ) : (
        <ul className="facts">
          {goals.map((goal) => (
            <li key={goal.id}>
              {goal.description}: from {goal.baselineValue}
              {describeUnit(goal.unit)} to {goal.targetValue}
              {describeUnit(goal.unit)} by {goal.targetDate}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
