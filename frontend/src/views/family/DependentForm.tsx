import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorNote, SuccessNote } from '../../components/Status';
import type { CaregiverRelationship } from '../../gql/graphql';
import { describeRequestError } from '../../lib/errors';
import { RegisterDependentMutation } from './documents';
import { caregiverErrorsByField } from './words';

const FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'relationship'] as const;

/** A parent or legal guardian registers a child who has no account of their own. */
export function DependentForm({ onRegistered }: { onRegistered: () => void }) {
  const id = useId().replace(/[^\w-]/g, '');
  const [values, setValues] = useState({ givenName: '', familyName: '', dateOfBirth: '', relationship: 'PARENT' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [{ fetching }, register] = useMutation(RegisterDependentMutation);
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: event.target.value }));

  function fail(found: Record<string, string>) {
    setErrors({ ...found, form: found.form ?? 'Please correct the fields marked below.' });
    const first = FIELDS.find((name) => found[name]);
    if (first) document.getElementById(`${id}-${first}`)?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setDone(null);
    const local: Record<string, string> = {};
    if (!values.givenName.trim()) local.givenName = 'Please enter their first name.';
    if (!values.familyName.trim()) local.familyName = 'Please enter their last name.';
    if (!values.dateOfBirth) local.dateOfBirth = 'Please enter their date of birth.';
    if (Object.keys(local).length) return fail(local);
    const result = await register({
      input: {
        givenName: values.givenName.trim(),
        familyName: values.familyName.trim(),
        dateOfBirth: values.dateOfBirth,
        relationship: values.relationship as CaregiverRelationship,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
      },
    });
    const payload = result.data?.registerDependent;
    if (!payload) return setErrors({ form: describeRequestError(result.error) ?? '' });
    if (payload.__typename === 'CaregiverErrors') return fail(caregiverErrorsByField(payload.errors));
    setDone(`${payload.grant.patientName} is registered, with you as their ${values.relationship === 'PARENT' ? 'parent' : 'guardian'}. Choose them under "People you help" to act for them.`);
    setValues({ givenName: '', familyName: '', dateOfBirth: '', relationship: 'PARENT' });
    onRegistered();
  }

  const field = (name: (typeof FIELDS)[number], label: string, props: Record<string, string>) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        value={values[name]}
        onChange={set(name)}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        required
        {...props}
      />
      {errors[name] && (
        <p className="field-error" id={`${id}-${name}-error`}>
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-heading`} aria-busy={fetching} noValidate>
      <h2 id={`${id}-heading`}>Register your child</h2>
      <p>
        For a child under 18 who does not have an account. You manage their care as their parent or guardian until they turn 18;
        from 13, some parts of their health record stay private between them and the clinic.
      </p>
      <ErrorNote>{errors.form}</ErrorNote>
      <SuccessNote>{done}</SuccessNote>
      {field('givenName', "Child's first name", { autoComplete: 'off' })}
      {field('familyName', "Child's last name", { autoComplete: 'off' })}
      {field('dateOfBirth', "Child's date of birth", { type: 'date' })}
      <div className="field">
        <label htmlFor={`${id}-relationship`}>You are their</label>
        <select
          id={`${id}-relationship`}
          value={values.relationship}
          onChange={set('relationship')}
          aria-invalid={errors.relationship ? true : undefined}
          aria-describedby={errors.relationship ? `${id}-relationship-error` : undefined}
        >
          <option value="PARENT">Parent</option>
          <option value="GUARDIAN">Legal guardian</option>
        </select>
        {errors.relationship && (
          <p className="field-error" id={`${id}-relationship-error`}>
            {errors.relationship}
          </p>
        )}
      </div>
      <button type="submit" className="button" disabled={fetching}>
        {fetching ? 'Registering…' : 'Register child'}
      </button>
    </form>
  );
}
