import { describe, expect, it } from 'vitest';
import {
  communicationInput,
  conditionForm,
  conditionInput,
  contactsForm,
  contactsInput,
  describeChange,
  describeDate,
  describeDenial,
  describeProfileError,
  errorsByFormPath,
  fieldId,
  formPath,
  goalsInput,
  historyForm,
  historyInput,
  insuranceInput,
  newContact,
  newMedication,
  ordered,
  personalForm,
  personalInput,
  reviewState,
  schedulingForm,
  schedulingInput,
  sectionDenials,
  toggle,
  WEEKDAYS,
  type HistoryForm,
} from './profile';

const forbidden = (field: string, message = 'You do not have access to this part of the record.') => ({
  message,
  path: ['myPatient', field],
  extensions: { code: 'FORBIDDEN' },
});

describe('sections a caregiver was not shown', () => {
  it('maps each FORBIDDEN path to the section that shows the field', () => {
    expect(sectionDenials([forbidden('insurance'), forbidden('timeZone'), forbidden('preferences')])).toEqual({
      insurance: 'NOT_SHARED',
      personal: 'NOT_SHARED',
      scheduling: 'NOT_SHARED',
    });
  });

  it("calls the fields the grant lists as confidential so, or the server's words say so", () => {
    const errors = [forbidden('healthHistory'), forbidden('currentCondition', 'This part of the record is confidential between the patient and their care team.')];
    expect(sectionDenials(errors, ['healthHistory'])).toEqual({ history: 'CONFIDENTIAL', condition: 'CONFIDENTIAL' });
  });

  it('lets one confidential field make its section confidential', () => {
    expect(sectionDenials([forbidden('phone'), forbidden('address')], ['address'])).toEqual({ personal: 'CONFIDENTIAL' });
    expect(sectionDenials([forbidden('address'), forbidden('phone')], ['address'])).toEqual({ personal: 'CONFIDENTIAL' });
  });

  it('ignores other errors, other roots, nested paths of unknown fields and no errors at all', () => {
    const errors = [
      { message: 'gone', path: ['myPatient', 'insurance'], extensions: { code: 'NOT_FOUND' } },
      { message: 'no', path: ['appointments', 'edges'], extensions: { code: 'FORBIDDEN' } },
      { message: 'no', path: ['myPatient', 'waitlist'], extensions: { code: 'FORBIDDEN' } },
      { message: 'no', extensions: { code: 'FORBIDDEN' } },
    ];
    expect(sectionDenials(errors)).toEqual({});
    expect(sectionDenials(null)).toEqual({});
  });

  it('says why in words', () => {
    expect(describeDenial('CONFIDENTIAL', 'Liam Chen')).toBe('Kept confidential between Liam Chen and their care team.');
    expect(describeDenial('NOT_SHARED', 'Maria')).toMatch(/^Not shared with you\. Maria can change/);
  });
});

describe('the review', () => {
  const now = new Date('2027-03-01T12:00:00Z');
  it('is due from its due date on', () => {
    expect(reviewState('2026-11-01T00:00:00Z', '2027-03-01T12:00:00Z', now).due).toBe(true);
    expect(reviewState(null, '2027-02-01T00:00:00Z', now).due).toBe(true);
    expect(reviewState('2027-02-01T00:00:00Z', '2027-05-01T00:00:00Z', now).due).toBe(false);
    expect(reviewState(null, null, now)).toEqual({ due: false, reviewedAt: null, dueAt: null });
  });
});

describe('typed errors next to their fields', () => {
  it('moves an item index past the blank rows left out', () => {
    const rows = { medications: [0, 2, 3] };
    expect(formPath('medications[1].dose', rows)).toBe('medications[2].dose');
    expect(formPath('medications[2]', rows)).toBe('medications[3]');
    expect(formPath('medications', rows)).toBe('medications');
    expect(formPath('allergies[0].severity', rows)).toBe('allergies[0].severity');
    expect(formPath('givenName', rows)).toBe('givenName');
  });

  it('names the control of a field path', () => {
    expect(fieldId('history', 'medications[2].dose')).toBe('history-medications-2-dose');
    expect(fieldId('personal', 'address.line1')).toBe('personal-address-line1');
    expect(fieldId('contacts', 'emergencyContacts')).toBe('contacts-emergencyContacts');
  });

  it('says each problem in plain words under its field, the rest under "form"', () => {
    const errors = errorsByFormPath(
      [
        { code: 'INVALID_PHONE', field: 'emergencyContacts[0].phone', message: 'Enter a phone number with its country code.' },
        { code: 'REQUIRED', field: 'emergencyContacts[1].name', message: 'This is required.' },
        { code: 'TOO_LONG', field: 'emergencyContacts[1].name', message: 'Use at most 200 characters.' },
        { code: 'TOO_MANY', field: null, message: 'Keep at most 10 entries.' },
      ],
      { emergencyContacts: [1, 3] },
    );
    expect(errors).toEqual({
      'emergencyContacts[1].phone': 'Please enter the phone number with its country code, for example +1 555 010 0199.',
      'emergencyContacts[3].name': 'This is required. Use at most 200 characters.',
      form: 'Keep at most 10 entries.',
    });
  });

  it('prefers the general sentence for a known code, and never shows a bare code', () => {
    expect(describeProfileError({ code: 'INVALID_EMAIL', message: 'bad' })).toBe('That email address does not look right. Please check it.');
    expect(describeProfileError({ code: 'MULTIPLE_PRIMARY_CONTACTS', message: 'x' })).toMatch(/^Only one contact can be the main contact/);
    expect(describeProfileError({ code: 'SOMETHING_NEW', message: '' })).toBe('Something went wrong on our side. Please try again in a moment.');
  });
});

