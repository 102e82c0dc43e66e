/**
 * The building blocks of the profile's forms: labelled fields whose API error sits under them
 * (and is read with them), lists whose items are added and removed with focus kept in place,
 * and one section's save: local checks, the mutation, its typed errors placed by field.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import type { CombinedError } from 'urql';
import { ErrorNote } from '../../components/Status';
import { describeRequestError } from '../../lib/errors';
import { errorsByFormPath, fieldId, type Built, type SectionKey } from './profile';

// --- One section's form state --------------------------------------------------------------

export interface ProfileResult {
  __typename: 'PatientProfilePayload' | 'PatientProfileErrors';
  errors?: readonly { code: string; field?: string | null; message: string }[];
}

export interface FormState {
  section: SectionKey;
  errors: Record<string, string>;
  clearErrors: () => void;
}

/** The first of `paths` in the page's order whose control is on the page. */
function firstOnPage(section: SectionKey, paths: readonly string[]): HTMLElement | null {
  const found = paths.map((path) => document.getElementById(fieldId(section, path))).filter((el): el is HTMLElement => !!el);
  found.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return found[0] ?? null;
}

/**
 * Saving one section: `build` turns the form into the API's input (or says what is wrong
 * first), `execute` sends it. Problems show next to their fields and focus goes to the first;
 * problems about no field on the form are said at the top of it.
 */
export function useSectionSave<T>(section: SectionKey, onSaved: () => void) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  function fail(found: Record<string, string>) {
    const paths = Object.keys(found).filter((path) => path !== 'form');
    const placed = paths.filter((path) => document.getElementById(fieldId(section, path)));
    const unplaced = paths.filter((path) => !placed.includes(path)).map((path) => found[path]);
    const count = placed.length;
    const lead = count ? `Nothing was saved: please correct the ${count === 1 ? 'field' : `${count} fields`} marked below.` : 'Nothing was saved.';
    const form = [found.form, lead, ...unplaced].filter(Boolean).join(' ');
    setErrors({ ...found, form });
    // Focus the first field to fix; with none on the form, the note that says what went wrong.
    const first = firstOnPage(section, placed);
    if (first) first.focus();
    else requestAnimationFrame(() => summary.current?.focus());
  }

  async function save(
    built: Built<T>,
    execute: (input: T) => Promise<{ result: ProfileResult | null | undefined; error?: CombinedError | undefined }>,
  ) {
    setErrors({});
    if (Object.keys(built.errors).length) return fail(built.errors);
    setSaving(true);
    try {
      const { result, error } = await execute(built.input);
      if (!result) return fail({ form: describeRequestError(error) ?? describeRequestError({}) ?? '' });
      if (result.__typename === 'PatientProfileErrors') return fail(errorsByFormPath(result.errors ?? [], built.rows));
      onSaved();
    } finally {
      setSaving(false);
    }
  }

  const state: FormState = { section, errors, clearErrors: () => setErrors({}) };
  return { state, saving, save, summary };
}

// --- The form around a section's fields -------------------------------------------------------

export function SectionForm({
  title,
  state,
  saving,
  summary,
  onSubmit,
  onCancel,
  children,
}: {
  title: string;
  state: FormState;
  saving: boolean;
  summary: RefObject<HTMLDivElement | null>;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const lower = title.charAt(0).toLowerCase() + title.slice(1);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!saving) onSubmit();
  }
  return (
    <form className="profile-form" onSubmit={submit} aria-label={`Change ${lower}`} aria-busy={saving} noValidate>
      <div ref={summary} tabIndex={-1} className="form-summary">
        <ErrorNote>{state.errors.form}</ErrorNote>
      </div>
      {children}
      <div className="actions">
        <button type="submit" className="button" disabled={saving}>
          {saving ? `Saving ${lower}…` : `Save ${lower}`}
        </button>
        <button type="button" className="button secondary" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
      {saving && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Saving…
        </p>
      )}
    </form>
  );
}

