import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import { APPOINTMENT_STATUSES, type AppointmentStatus, type WorkingBlock } from '../../../src-shared/schemas/appointments.js';
import { clinicDayStart, clinicLocalDate, clinicLocalTime, clinicLocalTimeUnambiguous, isoWeekday, zonedInstant } from '../../../src-shared/time.js';
import {
  ALLOWED_FROM,
  type AppointmentAction,
  assertTransition,
  bookingProblem,
  type DayContext,
  dayAvailability,
  hoursProblems,
  outsideHours,
  workingIntervals,
} from './rules.js';

/**
 * The pure slot rules and the clinic-time helpers they stand on, with the daylight-saving days of
 * 2026 in New York (spring forward 8 March 02:00 → 03:00, fall back 1 November 02:00 → 01:00) and
 * London (29 March 01:00 → 02:00, 25 October 02:00 → 01:00).
 */

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const NAIROBI = 'Africa/Nairobi';
const LONG_AGO = '2000-01-01T00:00:00.000Z';
const HOUR = 3_600_000;

const iso = (text: string) => new Date(text).toISOString();
const m = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function day(overrides: Partial<DayContext> & Pick<DayContext, 'date' | 'zone'>): DayContext {
  return { hours: [{ startMinute: m('08:00'), endMinute: m('12:00') }], slotMinutes: 30, holiday: null, leave: [], busy: [], nowIso: LONG_AGO, ...overrides };
}

const labels = (context: DayContext) => dayAvailability(context).slots.map((slot) => slot.label);
const starts = (context: DayContext) => dayAvailability(context).slots.map((slot) => slot.startAt);
const realHours = (blocks: { startAt: string; endAt: string }[]) =>
  blocks.reduce((sum, block) => sum + (Date.parse(block.endAt) - Date.parse(block.startAt)), 0) / HOUR;

