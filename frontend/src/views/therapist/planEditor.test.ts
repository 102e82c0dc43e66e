import { describe, expect, it } from 'vitest';
import {
  activationBlocker,
  addPrescriptionInput,
  checkPhase,
  checkPlanDetails,
  checkPrescription,
  choosePlans,
  describeLoadError,
  describePrescribed,
  dosageValues,
  firstErrorField,
  hasErrors,
  inPosition,
  inWeekOrder,
  isIsoDate,
  levelOptions,
  mutationProblems,
  nameOf,
  newPlanInput,
  parseWhole,
  performedExercise,
  phaseInput,
  phasePatch,
  planDetailsPatch,
  planErrorsByField,
  prescriptionPatch,
  suggestNextPhase,
  type PrescriptionValues,
} from './planEditor';

const details = { title: 'Knee strength', condition: 'Patellofemoral pain', goals: '', startsOn: '2026-03-02' };

describe('parseWhole', () => {
  it('reads whole numbers, empty boxes as null and anything else as not a number', () => {
    expect(parseWhole(' 12 ')).toBe(12);
    expect(parseWhole('')).toBeNull();
    expect(parseWhole('  ')).toBeNull();
    expect(parseWhole('2.5')).toBeNaN();
    expect(parseWhole('-1')).toBeNaN();
    expect(parseWhole('ten')).toBeNaN();
  });
});

describe("a plan's details", () => {
  it('accepts a title, a condition and a real start day', () => {
    expect(checkPlanDetails(details)).toEqual({});
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('02/03/2026')).toBe(false);
  });

  it('names each missing or too long field in plain words', () => {
    const errors = checkPlanDetails({ title: '  ', condition: 'x'.repeat(201), goals: 'g'.repeat(4001), startsOn: '' });
    expect(errors.title).toBe('Please enter a title.');
    expect(errors.condition).toBe('Please shorten the condition to at most 200 characters.');
    expect(errors.goals).toBe('Please shorten the goals to at most 4,000 characters.');
    expect(errors.startsOn).toBe('Please choose the day week 1 begins.');
    expect(firstErrorField(errors, ['title', 'condition', 'goals', 'startsOn'])).toBe('title');
  });

  it('sends trimmed text for a new plan, and only what changed for an existing one', () => {
    expect(newPlanInput('UGF0aWVudDox', { ...details, title: ' Knee strength ' })).toEqual({
      patientId: 'UGF0aWVudDox',
      title: 'Knee strength',
      condition: 'Patellofemoral pain',
      goals: '',
      startsOn: '2026-03-02',
    });
    expect(planDetailsPatch(details, { ...details, title: 'Knee strength ' })).toEqual({});
    expect(planDetailsPatch(details, { ...details, goals: ' Stairs without pain ', startsOn: '2026-03-09' })).toEqual({
      goals: 'Stairs without pain',
      startsOn: '2026-03-09',
    });
  });
});