// --- Fields -------------------------------------------------------------------------------------

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <p className="field-error" id={`${id}-error`}>
      {text}
    </p>
  );
}

interface FieldProps {
  state: FormState;
  path: string;
  label: string;
  hint?: string;
}

export function TextField({
  state,
  path,
  label,
  hint,
  value,
  onChange,
  type = 'text',
  autoComplete = 'off',
  multiline = false,
  required = false,
  list,
  inputMode,
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'tel' | 'email' | 'date';
  autoComplete?: string;
  multiline?: boolean;
  required?: boolean;
  list?: string;
  inputMode?: 'text' | 'tel' | 'email';
}) {
  const id = fieldId(state.section, path);
  const error = state.errors[path];
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, !!hint, !!error),
    'aria-required': required || undefined,
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> (required)</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={type} autoComplete={autoComplete} list={list} inputMode={inputMode} onChange={(event) => onChange(event.target.value)} />
      )}
      <FieldError id={id} text={error} />
    </div>
  );
}

export function SelectField<T extends string>({
  state,
  path,
  label,
  hint,
  value,
  onChange,
  choices,
  empty,
  required = false,
}: FieldProps & {
  value: T | '';
  onChange: (value: T | '') => void;
  choices: readonly { value: T; label: string }[];
  empty?: string;
  required?: boolean;
}) {
  const id = fieldId(state.section, path);
  const error = state.errors[path];
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> (required)</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as T | '')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, !!hint, !!error)}
        aria-required={required || undefined}
      >
        {empty !== undefined && <option value="">{empty}</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <FieldError id={id} text={error} />
    </div>
  );
}

export function CheckField({ state, path, label, hint, checked, onChange }: FieldProps & { checked: boolean; onChange: (checked: boolean) => void }) {
  const id = fieldId(state.section, path);
  const error = state.errors[path];
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, !!hint, !!error)}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint check-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={id} text={error} />
    </div>
  );
}

/** A group of checkboxes (days, times of day): one legend, each choice its own label. */
export function CheckGroup<T extends string>({
  state,
  path,
  legend,
  choices,
  chosen,
  onChange,
}: {
  state: FormState;
  path: string;
  legend: string;
  choices: readonly { value: T; label: string }[];
  chosen: readonly T[];
  onChange: (value: T, on: boolean) => void;
}) {
  const id = fieldId(state.section, path);
  const error = state.errors[path];
  return (
    <fieldset className="choice-group" id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <ul>
        {choices.map((choice) => (
          <li key={choice.value} className="check">
            <input
              id={`${id}-${choice.value}`}
              type="checkbox"
              checked={chosen.includes(choice.value)}
              onChange={(event) => onChange(choice.value, event.target.checked)}
            />
            <label htmlFor={`${id}-${choice.value}`}>{choice.label}</label>
          </li>
        ))}
      </ul>
      <FieldError id={id} text={error} />
    </fieldset>
  );
}

// --- Lists of items -------------------------------------------------------------------------------

/**
 * A list the person adds to and removes from (medications, contacts). A new item's first field
 * takes focus; a removed item's place passes focus to the next item (or the one before, or the
 * add button) and a status line says what was removed.
 */
