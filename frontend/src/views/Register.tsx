import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { PasswordStrengthMeter } from '../components/PasswordStrength';
import { ErrorNote } from '../components/Status';
import { graphql } from '../gql';
import { describeRequestError, errorsByField } from '../lib/errors';
import { usePageHeading } from '../lib/page';
import { Link } from '../lib/router';

const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      __typename
      ... on Accepted {
        message
      }
      ... on AccountErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const FIELDS = ['name', 'email', 'password', 'dateOfBirth', 'phone', 'timeZone'] as const;
type FieldName = (typeof FIELDS)[number];

export default function Register() {
  const [done, setDone] = useState(false);
  const heading = usePageHeading(done ? 'Check your email' : 'Create your account');
  const [values, setValues] = useState<Record<FieldName, string>>({
    name: '',
    email: '',
    password: '',
    dateOfBirth: '',
    phone: '',
    timeZone: browserTimeZone(),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [{ fetching }, register] = useMutation(RegisterMutation);
  const set = (name: FieldName) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    const result = await register({ input: { ...values, email: values.email.trim(), name: values.name.trim() } });
    const payload = result.data?.register;
    if (!payload) {
      setErrors({ form: describeRequestError(result.error) ?? '' });
      return;
    }
    if (payload.__typename === 'AccountErrors') {
      const byField = errorsByField(payload.errors);
      setErrors({ ...byField, form: byField.form ?? 'Please correct the fields marked below.' });
      const first = FIELDS.find((name) => byField[name]);
      if (first) document.getElementById(`reg-${first}`)?.focus();
      return;
    }
    setDone(true);
  }

  if (done) {
    return (
      <section key="done" className="card narrow" aria-labelledby="check-heading">
        <h1 id="check-heading" ref={heading} tabIndex={-1}>
          Check your email
        </h1>
        <p role="status">
          We sent a link to <strong>{values.email}</strong>. Open it to confirm your address, then sign in. The link works for a
          limited time; check your spam folder if it does not arrive within a few minutes.
        </p>
        <p>
          <Link href="/sign-in">Go to sign in</Link>
        </p>
      </section>
    );
  }

  const field = (name: FieldName, label: string, props: Record<string, string | boolean>, hint?: string) => {
    const described = [hint ? `reg-${name}-hint` : '', errors[name] ? `reg-${name}-error` : ''].filter(Boolean).join(' ');
    return (
      <div className="field">
        <label htmlFor={`reg-${name}`}>{label}</label>
        {hint && (
          <p className="hint" id={`reg-${name}-hint`}>
            {hint}
          </p>
        )}
        <input
          id={`reg-${name}`}
          name={name}
          value={values[name]}
          onChange={set(name)}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={described || undefined}
          required
          {...props}
        />
        {errors[name] && (
          <p className="field-error" id={`reg-${name}-error`}>
            {errors[name]}
          </p>
        )}
      </div>
    );
  };

  return (
    <section key="form" className="card narrow" aria-labelledby="register-heading">
      <h1 id="register-heading" ref={heading} tabIndex={-1}>
        Create your account
      </h1>
      <form onSubmit={submit} aria-busy={fetching} noValidate>
        <ErrorNote>{errors.form}</ErrorNote>
        {field('name', 'Full name', { autoComplete: 'name' })}
        {field('email', 'Email address', { type: 'email', autoComplete: 'email' })}
        <div className="field">
          <label htmlFor="reg-password">Password</label>
          <input
            id="reg-password"
            type="password"
            autoComplete="new-password"
            required
            value={values.password}
            onChange={set('password')}
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={['reg-password-strength', errors.password ? 'reg-password-error' : ''].filter(Boolean).join(' ')}
          />
          {errors.password && (
            <p className="field-error" id="reg-password-error">
              {errors.password}
            </p>
          )}
          <PasswordStrengthMeter id="reg-password-strength" password={values.password} email={values.email} name={values.name} />
        </div>
        {field('dateOfBirth', 'Date of birth', { type: 'date', autoComplete: 'bday' })}
        {field('phone', 'Mobile phone', { type: 'tel', autoComplete: 'tel' }, 'With the country code, for example +1 555 010 0199.')}
        {field('timeZone', 'Time zone', { autoComplete: 'off' }, 'Appointment times are shown in this zone, for example America/New_York.')}
        <button type="submit" className="button" disabled={fetching}>
          {fetching ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
