import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';

const StrengthQuery = graphql(`
  query PasswordStrength($password: String!, $email: String, $name: String) {
    passwordStrength(password: $password, email: $email, name: $name) {
      acceptable
      score
      problem
      suggestions
    }
  }
`);

export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

export function strengthLabel(score: number): string {
  return STRENGTH_LABELS[Math.max(0, Math.min(4, Math.round(score)))] ?? STRENGTH_LABELS[0];
}

/** Waits for a pause in typing, so the server is asked once per pause, not per key. */
function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export function PasswordStrengthMeter({ password, email, name, id }: { password: string; email: string; name: string; id: string }) {
  const settled = useDebounced(password, 300);
  const [{ data, fetching }] = useQuery({
    query: StrengthQuery,
    variables: { password: settled, email: email || null, name: name || null },
    pause: settled.length === 0,
  });
  const result = settled && data?.passwordStrength;
  return (
    <div id={id} className="strength" aria-live="polite">
      {!password ? (
        <p className="hint">Use at least 12 characters. A few unrelated words are easy to remember and hard to guess.</p>
      ) : fetching || settled !== password || !result ? (
        <p className="hint" aria-busy="true">Checking the password…</p>
      ) : (
        <>
          <meter min={0} max={4} low={2} high={3} optimum={4} value={result.score} aria-label="Password strength" />
          <p className="hint">
            Strength: <strong>{strengthLabel(result.score)}</strong>.{' '}
            {result.acceptable ? 'This password can be used.' : 'This password cannot be used yet.'}
            {result.problem ? ` ${result.problem}` : ''}
          </p>
          {result.suggestions.length > 0 && (
            <ul className="hint">
              {result.suggestions.map((tip) => (
                <li key={tip}>{tip}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