describe('forms turned into the API input', () => {
  it('keeps personal details trimmed, the address whole or not at all', () => {
    const form = personalForm(
      { givenName: 'Maria', familyName: 'Gonzalez', preferredName: '', pronouns: 'she/her', dateOfBirth: null, phone: null, address: null, timeZone: null, preferredLanguage: null },
      'Europe/Paris',
    );
    expect(form.timeZone).toBe('Europe/Paris');
    expect(form.preferredLanguage).toBe('en');
    expect(personalInput({ ...form, givenName: '  Maria ', dateOfBirth: '' }).input).toMatchObject({ givenName: 'Maria', dateOfBirth: null, address: null, phone: '' });
    const withAddress = personalInput({ ...form, line1: ' 41 Elm Street ', city: 'Boston', country: ' us ' }).input;
    expect(withAddress.address).toEqual({ line1: '41 Elm Street', line2: '', city: 'Boston', region: '', postalCode: '', country: 'US' });
  });

  it('leaves blank history rows out and remembers which row each item came from', () => {
    const form: HistoryForm = {
      ...historyForm(null),
      medications: [
        { ...newMedication(), name: 'Ibuprofen', dose: '400 mg' },
        newMedication(),
        { ...newMedication(), name: ' Vitamin D ', frequency: 'daily ' },
      ],
    };
    const built = historyInput(form);
    expect(built.input.medications).toEqual([
      { name: 'Ibuprofen', dose: '400 mg', frequency: '', notes: '' },
      { name: 'Vitamin D', dose: '', frequency: 'daily', notes: '' },
    ]);
    expect(built.rows.medications).toEqual([0, 2]);
    expect(built.errors).toEqual({});
  });

  it('sends a medication with no name for the API to refuse by field, and asks for what the API cannot take empty', () => {
    const form: HistoryForm = {
      ...historyForm(null),
      medications: [{ ...newMedication(), dose: '5 mg' }],
      surgeries: [{ key: 's', procedure: 'Knee', performedOn: '', notes: '' }],
      allergies: [{ key: 'a', substance: 'Nuts', reaction: '', severity: '' }],
    };
    const built = historyInput(form);
    expect(built.input.medications).toEqual([{ name: '', dose: '5 mg', frequency: '', notes: '' }]);
    expect(built.errors).toEqual({
      'surgeries[0].performedOn': 'Please enter the date of the operation.',
      'allergies[0].severity': 'Please choose how severe the reaction is.',
    });
  });

  it('reads the record into rows with dates as the date inputs want them', () => {
    const form = historyForm({
      chronicConditions: [{ name: 'Asthma', since: null, notes: '' }],
      previousInjuries: [],
      surgeries: [{ procedure: 'ACL', performedOn: '2026-09-18', notes: '' }],
      medications: [],
      allergies: [{ substance: 'Penicillin', reaction: 'Hives', severity: 'MODERATE' }],
    });
    expect(form.chronicConditions[0]).toMatchObject({ name: 'Asthma', since: '' });
    expect(form.surgeries[0]?.performedOn).toBe('2026-09-18');
    expect(new Set([...form.chronicConditions, ...form.surgeries, ...form.allergies].map((row) => row.key)).size).toBe(3);
  });

  it('maps contacts under the name the API uses in its errors', () => {
    const rows = [...contactsForm([{ name: 'Carlos', relationship: 'Husband', phone: '+16175550177', email: null, isPrimary: true }]), newContact(), { ...newContact(), name: 'Ana ', relationship: 'Sister', phone: '+1 617 555 0100' }];
    const built = contactsInput(rows);
    expect(built.input.contacts).toEqual([
      { name: 'Carlos', relationship: 'Husband', phone: '+16175550177', email: '', isPrimary: true },
      { name: 'Ana', relationship: 'Sister', phone: '+1 617 555 0100', email: '', isPrimary: false },
    ]);
    expect(built.rows).toEqual({ emergencyContacts: [0, 2] });
    // A blank row ticked as the main contact is a mistake to show, not to drop.
    expect(contactsInput([{ ...newContact(), isPrimary: true }]).input.contacts).toHaveLength(1);
  });

  it('takes the pain level as a number or nothing', () => {
    expect(conditionForm({ symptoms: 'Stiff', painLevel: 0, mobilityLimitations: '' }).painLevel).toBe('0');
    expect(conditionInput({ symptoms: ' Stiff ', painLevel: '', mobilityLimitations: '' }).input).toEqual({ symptoms: 'Stiff', painLevel: null, mobilityLimitations: '' });
    expect(conditionInput({ symptoms: '', painLevel: '7', mobilityLimitations: '' }).input.painLevel).toBe(7);
    expect(conditionInput({ symptoms: '', painLevel: '11', mobilityLimitations: '' }).errors.painLevel).toBe('Please choose a number from 0 to 10.');
  });

  it('leaves blank goals out', () => {
    const built = goalsInput({ text: ' Run again ', items: [{ key: 'a', description: '', targetDate: '' }, { key: 'b', description: 'Stairs', targetDate: '2027-01-15' }] });
    expect(built.input).toEqual({ text: 'Run again', items: [{ description: 'Stairs', targetDate: '2027-01-15' }] });
    expect(built.rows).toEqual({ items: [1] });
  });

  it('sends the plan details empty when paying yourself, and no holder for your own plan', () => {
    const base = { selfPay: false, payer: ' Blue Harbor ', memberId: 'M1', groupId: '', subscriberName: 'Old name', subscriberRelationship: 'SELF' as const, subscriberDateOfBirth: '1980-01-01' };
    expect(insuranceInput(base).input).toEqual({
      selfPay: false,
      payer: 'Blue Harbor',
      memberId: 'M1',
      groupId: '',
      subscriberName: '',
      subscriberRelationship: 'SELF',
      subscriberDateOfBirth: null,
    });
    expect(insuranceInput({ ...base, selfPay: true }).input).toMatchObject({ selfPay: true, payer: '', memberId: '', subscriberDateOfBirth: null });
    expect(insuranceInput({ ...base, subscriberRelationship: 'SPOUSE' }).input).toMatchObject({ subscriberName: 'Old name', subscriberDateOfBirth: '1980-01-01' });
  });

  it('keeps days in the week order and each once', () => {
    expect(ordered(WEEKDAYS, ['THURSDAY', 'MONDAY', 'THURSDAY'])).toEqual(['MONDAY', 'THURSDAY']);
    expect(toggle(WEEKDAYS, ['THURSDAY'], 'TUESDAY', true)).toEqual(['TUESDAY', 'THURSDAY']);
    expect(toggle(WEEKDAYS, ['TUESDAY', 'THURSDAY'], 'TUESDAY', false)).toEqual(['THURSDAY']);
    const form = schedulingForm({ preferredDays: ['THURSDAY', 'TUESDAY'], preferredTimes: [], sessionsPerWeek: null, schedulingConstraints: '', telehealth: 'EITHER' });
    expect(form.sessionsPerWeek).toBe('');
    expect(schedulingInput({ ...form, sessionsPerWeek: '2' }).input).toEqual({
      preferredDays: ['TUESDAY', 'THURSDAY'],
      preferredTimes: [],
      sessionsPerWeek: 2,
      schedulingConstraints: '',
      telehealth: 'EITHER',
    });
  });

  it('trims communication preferences', () => {
    expect(communicationInput({ preferredChannel: 'SMS', language: ' es-MX ', okToLeaveVoicemail: true, contactWindow: ' evenings ' }).input).toEqual({
      preferredChannel: 'SMS',
      language: 'es-MX',
      okToLeaveVoicemail: true,
      contactWindow: 'evenings',
    });
  });
});

describe('words', () => {
  it('writes calendar dates without shifting them by a time zone', () => {
    expect(describeDate('1986-03-14')).toBe('14 March 1986');
    expect(describeDate('')).toBe('');
  });

  it('says who changed which section', () => {
    expect(describeChange({ section: 'HEALTH_HISTORY', changedByName: 'Maria Gonzalez', changedByRole: 'PATIENT' })).toBe(
      'Health history, changed by Maria Gonzalez (the patient)',
    );
    expect(describeChange({ section: 'INSURANCE', changedByName: null, changedByRole: 'CAREGIVER' })).toBe(
      'Insurance, changed by someone who no longer has an account (a caregiver)',
    );
  });
});
