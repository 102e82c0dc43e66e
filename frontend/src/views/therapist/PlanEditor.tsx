/**
 * The therapist's treatment-plan editor for one patient (/patients/:id/plan): writes a draft
 * (details, phases, exercises from the library at a chosen version and dosage), activates it,
 * changes the active plan (each change reaches the patient) and completes it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import { describeCode } from '../../lib/errors';
import { usePageHeading } from '../../lib/page';
import { Link } from '../../lib/router';
import { longDate, todayIn } from '../plan/plan';
import {
  activationBlocker,
  checkPlanDetails,
  choosePlans,
  countExercises,
  describeLoadError,
  firstErrorField,
  hasErrors,
  inWeekOrder,
  mutationProblems,
  nameOf,
  newPlanInput,
  phaseInput,
  planDetailsPatch,
  suggestNextPhase,
  TEXT_LIMITS,
  type FieldErrors,
  type PhaseSpan,
  type PhaseValues,
  type PlanDetailsValues,
} from './planEditor';
import {
  ActivatePlanMutation,
  AddPhaseMutation,
  CompletePlanMutation,
  ConfirmDialog,
  CreatePlanMutation,
  focusField,
  PLAN_TYPENAMES,
  PlanEditorQuery,
  TextAreaField,
  TextField,
  UpdatePlanMutation,
} from './PlanEditorParts';
import { PHASE_FIELDS, PhaseCard, PhaseForm, phaseHeadingId, type Done, type EditorPlan } from './PlanEditorPhase';
import './therapist.css';

const DETAIL_FIELDS = ['title', 'condition', 'goals', 'startsOn'] as const;
/** Parts of the record the page can do without (the browser's zone stands in for the patient's). */
const OPTIONAL_PATHS = ['patient.preferredName', 'patient.timeZone'];

export default function PlanEditor({ params }: { params: Record<string, string> }) {
  const patientId = params.id ?? '';
  // An empty plan list names no type: say which ones this page shows, so changes refresh it.
  const context = useMemo(() => ({ additionalTypenames: PLAN_TYPENAMES }), []);
  const [{ data, fetching, error }] = useQuery({ query: PlanEditorQuery, variables: { patientId }, requestPolicy: 'cache-and-network', context });
  const patient = data?.patient ?? null;
  const name = nameOf(patient);
  const title = patient ? `Treatment plan for ${name}` : data ? 'Patient not found' : 'Treatment plan';
  const heading = usePageHeading(title);
  const [notice, setNotice] = useState('');
  const [focusId, setFocusId] = useState<string | null>(null);
  const [writingNew, setWritingNew] = useState(false);
  const { draft, active } = choosePlans(data?.treatmentPlans ?? []);

  // "Write a new plan" lasts until the new draft is there; after that the draft is what is edited.
  useEffect(() => {
    if (draft) setWritingNew(false);
  }, [draft]);

  const done = useCallback<Done>((message, target) => {
    setNotice(message);
    if (target) setFocusId(target);
  }, []);

  // Focus waits for its target: a new phase or exercise appears once the plan is read again.
  useEffect(() => {
    if (!focusId) return;
    const target = document.getElementById(focusId);
    if (target) {
      target.focus();
      setFocusId(null);
    }
  });

  const recordLink = (
    <p>
      <Link href={`/patients/${encodeURIComponent(patientId)}`}>Back to {patient ? `${name}’s record` : 'the patient’s record'}</Link>
    </p>
  );

  if (fetching && !data) return <Loading label="Loading the treatment plan…" />;
  if (!patient) {
    return (
      <section aria-labelledby="editor-heading" className="therapist plan-editor">
        <h1 id="editor-heading" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <ErrorNote>{describeLoadError(error, OPTIONAL_PATHS) ?? describeCode('NOT_FOUND')}</ErrorNote>
        <p>
          <Link href="/">Back to your caseload</Link>
        </p>
      </section>
    );
  }

  const plan = draft ?? (writingNew ? null : active);
  const timeZone = patient.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <section aria-labelledby="editor-heading" className="therapist plan-editor">
      {recordLink}
      <h1 id="editor-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p className={notice ? 'success-note' : 'visually-hidden'} role="status" aria-live="polite">
        {notice}
      </p>
      {fetching && <Loading label="Updating the plan…" />}
      <ErrorNote>{describeLoadError(error, OPTIONAL_PATHS)}</ErrorNote>
      {plan ? (
        <PlanSections key={plan.id} plan={plan} active={active} patientName={name} done={done} onWriteNew={() => setWritingNew(true)} />
      ) : (
        <NewPlan
          patientId={patientId}
          patientName={name}
          today={todayIn(timeZone)}
          active={active}
          done={done}
          focusOnOpen={writingNew}
          onCancel={active ? () => setWritingNew(false) : undefined}
        />
      )}
    </section>
  );
}

