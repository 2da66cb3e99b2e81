import { describe, expect, it } from 'vitest';
import { clinicInstant, formatPeriod, wholeDays } from './clinic.js';
import { checkWeek, copyMondayToWeekdays, fromDraft, toDraft } from './hours.js';

describe('weekly hours editor', () => {
  it('round-trips blocks, showing a midnight end as 00:00 and sending it as 24:00', () => {
    const week = toDraft([
      { weekday: 1, start: '14:00', end: '17:00' },
      { weekday: 1, start: '08:00', end: '12:00' },
      { weekday: 6, start: '20:00', end: '24:00' },
    ]);
    expect(week[0]?.map((b) => b.start)).toEqual(['08:00', '14:00']);
    expect(week[5]?.[0]?.end).toBe('00:00');
    expect(fromDraft(week).hours).toEqual([
      { weekday: 1, start: '08:00', end: '12:00' },
      { weekday: 1, start: '14:00', end: '17:00' },
      { weekday: 6, start: '20:00', end: '24:00' },
    ]);
  });

  it('copies Monday to Tuesday … Friday and leaves the weekend', () => {
    const week = copyMondayToWeekdays(
      toDraft([
        { weekday: 1, start: '08:00', end: '12:00' },
        { weekday: 7, start: '09:00', end: '10:00' },
      ]),
    );
    expect(fromDraft(week).hours.map((b) => b.weekday)).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('flags overlaps, reversed blocks and off-grid times beside the block', () => {
    const week = toDraft([
      { weekday: 2, start: '08:00', end: '12:00' },
      { weekday: 2, start: '11:00', end: '13:00' },
    ]);
    const [first, second] = week[1] ?? [];
    expect(Object.values(checkWeek(week))).toEqual(['This block overlaps another one on the same day']);
    expect(checkWeek(week)[second?.key ?? '']).toBeDefined();
    if (first) first.end = '07:00';
    if (second) second.start = '11:03';
    const errors = checkWeek(week);
    expect(errors[first?.key ?? '']).toMatch(/end after it starts/);
    expect(errors[second?.key ?? '']).toMatch(/5-minute/);
  });
});

describe('leave periods in the clinic zone', () => {
  it('makes whole days run from the first day’s start to the start of the day after the last', () => {
    expect(wholeDays('2026-11-23', '2026-11-24', 'Africa/Nairobi')).toEqual({ startAt: '2026-11-22T21:00:00.000Z', endAt: '2026-11-24T21:00:00.000Z' });
    expect(formatPeriod('2026-11-22T21:00:00.000Z', '2026-11-24T21:00:00.000Z', 'Africa/Nairobi')).toMatch(
      /^Mon,? 23 Nov 2026 – Tue,? 24 Nov 2026 \(whole days\)$/,
    );
  });

  it('reads a wall-clock time across a daylight-saving change', () => {
    expect(clinicInstant('2026-03-29', '09:00', 'Europe/London')).toBe('2026-03-29T08:00:00.000Z');
    expect(clinicInstant('2026-03-28', '09:00', 'Europe/London')).toBe('2026-03-28T09:00:00.000Z');
    expect(clinicInstant('2026-03-28', '24:00', 'Europe/London')).toBe('2026-03-29T00:00:00.000Z');
  });
});