describe('clinic time: zonedInstant and clinicLocalTime', () => {
  it('places wall-clock times at the offset in force that day (Nairobi has none to change)', () => {
    expect(zonedInstant('2026-03-02', m('08:00'), NAIROBI).toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(zonedInstant('2026-03-02', 1440, NAIROBI).toISOString()).toBe('2026-03-02T21:00:00.000Z');
    expect(clinicLocalTime(new Date('2026-03-02T05:00:00.000Z'), NAIROBI)).toBe('08:00');
    expect(clinicLocalTime(new Date('2026-03-02T21:00:00.000Z'), NAIROBI)).toBe('00:00');
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-08')).toBe(7);
  });

  it.each([
    // zone, date, wall time, instant
    [NY, '2026-03-07', '08:00', '2026-03-07T13:00:00.000Z'], // Saturday before: EST, UTC−5
    [NY, '2026-03-08', '01:59', '2026-03-08T06:59:00.000Z'],
    [NY, '2026-03-08', '02:00', '2026-03-08T07:00:00.000Z'], // skipped: read as 03:00 EDT
    [NY, '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z'], // skipped: read as 03:30 EDT
    [NY, '2026-03-08', '03:00', '2026-03-08T07:00:00.000Z'],
    [NY, '2026-03-08', '08:00', '2026-03-08T12:00:00.000Z'], // EDT, UTC−4
    [NY, '2026-03-09', '08:00', '2026-03-09T12:00:00.000Z'], // Monday after
    [NY, '2026-10-31', '08:00', '2026-10-31T12:00:00.000Z'],
    [NY, '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'], // repeated: the earlier (EDT) one
    [NY, '2026-11-01', '02:00', '2026-11-01T07:00:00.000Z'],
    [NY, '2026-11-01', '08:00', '2026-11-01T13:00:00.000Z'],
    [NY, '2026-11-02', '08:00', '2026-11-02T13:00:00.000Z'],
    [LONDON, '2026-03-28', '08:00', '2026-03-28T08:00:00.000Z'],
    [LONDON, '2026-03-29', '01:30', '2026-03-29T01:30:00.000Z'], // skipped: read as 02:30 BST
    [LONDON, '2026-03-29', '02:00', '2026-03-29T01:00:00.000Z'],
    [LONDON, '2026-03-29', '08:00', '2026-03-29T07:00:00.000Z'],
    [LONDON, '2026-03-30', '08:00', '2026-03-30T07:00:00.000Z'],
    [LONDON, '2026-10-24', '08:00', '2026-10-24T07:00:00.000Z'],
    [LONDON, '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'], // repeated: the earlier (BST) one
    [LONDON, '2026-10-25', '02:00', '2026-10-25T02:00:00.000Z'],
    [LONDON, '2026-10-25', '08:00', '2026-10-25T08:00:00.000Z'],
    [LONDON, '2026-10-26', '08:00', '2026-10-26T08:00:00.000Z'],
  ])('%s %s %s is %s', (zone, date, time, instant) => {
    expect(zonedInstant(date, m(time), zone).toISOString()).toBe(instant);
  });

  it('reads 24:00 as the next midnight, whatever the day’s length', () => {
    expect(zonedInstant('2026-03-08', 1440, NY).toISOString()).toBe(clinicDayStart('2026-03-09', NY));
    expect(zonedInstant('2026-11-01', 1440, NY).toISOString()).toBe(clinicDayStart('2026-11-02', NY));
    expect(Date.parse(clinicDayStart('2026-03-09', NY)) - Date.parse(clinicDayStart('2026-03-08', NY))).toBe(23 * HOUR);
    expect(Date.parse(clinicDayStart('2026-11-02', NY)) - Date.parse(clinicDayStart('2026-11-01', NY))).toBe(25 * HOUR);
    expect(Date.parse(clinicDayStart('2026-10-26', LONDON)) - Date.parse(clinicDayStart('2026-10-25', LONDON))).toBe(25 * HOUR);
  });

  it('round-trips every existing wall time; a skipped one moves forward by the jump, on the same day', () => {
    const zones = [NY, LONDON, NAIROBI, 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata'];
    const anyDate = fc.integer({ min: 0, max: 730 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    const changeDates = fc.constantFrom('2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-04', '2026-04-05', '2026-09-06', '2026-10-04');
    const wallOf = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.oneof(anyDate, changeDates), fc.integer({ min: 0, max: 1439 }), (zone, date, minute) => {
        const instant = zonedInstant(date, minute, zone);
        const wall = wallOf(minute);
        const readsAs = (at: number) => clinicLocalDate(new Date(at), zone) === date && clinicLocalTime(new Date(at), zone) === wall;
        if (readsAs(instant.getTime())) {
          // The earlier of two readings when a fall-back repeats the time.
          expect(readsAs(instant.getTime() - HOUR) || readsAs(instant.getTime() - 30 * 60_000)).toBe(false);
          return;
        }
        // No instant within three hours reads as that wall time: it does not exist that day.
        for (let at = instant.getTime() - 3 * HOUR; at <= instant.getTime() + 3 * HOUR; at += 60_000) expect(readsAs(at)).toBe(false);
        expect(clinicLocalDate(instant, zone)).toBe(date);
        expect(clinicLocalTime(instant, zone) > wall).toBe(true);
      }),
      { numRuns: 800 },
    );
  });
});

describe('free slots across daylight-saving changes', () => {
  const changes = [
    { zone: NY, change: '2026-03-08', before: '2026-03-07', after: '2026-03-09', beforeUtc: '13:00', changeUtc: '12:00', afterUtc: '12:00' },
    { zone: NY, change: '2026-11-01', before: '2026-10-31', after: '2026-11-02', beforeUtc: '12:00', changeUtc: '13:00', afterUtc: '13:00' },
    { zone: LONDON, change: '2026-03-29', before: '2026-03-28', after: '2026-03-30', beforeUtc: '08:00', changeUtc: '07:00', afterUtc: '07:00' },
    { zone: LONDON, change: '2026-10-25', before: '2026-10-24', after: '2026-10-26', beforeUtc: '07:00', changeUtc: '08:00', afterUtc: '08:00' },
  ];

  it.each(changes)('$zone $change: an 08:00–12:00 block keeps its wall-clock labels, and its instants follow the offset', (c) => {
    const expectedLabels = ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];
    for (const [date, utc] of [
      [c.before, c.beforeUtc],
      [c.change, c.changeUtc],
      [c.after, c.afterUtc],
    ] as const) {
      const availability = dayAvailability(day({ date, zone: c.zone }));
      expect(availability.slots.map((slot) => slot.label)).toEqual(expectedLabels);
      expect(availability.slots[0]?.startAt).toBe(`${date}T${utc}:00.000Z`);
      expect(availability.blocks).toEqual([
        { startAt: `${date}T${utc}:00.000Z`, endAt: new Date(Date.parse(`${date}T${utc}:00.000Z`) + 4 * HOUR).toISOString() },
      ]);
      for (const slot of availability.slots) expect(Date.parse(slot.endAt) - Date.parse(slot.startAt)).toBe(30 * 60_000);
    }
  });

  it('spring forward: 01:00–04:00 is two real hours, and no slot starts in the skipped hour', () => {
    const ny = day({ date: '2026-03-08', zone: NY, hours: [{ startMinute: m('01:00'), endMinute: m('04:00') }] });
    expect(workingIntervals(ny.date, ny.zone, ny.hours)).toEqual([{ startAt: iso('2026-03-08T06:00Z'), endAt: iso('2026-03-08T08:00Z') }]);
    expect(labels(ny)).toEqual(['01:00', '01:30', '03:00', '03:30']);
    expect(starts(ny)).toEqual(['06:00', '06:30', '07:00', '07:30'].map((t) => iso(`2026-03-08T${t}Z`)));

    // London skips 01:00–02:00: a block from 01:00 starts, in real time, at the jump.
    const london = day({ date: '2026-03-29', zone: LONDON, hours: [{ startMinute: m('01:00'), endMinute: m('04:00') }] });
    expect(realHours(dayAvailability(london).blocks)).toBe(2);
    expect(labels(london)).toEqual(['02:00', '02:30', '03:00', '03:30']);
    expect(starts(london)).toEqual(['01:00', '01:30', '02:00', '02:30'].map((t) => iso(`2026-03-29T${t}Z`)));

    // 15-minute slots: never a 02:xx label in New York, never a 01:xx one in London.
    expect(labels({ ...ny, slotMinutes: 15 }).filter((label) => label.startsWith('02:'))).toEqual([]);
    expect(labels({ ...london, slotMinutes: 15 }).filter((label) => label.startsWith('01:'))).toEqual([]);
    // A block wholly inside the skipped hour has no real time to offer.
    expect(dayAvailability({ ...ny, hours: [{ startMinute: m('02:00'), endMinute: m('03:00') }] })).toMatchObject({
      closedReason: 'No working hours',
      slots: [],
    });
  });

  it('fall back: 01:00–04:00 is four real hours, the repeated hour offered twice at distinct instants, told apart by offset', () => {
    const ny = day({ date: '2026-11-01', zone: NY, hours: [{ startMinute: m('01:00'), endMinute: m('04:00') }] });
    const availability = dayAvailability(ny);
    expect(realHours(availability.blocks)).toBe(4);
    expect(availability.slots.map((slot) => slot.label)).toEqual(['01:00 EDT', '01:30 EDT', '01:00 EST', '01:30 EST', '02:00', '02:30', '03:00', '03:30']);
    expect(availability.slots.map((slot) => slot.startAt)).toEqual(
      ['05:00', '05:30', '06:00', '06:30', '07:00', '07:30', '08:00', '08:30'].map((t) => iso(`2026-11-01T${t}Z`)),
    );
    // Same label, different instants: the instant is the identity, never the label.
    expect(new Set(availability.slots.map((slot) => slot.startAt)).size).toBe(availability.slots.length);

    const london = day({ date: '2026-10-25', zone: LONDON, hours: [{ startMinute: m('01:00'), endMinute: m('04:00') }] });
    expect(realHours(dayAvailability(london).blocks)).toBe(4);
    expect(labels(london)).toEqual(['01:00 GMT+1', '01:30 GMT+1', '01:00 GMT', '01:30 GMT', '02:00', '02:30', '03:00', '03:30']);
    // Once one reading is booked, the other is still labelled with its offset.
    const firstOne = dayAvailability(london).slots[0];
    if (!firstOne) throw new Error('no slot');
    expect(labels({ ...london, busy: [firstOne] })).toEqual(['01:30 GMT+1', '01:00 GMT', '01:30 GMT', '02:00', '02:30', '03:00', '03:30']);
    expect(labels({ ...ny, slotMinutes: 60 })).toEqual(['01:00 EDT', '01:00 EST', '02:00', '03:00']);
    expect(starts(london)[0]).toBe(iso('2026-10-25T00:00Z'));
  });

  it('a block ending 24:00 ends at the next midnight, on ordinary and changing days', () => {
    const evening = [{ startMinute: m('22:00'), endMinute: 1440 }];
    const nairobi = dayAvailability(day({ date: '2026-03-02', zone: NAIROBI, hours: evening, slotMinutes: 60 }));
    expect(nairobi.slots.map((slot) => [slot.label, slot.startAt, slot.endAt])).toEqual([
      ['22:00', iso('2026-03-02T19:00Z'), iso('2026-03-02T20:00Z')],
      ['23:00', iso('2026-03-02T20:00Z'), iso('2026-03-02T21:00Z')],
    ]);
    const whole = dayAvailability(day({ date: '2026-11-01', zone: NY, hours: [{ startMinute: 0, endMinute: 1440 }], slotMinutes: 60 }));
    expect(realHours(whole.blocks)).toBe(25);
    expect(whole.slots).toHaveLength(25);
    expect(whole.slots.at(-1)).toMatchObject({ label: '23:00', endAt: clinicDayStart('2026-11-02', NY) });
    const short = dayAvailability(day({ date: '2026-03-08', zone: NY, hours: [{ startMinute: 0, endMinute: 1440 }], slotMinutes: 60 }));
    expect(short.slots).toHaveLength(23);
    expect(short.slots.map((slot) => slot.label)).not.toContain('02:00');
  });

  it('spring forward: a block ending inside the skipped hour does not run into the next block', () => {
    const ny = dayAvailability(
      day({
        date: '2026-03-08',
        zone: NY,
        hours: [
          { startMinute: 60, endMinute: 150 },
          { startMinute: 180, endMinute: 240 },
        ],
        slotMinutes: 30,
      }),
    );
    expect(ny.blocks).toEqual([
      { startAt: '2026-03-08T06:00:00.000Z', endAt: '2026-03-08T07:30:00.000Z' },
      { startAt: '2026-03-08T07:30:00.000Z', endAt: '2026-03-08T08:00:00.000Z' },
    ]);
    expect(ny.slots.map((slot) => [slot.label, slot.startAt])).toEqual([
      ['01:00', '2026-03-08T06:00:00.000Z'],
      ['01:30', '2026-03-08T06:30:00.000Z'],
      ['03:00', '2026-03-08T07:00:00.000Z'],
      ['03:30', '2026-03-08T07:30:00.000Z'],
    ]);
    const london = dayAvailability(
      day({
        date: '2026-03-29',
        zone: 'Europe/London',
        hours: [
          { startMinute: 0, endMinute: 90 },
          { startMinute: 120, endMinute: 180 },
        ],
        slotMinutes: 30,
      }),
    );
    expect(new Set(london.slots.map((slot) => slot.startAt)).size).toBe(london.slots.length);
  });
});

describe('free slots: the past, holidays, leave and booked time', () => {
  const base = day({
    date: '2026-03-03',
    zone: NAIROBI,
    hours: [
      { startMinute: m('14:00'), endMinute: m('17:00') },
      { startMinute: m('08:00'), endMinute: m('12:00') },
    ],
    slotMinutes: 15,
  });

  it('steps through each block by the slot length, blocks in time order, and leaves out a short tail', () => {
    const slots = dayAvailability({ ...base, slotMinutes: 25 }).slots;
    expect(slots.map((slot) => slot.label)).toEqual([
      '08:00',
      '08:25',
      '08:50',
      '09:15',
      '09:40',
      '10:05',
      '10:30',
      '10:55',
      '11:20',
      '14:00',
      '14:25',
      '14:50',
      '15:15',
      '15:40',
      '16:05',
      '16:30',
    ]);
    expect(dayAvailability(base).blocks.map((block) => block.startAt)).toEqual([iso('2026-03-03T05:00Z'), iso('2026-03-03T11:00Z')]);
  });

  it('leaves out slots that have started; a slot starting right now is still offered', () => {
    expect(labels({ ...base, nowIso: iso('2026-03-03T08:07:00+03:00') })[0]).toBe('08:15');
    expect(labels({ ...base, nowIso: iso('2026-03-03T08:15:00+03:00') })[0]).toBe('08:15');
    expect(labels({ ...base, nowIso: iso('2026-03-03T16:45:00+03:00') })).toEqual(['16:45']);
    expect(dayAvailability({ ...base, nowIso: iso('2026-03-03T17:00:00+03:00') })).toMatchObject({ closedReason: null, slots: [] });
  });

  it('leaves out booked time and leave, even when they are off the slot grid', () => {
    const busy = [{ startAt: iso('2026-03-03T08:20:00+03:00'), endAt: iso('2026-03-03T08:35:00+03:00') }];
    const leave = [{ startAt: iso('2026-03-03T10:00:00+03:00'), endAt: iso('2026-03-03T15:10:00+03:00'), reason: 'Training' }];
    expect(labels({ ...base, busy, leave })).toEqual([
      '08:00',
      '08:45',
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '15:15',
      '15:30',
      '15:45',
      '16:00',
      '16:15',
      '16:30',
      '16:45',
    ]);
  });

  it('says why a day is closed', () => {
    expect(dayAvailability({ ...base, holiday: 'Madaraka Day' })).toEqual({ date: base.date, closedReason: 'Holiday: Madaraka Day', blocks: [], slots: [] });
    expect(dayAvailability({ ...base, hours: [] })).toEqual({ date: base.date, closedReason: 'No working hours', blocks: [], slots: [] });
    // A holiday wins over having no hours.
    expect(dayAvailability({ ...base, hours: [], holiday: 'Madaraka Day' }).closedReason).toBe('Holiday: Madaraka Day');
    const allDay = [{ startAt: iso('2026-03-02T00:00Z'), endAt: iso('2026-03-05T00:00Z'), reason: 'Conference' }];
    expect(dayAvailability({ ...base, leave: allDay })).toMatchObject({ closedReason: 'On leave: Conference', slots: [] });
    expect(dayAvailability({ ...base, leave: allDay }).blocks).toHaveLength(2);
    // Leave over only the morning leaves the day open.
    const morning = [{ startAt: iso('2026-03-03T05:00Z'), endAt: iso('2026-03-03T09:00Z'), reason: 'Clinic rounds' }];
    expect(dayAvailability({ ...base, leave: morning })).toMatchObject({ closedReason: null });
    expect(labels({ ...base, leave: morning })[0]).toBe('14:00');
  });

  it('every offered slot is bookable by bookingProblem, free, in the future, on that day and labelled in clinic time (random days)', () => {
    const blocks = fc
      .uniqueArray(fc.integer({ min: 0, max: 287 }), { minLength: 0, maxLength: 8 })
      .map((points) => [...points].sort((a, b) => a - b))
      .map((points) => {
        const hours: { startMinute: number; endMinute: number }[] = [];
        for (let i = 0; i + 1 < points.length; i += 2) hours.push({ startMinute: (points[i] as number) * 5, endMinute: ((points[i + 1] as number) + 1) * 5 });
        return hours;
      });
    const zones = fc.constantFrom(NY, LONDON, NAIROBI);
    const dates = fc.constantFrom('2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01', '2026-03-03', '2026-07-15');
    fc.assert(
      fc.property(
        zones,
        dates,
        blocks,
        fc.constantFrom(10, 15, 20, 30, 45, 60),
        fc.integer({ min: -30, max: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 24 })), { maxLength: 4 }),
        (zone, date, hours, slotMinutes, nowOffsetHours, busySpecs) => {
          const dayStart = Date.parse(clinicDayStart(date, zone));
          const busy = busySpecs.map(([unit, length]) => ({
            startAt: new Date(dayStart + unit * 5 * 60_000).toISOString(),
            endAt: new Date(dayStart + (unit + length) * 5 * 60_000).toISOString(),
          }));
          const nowIso = new Date(dayStart + 12 * HOUR + nowOffsetHours * HOUR).toISOString();
          const context: DayContext = { date, zone, hours, slotMinutes, holiday: null, leave: [], busy, nowIso };
          const availability = dayAvailability(context);
          const seen = new Set<string>();
          for (const slot of availability.slots) {
            expect(bookingProblem(slot, context)).toBeNull();
            expect(busy.some((b) => b.startAt < slot.endAt && slot.startAt < b.endAt)).toBe(false);
            expect(slot.startAt >= nowIso).toBe(true);
            expect(clinicLocalDate(new Date(slot.startAt), zone)).toBe(date);
            // The wall-clock time, with the zone's short name only where a fall-back repeats it.
            expect(slot.label).toBe(clinicLocalTimeUnambiguous(new Date(slot.startAt), zone));
            expect(slot.label.startsWith(clinicLocalTime(new Date(slot.startAt), zone))).toBe(true);
            expect(seen.has(slot.startAt)).toBe(false);
            seen.add(slot.startAt);
          }
          // Slots are in time order.
          expect([...availability.slots].map((slot) => slot.startAt)).toEqual(availability.slots.map((slot) => slot.startAt).sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('bookingProblem', () => {
  const context = {
    date: '2026-03-03',
    zone: NAIROBI,
    hours: [{ startMinute: m('08:00'), endMinute: m('12:00') }],
    holiday: null,
    leave: [],
    nowIso: iso('2026-03-02T08:00Z'),
  };
  const at = (time: string, minutes = 15) => {
    const startAt = iso(`2026-03-03T${time}:00+03:00`);
    return { startAt, endAt: new Date(Date.parse(startAt) + minutes * 60_000).toISOString() };
  };

  it('accepts a time inside the hours, up to the block’s end', () => {
    expect(bookingProblem(at('08:00'), context)).toBeNull();
    expect(bookingProblem(at('11:45'), context)).toBeNull();
    expect(bookingProblem(at('08:05', 235), context)).toBeNull();
  });

  it('names each problem', () => {
    expect(bookingProblem(at('08:02'), context)).toBe('Appointments start on a 5-minute mark (like 09:00 or 09:05).');
    expect(bookingProblem(at('09:00'), { ...context, nowIso: iso('2026-03-03T09:00:01+03:00') })).toBe(
      'That time has already passed; choose a time from now on.',
    );
    expect(bookingProblem(at('09:00'), { ...context, holiday: 'Founders day' })).toBe('The clinic is closed on 2026-03-03 (Founders day).');
    expect(bookingProblem(at('07:55'), context)).toBe('That time is outside the doctor’s working hours; choose one of the free slots.');
    expect(bookingProblem(at('11:50'), context)).toMatch(/outside the doctor’s working hours/);
    expect(bookingProblem(at('12:00'), context)).toMatch(/outside/);
    expect(bookingProblem(at('09:00'), { ...context, hours: [] })).toMatch(/outside/);
    const leave = [{ startAt: iso('2026-03-03T09:10:00+03:00'), endAt: iso('2026-03-03T10:00:00+03:00'), reason: 'Ward round' }];
    expect(bookingProblem(at('09:00'), { ...context, leave })).toBe('The doctor is on leave then (Ward round).');
    expect(bookingProblem(at('10:00'), { ...context, leave })).toBeNull();
  });

  it('does not let two blocks be bridged by one appointment', () => {
    const split = { ...context, hours: [context.hours[0] as { startMinute: number; endMinute: number }, { startMinute: m('12:00'), endMinute: m('13:00') }] };
    expect(bookingProblem(at('11:45', 30), split)).toMatch(/outside/);
    expect(bookingProblem(at('12:00', 30), split)).toBeNull();
  });

  it('across the spring-forward jump: a real-time slot after the jump is inside 01:00–04:00', () => {
    const ny = { date: '2026-03-08', zone: NY, hours: [{ startMinute: m('01:00'), endMinute: m('04:00') }], holiday: null, leave: [], nowIso: LONG_AGO };
    expect(bookingProblem({ startAt: iso('2026-03-08T06:30Z'), endAt: iso('2026-03-08T07:30Z') }, ny)).toBeNull(); // 01:30 EST → 03:30 EDT
    expect(bookingProblem({ startAt: iso('2026-03-08T07:30Z'), endAt: iso('2026-03-08T08:30Z') }, ny)).toMatch(/outside/); // to 04:30 EDT
  });
});

describe('outsideHours', () => {
  const nyAt = (date: string, time: string, minutes = 30) => {
    const startAt = zonedInstant(date, m(time), NY).toISOString();
    return { startAt, endAt: new Date(Date.parse(startAt) + minutes * 60_000).toISOString() };
  };
  const hours: WorkingBlock[] = [
    { weekday: 1, start: '08:00', end: '12:00' },
    { weekday: 7, start: '01:00', end: '04:00' },
    { weekday: 2, start: '20:00', end: '24:00' },
  ];

  it('keeps what a block still holds, in wall-clock time on every day, and names the rest', () => {
    const inside = [nyAt('2026-03-09', '08:00'), nyAt('2026-03-09', '11:30'), nyAt('2026-11-02', '08:00'), nyAt('2026-03-10', '23:30')];
    const outside = [
      nyAt('2026-03-09', '11:45'), // runs past the block's end
      nyAt('2026-03-09', '12:00'),
      nyAt('2026-03-11', '09:00'), // a Wednesday: no hours at all
      nyAt('2026-03-09', '07:45'),
    ];
    expect(outsideHours([...inside, ...outside], hours, NY)).toEqual(outside);
  });

  it('reads the changing nights right: the repeated hour is inside 01:00–04:00, and so is the hour after a jump', () => {
    const fallBack = [1, 2, 3].map((n) => ({
      startAt: new Date(Date.parse('2026-11-01T05:00:00.000Z') + n * HOUR).toISOString(),
      endAt: new Date(Date.parse('2026-11-01T05:30:00.000Z') + n * HOUR).toISOString(),
    }));
    expect(outsideHours(fallBack, hours, NY)).toEqual([]);
    expect(outsideHours([nyAt('2026-03-08', '03:30'), nyAt('2026-03-08', '04:00')], hours, NY)).toEqual([nyAt('2026-03-08', '04:00')]);
  });
});

describe('hoursProblems', () => {
  const block = (weekday: number, start: string, end: string): WorkingBlock => ({ weekday, start, end });

  it('accepts touching blocks and the same hours on different days, and names an overlap by its index', () => {
    expect(hoursProblems([block(1, '08:00', '12:00'), block(1, '12:00', '24:00'), block(2, '08:00', '12:00')])).toEqual({});
    expect(hoursProblems([block(1, '14:00', '17:00'), block(2, '09:00', '10:00'), block(1, '08:00', '14:30')])).toEqual({
      'hours.0.start': 'This block overlaps 08:00–14:30 on the same day.',
    });
    expect(hoursProblems([block(3, '20:00', '24:00'), block(3, '23:55', '24:00')])).toEqual({
      'hours.1.start': 'This block overlaps 20:00–24:00 on the same day.',
    });
  });

  it('finds a problem exactly when two blocks of one weekday overlap (random weeks)', () => {
    const time = (minute: number) =>
      minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const arbitraryBlock = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 287 }), fc.integer({ min: 1, max: 48 }))
      .map(([weekday, start, length]) => block(weekday, time(start * 5), time(Math.min(1440, (start + length) * 5))));
    fc.assert(
      fc.property(fc.array(arbitraryBlock, { maxLength: 8 }), (hours) => {
        const minutes = (t: string) => (t === '24:00' ? 1440 : m(t));
        const clash = hours.some((a, i) =>
          hours.some((b, j) => i !== j && a.weekday === b.weekday && minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end)),
        );
        expect(Object.keys(hoursProblems(hours)).length > 0).toBe(clash);
      }),
      { numRuns: 500 },
    );
  });
});

describe('assertTransition', () => {
  const actions: AppointmentAction[] = ['reschedule', 'cancel', 'checkIn', 'noShow', 'complete'];

  it('allows booked → checked_in → completed, and cancel / no-show / reschedule only from booked', () => {
    const allowed = Object.fromEntries(actions.map((action) => [action, APPOINTMENT_STATUSES.filter((status) => ALLOWED_FROM[action].includes(status))]));
    expect(allowed).toEqual({ reschedule: ['booked'], cancel: ['booked'], checkIn: ['booked'], noShow: ['booked'], complete: ['checked_in'] });
    for (const action of actions)
      for (const status of APPOINTMENT_STATUSES) {
        const attempt = () => assertTransition(action, status as AppointmentStatus);
        if (ALLOWED_FROM[action].includes(status)) expect(attempt).not.toThrow();
        else expect(attempt).toThrow(AppError);
      }
  });

  it('refuses with CONFLICT in plain words', () => {
    const refusal = (action: AppointmentAction, status: AppointmentStatus) => {
      try {
        assertTransition(action, status);
      } catch (error) {
        return error instanceof AppError ? [error.code, error.message] : error;
      }
      return null;
    };
    expect(refusal('cancel', 'checked_in')).toEqual(['CONFLICT', 'This appointment is checked in, so it cannot be cancelled.']);
    expect(refusal('complete', 'booked')).toEqual(['CONFLICT', 'This appointment is booked, so it cannot be completed. Check the patient in first.']);
    expect(refusal('checkIn', 'no_show')).toEqual(['CONFLICT', 'This appointment is no-show, so it cannot be checked in.']);
    expect(refusal('reschedule', 'cancelled')).toEqual(['CONFLICT', 'This appointment is cancelled, so it cannot be rescheduled.']);
    expect(refusal('noShow', 'completed')).toEqual(['CONFLICT', 'This appointment is completed, so it cannot be marked as a no-show.']);
  });
});