// --- a new draft ------------------------------------------------------------------------------

function NewPlan({
  patientId,
  patientName,
  today,
  active,
  done,
  focusOnOpen,
  onCancel,
}: {
  patientId: string;
  patientName: string;
  today: string;
  active: EditorPlan | null;
  done: Done;
  focusOnOpen: boolean;
  onCancel?: () => void;
}) {
  const [, create] = useMutation(CreatePlanMutation);
  const [created, setCreated] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Opened from "Write a new plan": the form is the next step, so focus goes to it.
    if (focusOnOpen) heading.current?.focus();
    // Only when it opens, not on every change of the page.
  }, []);

  async function submit(values: PlanDetailsValues): Promise<FieldErrors | null> {
    const result = await create({ input: newPlanInput(patientId, values) });
    const problems = mutationProblems(result.data?.createTreatmentPlan, result.error, DETAIL_FIELDS);
    if (problems) return problems;
    setCreated(true);
    done(`Draft “${values.title.trim()}” created. Add its phases and exercises, then activate it.`, 'plan-status-heading');
    return null;
  }

  return (
    <section aria-labelledby="new-plan-heading" className="card">
      <h2 id="new-plan-heading" ref={heading} tabIndex={-1}>
        Write a new plan
      </h2>
      <p>
        {active
          ? `${patientName} follows “${active.title}” until you activate the new plan.`
          : `${patientName} has no plan in progress.`}{' '}
        The plan is saved as a draft that only the care team sees; you activate it when it is ready.
      </p>
      {created ? (
        <Loading label="Opening the new draft…" />
      ) : (
        <DetailsForm
          prefix="new-plan"
          label="New plan details"
          initial={{ title: '', condition: '', goals: '', startsOn: today }}
          submitLabel="Create draft"
          busyLabel="Creating the draft…"
          onSubmit={submit}
          onCancel={onCancel}
        />
      )}
    </section>
  );
}

