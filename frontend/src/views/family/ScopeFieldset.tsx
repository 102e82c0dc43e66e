import type { CaregiverScope } from '../../gql/graphql';
import { SCOPE_CHOICES } from './words';

/** The scopes as a group of checkboxes, each with what it lets the caregiver do. */
export function ScopeFieldset({
  id,
  legend,
  value,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  value: readonly CaregiverScope[];
  onChange: (next: CaregiverScope[]) => void;
  error?: string | undefined;
}) {
  const toggle = (scope: CaregiverScope, checked: boolean) => {
    // Kept in the form's order, so what is sent reads like the list.
    const chosen = new Set(value);
    if (checked) chosen.add(scope);
    else chosen.delete(scope);
    onChange(SCOPE_CHOICES.map((choice) => choice.scope as CaregiverScope).filter((scope) => chosen.has(scope)));
  };
  return (
    <fieldset className="scope-fieldset" id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend>{legend}</legend>
      <p className="hint" id={`${id}-hint`}>
        Choose at least one. You can change this at any time.
      </p>
      <ul className="scope-list">
        {SCOPE_CHOICES.map((choice) => {
          const inputId = `${id}-${choice.scope}`;
          return (
            <li key={choice.scope} className="scope-choice">
              <input
                id={inputId}
                type="checkbox"
                checked={value.includes(choice.scope as CaregiverScope)}
                onChange={(event) => toggle(choice.scope as CaregiverScope, event.target.checked)}
                aria-describedby={`${inputId}-desc`}
                aria-invalid={error ? true : undefined}
              />
              <span>
                <label htmlFor={inputId}>{choice.label}</label>
                <span className="hint" id={`${inputId}-desc`}>
                  {choice.description}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
