/** The plan editor's GraphQL documents and the small parts its forms share. */
import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { ErrorNote } from '../../components/Status';
import { graphql } from '../../gql';

export const PlanEditorExerciseFragment = graphql(`
  fragment PlanEditorExercise on Exercise {
    id
    name
    bodyRegion
    archived
    defaultDosage {
      sets
      reps
      holdSeconds
      durationSeconds
      timesPerDay
      daysPerWeek
    }
    regression {
      id
      name
      archived
      defaultDosage {
        sets
        reps
        holdSeconds
        durationSeconds
        timesPerDay
        daysPerWeek
      }
    }
    progression {
      id
      name
      archived
      defaultDosage {
        sets
        reps
        holdSeconds
        durationSeconds
        timesPerDay
        daysPerWeek
      }
    }
  }
`);

export const PlanEditorPlanFragment = graphql(`
  fragment PlanEditorPlan on TreatmentPlan {
    id
    title
    condition
    goals
    startsOn
    status
    revision
    currentWeek
    activatedAt
    phases {
      id
      name
      startWeek
      endWeek
      focus
      position
      prescriptions {
        id
        level
        notes
        position
        dosage {
          sets
          reps
          holdSeconds
          durationSeconds
          timesPerDay
          daysPerWeek
        }
        exercise {
          id
          name
        }
        baseExercise {
          ...PlanEditorExercise
        }
      }
    }
  }
`);

export const PlanEditorQuery = graphql(`
  query PlanEditor($patientId: ID!) {
    patient(id: $patientId) {
      id
      givenName
      familyName
      preferredName
      timeZone
    }
    treatmentPlans(patientId: $patientId) {
      ...PlanEditorPlan
    }
  }
`);

