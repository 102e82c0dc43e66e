import { useQuery } from 'urql';
import { ErrorNote, Loading, TableWrap } from '../../components/Status';
import { graphql } from '../../gql';
import { describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { useSession } from '../../session';
import { describePain, describePlanStatus, describeWeekAdherence, patientName } from './therapist';
import './therapist.css';

const CaseloadQuery = graphql(`
  query Caseload {
    caseload {
      id
      givenName
      familyName
      preferredName
      latestPain {
        id
        value
        measuredAt
      }
      adherenceThisWeek {
        prescribed
        rate
      }
      activePlan {
        id
        status
        currentWeek
      }
    }
  }
`);

/** A therapist's home: the caseload first, then the way to the schedule and the inbox. */
export default function TherapistHome() {
  const { viewer } = useSession();
  // The heading stays "Your dashboard" for everyone: one home page, whose content depends on the role.
  const heading = usePageHeading('Your dashboard');
  const [{ data, fetching, error }] = useQuery({ query: CaseloadQuery, requestPolicy: 'cache-and-network' });
  const patients = data?.caseload ?? [];
  return (
    <section aria-labelledby="dash-heading" className="therapist">
      <h1 id="dash-heading" ref={heading} tabIndex={-1}>
        Your dashboard
      </h1>
      {viewer && <p className="lead">Welcome back, {viewer.displayName}.</p>}
      <ul className="quick-actions">
        <li>
          <Link href="/schedule" className="button">
            Your schedule
          </Link>
        </li>
        <li>
          <Link href="/inbox" className="button secondary">
            Messages, urgent first
          </Link>
        </li>
      </ul>
      <h2 id="caseload-heading">Your caseload</h2>
      {fetching && !data && <Loading label="Loading your caseload…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {data && patients.length === 0 && <p>No patients are on your care team yet.</p>}
      {patients.length > 0 && (
        <TableWrap label="Your caseload">
          <table>
            <caption className="visually-hidden">Your caseload: latest pain, this week&apos;s adherence and plan</caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Latest pain</th>
                <th scope="col">Adherence this week</th>
                <th scope="col">Plan</th>
              </tr>
            </thead>
            <tbody>
              {patients.map((patient) => (
                <tr key={patient.id}>
                  <th scope="row">
                    <Link href={`/patients/${encodeURIComponent(patient.id)}`}>{patientName(patient)}</Link>
                  </th>
                  <td>{describePain(patient.latestPain?.value)}</td>
                  <td>{describeWeekAdherence(patient.adherenceThisWeek)}</td>
                  <td>{describePlanStatus(patient.activePlan)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
