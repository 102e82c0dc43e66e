import { describe, expect, it } from 'vitest';
import { describeCode, describeRequestError, errorsByField } from './errors';

describe('error wording', () => {
  it('turns codes into plain sentences', () => {
    expect(describeCode('INVALID_CREDENTIALS')).toBe('The email address or password is not right. Please try again.');
    expect(describeCode('WEAK_PASSWORD')).toMatch(/too easy to guess/);
    expect(describeCode('PREFERENCE_LOCKED')).toMatch(/cannot be turned off/);
  });

  it('never shows a raw code: unknown ones get the generic sentence', () => {
    expect(describeCode('SOMETHING_NEW')).toBe(describeCode('INTERNAL'));
    expect(describeCode(undefined)).toMatch(/went wrong on our side/);
  });

  it('groups typed errors by field, the rest under form', () => {
    expect(
      errorsByField([
        { code: 'INVALID_EMAIL', field: 'email' },
        { code: 'WEAK_PASSWORD', field: 'password' },
        { code: 'INTERNAL', field: null },
      ]),
    ).toEqual({ email: describeCode('INVALID_EMAIL'), password: describeCode('WEAK_PASSWORD'), form: describeCode('INTERNAL') });
  });

  it('describes transport and top-level errors', () => {
    expect(describeRequestError(null)).toBeNull();
    expect(describeRequestError({ networkError: new Error('x') })).toBe(describeCode('NETWORK'));
    expect(describeRequestError({ graphQLErrors: [{ extensions: { code: 'UNAUTHENTICATED' } }] })).toMatch(/signed out/);
  });
});
