import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clinicLocalDate, clinicLocalTime, clinicLocalTimeUnambiguous } from './time.js';

/**
 * clinicLocalDate and clinicLocalTime compute from a cached offset instead of formatting with
 * Intl each time: they must read exactly as Intl does, in zones with and without daylight saving,
 * with half-hour and quarter-hour offsets, and in years that Date.UTC would misread.
 */

const ZONES = [
  'Africa/Nairobi',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // a 30-minute daylight-saving change
  'Asia/Kathmandu', // +05:45
  'Asia/Kolkata', // +05:30
  'America/Santiago',
  'Pacific/Chatham', // +12:45 / +13:45
  'America/St_Johns', // changed at 00:01 local from 1987 to 2011
  'UTC',
];

const intlDate = (instant: Date, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
const intlTime = (instant: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).format(instant);

describe('clinic-local date and time', () => {
  it('read as Intl reads them, for any instant from 1950 to 2100 (random instants)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, at) => {
        const instant = new Date(at);
        expect(clinicLocalDate(instant, zone)).toBe(intlDate(instant, zone));
        expect(clinicLocalTime(instant, zone)).toBe(intlTime(instant, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('read as Intl reads them minute by minute across the 2026 changes', () => {
    const changes: Array<[string, string]> = [
      ['America/New_York', '2026-03-08T05:00:00Z'],
      ['America/New_York', '2026-11-01T04:00:00Z'],
      ['Europe/London', '2026-03-29T00:00:00Z'],
      ['Europe/London', '2026-10-25T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'],
    ];
    for (const [zone, from] of changes) {
      for (let at = Date.parse(from); at < Date.parse(from) + 4 * 3_600_000; at += 60_000) {
        const instant = new Date(at);
        expect(`${clinicLocalDate(instant, zone)} ${clinicLocalTime(instant, zone)}`).toBe(`${intlDate(instant, zone)} ${intlTime(instant, zone)}`);
      }
    }
  });

  it('reads as Intl does where an offset changed off the quarter hour (St John’s 1987–2011, Moncton, Gaza)', () => {
    const changes: Array<[string, string]> = [
      ['America/St_Johns', '2010-11-07T02:00:00Z'],
      ['America/St_Johns', '2010-03-14T02:00:00Z'],
      ['America/Moncton', '2005-10-30T03:00:00Z'],
      ['Asia/Gaza', '2010-08-10T20:00:00Z'],
      ['Asia/Kathmandu', '1985-12-31T18:00:00Z'],
    ];
    for (const [zone, from] of changes) {
      for (let at = Date.parse(from); at < Date.parse(from) + 3 * 3_600_000; at += 60_000) {
        const instant = new Date(at);
        expect(`${clinicLocalDate(instant, zone)} ${clinicLocalTime(instant, zone)}`).toBe(`${intlDate(instant, zone)} ${intlTime(instant, zone)}`);
      }
    }
    expect(clinicLocalTime(new Date('2010-11-07T02:35:00.000Z'), 'America/St_Johns')).toBe('23:05');
  });

  it('keeps years before 100 as they are', () => {
    const instant = new Date('0050-06-01T12:00:00.000Z');
    expect(clinicLocalTime(instant, 'UTC')).toBe('12:00');
    expect(clinicLocalTime(instant, 'Africa/Nairobi')).toBe(intlTime(instant, 'Africa/Nairobi'));
  });

  it('refuses an invalid instant or an unknown zone as Intl does', () => {
    expect(() => clinicLocalTime(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
    expect(() => clinicLocalDate(new Date(), 'Not/AZone')).toThrow(RangeError);
  });
});

describe('clinicLocalTimeUnambiguous', () => {
  it('names the offset only for the two readings of a repeated time', () => {
    const ny = 'America/New_York';
    expect(clinicLocalTimeUnambiguous(new Date('2026-11-01T05:30:00.000Z'), ny)).toBe('01:30 EDT');
    expect(clinicLocalTimeUnambiguous(new Date('2026-11-01T06:30:00.000Z'), ny)).toBe('01:30 EST');
    expect(clinicLocalTimeUnambiguous(new Date('2026-11-01T04:59:00.000Z'), ny)).toBe('00:59');
    expect(clinicLocalTimeUnambiguous(new Date('2026-11-01T07:00:00.000Z'), ny)).toBe('02:00');
    // Spring forward repeats nothing.
    expect(clinicLocalTimeUnambiguous(new Date('2026-03-08T06:30:00.000Z'), ny)).toBe('01:30');
    expect(clinicLocalTimeUnambiguous(new Date('2026-03-08T07:00:00.000Z'), ny)).toBe('03:00');
    // Lord Howe falls back by 30 minutes.
    const lordHowe = 'Australia/Lord_Howe';
    const repeated = [new Date('2026-04-04T14:45:00.000Z'), new Date('2026-04-04T15:15:00.000Z')];
    expect(repeated.map((instant) => clinicLocalTime(instant, lordHowe))).toEqual(['01:45', '01:45']);
    const labels = repeated.map((instant) => clinicLocalTimeUnambiguous(instant, lordHowe));
    expect(new Set(labels).size).toBe(2);
    expect(labels.every((label) => label.startsWith('01:45 '))).toBe(true);
    expect(clinicLocalTimeUnambiguous(new Date('2026-07-01T09:00:00.000Z'), 'Africa/Nairobi')).toBe('12:00');
  });
});