function DetailsForm({
  prefix,
  label,
  initial,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
}: {
  prefix: string;
  label: string;
  initial: PlanDetailsValues;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (values: PlanDetailsValues) => Promise<FieldErrors | null>;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (key: keyof PlanDetailsValues) => (event: { target: { value: string } }) => setValues((current) => ({ ...current, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = checkPlanDetails(values);
    setErrors(found);
    if (hasErrors(found)) {
      focusField(prefix, firstErrorField(found, DETAIL_FIELDS));
      return;
    }
    setBusy(true);
    const problems = await onSubmit(values);
    setBusy(false);
    if (problems) {
      setErrors(problems);
      focusField(prefix, firstErrorField(problems, DETAIL_FIELDS));
    }
  }

  return (
    <form className="editor-form" aria-label={label} onSubmit={submit} noValidate aria-busy={busy}>
      <ErrorNote>{errors.form}</ErrorNote>
      <TextField prefix={prefix} name="title" label="Title" hint="What the patient sees at the top of their plan, for example “Knee strength after surgery”." value={values.title} onChange={set('title')} error={errors.title} maxLength={TEXT_LIMITS.title} required autoComplete="off" />
      <TextField prefix={prefix} name="condition" label="Condition" value={values.condition} onChange={set('condition')} error={errors.condition} maxLength={TEXT_LIMITS.condition} required autoComplete="off" />
      <TextAreaField prefix={prefix} name="goals" label="Goals (optional)" rows={3} value={values.goals} onChange={set('goals')} error={errors.goals} maxLength={TEXT_LIMITS.goals} />
      <TextField prefix={prefix} name="startsOn" label="Start date" hint="Week 1 begins on this day." type="date" value={values.startsOn} onChange={set('startsOn')} error={errors.startsOn} required />
      <div className="actions">
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

// --- an existing draft or active plan ---------------------------------------------------------

function PlanSections({
  plan,
  active,
  patientName,
  done,
  onWriteNew,
}: {
  plan: EditorPlan;
  active: EditorPlan | null;
  patientName: string;
  done: Done;
  onWriteNew: () => void;
}) {
  const [, update] = useMutation(UpdatePlanMutation);
  const [, addPhase] = useMutation(AddPhaseMutation);
  const phases = inWeekOrder(plan.phases);
  const spans: PhaseSpan[] = phases.map((phase) => ({ id: phase.id, name: phase.name, startWeek: phase.startWeek, endWeek: phase.endWeek }));
  const live = plan.status === 'ACTIVE';
  const original: PlanDetailsValues = { title: plan.title, condition: plan.condition, goals: plan.goals, startsOn: plan.startsOn };

  async function saveDetails(values: PlanDetailsValues): Promise<FieldErrors | null> {
    const patch = planDetailsPatch(original, values);
    if (Object.keys(patch).length === 0) {
      done('Nothing changed in the plan’s details.');
      return null;
    }
    const result = await update({ input: { planId: plan.id, ...patch } });
    const problems = mutationProblems(result.data?.updateTreatmentPlan, result.error, DETAIL_FIELDS);
    if (problems) return problems;
    done(live ? `Saved the plan’s details. ${patientName} sees the change.` : 'Saved the plan’s details.');
    return null;
  }

  async function submitPhase(values: PhaseValues): Promise<FieldErrors | null> {
    const result = await addPhase({ input: { planId: plan.id, ...phaseInput(values) } });
    const payload = result.data?.addPlanPhase;
    const problems = mutationProblems(payload, result.error, PHASE_FIELDS);
    if (problems) return problems;
    const phaseId = payload?.__typename === 'PlanPhasePayload' ? payload.phase.id : null;
    done(`Added the phase ${values.name.trim()}. Add its exercises next.`, phaseId ? phaseHeadingId(phaseId) : 'phases-heading');
    return null;
  }

  return (
    <>
      <StatusCard plan={plan} active={active} patientName={patientName} done={done} onWriteNew={onWriteNew} />

      <section aria-labelledby="details-heading" className="card">
        <h2 id="details-heading">Plan details</h2>
        <DetailsForm key={plan.id} prefix="plan" label="Plan details" initial={original} submitLabel="Save details" busyLabel="Saving…" onSubmit={saveDetails} />
      </section>

      <section aria-labelledby="phases-heading">
        <h2 id="phases-heading" tabIndex={-1}>
          Phases
        </h2>
        {phases.length === 0 ? (
          <p>No phases yet. Add the first one below, then its exercises.</p>
        ) : (
          <ol className="phase-list" aria-labelledby="phases-heading">
            {phases.map((phase) => (
              <PhaseCard key={phase.id} phase={phase} spans={spans} editable live={live} patientName={patientName} done={done} />
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="add-phase-heading" className="card">
        <h2 id="add-phase-heading">Add a phase</h2>
        <p className="hint">A phase is a stretch of weeks (1 to 104) with its own focus; phases do not share weeks.</p>
        <PhaseForm
          // A fresh suggestion (the weeks after the last phase) once the new phase is shown.
          key={spans.map((span) => `${span.id}:${span.endWeek}`).join(',')}
          prefix="new-phase"
          label="New phase"
          initial={suggestNextPhase(spans)}
          others={spans}
          submitLabel="Add phase"
          busyLabel="Adding…"
          onSubmit={submitPhase}
        />
      </section>
    </>
  );
}

function StatusCard({
  plan,
  active,
  patientName,
  done,
  onWriteNew,
}: {
  plan: EditorPlan;
  active: EditorPlan | null;
  patientName: string;
  done: Done;
  onWriteNew: () => void;
}) {
  const [{ fetching: activating }, activate] = useMutation(ActivatePlanMutation);
  const [{ fetching: completing }, complete] = useMutation(CompletePlanMutation);
  const [asking, setAsking] = useState<'activate' | 'complete' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [blocked, setBlocked] = useState(false);
  const isDraft = plan.status === 'DRAFT';
  const exercises = countExercises(plan);
  const otherActive = active && active.id !== plan.id ? active : null;
  // Shown after a refused click, until the plan no longer has that problem.
  const blocker = blocked ? activationBlocker(plan) : null;

  async function confirm() {
    setProblem(null);
    const result = asking === 'activate' ? await activate({ planId: plan.id }) : await complete({ planId: plan.id });
    const payload = result.data && ('activateTreatmentPlan' in result.data ? result.data.activateTreatmentPlan : result.data.completeTreatmentPlan);
    const problems = mutationProblems(payload, result.error, []);
    if (problems) {
      setProblem(Object.values(problems).join(' '));
      return;
    }
    const was = asking;
    setAsking(null);
    if (was === 'activate') done(`“${plan.title}” is active. ${patientName} now sees it on their Treatment Plan page.`, 'plan-status-heading');
    else done(`“${plan.title}” is completed. ${patientName} has no active plan until you activate a new one.`, 'new-plan-heading');
  }

  return (
    <section aria-labelledby="plan-status-heading" className="card plan-status">
      <h2 id="plan-status-heading" tabIndex={-1}>
        {plan.title} <span className="tag">{isDraft ? 'Draft' : 'Active'}</span>
      </h2>
      {isDraft ? (
        <p>
          A draft: only the care team sees it. {exercises === 0 ? 'It has no exercises yet.' : `It has ${exercises} exercise${exercises === 1 ? '' : 's'}.`}{' '}
          {otherActive ? `Activating it completes “${otherActive.title}”, the plan ${patientName} follows now.` : ''}
        </p>
      ) : (
        <p>
          Active since {plan.activatedAt ? new Date(plan.activatedAt).toLocaleDateString() : longDate(plan.startsOn)}
          {plan.currentWeek ? `, in week ${plan.currentWeek}` : `, starting ${longDate(plan.startsOn)}`}. {patientName} is told about every change you save.
        </p>
      )}
      <div className="actions">
        {isDraft ? (
          <button
            type="button"
            className="button"
            aria-describedby={blocker ? 'activate-blocked' : undefined}
            onClick={() => {
              const reason = activationBlocker(plan);
              setBlocked(reason !== null);
              if (!reason) {
                setProblem(null);
                setAsking('activate');
              }
            }}
          >
            Activate plan
          </button>
        ) : (
          <>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setProblem(null);
                setAsking('complete');
              }}
            >
              Complete plan
            </button>
            <button type="button" className="button secondary" onClick={onWriteNew}>
              Write a new plan
            </button>
          </>
        )}
      </div>
      <ErrorNote id="activate-blocked">{blocker}</ErrorNote>

      <ConfirmDialog
        open={asking !== null}
        title={asking === 'complete' ? 'Complete this plan?' : 'Activate this plan?'}
        confirmLabel={asking === 'complete' ? 'Complete plan' : 'Activate plan'}
        busyLabel={asking === 'complete' ? 'Completing…' : 'Activating…'}
        busy={activating || completing}
        error={problem}
        onConfirm={() => void confirm()}
        onCancel={() => setAsking(null)}
      >
        {asking === 'complete' ? (
          <p>
            “{plan.title}” is marked completed and can no longer be changed. {patientName} keeps it among their earlier plans and has no
            active plan until you activate a new one.
          </p>
        ) : (
          <>
            <p>
              {patientName} will see “{plan.title}” on their Treatment Plan page and be told it has started. From then on, every change you
              save reaches them.
            </p>
            {otherActive && <p>Their current plan, “{otherActive.title}”, will be marked completed.</p>}
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
