import { describe, expect, it } from 'vitest';
import { ageOn } from '../../../src-shared/time.js';
import { describeAge, formatDate } from './format.js';
import { guessMapping } from './importMapping.js';

describe('ages', () => {
  it('counts completed years, months and days', () => {
    expect(ageOn('1988-04-12', '2026-11-23')).toEqual({ years: 38, months: 7, days: 11 });
    expect(ageOn('1988-11-23', '2026-11-23')).toEqual({ years: 38, months: 0, days: 0 });
    expect(ageOn('1988-11-24', '2026-11-23')).toEqual({ years: 37, months: 11, days: 30 });
    expect(ageOn('2026-11-24', '2026-11-23')).toBeNull();
  });

  it('counts a month from the 31st to the end of a short month', () => {
    expect(ageOn('2026-01-31', '2026-02-28')).toEqual({ years: 0, months: 0, days: 28 });
    expect(ageOn('2026-01-31', '2026-03-01')).toEqual({ years: 0, months: 1, days: 1 });
  });

  it('lets a 29 February birthday come on 1 March in other years', () => {
    expect(ageOn('2000-02-29', '2001-02-28')?.years).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')?.years).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-29')).toEqual({ years: 4, months: 0, days: 0 });
  });

  it('writes years from two, months under two and days in the first month', () => {
    expect(describeAge('1988-04-12', '2026-11-23')).toBe('38 years');
    expect(describeAge('2024-11-23', '2026-11-23')).toBe('2 years');
    expect(describeAge('2025-09-10', '2026-11-23')).toBe('14 months');
    expect(describeAge('2026-10-23', '2026-11-23')).toBe('1 month');
    expect(describeAge('2026-11-01', '2026-11-23')).toBe('22 days');
    expect(describeAge('2026-11-22', '2026-11-23')).toBe('1 day');
    expect(describeAge('2027-01-01', '2026-11-23')).toBe('');
  });

  it('writes calendar dates without shifting them', () => {
    expect(formatDate('2019-02-03')).toBe('3 Feb 2019');
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('CSV column matching', () => {
  it('matches usual header names without case, spaces or punctuation', () => {
    expect(guessMapping(['First name', 'LAST_NAME', 'Gender', 'D.O.B.', 'Mobile', 'E-mail', 'Blood type', 'Remarks'])).toEqual({
      givenName: 'First name',
      familyName: 'LAST_NAME',
      sex: 'Gender',
      birthDate: 'D.O.B.',
      phone: 'Mobile',
      email: 'E-mail',
      bloodGroup: 'Blood type',
      notes: 'Remarks',
    });
  });

  it('reads Asclepia’s own export back', () => {
    const exported = ['MRN', 'Given name', 'Other names', 'Family name', 'Sex', 'Date of birth', 'Phone', 'Email', 'Address', 'National id', 'Blood group'];
    expect(guessMapping(exported)).toEqual({
      givenName: 'Given name',
      familyName: 'Family name',
      otherNames: 'Other names',
      sex: 'Sex',
      birthDate: 'Date of birth',
      phone: 'Phone',
      email: 'Email',
      address: 'Address',
      nationalId: 'National id',
      bloodGroup: 'Blood group',
    });
  });

  it('leaves unknown columns unmatched and uses a column once', () => {
    expect(guessMapping(['Name', 'Ward', 'Surname', 'Surname'])).toEqual({ familyName: 'Surname' });
  });
});
