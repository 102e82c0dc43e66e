import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading, SuccessNote } from '../../components/Status';
import { graphql } from '../../gql';
import { describeCode, describeRequestError } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { AppointmentSummary, CancelAppointmentMutation, PolicyNote, QuestionnaireTag, useSchedulingPolicy } from './parts';
import { formatDateTime, insideWindow, undoable } from './schedule';
import './appointments.css';

const AppointmentDetailQuery = graphql(`
  query AppointmentDetail($id: ID!) {
    me {
      id
      timeZone
    }
    appointment(id: $id) {
      ...AppointmentCard
      rescheduledTo {
        id
      }
      questionnaire {
        status
        dueAt
        submittedAt
        answers {
          symptoms
          painNow
          changesSinceLastVisit
          concerns
        }
      }
    }
  }
`);

const SubmitQuestionnaireMutation = graphql(`
  mutation SubmitPreVisitQuestionnaire($input: SubmitPreVisitQuestionnaireInput!) {
    submitPreVisitQuestionnaire(input: $input) {
      __typename
      ... on SubmitPreVisitQuestionnairePayload {
        questionnaire {
          status
          dueAt
          submittedAt
        }
      }
      ... on CalendarErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

const PAIN_WORDS = ['no pain', 'very mild', 'mild', 'mild', 'moderate', 'moderate', 'moderate', 'severe', 'severe', 'very severe', 'worst imaginable'];

export function painText(value: number): string {
  return `${value} out of 10, ${PAIN_WORDS[value] ?? ''}`;
}

interface Answers {
  symptoms: string;
  painNow: number;
  changesSinceLastVisit: string;
  concerns: string;
}

function QuestionnaireForm({ appointmentId, initial, onSaved }: { appointmentId: string; initial: Answers; onSaved: () => void }) {
  const [answers, setAnswers] = useState<Answers>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [{ fetching }, submit] = useMutation(SubmitQuestionnaireMutation);

  async function send(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    if (!answers.symptoms.trim()) {
      setErrors({ symptoms: 'Please describe your symptoms, even briefly.' });
      return;
    }
    setErrors({});
    const outcome = await submit({ input: { appointmentId, ...answers } });
    const payload = outcome.data?.submitPreVisitQuestionnaire;
    if (payload?.__typename === 'SubmitPreVisitQuestionnairePayload') {
      setSaved('Thank you: your answers are sent to your therapist. You can change them until the session starts.');
      onSaved();
    } else if (payload?.__typename === 'CalendarErrors') {
      const byField: Record<string, string> = {};
      // The API's sentences here name the limits (lengths, the 0 to 10 range).
      for (const error of payload.errors) byField[error.field ?? 'form'] = error.message || describeCode(error.code);
      setErrors(byField);
    } else setErrors({ form: describeRequestError(outcome.error) ?? describeCode('INTERNAL') });
  }

  const field = (name: keyof Answers) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': `q-${name}-error` } : {});

  return (
    <form onSubmit={send} aria-busy={fetching} noValidate>
      <div className="field">
        <label htmlFor="q-symptoms">Your symptoms now</label>
        <textarea id="q-symptoms" rows={3} value={answers.symptoms} onChange={(e) => setAnswers({ ...answers, symptoms: e.target.value })} {...field('symptoms')} />
        {errors.symptoms && (
          <p className="field-error" id="q-symptoms-error">
            {errors.symptoms}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="q-pain">Pain right now, from 0 (none) to 10 (worst imaginable)</label>
        <div className="slider">
          <input
            id="q-pain"
            type="range"
            min={0}
            max={10}
            step={1}
            value={answers.painNow}
            aria-valuetext={painText(answers.painNow)}
            onChange={(e) => setAnswers({ ...answers, painNow: Number(e.target.value) })}
            {...field('painNow')}
          />
          <output htmlFor="q-pain" aria-hidden="true" className="slider-value">
            {answers.painNow}
          </output>
        </div>
        <p className="hint">{painText(answers.painNow)}. Use the arrow keys to change it.</p>
        {errors.painNow && (
          <p className="field-error" id="q-painNow-error">
            {errors.painNow}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="q-changes">Changes since your last visit (optional)</label>
        <textarea id="q-changes" rows={3} value={answers.changesSinceLastVisit} onChange={(e) => setAnswers({ ...answers, changesSinceLastVisit: e.target.value })} {...field('changesSinceLastVisit')} />
        {errors.changesSinceLastVisit && (
          <p className="field-error" id="q-changesSinceLastVisit-error">
            {errors.changesSinceLastVisit}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="q-concerns">Anything else you want to raise (optional)</label>
        <textarea id="q-concerns" rows={3} value={answers.concerns} onChange={(e) => setAnswers({ ...answers, concerns: e.target.value })} {...field('concerns')} />
        {errors.concerns && (
          <p className="field-error" id="q-concerns-error">
            {errors.concerns}
          </p>
        )}
      </div>
      <ErrorNote>{errors.form ?? errors.appointmentId}</ErrorNote>
      <SuccessNote>{saved}</SuccessNote>
      <button type="submit" className="button" disabled={fetching}>
        {fetching ? 'Sending…' : 'Send my answers'}
      </button>
    </form>
  );
}

export default function AppointmentDetail({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const [{ data, fetching, error }, refetch] = useQuery({ query: AppointmentDetailQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const [reason, setReason] = useState('');
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [{ fetching: cancelling }, cancel] = useMutation(CancelAppointmentMutation);
  const appointment = data?.appointment;
  const timeZone = data?.me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const title = cancelled ? 'Appointment cancelled' : appointment ? `${appointment.sessionType.name} on ${formatDateTime(appointment.startsAt, timeZone)}` : 'Appointment';
  const heading = usePageHeading(title);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  const upcoming = appointment && appointment.status === 'BOOKED' && Date.parse(appointment.startsAt) > now.getTime();
  const policy = useSchedulingPolicy();
  const closeToStart =
    appointment && policy
      ? insideWindow(appointment.startsAt, now, policy.cancellationWindowHours) &&
        !undoable(appointment.bookedAt, now, policy.bookingUndoMinutes)
      : false;
  const phone = appointment?.location?.phone;

  async function sendCancel(event: FormEvent) {
    event.preventDefault();
    if (!appointment) return;
    setCancelError(null);
    const outcome = await cancel({ input: { appointmentId: appointment.id, reason } });
    const payload = outcome.data?.cancelAppointment;
    if (payload?.__typename === 'AppointmentPayload') setCancelled(true);
    else if (payload?.__typename === 'BookingErrors') {
      const first = payload.errors[0];
      // The refusal inside the window names how to reach the clinic: show the API's words.
      setCancelError(first?.code === 'CANCELLATION_WINDOW_CLOSED' && first.message ? first.message : describeCode(first?.code));
    } else setCancelError(describeRequestError(outcome.error));
  }

  const q = appointment?.questionnaire;
  return (
    <section aria-labelledby="detail-heading" className="appointments">
      <h1 id="detail-heading" ref={heading} tabIndex={-1} key={title}>
        {title}
      </h1>
      <p>
        <Link href="/appointments">Back to appointments</Link>
      </p>
      {fetching && !data && <Loading label="Loading the appointment…" />}
      <ErrorNote>{describeRequestError(error)}</ErrorNote>
      {cancelled && (
        <>
          <SuccessNote>Your appointment is cancelled. Your therapist has been told.</SuccessNote>
          <p>
            <Link href="/appointments/book">Book another time</Link>
          </p>
        </>
      )}
      {appointment && !cancelled && (
        <>
          <AppointmentSummary appointment={appointment} timeZone={timeZone} link={false} level={2} />
          {appointment.concerns && (
            <p>
              <strong>You wanted to talk about:</strong> {appointment.concerns}
            </p>
          )}
          {appointment.cancellationReason && <p>Reason given for cancelling: {appointment.cancellationReason}</p>}
          {appointment.rescheduledTo && (
            <p>
              This appointment was moved. <Link href={`/appointments/${encodeURIComponent(appointment.rescheduledTo.id)}`}>See the new time</Link>.
            </p>
          )}
          {upcoming && q && (
            <section className="card" aria-labelledby="questionnaire-heading">
              <h2 id="questionnaire-heading">Before your session</h2>
              <p>
                <QuestionnaireTag status={q.status} />{' '}
                {q.status === 'SUBMITTED' && q.submittedAt
                  ? `Sent ${formatDateTime(q.submittedAt, timeZone)}. You can change your answers until the session starts.`
                  : `Please answer by ${formatDateTime(q.dueAt, timeZone)}, so your therapist can prepare.`}
              </p>
              <QuestionnaireForm
                key={appointment.id}
                appointmentId={appointment.id}
                initial={{
                  symptoms: q.answers?.symptoms ?? '',
                  painNow: q.answers?.painNow ?? 0,
                  changesSinceLastVisit: q.answers?.changesSinceLastVisit ?? '',
                  concerns: q.answers?.concerns ?? '',
                }}
                onSaved={() => refetch({ requestPolicy: 'network-only' })}
              />
            </section>
          )}
          {upcoming && (
            <section className="card" aria-labelledby="change-heading">
              <h2 id="change-heading">Move or cancel</h2>
              <PolicyNote policy={policy} />
              {closeToStart && policy && (
                <p className="warning">
                  <strong>This appointment starts in less than {policy.cancellationWindowHours} hours.</strong> It can probably no longer be changed online. Please call{' '}
                  {phone ? <a href={`tel:${phone}`}>the clinic at {phone}</a> : policy.clinicPhone}.
                </p>
              )}
              <p>
                <Link href={`/appointments/book?reschedule=${encodeURIComponent(appointment.id)}`} className="button secondary">
                  Move to another time
                </Link>
              </p>
              <form onSubmit={sendCancel} aria-busy={cancelling}>
                <div className="field">
                  <label htmlFor="cancel-reason">Why are you cancelling? (optional)</label>
                  <textarea id="cancel-reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
                </div>
                <ErrorNote>{cancelError}</ErrorNote>
                <button type="submit" className="button danger" disabled={cancelling}>
                  {cancelling ? 'Cancelling…' : 'Cancel this appointment'}
                </button>
              </form>
            </section>
          )}
        </>
      )}
    </section>
  );
}