export const PlanEditorExercisesQuery = graphql(`
  query PlanEditorExercises($filter: ExerciseFilter, $first: Int) {
    exercises(filter: $filter, first: $first) {
      edges {
        node {
          ...PlanEditorExercise
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export const CreatePlanMutation = graphql(`
  mutation PlanEditorCreatePlan($input: CreateTreatmentPlanInput!) {
    createTreatmentPlan(input: $input) {
      __typename
      ... on TreatmentPlanPayload {
        plan {
          id
          status
          revision
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const UpdatePlanMutation = graphql(`
  mutation PlanEditorUpdatePlan($input: UpdateTreatmentPlanInput!) {
    updateTreatmentPlan(input: $input) {
      __typename
      ... on TreatmentPlanPayload {
        plan {
          id
          revision
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const AddPhaseMutation = graphql(`
  mutation PlanEditorAddPhase($input: AddPlanPhaseInput!) {
    addPlanPhase(input: $input) {
      __typename
      ... on PlanPhasePayload {
        plan {
          id
          revision
        }
        phase {
          id
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const UpdatePhaseMutation = graphql(`
  mutation PlanEditorUpdatePhase($input: UpdatePlanPhaseInput!) {
    updatePlanPhase(input: $input) {
      __typename
      ... on PlanPhasePayload {
        plan {
          id
          revision
        }
        phase {
          id
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const RemovePhaseMutation = graphql(`
  mutation PlanEditorRemovePhase($phaseId: ID!) {
    removePlanPhase(phaseId: $phaseId) {
      __typename
      ... on TreatmentPlanPayload {
        plan {
          id
          revision
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const AddPrescriptionMutation = graphql(`
  mutation PlanEditorAddPrescription($input: AddPrescriptionInput!) {
    addPrescription(input: $input) {
      __typename
      ... on PrescriptionPayload {
        plan {
          id
          revision
        }
        prescription {
          id
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const UpdatePrescriptionMutation = graphql(`
  mutation PlanEditorUpdatePrescription($input: UpdatePrescriptionInput!) {
    updatePrescription(input: $input) {
      __typename
      ... on PrescriptionPayload {
        plan {
          id
          revision
        }
        prescription {
          id
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const RemovePrescriptionMutation = graphql(`
  mutation PlanEditorRemovePrescription($prescriptionId: ID!) {
    removePrescription(prescriptionId: $prescriptionId) {
      __typename
      ... on PrescriptionPayload {
        plan {
          id
          revision
        }
        prescription {
          id
          removedAt
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const ActivatePlanMutation = graphql(`
  mutation PlanEditorActivatePlan($planId: ID!) {
    activateTreatmentPlan(planId: $planId) {
      __typename
      ... on TreatmentPlanPayload {
        plan {
          id
          status
          revision
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const CompletePlanMutation = graphql(`
  mutation PlanEditorCompletePlan($planId: ID!) {
    completeTreatmentPlan(planId: $planId) {
      __typename
      ... on TreatmentPlanPayload {
        plan {
          id
          status
          revision
        }
      }
      ... on PlanErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

/**
 * Every query of the editor also depends on these types: after a mutation returning one of
 * them urql's document cache reads the editor again (an empty plan list names no type).
 */
export const PLAN_TYPENAMES = ['TreatmentPlan', 'PlanPhase', 'Prescription'];

/** The ids a form's field and its error use, from the form's own prefix. */
export function fieldIds(prefix: string, name: string) {
  return { input: `${prefix}-${name}`, error: `${prefix}-${name}-error`, hint: `${prefix}-${name}-hint` };
}

/** Moves focus to a form's field by the name the API and the checks use. */
export function focusField(prefix: string, name: string | null): void {
  if (name) document.getElementById(fieldIds(prefix, name).input)?.focus();
}

interface FieldProps {
  prefix: string;
  name: string;
  label: string;
  error?: string;
  hint?: string;
  className?: string;
}

function describedBy(ids: ReturnType<typeof fieldIds>, hint?: string, error?: string): string | undefined {
  return [hint ? ids.hint : '', error ? ids.error : ''].filter(Boolean).join(' ') || undefined;
}

function FieldShell({ prefix, name, label, error, hint, className, children }: FieldProps & { children: ReactNode }) {
  const ids = fieldIds(prefix, name);
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={ids.input}>{label}</label>
      {hint && (
        <p className="hint" id={ids.hint}>
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p className="field-error" id={ids.error}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input whose hint and error are announced with it. */
export function TextField({
  prefix,
  name,
  label,
  error,
  hint,
  className,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'>) {
  const ids = fieldIds(prefix, name);
  return (
    <FieldShell prefix={prefix} name={name} label={label} error={error} hint={hint} className={className}>
      <input id={ids.input} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, hint, error)} {...input} />
    </FieldShell>
  );
}

export function TextAreaField({
  prefix,
  name,
  label,
  error,
  hint,
  className,
  ...input
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id'>) {
  const ids = fieldIds(prefix, name);
  return (
    <FieldShell prefix={prefix} name={name} label={label} error={error} hint={hint} className={className}>
      <textarea id={ids.input} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, hint, error)} {...input} />
    </FieldShell>
  );
}

export function SelectField({
  prefix,
  name,
  label,
  error,
  hint,
  className,
  value,
  onChange,
  options,
  disabled,
}: FieldProps & { value: string; onChange: (value: string) => void; options: readonly { value: string; label: string }[]; disabled?: boolean }) {
  const ids = fieldIds(prefix, name);
  return (
    <FieldShell prefix={prefix} name={name} label={label} error={error} hint={hint} className={className}>
      <select
        id={ids.input}
        name={name}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(ids, hint, error)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/**
 * A modal question with Cancel first (focused when it opens, so Enter never confirms by
 * accident). Escape cancels unless the confirmed action is under way; focus goes back to the
 * button that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busyLabel,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
      cancel.current?.focus();
    } else if (!open && element.open) {
      if (typeof element.close === 'function') element.close();
      else element.removeAttribute('open');
      // Back to the button that asked (a page that moves focus after a "yes" does so later).
      const back = opener.current;
      opener.current = null;
      if (back?.isConnected && (document.activeElement === document.body || element.contains(document.activeElement))) back.focus();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{children}</div>
      <ErrorNote>{error}</ErrorNote>
      <div className="actions">
        {/* aria-disabled rather than disabled while busy: a disabled button drops the focus. */}
        <button ref={cancel} type="button" className="button secondary" aria-disabled={busy} onClick={() => !busy && onCancel()}>
          Cancel
        </button>
        <button type="button" className="button" aria-disabled={busy} aria-busy={busy} onClick={() => !busy && onConfirm()}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
