import { describe, expect, it } from 'vitest';
import { activeSection, THERAPIST_NAVIGATION } from '../../App';

describe("a therapist's navigation", () => {
  it('marks the caseload for a patient record and the other sections by prefix', () => {
    expect(activeSection('/', THERAPIST_NAVIGATION)).toBe('/');
    expect(activeSection('/patients/UGF0aWVudDox', THERAPIST_NAVIGATION)).toBe('/');
    expect(activeSection('/schedule', THERAPIST_NAVIGATION)).toBe('/schedule');
    expect(activeSection('/inbox?x=1', THERAPIST_NAVIGATION)).toBe('/inbox');
    expect(activeSection('/plan', THERAPIST_NAVIGATION)).toBe('');
  });

  it('leaves the patient navigation as it was', () => {
    expect(activeSection('/patients/abc')).toBe('');
    expect(activeSection('/messages/abc')).toBe('/messages');
  });
});