export function ListEditor<R extends { key: string }>({
  state,
  name,
  legend,
  itemLabel,
  addLabel,
  firstField,
  rows,
  onChange,
  make,
  renderRow,
}: {
  state: FormState;
  name: string;
  legend: string;
  itemLabel: string;
  addLabel: string;
  firstField: keyof R & string;
  rows: readonly R[];
  onChange: (rows: R[]) => void;
  make: () => R;
  renderRow: (row: R, index: number, update: (patch: Partial<R>) => void) => ReactNode;
}) {
  const id = fieldId(state.section, name);
  const headingId = useId();
  const addButton = useRef<HTMLButtonElement>(null);
  const [focusNext, setFocusNext] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const error = state.errors[name];

  useEffect(() => {
    if (focusNext === null) return;
    const target = focusNext === 'add' ? addButton.current : document.getElementById(focusNext);
    target?.focus();
    setFocusNext(null);
  }, [focusNext, rows]);

  const first = (index: number) => fieldId(state.section, `${name}[${index}].${firstField}`);

  function add() {
    state.clearErrors(); // item numbers are about to change
    onChange([...rows, make()]);
    setSaid('');
    setFocusNext(first(rows.length));
  }

  function remove(index: number) {
    state.clearErrors();
    onChange(rows.filter((_, at) => at !== index));
    setSaid(`${itemLabel} ${index + 1} removed.`);
    setFocusNext(rows.length === 1 ? 'add' : first(index < rows.length - 1 ? index : index - 1));
  }

  const lower = itemLabel.toLowerCase();
  return (
    <fieldset className="list-editor" id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend id={headingId}>{legend}</legend>
      <FieldError id={id} text={error} />
      {rows.length === 0 && <p className="hint">None listed.</p>}
      {rows.length > 0 && (
        <ol className="list-rows" aria-labelledby={headingId}>
          {rows.map((row, index) => (
            <li key={row.key}>
              <fieldset className="list-row">
                <legend>
                  {itemLabel} {index + 1}
                </legend>
                {renderRow(row, index, (patch) => onChange(rows.map((item, at) => (at === index ? { ...item, ...patch } : item))))}
                <button type="button" className="button secondary small" onClick={() => remove(index)}>
                  Remove<span className="visually-hidden"> {lower} {index + 1}</span>
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
      )}
      <button type="button" ref={addButton} className="button secondary" onClick={add}>
        {addLabel}
      </button>
      <p className="visually-hidden" role="status">
        {said}
      </p>
    </fieldset>
  );
}

// --- A section of the page ------------------------------------------------------------------

/**
 * One section: its heading, what it holds, and (when it may be changed) an Edit button that
 * opens its form in place. Closing the form, saved or not, puts focus back on the button.
 */
export function ProfileSection({
  id,
  title,
  note,
  editable,
  view,
  form,
}: {
  id: SectionKey;
  title: string;
  /** Said instead of the content when the answer withheld it. */
  note?: ReactNode;
  editable: boolean;
  view: ReactNode;
  form: (close: (saved: boolean) => void) => ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const [returnFocus, setReturnFocus] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const formBox = useRef<HTMLDivElement>(null);
  const headingId = `profile-${id}`;
  const lower = title.charAt(0).toLowerCase() + title.slice(1);

  useEffect(() => {
    if (editing) {
      // The form's first control, so typing can start at once.
      formBox.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
    } else if (returnFocus) {
      editButton.current?.focus();
      setReturnFocus(false);
    }
  }, [editing, returnFocus]);

  const close = (done: boolean) => {
    setSaved(done ? `${title}: your changes are saved.` : '');
    setEditing(false);
    setReturnFocus(true);
  };

  return (
    <section className="card profile-section" aria-labelledby={headingId} data-testid={`section-${id}`}>
      <div className="section-head">
        <h2 id={headingId} tabIndex={-1}>
          {title}
        </h2>
        {editable && !note && !editing && (
          <button
            type="button"
            ref={editButton}
            className="button secondary small"
            onClick={() => {
              setSaved('');
              setEditing(true);
            }}
          >
            Edit<span className="visually-hidden"> {lower}</span>
          </button>
        )}
      </div>
      <p className="success-line" role="status" data-testid="section-saved">
        {saved}
      </p>
      {note ? (
        <p className="profile-note" data-testid="section-withheld">
          {note}
        </p>
      ) : editing ? (
        <div ref={formBox}>{form(close)}</div>
      ) : (
        view
      )}
    </section>
  );
}