describe('phases', () => {
  const others = [
    { id: 'a', name: 'Early mobility', startWeek: 1, endWeek: 2 },
    { id: 'b', name: 'Strength', startWeek: 3, endWeek: 6 },
  ];

  it('accepts weeks after the last phase', () => {
    expect(checkPhase({ name: 'Return to sport', startWeek: '7', endWeek: '10', focus: '' }, others)).toEqual({});
  });

  it('requires a name and whole weeks from 1 to 104, the last not before the first', () => {
    const errors = checkPhase({ name: '', startWeek: '0', endWeek: '105', focus: '' }, []);
    expect(errors.name).toBe('Please enter a name for the phase.');
    expect(errors.startWeek).toBe('Please enter a week from 1 to 104.');
    expect(errors.endWeek).toBe('Please enter a week from 1 to 104.');
    expect(checkPhase({ name: 'A', startWeek: '1.5', endWeek: '', focus: '' }, []).startWeek).toBe('Please enter a week from 1 to 104.');
    expect(checkPhase({ name: 'A', startWeek: '5', endWeek: '4', focus: '' }, []).endWeek).toBe(
      'The last week cannot come before the first week.',
    );
  });

  it('names the phase whose weeks it would share, but not the phase itself', () => {
    const clash = checkPhase({ name: 'Overlap', startWeek: '6', endWeek: '8', focus: '' }, others);
    expect(clash.startWeek).toBe('These weeks overlap the phase "Strength" (weeks 3 to 6).');
    expect(checkPhase({ name: 'Strength', startWeek: '3', endWeek: '7', focus: '' }, others, 'b')).toEqual({});
    expect(checkPhase({ name: 'One', startWeek: '2', endWeek: '2', focus: '' }, others, 'b').startWeek).toBe(
      'These weeks overlap the phase "Early mobility" (weeks 1 to 2).',
    );
  });

  it('sends numbers, and only what changed of a phase', () => {
    expect(phaseInput({ name: ' Strength ', startWeek: '3', endWeek: '6', focus: ' Load ' })).toEqual({ name: 'Strength', startWeek: 3, endWeek: 6, focus: 'Load' });
    const phase = { id: 'b', name: 'Strength', startWeek: 3, endWeek: 6, focus: 'Load' };
    expect(phasePatch(phase, { name: 'Strength', startWeek: '3', endWeek: '6', focus: 'Load ' })).toEqual({});
    expect(phasePatch(phase, { name: 'Strength and balance', startWeek: '3', endWeek: '8', focus: 'Load' })).toEqual({ name: 'Strength and balance', endWeek: 8 });
  });

  it('suggests four weeks after the last phase, and nothing once week 104 is planned', () => {
    expect(suggestNextPhase([])).toEqual({ name: '', startWeek: '1', endWeek: '4', focus: '' });
    expect(suggestNextPhase(others)).toMatchObject({ startWeek: '7', endWeek: '10' });
    expect(suggestNextPhase([{ startWeek: 90, endWeek: 102 }])).toMatchObject({ startWeek: '103', endWeek: '104' });
    expect(suggestNextPhase([{ startWeek: 1, endWeek: 104 }])).toMatchObject({ startWeek: '', endWeek: '' });
  });

  it('orders phases by their weeks and exercises by their position', () => {
    expect(inWeekOrder([{ startWeek: 5, id: 'late' }, { startWeek: 1, id: 'early' }]).map((p) => p.id)).toEqual(['early', 'late']);
    expect(inPosition([{ position: 2, id: 'c' }, { position: 0, id: 'a' }, { position: 1, id: 'b' }]).map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('prescriptions', () => {
  const bridge = {
    id: 'ex-bridge',
    name: 'Glute bridge',
    defaultDosage: { sets: 2, reps: 10, holdSeconds: 3, durationSeconds: null, timesPerDay: 1, daysPerWeek: 4 },
    regression: null,
    progression: { id: 'ex-single', name: 'Single-leg bridge', archived: false, defaultDosage: { sets: 2, reps: 8, holdSeconds: 3, durationSeconds: null, timesPerDay: 1, daysPerWeek: 4 } },
  };
  const values = (dosage: Partial<Record<string, string>>, extra: Partial<PrescriptionValues> = {}): PrescriptionValues => ({
    level: 'STANDARD',
    dosage: { ...dosageValues(bridge.defaultDosage), ...dosage },
    notes: '',
    ...extra,
  });

  it('fills the form from a dosage, empty boxes for missing amounts', () => {
    expect(dosageValues(bridge.defaultDosage)).toEqual({ sets: '2', reps: '10', holdSeconds: '3', durationSeconds: '', timesPerDay: '1', daysPerWeek: '4' });
    expect(dosageValues(null).sets).toBe('');
  });

  it('checks each amount against the same bounds as the API', () => {
    expect(checkPrescription(values({}))).toEqual({});
    const errors = checkPrescription(values({ sets: '21', reps: '0', holdSeconds: '2.5', timesPerDay: '', daysPerWeek: '8' }));
    expect(errors.sets).toBe('Please enter a whole number from 1 to 20.');
    expect(errors.reps).toBe('Please enter a whole number from 1 to 100.');
    expect(errors.holdSeconds).toBe('Please enter a whole number from 1 to 600.');
    expect(errors.timesPerDay).toBe('Please enter times a day, from 1 to 6.');
    expect(errors.daysPerWeek).toBe('Please enter a whole number from 1 to 7.');
    expect(checkPrescription(values({}, { notes: 'n'.repeat(1001) })).notes).toBe('Please shorten the notes to at most 1,000 characters.');
  });

  it('asks for at least one amount', () => {
    const errors = checkPrescription(values({ reps: '', holdSeconds: '', durationSeconds: '' }));
    expect(errors.reps).toBe('Give at least one amount: reps, a hold or a duration.');
    expect(hasErrors(checkPrescription(values({ reps: '', holdSeconds: '', durationSeconds: '60' })))).toBe(false);
  });

  it('adds with the amounts typed in and leaves empty boxes to the library', () => {
    expect(addPrescriptionInput('phase-1', 'ex-bridge', values({ holdSeconds: '' }, { level: 'PROGRESSION', notes: ' Slowly ' }))).toEqual({
      phaseId: 'phase-1',
      exerciseId: 'ex-bridge',
      level: 'PROGRESSION',
      notes: 'Slowly',
      sets: 2,
      reps: 10,
      timesPerDay: 1,
      daysPerWeek: 4,
    });
  });

  it('changes only what changed, and clears an emptied amount', () => {
    const original = { level: 'STANDARD' as const, dosage: bridge.defaultDosage, notes: 'Slowly' };
    expect(prescriptionPatch(original, values({}, { notes: 'Slowly ' }))).toEqual({});
    expect(prescriptionPatch(original, values({ reps: '12', holdSeconds: '' }, { level: 'PROGRESSION', notes: 'Slowly' }))).toEqual({
      level: 'PROGRESSION',
      reps: 12,
      holdSeconds: null,
    });
  });

  it('offers the versions the library has, and names the one performed', () => {
    expect(levelOptions(bridge)).toEqual([
      { value: 'STANDARD', label: 'Standard: Glute bridge' },
      { value: 'PROGRESSION', label: 'Harder: Single-leg bridge' },
    ]);
    expect(levelOptions({ ...bridge, progression: { ...bridge.progression, archived: true } })).toHaveLength(1);
    expect(levelOptions({ ...bridge, regression: { id: 'x', name: 'Bridge on a ball' } })[0]).toEqual({ value: 'REGRESSION', label: 'Easier: Bridge on a ball' });
    expect(performedExercise(bridge, 'PROGRESSION').name).toBe('Single-leg bridge');
    expect(performedExercise(bridge, 'REGRESSION').name).toBe('Glute bridge');
  });

  it('describes a dosage with how many days a week', () => {
    expect(describePrescribed(bridge.defaultDosage)).toBe('2 sets of 10, hold 3 s, once a day, 4 days a week');
    expect(describePrescribed({ ...bridge.defaultDosage, daysPerWeek: 7, timesPerDay: 2 })).toBe('2 sets of 10, hold 3 s, twice a day, every day');
  });
});

describe('which plan the editor opens', () => {
  it('edits the newest draft, and knows the active plan beside it', () => {
    const plans = [
      { id: 'new', status: 'DRAFT' },
      { id: 'now', status: 'ACTIVE' },
      { id: 'old', status: 'COMPLETED' },
      { id: 'older-draft', status: 'DRAFT' },
    ];
    expect(choosePlans(plans)).toEqual({ draft: plans[0], active: plans[1] });
    expect(choosePlans([{ id: 'old', status: 'COMPLETED' }])).toEqual({ draft: null, active: null });
  });

  it('activates a draft only once it has an exercise', () => {
    expect(activationBlocker({ status: 'DRAFT', phases: [{ prescriptions: [] }] })).toBe('Add at least one exercise before activating the plan.');
    expect(activationBlocker({ status: 'DRAFT', phases: [{ prescriptions: [] }, { prescriptions: [{}] }] })).toBeNull();
    expect(activationBlocker({ status: 'ACTIVE', phases: [{ prescriptions: [{}] }] })).toBe('Only a draft can be activated.');
  });

  it('names the patient even when parts of the record are withheld', () => {
    expect(nameOf({ givenName: 'Liam', familyName: 'Chen', preferredName: '' })).toBe('Liam Chen');
    expect(nameOf({ givenName: 'Robert', familyName: 'Hale', preferredName: 'Bob' })).toBe('Robert (Bob) Hale');
    expect(nameOf({ givenName: 'Liam', familyName: null, preferredName: null })).toBe('Liam');
    expect(nameOf(null)).toBe('this patient');
  });
});

describe('API errors', () => {
  it('puts each error next to the field it names, the rest on the form', () => {
    const errors = planErrorsByField(
      [
        { code: 'OUT_OF_RANGE', field: 'sets', message: 'Sets must be between 1 and 20.' },
        { code: 'PHASES_OVERLAP', field: 'startWeek', message: 'These weeks overlap the phase "Strength" (weeks 3-6).' },
        { code: 'TOO_MANY', field: 'phaseId', message: 'At most 40 exercises in a phase.' },
        { code: 'PLAN_COMPLETED', field: null, message: '' },
      ],
      ['sets', 'startWeek'],
    );
    expect(errors.sets).toBe('Sets must be between 1 and 20.');
    expect(errors.startWeek).toContain('overlap the phase "Strength"');
    expect(errors.form).toBe('At most 40 exercises in a phase. This plan is finished, so it cannot be changed.');
  });

  it('reads a mutation outcome: done, typed errors, or a request error', () => {
    expect(mutationProblems({ __typename: 'TreatmentPlanPayload' }, undefined, ['title'])).toBeNull();
    expect(mutationProblems({ __typename: 'PlanErrors', errors: [{ code: 'REQUIRED', field: 'title', message: 'The title is required.' }] }, undefined, ['title'])).toEqual({
      title: 'The title is required.',
    });
    expect(mutationProblems(null, { networkError: new Error('offline') }, [])).toEqual({
      form: 'We could not reach Relief. Please check your internet connection and try again.',
    });
    expect(mutationProblems(undefined, { graphQLErrors: [{ extensions: { code: 'NOT_FOUND' } }] }, [])).toEqual({
      form: 'We could not find that. It may have been removed.',
    });
  });

  it('leaves out errors at parts of the record the page does without', () => {
    const withheld = { graphQLErrors: [{ path: ['patient', 'timeZone'], extensions: { code: 'FORBIDDEN' } }] };
    expect(describeLoadError(withheld, ['patient.timeZone'])).toBeNull();
    expect(describeLoadError(withheld, [])).toBe('You do not have access to this.');
    expect(describeLoadError({ networkError: new Error('x') }, ['patient.timeZone'])).toContain('could not reach Relief');
    expect(describeLoadError(null, [])).toBeNull();
  });
});

describe('the route', () => {
  it('opens the editor from a patient record, under the caseload', async () => {
    const { activeSection, PRIVATE_ROUTES, THERAPIST_NAVIGATION } = await import('../../App');
    const { matchRoute } = await import('../../lib/router');
    const editor = matchRoute(PRIVATE_ROUTES, '/patients/UGF0aWVudDoy/plan');
    expect(editor?.params).toEqual({ id: 'UGF0aWVudDoy' });
    expect(editor?.value).not.toBe(matchRoute(PRIVATE_ROUTES, '/patients/UGF0aWVudDoy')?.value);
    expect(activeSection('/patients/UGF0aWVudDoy/plan', THERAPIST_NAVIGATION)).toBe('/');
  });
});
